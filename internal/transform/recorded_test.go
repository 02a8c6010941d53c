package transform

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The AWS recording (testdata/aws/test_events_inputs.snapshot.json, copied
// verbatim) holds what an SQS target received; testdata/aws/cases.json
// holds the event detail and target configuration of each case, transcribed
// from the test that made the recording. The recording masked volatile
// values: ids as <uuid:n>, the region as <region>, ISO timestamps as
// "date". The events below use those masks as their values, and outputs
// are masked the same way before comparison.

type recordedCase struct {
	Key    string                `json:"key"`
	Detail string                `json:"detail"`
	ID     string                `json:"id"`
	Specs  map[string]recordSpec `json:"specs"`
}

type recordSpec struct {
	Input         *string           `json:"Input"`
	InputPath     *string           `json:"InputPath"`
	InputPathsMap map[string]string `json:"InputPathsMap"`
	InputTemplate *string           `json:"InputTemplate"`
}

func (r recordSpec) spec() Spec {
	return Spec{Input: r.Input, InputPath: r.InputPath, PathsMap: r.InputPathsMap, Template: r.InputTemplate}
}

type recordedMessage struct {
	Body json.RawMessage
}

var isoTime = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z`)

var recordedVars = Vars{
	RuleArn:       "arn:<partition>:events:<region>:111111111111:rule/<bus-name>/<rule-name>",
	RuleName:      "<rule-name>",
	IngestionTime: time.Date(2024, 6, 11, 8, 33, 10, 0, time.UTC),
}

func recordedEvent(id string, detail json.RawMessage) []byte {
	if id == "" {
		id = "<uuid:1>"
	}
	return fmt.Appendf(nil, `{"version":"0","id":%q,"detail-type":"core.update-account-command",`+
		`"source":"core.update-account-command","account":"111111111111","time":"2024-05-13T12:27:07Z",`+
		`"region":"<region>","resources":[],"detail":%s}`, id, detail)
}

func TestRecorded(t *testing.T) {
	var cfg struct {
		Details map[string]json.RawMessage `json:"details"`
		Cases   []recordedCase             `json:"cases"`
	}
	readJSON(t, "testdata/aws/cases.json", &cfg)
	var snap map[string]struct {
		Content map[string]json.RawMessage `json:"recorded-content"`
	}
	readJSON(t, "testdata/aws/test_events_inputs.snapshot.json", &snap)
	if len(cfg.Cases) != len(snap) {
		t.Fatalf("cases.json has %d cases, the recording %d", len(cfg.Cases), len(snap))
	}
	delivered, dropped := 0, 0
	for _, c := range cfg.Cases {
		rec, ok := snap[c.Key]
		if !ok {
			t.Fatalf("case %q is not in the recording", c.Key)
		}
		name := c.Key[strings.Index(c.Key, "::")+2:]
		event := recordedEvent(c.ID, cfg.Details[c.Detail])
		for label, rs := range c.Specs {
			t.Run(name+"/"+label, func(t *testing.T) {
				tr, err := Compile(rs.spec())
				raw, recorded := rec.Content[label]
				if recorded && strings.HasSuffix(label, "-error") {
					checkRecordedError(t, raw, err)
					return
				}
				if err != nil {
					t.Fatalf("Compile: %v", err)
				}
				got, err := tr.Apply(nil, event, recordedVars)
				if !recorded {
					// Nothing reached the queue: AWS dropped the invocation.
					if len(rec.Content) != 0 {
						t.Fatalf("no recording for %q", label)
					}
					if !errors.Is(err, ErrInvalidResult) {
						t.Fatalf("Apply = %q, %v; AWS did not deliver it", got, err)
					}
					dropped++
					return
				}
				if err != nil {
					t.Fatalf("Apply: %v", err)
				}
				var msgs []recordedMessage
				if err := json.Unmarshal(raw, &msgs); err != nil || len(msgs) != 1 {
					t.Fatalf("recording of %q: %v, %d messages", label, err, len(msgs))
				}
				checkBody(t, got, msgs[0].Body)
				delivered++
			})
		}
	}
	t.Logf("%d recorded deliveries reproduced, %d recorded drops reproduced", delivered, dropped)
}

// checkBody compares a delivery with the recorded SQS body: byte for byte
// where the recording kept the body as text, as JSON where the recorder
// parsed it.
func checkBody(t *testing.T, got []byte, body json.RawMessage) {
	t.Helper()
	masked := isoTime.ReplaceAll(got, []byte("date"))
	var text string
	if json.Unmarshal(body, &text) == nil {
		if string(masked) != text {
			t.Errorf("body\n got %s\nwant %s", masked, text)
		}
		return
	}
	var gotV, wantV any
	if err := json.Unmarshal(masked, &gotV); err != nil {
		t.Fatalf("delivered %s: not JSON: %v", got, err)
	}
	if m, ok := gotV.(map[string]any); ok {
		// The recorder masked this one member by path.
		if ev, ok := m["originalEvent"].(map[string]any); ok {
			ev["time"] = "<ingestion-time>"
		}
	}
	if err := json.Unmarshal(body, &wantV); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotV, wantV) {
		t.Errorf("body\n got %s\nwant %s", got, body)
	}
	if !orderedLike(masked, body) {
		t.Errorf("key order differs:\n got %s\nwant %s", masked, body)
	}
}

// orderedLike reports whether the strings (keys and values) of a and b
// appear in the same order; the recorder kept AWS's key order. A masked
// value in b ("<...>") matches anything.
func orderedLike(a, b []byte) bool {
	return slicesEqual(keyOrder(a), keyOrder(b))
}

func keyOrder(b []byte) []string {
	var keys []string
	dec := json.NewDecoder(strings.NewReader(string(b)))
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		switch v := tok.(type) {
		case string:
			// Keys and string values alike: both sides are compared the same way.
			keys = append(keys, v)
		}
	}
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !strings.HasPrefix(b[i], "<") {
			return false
		}
	}
	return true
}

func checkRecordedError(t *testing.T, raw json.RawMessage, err error) {
	t.Helper()
	var rec struct {
		Error struct{ Code, Message string }
	}
	if e := json.Unmarshal(raw, &rec); e != nil {
		t.Fatal(e)
	}
	if err == nil {
		t.Fatalf("Compile succeeded; AWS answered %s %q", rec.Error.Code, rec.Error.Message)
	}
	var pe *PlaceholderError
	if errors.As(err, &pe) {
		// The API layer words it with the target id; check that it can.
		msg := fmt.Sprintf("InputTemplate for target %s contains invalid placeholder %s.", "<target-id>", pe.Name)
		if msg != rec.Error.Message {
			t.Errorf("message %q, AWS %q", msg, rec.Error.Message)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
