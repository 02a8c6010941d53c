package pattern

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

const awsReasonPrefix = "Event pattern is not valid. Reason: "

// TestAWSRecordedReasons checks Reason against every InvalidEventPatternException
// message recorded from AWS in testdata/test_events_patterns.snapshot.json
// (copied from ../shared/conformance/aws-recorded). Patterns come from the
// corpus file of the same name, or, for the invalid-JSON tests, from the
// test id itself.
func TestAWSRecordedReasons(t *testing.T) {
	raw, err := os.ReadFile("testdata/test_events_patterns.snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]struct {
		Content map[string]json.RawMessage `json:"recorded-content"`
	}
	if err := json.Unmarshal(raw, &snap); err != nil {
		t.Fatal(err)
	}
	corpus := map[string][]byte{}
	for _, c := range loadConformance(t) {
		corpus[c.name] = c.pattern
	}
	checked := 0
	for key, entry := range snap {
		open, close := strings.Index(key, "["), strings.LastIndex(key, "]")
		if open < 0 || close < open {
			continue
		}
		id := key[open+1 : close]
		for _, content := range entry.Content {
			msg := findMessage(content)
			if !strings.HasPrefix(msg, awsReasonPrefix) {
				continue
			}
			want := strings.TrimPrefix(msg, awsReasonPrefix)
			var pat []byte
			switch {
			case strings.Contains(key, "test_invalid_json_event_pattern"):
				pat = []byte(id)
			case corpus[id] != nil:
				pat = corpus[id]
			default:
				t.Errorf("%s: no pattern for recorded case", key)
				continue
			}
			checked++
			_, err := Compile(pat)
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Errorf("%s: Compile(%s) = %v, want *CompileError %q", id, pat, err, want)
				continue
			}
			if ce.Reason != want {
				t.Errorf("%s: Compile(%s)\n got reason %q\nwant reason %q", id, pat, ce.Reason, want)
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d recorded reasons checked", checked)
	}
	t.Logf("%d AWS-recorded reasons checked", checked)
}

// findMessage digs the Error.Message out of one recorded response.
func findMessage(raw json.RawMessage) string {
	var v struct {
		Error struct{ Message string }
		Exc   struct {
			Error struct{ Message string }
		} `json:"exception_message"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	if v.Error.Message != "" {
		return v.Error.Message
	}
	return v.Exc.Error.Message
}
