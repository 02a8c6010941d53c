package pattern

import (
	"bytes"
	"encoding/json"
)

// json5ToJSON converts the JSON5 subset the conformance corpus uses (// and
// /* */ comments, trailing commas) to JSON. Comments are only recognized
// outside strings, since wildcard operands such as "*/dir/*" contain them.
func json5ToJSON(src []byte) []byte {
	var out []byte
	inStr := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inStr {
			out = append(out, c)
			if c == '\\' && i+1 < len(src) {
				i++
				out = append(out, src[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			out = append(out, c)
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			out = append(out, '\n')
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return out
			}
			i += end + 3
		case c == ']' || c == '}':
			// drop a trailing comma before the closer
			j := len(out) - 1
			for j >= 0 && (out[j] == ' ' || out[j] == '\n' || out[j] == '\t' || out[j] == '\r') {
				j--
			}
			if j >= 0 && out[j] == ',' {
				out = append(out[:j], out[j+1:]...)
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}

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
