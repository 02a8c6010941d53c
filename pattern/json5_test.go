package pattern

import (
	"bytes"
	"encoding/json"
	"github.com/switchyard-dev/switchyard/internal/json5"
)

// json5ToJSON converts the JSON5 subset of the conformance corpus to JSON.
func json5ToJSON(src []byte) []byte { return json5.ToJSON(src) }

// conformanceCase is one AWS-validated corpus file.
type conformanceCase struct {
	name    string
	event   []byte
	pattern []byte
	want    string // "match", "nomatch" or "reject"
}

func parseCase(name string, src []byte) (conformanceCase, error) {
	var doc struct {
		Event        json.RawMessage
		EventPattern json.RawMessage
	}
	if err := json.Unmarshal(json5ToJSON(src), &doc); err != nil {
		return conformanceCase{}, err
	}
	c := conformanceCase{name: name, event: doc.Event, pattern: doc.EventPattern, want: "match"}
	switch {
	case bytes.HasSuffix([]byte(name), []byte("_NEG")):
		c.want = "nomatch"
	case bytes.HasSuffix([]byte(name), []byte("_EXC")):
		c.want = "reject"
	}
	return c, nil
}
