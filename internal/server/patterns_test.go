package server_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/switchyard-dev/switchyard/internal/json5"
	"github.com/switchyard-dev/switchyard/internal/server"
)

// TestPatternConformanceThroughAPI runs every AWS-validated case of the
// pattern corpus through TestEventPattern and PutRule with the SDK: a match
// where AWS matched, no match for _NEG cases, InvalidEventPatternException
// for _EXC cases.
func TestPatternConformanceThroughAPI(t *testing.T) {
	s := startServer(t, server.Config{})
	eb := client(s, "123456789012", "x", "")
	ctx := context.Background()
	files, err := filepath.Glob("../../pattern/testdata/conformance/*.json5")
	if err != nil || len(files) < 150 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json5")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var c struct{ Event, EventPattern json.RawMessage }
			if err := json.Unmarshal(json5.ToJSON(src), &c); err != nil {
				t.Fatalf("case does not parse: %v", err)
			}
			out, err := eb.TestEventPattern(ctx, &eventbridge.TestEventPatternInput{
				Event: aws.String(string(c.Event)), EventPattern: aws.String(string(c.EventPattern)),
			})
			_, putErr := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(string(c.EventPattern))})
			switch {
			case strings.HasSuffix(name, "_EXC"):
				if errCode(err) != "InvalidEventPatternException" || errCode(putErr) != "InvalidEventPatternException" {
					t.Errorf("AWS rejects this pattern; TestEventPattern: %v, PutRule: %v", err, putErr)
				}
			case err != nil || putErr != nil:
				t.Errorf("TestEventPattern: %v, PutRule: %v", err, putErr)
			case out.Result != !strings.HasSuffix(name, "_NEG"):
				t.Errorf("Result = %v, AWS says %v", out.Result, !strings.HasSuffix(name, "_NEG"))
			}
		})
	}
}

// TestTestEventPatternEvent: the event must be a full envelope (AWS-recorded
// answers for a plain string, an array and a partial object).
func TestTestEventPatternEvent(t *testing.T) {
	s := startServer(t, server.Config{})
	eb := client(s, "123456789012", "x", "")
	full := `{"id":"1","account":"123456789012","source":"s","time":"2026-01-01T00:00:00Z","region":"us-east-1","detail-type":"d","detail":{}}`
	for _, ev := range []string{`"plain string"`, `[]`, `{"source":"s"}`, `not json`, `{"id":"1","account":"1","source":"s","time":"t","region":"r"}`} {
		_, err := eb.TestEventPattern(context.Background(), &eventbridge.TestEventPatternInput{Event: aws.String(ev), EventPattern: aws.String(`{"source":["s"]}`)})
		if errCode(err) != "ValidationException" || !strings.Contains(err.Error(), "Parameter Event is not valid.") {
			t.Errorf("event %s: %v", ev, err)
		}
	}
	out, err := eb.TestEventPattern(context.Background(), &eventbridge.TestEventPatternInput{Event: aws.String(full), EventPattern: aws.String(`{"source":["s"]}`)})
	if err != nil || !out.Result {
		t.Errorf("full envelope: %v %v", out, err)
	}
}
