package event

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

func sp(s string) *string { return &s }

func TestSize(t *testing.T) {
	tm := time.Unix(1767268800, 0)
	e := &Entry{Time: &tm, Source: sp("abc"), DetailType: sp("dé"), Detail: sp(`{"a":1}`), Resources: []string{"r1", "r22"},
		EventBusName: sp("not-counted"), TraceHeader: sp("not-counted-either")}
	// 14 (time) + 3 + 3 (é is two bytes) + 7 + 2 + 3
	if got := Size(e); got != 32 {
		t.Errorf("Size = %d, want 32", got)
	}
	if got := Size(&Entry{}); got != 0 {
		t.Errorf("empty entry Size = %d", got)
	}
}

func TestCheck(t *testing.T) {
	ok := func(e Entry) Entry {
		if e.Source == nil {
			e.Source = sp("shop")
		}
		if e.DetailType == nil {
			e.DetailType = sp("order")
		}
		if e.Detail == nil {
			e.Detail = sp(`{}`)
		}
		return e
	}
	cases := []struct {
		name  string
		entry Entry
		code  string
		msg   string
		out   string
	}{
		{"valid", ok(Entry{Detail: sp(" { \"a\" : [1, 2] , \"b\":{}} ")}), "", "", `{"a":[1,2],"b":{}}`},
		{"empty object", ok(Entry{}), "", "", `{}`},
		// AWS-recorded messages (test_put_events_without_source / _detail_type / _detail).
		{"no source", Entry{DetailType: sp("d"), Detail: sp("{}")}, CodeInvalidArgument, "Parameter Source is not valid. Reason: Source is a required argument.", ""},
		{"no detail type", Entry{Source: sp("s"), Detail: sp("{}")}, CodeInvalidArgument, "Parameter DetailType is not valid. Reason: DetailType is a required argument.", ""},
		{"no detail", Entry{Source: sp("s"), DetailType: sp("d")}, CodeInvalidArgument, "Parameter Detail is not valid. Reason: Detail is a required argument.", ""},
		{"empty source", ok(Entry{Source: sp("")}), CodeInvalidArgument, "Parameter Source is not valid. Reason: Source is a required argument.", ""},
		// test_put_event_malformed_detail[ARRAY|STRING|SERIALIZED_STRING|MALFORMED_JSON]
		{"array detail", ok(Entry{Detail: sp(`[1]`)}), CodeMalformedDetail, "Detail is malformed.", ""},
		{"string detail", ok(Entry{Detail: sp(`"s"`)}), CodeMalformedDetail, "Detail is malformed.", ""},
		{"serialized string", ok(Entry{Detail: sp(`"{\"a\":1}"`)}), CodeMalformedDetail, "Detail is malformed.", ""},
		{"malformed", ok(Entry{Detail: sp(`{"a":`)}), CodeMalformedDetail, "Detail is malformed.", ""},
		{"trailing garbage", ok(Entry{Detail: sp(`{} x`)}), CodeMalformedDetail, "Detail is malformed.", ""},
		{"too deep", ok(Entry{Detail: sp(`{"a":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}`)}), CodeMalformedDetail, "Detail is malformed.", ""},
		{"deep but allowed", ok(Entry{Detail: sp(`{"a":` + strings.Repeat("[", 999) + strings.Repeat("]", 999) + `}`)}), "", "", `{"a":` + strings.Repeat("[", 999) + strings.Repeat("]", 999) + `}`},
		{"aws source", ok(Entry{Source: sp("aws.ec2")}), CodeNotAuthorized, "Not authorized for the source.", ""},
	}
	for _, c := range cases {
		d, p := Check(&c.entry)
		switch {
		case c.code == "" && p != nil:
			t.Errorf("%s: refused: %+v", c.name, p)
		case c.code == "" && string(d) != c.out:
			t.Errorf("%s: detail %s, want %s", c.name, d, c.out)
		case c.code != "" && (p == nil || p.Code != c.code || p.Message != c.msg):
			t.Errorf("%s: got %+v, want %s %q", c.name, p, c.code, c.msg)
		}
	}
}

func TestEnvelope(t *testing.T) {
	e := &Entry{Source: sp("shop"), DetailType: sp("Order Placed"), Resources: []string{"arn:a", "arn:b"}}
	env := Envelope{ID: "11111111-2222-4333-8444-555555555555", Account: "123456789012", Region: "us-east-1",
		Time: time.Date(2026, 1, 1, 12, 0, 0, 999e6, time.FixedZone("x", 3600))}
	got := string(Append(nil, env, e, []byte(`{"a":1}`)))
	want := `{"version":"0","id":"11111111-2222-4333-8444-555555555555","detail-type":"Order Placed","source":"shop",` +
		`"account":"123456789012","time":"2026-01-01T11:00:00Z","region":"us-east-1","resources":["arn:a","arn:b"],"detail":{"a":1}}`
	if got != want {
		t.Errorf("envelope:\n got %s\nwant %s", got, want)
	}
	env.ReplayName = "my-replay"
	e.Resources = nil
	got = string(Append(nil, env, e, []byte(`{}`)))
	if !strings.Contains(got, `"region":"us-east-1","replay-name":"my-replay","resources":[],"detail":{}}`) {
		t.Errorf("replayed envelope: %s", got)
	}
}

func TestNewID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if !re.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated id %s", id)
		}
		seen[id] = true
	}
}

func FuzzEnvelope(f *testing.F) {
	f.Add("shop", "Order", `{"a":[1,{"b":"c"}]}`, "arn:x")
	f.Add("s\"\\", "d\n", `{"\u00e9":"\ud83c\udf89"}`, "\xff")
	f.Add("", "", `[]`, "")
	f.Fuzz(func(t *testing.T, source, detailType, detail, resource string) {
		e := &Entry{Source: &source, DetailType: &detailType, Detail: &detail, Resources: []string{resource}}
		d, p := Check(e)
		if p != nil {
			return
		}
		out := Append(nil, Envelope{ID: NewID(), Account: "123456789012", Region: "us-east-1", Time: time.Now()}, e, d)
		var v map[string]any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("envelope is not JSON: %v\n%s", err, out)
		}
		if _, ok := v["detail"].(map[string]any); !ok {
			t.Fatalf("detail is not an object: %s", out)
		}
	})
}

func TestIDAndWithID(t *testing.T) {
	ev := []byte(`{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"d","detail":{"id":"inner"}}`)
	if got := ID(ev); got != "6a7e8feb-b491-4cf7-a9f1-bf3703467718" {
		t.Errorf("ID = %q", got)
	}
	out, ok := WithID(ev, "new-id")
	if !ok || string(out) != `{"version":"0","id":"new-id","detail-type":"d","detail":{"id":"inner"}}` || ID(out) != "new-id" {
		t.Errorf("WithID = %s %v", out, ok)
	}
	for _, bad := range []string{``, `{"id":"x"}`, `{"version":"0","id":"unterminated`, `{"version":"0","id":"a\"b"}`} {
		if ID([]byte(bad)) != "" {
			t.Errorf("ID(%s) = %q, want \"\"", bad, ID([]byte(bad)))
		}
		if _, ok := WithID([]byte(bad), "x"); ok {
			t.Errorf("WithID(%s) accepted", bad)
		}
	}
}
