package logs

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

func TestGroupName(t *testing.T) {
	for in, want := range map[string]string{
		"log-group:/aws/events/x:*": "/aws/events/x",
		"log-group:/aws/events/x":   "/aws/events/x",
		"log-group:a.b_c-d#e":       "a.b_c-d#e",
	} {
		if got, err := groupName(in); err != nil || got != want {
			t.Errorf("%s: %q %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"log-group:", "log-group::*", "loggroup:x", "log-group:a b", "log-group:a:b"} {
		if got, err := groupName(bad); err == nil {
			t.Errorf("%s parsed as %q", bad, got)
		}
	}
}

// eventRequest is a delivery of an event at time when (RFC 3339, or ""
// for an event without one); payload, when not empty, is the target's own
// input (custom) or the event as the payload.
func eventRequest(when, payload string, custom bool) target.Request {
	event := fmt.Sprintf(`{"version":"0","id":"id","detail-type":"d","source":"s","account":"123456789012","time":%q,"region":"us-east-1","resources":[],"detail":{"k":"v"}}`, when)
	r := target.Request{Target: &catalog.Target{}, Payload: []byte(event), Event: []byte(event), EventID: "id"}
	if payload != "" {
		r.Payload = []byte(payload)
	}
	if custom {
		r.Target.InputTransformer = &catalog.InputTransformer{Template: aws.String("<the payload>")}
	}
	return r
}

func TestLogEvent(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	evTime := time.Date(2026, 1, 1, 0, 0, 0, 123e6, time.UTC)
	for _, tc := range []struct {
		name    string
		when    string
		payload string
		custom  bool
		msg     string
		ts      int64
	}{
		{"event as it is", evTime.Format(time.RFC3339Nano), "", false, "", evTime.UnixMilli()},
		{"no event time", "", "", false, "", now.UnixMilli()},
		{"log form, number", evTime.Format(time.RFC3339), `{"timestamp":1700000000000,"message":"m"}`, true, "m", 1700000000000},
		{"log form, RFC 3339 string", "", `{"timestamp":"2026-01-01T00:00:00.123Z","message":"m"}`, true, "m", evTime.UnixMilli()},
		{"log form, digit string", "", `{"timestamp":"42","message":"m"}`, true, "m", 42},
		{"log form without timestamp", evTime.Format(time.RFC3339Nano), `{"message":"only"}`, true, "only", evTime.UnixMilli()},
		{"log form, object message", evTime.Format(time.RFC3339Nano), `{"timestamp":1,"message":{"a":1}}`, true, `{"a":1}`, 1},
		{"log form, unreadable timestamp", evTime.Format(time.RFC3339Nano), `{"timestamp":"soon","message":"m"}`, true, "m", evTime.UnixMilli()},
		{"other members: the whole payload", evTime.Format(time.RFC3339Nano), `{"timestamp":1,"message":"m","x":1}`, true, `{"timestamp":1,"message":"m","x":1}`, evTime.UnixMilli()},
		{"log form without input configuration is the event", evTime.Format(time.RFC3339Nano), `{"timestamp":1,"message":"m"}`, false, `{"timestamp":1,"message":"m"}`, evTime.UnixMilli()},
		{"plain text", evTime.Format(time.RFC3339Nano), `"just text"`, true, `"just text"`, evTime.UnixMilli()},
	} {
		r := eventRequest(tc.when, tc.payload, tc.custom)
		if tc.msg == "" {
			tc.msg = string(r.Payload)
		}
		ev, err := logEvent(r, now)
		if err != nil || aws.ToString(ev.Message) != tc.msg || aws.ToInt64(ev.Timestamp) != tc.ts {
			t.Errorf("%s: %q %d %v; want %q %d", tc.name, aws.ToString(ev.Message), aws.ToInt64(ev.Timestamp), err, tc.msg, tc.ts)
		}
	}
	if _, err := logEvent(eventRequest("", `{"message":""}`, true), now); err == nil {
		t.Error("empty message accepted")
	}
}
