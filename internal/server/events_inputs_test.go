package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/server"
)

// The AWS recording of target inputs and the configuration of each of its
// cases, shared with the transform package's unit test: here every case runs
// through the whole path (PutRule, PutTargets, PutEvents, routing,
// transformation, an API destination) and what the HTTP endpoint received
// is compared with what the recorded SQS queue received.
const (
	inputCasesFile    = "../transform/testdata/aws/cases.json"
	inputSnapshotFile = "../transform/testdata/aws/test_events_inputs.snapshot.json"
)

var isoTimeRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z`)

type inputCase struct {
	Key    string `json:"key"`
	Detail string `json:"detail"`
	ID     string `json:"id"`
	Specs  map[string]struct {
		Input         *string           `json:"Input"`
		InputPath     *string           `json:"InputPath"`
		InputPathsMap map[string]string `json:"InputPathsMap"`
		InputTemplate *string           `json:"InputTemplate"`
	} `json:"specs"`
}

func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestRecordedInputsThroughAPIDestinations runs every case of the recording.
func TestRecordedInputsThroughAPIDestinations(t *testing.T) {
	t.Parallel()
	var cfg struct {
		Details map[string]json.RawMessage `json:"details"`
		Cases   []inputCase                `json:"cases"`
	}
	readJSONFile(t, inputCasesFile, &cfg)
	var snap map[string]struct {
		Content map[string]json.RawMessage `json:"recorded-content"`
	}
	readJSONFile(t, inputSnapshotFile, &snap)
	if len(cfg.Cases) != len(snap) || len(snap) < 25 {
		t.Fatalf("%d cases for %d recordings", len(cfg.Cases), len(snap))
	}

	s := startServer(t, server.Config{})
	ctx := context.Background()
	const acct = "111111111111" // the recording's account
	eb := client(s, acct, "x", "")
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "inputs", rc.URL()+"/*", 0, nil)

	type expect struct {
		name, bus, rule, path, id string
		body                      json.RawMessage // nil: not delivered
	}
	var expects []expect
	var events []types.PutEventsRequestEntry
	dropped := 0
	for i, c := range cfg.Cases {
		rec, ok := snap[c.Key]
		if !ok {
			t.Fatalf("%s not recorded", c.Key)
		}
		bus, ruleName := fmt.Sprintf("case-%02d", i), fmt.Sprintf("r%02d-rule", i)
		if _, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(bus)}); err != nil {
			t.Fatal(err)
		}
		rule(t, eb, bus, ruleName, `{"source":["core.update-account-command"]}`)
		labels := make([]string, 0, len(c.Specs))
		for l := range c.Specs {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		targets := 0
		for j, label := range labels {
			spec := c.Specs[label]
			id := fmt.Sprintf("t%d", j)
			seg := fmt.Sprintf("%02d-%s", i, label)
			tg := pathTarget(id, dest, seg)
			tg.Input, tg.InputPath = spec.Input, spec.InputPath
			if spec.InputTemplate != nil {
				tg.InputTransformer = &types.InputTransformer{InputTemplate: spec.InputTemplate, InputPathsMap: spec.InputPathsMap}
			}
			name := c.Key[strings.Index(c.Key, "::")+2:] + "/" + label
			raw, recorded := rec.Content[label]
			_, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(ruleName), EventBusName: aws.String(bus), Targets: []types.Target{tg}})
			if recorded && strings.HasSuffix(label, "-error") {
				var want struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(raw, &want); err != nil {
					t.Fatal(err)
				}
				code, msg := apiErr(t, err)
				if code != want.Error.Code || strings.ReplaceAll(msg, "target "+id, "target <target-id>") != want.Error.Message {
					t.Errorf("%s: %s %q, AWS %s %q", name, code, msg, want.Error.Code, want.Error.Message)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: PutTargets: %v", name, err)
				continue
			}
			targets++
			e := expect{name: name, bus: bus, rule: ruleName, path: "/" + seg, id: c.ID}
			if e.id == "" {
				e.id = "<uuid:1>"
			}
			if recorded {
				var msgs []struct{ Body json.RawMessage }
				if err := json.Unmarshal(raw, &msgs); err != nil || len(msgs) != 1 {
					t.Fatalf("%s: recording: %v", name, err)
				}
				e.body = msgs[0].Body
			} else {
				if len(rec.Content) != 0 {
					t.Fatalf("%s: no recording", name)
				}
				dropped++
			}
			expects = append(expects, e)
		}
		if targets > 0 {
			events = append(events, entry(bus, "core.update-account-command", "core.update-account-command", string(cfg.Details[c.Detail])))
		}
	}
	if dropped == 0 || len(expects) < 25 {
		t.Fatalf("%d deliveries and %d drops: the recording is not what this test expects", len(expects), dropped)
	}
	ids := map[string]string{} // bus → event id
	for len(events) > 0 {
		n := min(10, len(events))
		out := put(t, eb, events[:n]...)
		for k, r := range out.Entries {
			if r.EventId == nil {
				t.Fatalf("entry refused: %s", aws.ToString(r.ErrorMessage))
			}
			ids[*events[k].EventBusName] = *r.EventId
		}
		events = events[n:]
	}
	waitFor(t, "every target settled", func() bool {
		st := stats(t, s)
		return st["delivered"]+st["failed"] >= int64(len(expects))
	})
	st := stats(t, s)
	if st["failed"] != int64(dropped) || st["dropped"] != int64(dropped) || st["delivered"] != int64(len(expects)-dropped) {
		t.Errorf("stats %v: want %d delivered and %d failed (AWS dropped those)", st, len(expects)-dropped, dropped)
	}
	for _, e := range expects {
		t.Run(e.name, func(t *testing.T) {
			hits := rc.byPath(e.path)
			if e.body == nil {
				if len(hits) != 0 {
					t.Errorf("AWS delivered nothing; got %s", hits[0].Body)
				}
				return
			}
			if len(hits) != 1 {
				t.Fatalf("%d deliveries at %s", len(hits), e.path)
			}
			got := string(hits[0].Body)
			ruleArn := "arn:aws:events:us-east-1:" + acct + ":rule/" + e.bus + "/" + e.rule
			got = strings.NewReplacer(ruleArn, "arn:<partition>:events:<region>:111111111111:rule/<bus-name>/<rule-name>",
				e.rule, "<rule-name>", "us-east-1", "<region>", ids[e.bus], e.id).Replace(got)
			got = isoTimeRE.ReplaceAllString(got, "date")
			compareRecordedBody(t, []byte(got), e.body)
		})
	}
}

// compareRecordedBody: byte for byte where the recorder kept the body as
// text, as JSON (with AWS's key order) where it parsed it.
func compareRecordedBody(t *testing.T, got []byte, body json.RawMessage) {
	t.Helper()
	var text string
	if json.Unmarshal(body, &text) == nil {
		if string(got) != text {
			t.Errorf("body\n got %s\nwant %s", got, text)
		}
		return
	}
	var gotV, wantV any
	if err := json.Unmarshal(got, &gotV); err != nil {
		t.Fatalf("delivered %s: not JSON: %v", got, err)
	}
	if m, ok := gotV.(map[string]any); ok {
		// The recorder masked this member by its path.
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
	if g, w := jsonStrings(got), jsonStrings(body); !orderMatches(g, w) {
		t.Errorf("key order differs:\n got %s\nwant %s", got, body)
	}
}

// jsonStrings lists the strings (keys and values) of a JSON text in order.
func jsonStrings(b []byte) []string {
	var out []string
	dec := json.NewDecoder(strings.NewReader(string(b)))
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		if s, ok := tok.(string); ok {
			out = append(out, s)
		}
	}
}

func orderMatches(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] && !strings.HasPrefix(want[i], "<") {
			return false
		}
	}
	return true
}
