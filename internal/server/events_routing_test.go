package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/server"
)

// TestEventEnvelope: an API destination target without input configuration
// receives the exact envelope, in AWS's key order.
func TestEventEnvelope(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	// The signing region, not the server's default, is the event's region.
	eb := eventbridge.NewFromConfig(aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("100000000010", "x", "")},
		func(o *eventbridge.Options) {
			o.BaseEndpoint = aws.String("http://" + s.Addr().String())
			o.RetryMaxAttempts = 1
		})
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "env", rc.URL()+"/*", 0, nil)
	rule(t, eb, "", "env", `{"source":["env.test"]}`, pathTarget("t", dest, "given"))
	rule(t, eb, "", "env2", `{"source":["env.now"]}`, pathTarget("t", dest, "now"))

	at := time.Date(2026, 3, 4, 5, 6, 7, 890_000_000, time.FixedZone("X", 3600))
	e := entry("", "env.test", "Thing \"Happened\"", " {\n  \"b\" : [1, 2, {\"c\": null}],\n  \"a\": \"<&>\"\n} ")
	e.Time = &at
	e.Resources = []string{"arn:aws:s3:::bucket/1", "r2"}
	id := put1(t, eb, e)
	want := `{"version":"0","id":"` + id + `","detail-type":"Thing \"Happened\"","source":"env.test","account":"100000000010",` +
		`"time":"2026-03-04T04:06:07Z","region":"eu-west-1","resources":["arn:aws:s3:::bucket/1","r2"],` +
		`"detail":{"b":[1,2,{"c":null}],"a":"<&>"}}`
	waitFor(t, "the event", func() bool { return len(rc.byPath("/given")) == 1 })
	if got := string(rc.byPath("/given")[0].Body); got != want {
		t.Errorf("delivered\n%s\nwant\n%s", got, want)
	}

	// No Time: the ingestion time; no Resources: [].
	before := time.Now().UTC().Truncate(time.Second)
	id = put1(t, eb, entry("", "env.now", "d", `{}`))
	after := time.Now().UTC()
	waitFor(t, "the second event", func() bool { return len(rc.byPath("/now")) == 1 })
	body := rc.byPath("/now")[0].Body
	if got := keysInOrder(t, body); !slices.Equal(got, []string{"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}) {
		t.Errorf("key order %v", got)
	}
	var ev map[string]any
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatal(err)
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", ev["time"].(string))
	if err != nil || ts.Before(before) || ts.After(after) {
		t.Errorf("time %v not the ingestion time (%v..%v): %v", ev["time"], before, after, err)
	}
	if ev["id"] != id || !strings.Contains(string(body), `"resources":[],"detail":{}}`) || ev["account"] != "100000000010" || ev["region"] != "eu-west-1" {
		t.Errorf("delivered %s", body)
	}
}

// TestRouting: events reach exactly the targets of the rules they match,
// once per (rule, target); rule changes apply to the very next PutEvents.
func TestRouting(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	ctx := context.Background()
	eb := client(s, "100000000011", "x", "")
	other := client(s, "100000000012", "x", "")
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "d", rc.URL()+"/*", 0, nil)
	otherDest := apiDest(t, other, "d", rc.URL()+"/other/*", 0, nil)
	if _, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("b2")}); err != nil {
		t.Fatal(err)
	}
	rule(t, eb, "", "r1", `{"source":["app"]}`, pathTarget("t1", dest, "r1t1"), pathTarget("t2", dest, "r1t2"))
	rule(t, eb, "", "r2", `{"detail-type":["order"]}`, pathTarget("t1", dest, "r2t1"))
	rule(t, eb, "", "r3", `{"source":["nope"]}`, pathTarget("t1", dest, "r3"))
	rule(t, eb, "b2", "r1", `{"source":["app"]}`, pathTarget("t1", dest, "b2r1"))
	// The other account has the same rules on its own buses.
	rule(t, other, "", "r1", `{"source":["app"]}`, pathTarget("t1", otherDest, "r1"))

	routed, delivered := int64(0), int64(0)
	settle := func(events, deliveries int64) {
		t.Helper()
		routed, delivered = routed+events, delivered+deliveries
		waitCount(t, fmt.Sprintf("%d events routed, %d delivered", routed, delivered), int(routed+delivered), func() int {
			st := stats(t, s)
			return int(min(st["events_routed"], routed) + min(st["delivered"], delivered))
		})
		if st := stats(t, s); st["events_routed"] != routed || st["delivered"] != delivered || st["failed"] != 0 {
			t.Fatalf("stats %v, want %d routed and %d delivered", st, routed, delivered)
		}
	}
	count := func() map[string][]string {
		m := map[string][]string{}
		for _, h := range rc.Hits() {
			m[h.Path] = append(m[h.Path], eventID(t, h.Body))
		}
		return m
	}

	e1 := put1(t, eb, entry("", "app", "order", `{"n":1}`))
	e2 := put1(t, eb, entry("b2", "app", "x", `{"n":2}`))
	e3 := put1(t, other, entry("", "app", "order", `{"n":3}`))
	settle(3, 5)
	want := map[string][]string{"/r1t1": {e1}, "/r1t2": {e1}, "/r2t1": {e1}, "/b2r1": {e2}, "/other/r1": {e3}}
	if got := count(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("deliveries %v\nwant %v", got, want)
	}

	// Disabled: the very next PutEvents is not delivered.
	if _, err := eb.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String("r1")}); err != nil {
		t.Fatal(err)
	}
	e4 := put1(t, eb, entry("", "app", "order", `{"n":4}`))
	settle(1, 1) // r2 only
	if _, err := eb.EnableRule(ctx, &eventbridge.EnableRuleInput{Name: aws.String("r1")}); err != nil {
		t.Fatal(err)
	}
	e5 := put1(t, eb, entry("", "app", "x", `{"n":5}`))
	settle(1, 2)
	want["/r2t1"] = append(want["/r2t1"], e4)
	want["/r1t1"] = append(want["/r1t1"], e5)
	want["/r1t2"] = append(want["/r1t2"], e5)
	if got := count(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after disable and enable: %v\nwant %v", got, want)
	}

	// RemoveTargets stops delivery to that target only.
	if out, err := eb.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("r1"), Ids: []string{"t2"}}); err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("RemoveTargets: %v", err)
	}
	e6 := put1(t, eb, entry("", "app", "x", `{"n":6}`))
	settle(1, 1)
	want["/r1t1"] = append(want["/r1t1"], e6)
	// A changed pattern applies at once too.
	rule(t, eb, "", "r2", `{"detail-type":["changed"]}`)
	e7 := put1(t, eb, entry("", "x", "changed", `{"n":7}`))
	put1(t, eb, entry("", "x", "order", `{"n":8}`))
	settle(2, 1)
	want["/r2t1"] = append(want["/r2t1"], e7)
	// DeleteRule (its targets removed first, as AWS requires) stops it.
	for _, r := range []string{"r1", "r2"} {
		if _, err := eb.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String(r), Ids: []string{"t1"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := eb.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String(r)}); err != nil {
			t.Fatalf("DeleteRule %s: %v", r, err)
		}
	}
	put1(t, eb, entry("", "app", "changed", `{"n":9}`))
	settle(1, 0)
	if got := count(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after removals: %v\nwant %v", got, want)
	}
}

// TestBusTargets: a rule forwarding to another bus, in the same account and
// in another one (allowed only by that bus's policy).
func TestBusTargets(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	ctx := context.Background()
	a := client(s, "100000000030", "x", "")
	b := client(s, "100000000031", "x", "")
	rc := newReceiver(t, nil)
	for _, bus := range []string{"a", "b"} {
		if _, err := a.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(bus)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("inbox")}); err != nil {
		t.Fatal(err)
	}
	destA := apiDest(t, a, "d", rc.URL()+"/a/*", 0, nil)
	destB := apiDest(t, b, "d", rc.URL()+"/b/*", 0, nil)
	inbox := "arn:aws:events:us-east-1:100000000031:event-bus/inbox"
	rule(t, a, "a", "fwd", `{"source":["fwd"]}`, target("bus", "arn:aws:events:us-east-1:100000000030:event-bus/b"))
	rule(t, a, "b", "recv", `{"source":["fwd"]}`, pathTarget("t", destA, "on-b"))
	rule(t, a, "a", "cross", `{"source":["cross"]}`, types.Target{Id: aws.String("x"), Arn: aws.String(inbox),
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String("arn:aws:sqs:us-east-1:100000000030:dlq")}})
	rule(t, b, "inbox", "recv", `{"account":["100000000030"]}`, pathTarget("t", destB, "inbox"))

	// Same account: the rule on b sees the event, same id and content.
	id := put1(t, a, entry("a", "fwd", "d", `{"k":"v"}`))
	hits := rc.waitHits(t, 1)
	if hits[0].Path != "/a/on-b" || eventID(t, hits[0].Body) != id || !strings.Contains(string(hits[0].Body), `"account":"100000000030"`) {
		t.Errorf("forwarded to bus b: %s %s", hits[0].Path, hits[0].Body)
	}

	// Cross-account without a policy: not delivered, recorded as a failure.
	id = put1(t, a, entry("a", "cross", "d", `{}`))
	dl := deadLetterOf(t, s, id)
	if dl.Attributes["ERROR_CODE"] != "NO_PERMISSIONS" || dl.Attributes["TARGET_ARN"] != inbox ||
		dl.Attributes["RULE_ARN"] != "arn:aws:events:us-east-1:100000000030:rule/a/cross" {
		t.Errorf("dead letter %v", dl.Attributes)
	}
	// The record is visible before the server counts it: wait for the count.
	waitFor(t, "the dead letter counted", func() bool { return stats(t, s)["dead_lettered"] == 1 })
	if st := stats(t, s); st["failed"] != 1 || st["dead_lettered"] != 1 {
		t.Errorf("stats %v", st)
	}
	if len(rc.byPath("/b/inbox")) != 0 {
		t.Fatalf("delivered without permission")
	}
	// With B's permission: delivered by B's rule, with A's account.
	if _, err := b.PutPermission(ctx, &eventbridge.PutPermissionInput{EventBusName: aws.String("inbox"), Action: aws.String("events:PutEvents"),
		Principal: aws.String("100000000030"), StatementId: aws.String("from-a")}); err != nil {
		t.Fatal(err)
	}
	id = put1(t, a, entry("a", "cross", "d", `{"n":2}`))
	waitFor(t, "cross-account delivery", func() bool { return len(rc.byPath("/b/inbox")) == 1 })
	if h := rc.byPath("/b/inbox")[0]; eventID(t, h.Body) != id || !strings.Contains(string(h.Body), `"account":"100000000030"`) {
		t.Errorf("cross-account delivery: %s", h.Body)
	}
	// PutEvents straight to B's bus ARN is accepted now, and routed there.
	id = put1(t, a, entry(inbox, "direct", "d", `{}`))
	waitFor(t, "direct delivery", func() bool { return len(rc.byPath("/b/inbox")) == 2 })
	if h := rc.byPath("/b/inbox")[1]; eventID(t, h.Body) != id {
		t.Errorf("direct delivery: %s", h.Body)
	}
}

// TestBusTargetLoop: rules forwarding between two buses in a cycle do not
// forward forever.
func TestBusTargetLoop(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	ctx := context.Background()
	const acct = "100000000032"
	eb := client(s, acct, "x", "")
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "d", rc.URL()+"/*", 0, nil)
	for _, bus := range []string{"ping", "pong"} {
		if _, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(bus)}); err != nil {
			t.Fatal(err)
		}
	}
	busArn := func(b string) string { return "arn:aws:events:us-east-1:" + acct + ":event-bus/" + b }
	rule(t, eb, "ping", "to-pong", `{"source":["loop"]}`, target("b", busArn("pong")), pathTarget("seen", dest, "ping"))
	rule(t, eb, "pong", "to-ping", `{"source":["loop"]}`, target("b", busArn("ping")), pathTarget("seen", dest, "pong"))
	id := put1(t, eb, entry("ping", "loop", "d", `{}`))
	waitFor(t, "the loop to stop", func() bool {
		st := stats(t, s)
		return st["failed"] >= 1 && st["deliveries"] == st["delivered"]+st["failed"]
	})
	st := stats(t, s)
	hits := rc.Hits()
	if st["failed"] != 1 || len(hits) < 2 || len(hits) > 10 {
		t.Errorf("stats %v, %d deliveries to the endpoint", st, len(hits))
	}
	for _, h := range hits {
		if eventID(t, h.Body) != id {
			t.Errorf("forwarded event changed: %s", h.Body)
		}
	}
	// Still routing.
	id = put1(t, eb, entry("pong", "loop", "d", `{"again":1}`))
	waitFor(t, "a second event", func() bool {
		for _, h := range rc.Hits() {
			if eventID(t, h.Body) == id {
				return true
			}
		}
		return false
	})
}

// TestBusTargetOtherRegion: forwarded to a bus of another region (same
// account), the event keeps its source region and account and gets a new
// id, as AWS recorded (test_event_bus_to_event_bus_cross_account_region,
// *-region cases: the secondary queue's id differs from the primary's);
// the same region keeps the id (the *-account cases and bus_to_bus).
func TestBusTargetOtherRegion(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	const acct = "100000000033"
	east := client(s, acct, "x", "")
	west := eventbridge.NewFromConfig(aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider(acct, "x", "")},
		func(o *eventbridge.Options) {
			o.BaseEndpoint = aws.String("http://" + s.Addr().String())
			o.RetryMaxAttempts = 1
		})
	rc := newReceiver(t, nil)
	eastDest := apiDest(t, east, "d", rc.URL()+"/*", 0, nil)
	westDest := apiDest(t, west, "d", rc.URL()+"/*", 0, nil)
	rule(t, east, "", "fwd", `{"source":["x"]}`, target("bus", "arn:aws:events:eu-west-1:"+acct+":event-bus/default"), pathTarget("here", eastDest, "east"))
	rule(t, west, "", "recv", `{"source":["x"]}`, pathTarget("t", westDest, "west"))
	id := put1(t, east, entry("", "x", "d", `{"k":1}`))
	rc.waitHits(t, 2)
	e, w := rc.byPath("/east"), rc.byPath("/west")
	if len(e) != 1 || len(w) != 1 {
		t.Fatalf("hits %d east, %d west", len(e), len(w))
	}
	if string(e[0].Body) == string(w[0].Body) || eventID(t, e[0].Body) != id {
		t.Errorf("east %s\nwest %s", e[0].Body, w[0].Body)
	}
	newID := eventID(t, w[0].Body)
	if len(newID) != 36 || newID == id || strings.ReplaceAll(string(w[0].Body), newID, id) != string(e[0].Body) {
		t.Errorf("forwarded to eu-west-1: %s\nwant the original with a new id: %s", w[0].Body, e[0].Body)
	}
}
