package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"

	"github.com/switchyard-dev/switchyard/internal/server"
)

const recordedEvents = "testdata/test_events.snapshot.json" // copied verbatim from the AWS recording

// recordedError reads the Error of a recorded AWS answer.
func recordedError(t *testing.T, test, label string) (code, message string) {
	t.Helper()
	b, err := os.ReadFile(recordedEvents)
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]struct {
		Content map[string]json.RawMessage `json:"recorded-content"`
	}
	if err := json.Unmarshal(b, &snap); err != nil {
		t.Fatal(err)
	}
	for k, v := range snap {
		if strings.HasSuffix(k, "::"+test) {
			var e struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(v.Content[label], &e); err != nil {
				t.Fatal(err)
			}
			return e.Error.Code, e.Error.Message
		}
	}
	t.Fatalf("%s not recorded", test)
	return "", ""
}

func apiErr(t *testing.T, err error) (string, string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an API error, got %v", err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}

// TestPutEventsEntryErrors: the AWS-recorded per-entry refusals (HTTP 200,
// ErrorCode and ErrorMessage, FailedEntryCount), in request order among
// accepted entries.
func TestPutEventsEntryErrors(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000001", "x", "")
	const required = "InvalidArgument"
	missing := func(f string) string {
		return "Parameter " + f + " is not valid. Reason: " + f + " is a required argument."
	}
	good := entry("", "my.app", "thing", `{"a":1}`)
	cases := []struct {
		name      string
		e         types.PutEventsRequestEntry
		code, msg string
	}{
		{"without source", types.PutEventsRequestEntry{DetailType: aws.String("d"), Detail: aws.String("{}")}, required, missing("Source")},
		{"without detail type", types.PutEventsRequestEntry{Source: aws.String("s"), Detail: aws.String("{}")}, required, missing("DetailType")},
		{"without detail", types.PutEventsRequestEntry{Source: aws.String("s"), DetailType: aws.String("d")}, required, missing("Detail")},
		{"malformed STRING", entry("", "s", "d", "plain string"), "MalformedDetail", "Detail is malformed."},
		{"malformed ARRAY", entry("", "s", "d", `["a","b"]`), "MalformedDetail", "Detail is malformed."},
		{"malformed SERIALIZED_STRING", entry("", "s", "d", `"{\"command\": \"update-account\"}"`), "MalformedDetail", "Detail is malformed."},
		{"malformed MALFORMED_JSON", entry("", "s", "d", `{"command": "update-account",`), "MalformedDetail", "Detail is malformed."},
		{"malformed number", entry("", "s", "d", `123`), "MalformedDetail", "Detail is malformed."},
		{"aws. source", entry("", "aws.ec2", "d", `{}`), "NotAuthorizedForSourceException", ""},
	}
	for _, c := range cases {
		out := put(t, eb, c.e)
		if out.FailedEntryCount != 1 || len(out.Entries) != 1 {
			t.Errorf("%s: FailedEntryCount %d, %d entries", c.name, out.FailedEntryCount, len(out.Entries))
			continue
		}
		r := out.Entries[0]
		if aws.ToString(r.ErrorCode) != c.code || (c.msg != "" && aws.ToString(r.ErrorMessage) != c.msg) || r.EventId != nil {
			t.Errorf("%s: got %s %q id=%v, want %s %q", c.name, aws.ToString(r.ErrorCode), aws.ToString(r.ErrorMessage), r.EventId, c.code, c.msg)
		}
	}

	// Mixed: good and bad entries, answered in request order.
	var mixed []types.PutEventsRequestEntry
	for i, c := range cases {
		if i < 5 {
			mixed = append(mixed, good, c.e)
		}
	}
	out := put(t, eb, mixed...)
	if len(out.Entries) != len(mixed) || out.FailedEntryCount != 5 {
		t.Fatalf("mixed: %d entries, FailedEntryCount %d", len(out.Entries), out.FailedEntryCount)
	}
	ids := map[string]bool{}
	for i, r := range out.Entries {
		if i%2 == 0 {
			if r.EventId == nil || r.ErrorCode != nil || ids[*r.EventId] {
				t.Errorf("entry %d (good): %+v", i, r)
			} else {
				ids[*r.EventId] = true
			}
			continue
		}
		c := cases[i/2]
		if aws.ToString(r.ErrorCode) != c.code || aws.ToString(r.ErrorMessage) != c.msg {
			t.Errorf("entry %d (%s): %s %q", i, c.name, aws.ToString(r.ErrorCode), aws.ToString(r.ErrorMessage))
		}
	}

	// Detail "{}" is valid; white space in Detail is fine.
	put1(t, eb, entry("", "s", "d", "{}"))
	put1(t, eb, entry("", "s", "d", " {\n \"a\" : [1, 2] }\n"))

	// A bus that does not exist: an EventId, no failure (recorded).
	out = put(t, eb, entry("no-such-bus", "s", "d", `{}`), entry("", "s", "d", `{}`))
	if out.FailedEntryCount != 0 || out.Entries[0].EventId == nil || out.Entries[1].EventId == nil {
		t.Errorf("nonexistent bus: %+v", out)
	}
	// EventBusName as an ARN of the caller's own bus.
	if _, err := eb.CreateEventBus(context.Background(), &eventbridge.CreateEventBusInput{Name: aws.String("mine")}); err != nil {
		t.Fatal(err)
	}
	put1(t, eb, entry("arn:aws:events:us-east-1:100000000001:event-bus/mine", "s", "d", `{}`))
	put1(t, eb, entry("arn:aws:events:us-east-1:100000000001:event-bus/default", "s", "d", `{}`))
}

// TestPutEventsTooManyEntries: 11 entries fail the whole request with the
// recorded ValidationException.
func TestPutEventsTooManyEntries(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000002", "x", "")
	wantCode, wantMsg := recordedError(t, "test_put_events_exceed_limit_ten_entries[default]", "put-events-exceed-limit-error")
	var es []types.PutEventsRequestEntry
	for range 11 {
		es = append(es, entry("bus-1234", "core.update-account-command", "core.update-account-command",
			`{"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"}}`))
	}
	_, err := eb.PutEvents(context.Background(), &eventbridge.PutEventsInput{Entries: es})
	code, msg := apiErr(t, err)
	msg = strings.ReplaceAll(msg, "bus-1234", "<bus-name>")
	if code != wantCode || msg != wantMsg {
		t.Errorf("got %s %q\nwant %s %q", code, msg, wantCode, wantMsg)
	}
	// Ten are fine.
	if out := put(t, eb, es[:10]...); out.FailedEntryCount != 0 || len(out.Entries) != 10 {
		t.Errorf("10 entries: %+v", out)
	}
}

// TestPutEventsSizeLimit: the request-size limit as AWS counts it.
func TestPutEventsSizeLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	wantCode, wantMsg := recordedError(t, "test_put_event_with_too_big_detail", "put-events-too-big-detail-error")
	// detail returns a Detail of exactly n bytes.
	detail := func(n int) string { return `{"a":"` + strings.Repeat("x", n-8) + `"}` }
	tooBig := func(t *testing.T, err error) {
		t.Helper()
		code, msg := apiErr(t, err)
		if code != wantCode || msg != wantMsg {
			t.Errorf("got %s %q, want %s %q", code, msg, wantCode, wantMsg)
		}
	}

	t.Run("default 1 MiB", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, server.Config{})
		eb := client(s, "100000000003", "x", "")
		_, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{entry("", "s", "d", detail(1<<20))}})
		tooBig(t, err)
		// The total counts: two entries of 600 KB.
		half := entry("", "s", "d", detail(600<<10))
		_, err = eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{half, half}})
		tooBig(t, err)
		put1(t, eb, entry("", "s", "d", detail(300<<10)))
		put1(t, eb, entry("", "s", "d", detail(1<<20-2)))
	})

	t.Run("256 KiB", func(t *testing.T) {
		t.Parallel()
		const limit = 262144
		s := startServer(t, server.Config{PutEventsSize: limit})
		eb := client(s, "100000000004", "x", "")
		_, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{entry("", "s", "d", detail(300<<10))}})
		tooBig(t, err)

		// Source "s" and DetailType "d" count 1 byte each; Time counts 14.
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		withTime := func(e types.PutEventsRequestEntry) types.PutEventsRequestEntry { e.Time = &at; return e }
		under := entry("", "s", "d", detail(limit-2-15)) // limit-15
		over := entry("", "s", "d", detail(limit-2-13))  // limit-13
		put1(t, eb, under)
		put1(t, eb, over)
		put1(t, eb, withTime(under))                                                                                    // limit-1
		_, err = eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{withTime(over)}}) // limit+1
		tooBig(t, err)

		// Resources count their bytes; EventBusName and TraceHeader do not.
		e := entry("", "s", "d", detail(limit-2-10))
		e.EventBusName = aws.String(strings.Repeat("b", 200))
		e.TraceHeader = aws.String(strings.Repeat("t", 400))
		put1(t, eb, e)
		e.Resources = []string{"0123456789", "x"}
		_, err = eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{e}})
		tooBig(t, err)
		// UTF-8 bytes, not characters: 4 two-byte characters count 8.
		e = entry("", "s", "éééé", detail(limit-8)) // limit+1 in bytes, limit-3 in characters
		_, err = eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{e}})
		tooBig(t, err)
	})
}

// TestPutEventsOtherAccountsBus: an entry for another account's bus ARN is
// refused per entry without a policy allowing the caller, accepted with one.
func TestPutEventsOtherAccountsBus(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	ctx := context.Background()
	owner := client(s, "100000000005", "x", "")
	other := client(s, "100000000006", "x", "")
	if _, err := owner.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("shared")}); err != nil {
		t.Fatal(err)
	}
	busArn := "arn:aws:events:us-east-1:100000000005:event-bus/shared"
	out := put(t, other, entry(busArn, "s", "d", `{}`), entry("", "s", "d", `{}`))
	if out.FailedEntryCount != 1 || aws.ToString(out.Entries[0].ErrorCode) != "AccessDeniedException" || out.Entries[1].EventId == nil {
		t.Errorf("without a policy: %+v", out)
	}
	if _, err := owner.PutPermission(ctx, &eventbridge.PutPermissionInput{EventBusName: aws.String("shared"),
		Action: aws.String("events:PutEvents"), Principal: aws.String("100000000006"), StatementId: aws.String("let-6")}); err != nil {
		t.Fatal(err)
	}
	put1(t, other, entry(busArn, "s", "d", `{}`))
	// A third account is still refused.
	out = put(t, client(s, "100000000007", "x", ""), entry(busArn, "s", "d", `{}`))
	if out.FailedEntryCount != 1 || aws.ToString(out.Entries[0].ErrorCode) != "AccessDeniedException" {
		t.Errorf("third account: %+v", out.Entries)
	}
}
