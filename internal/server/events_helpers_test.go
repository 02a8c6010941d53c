package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/server"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// Helpers of the event-path tests (events_*_test.go): real HTTP receivers
// standing in for API destination endpoints, and waits that last as long
// as what they await still moves (testwait), so that a busy machine makes
// them slow, not red.

// waitFor polls cond until it holds. A condition has no measure of
// progress, so it fails after testwait's stall interval (90 s); waits for
// a count use waitCount, which waits while the count moves.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testwait.Cond(t, what, cond)
}

// waitCount polls count until it reaches want, as long as it still moves.
func waitCount(t *testing.T, what string, want int, count func() int) {
	t.Helper()
	testwait.For(t, what, func() testwait.Status {
		n := count()
		return testwait.Status{Done: n >= want, Progress: int64(n), Missing: fmt.Sprintf("%d of %d", max(want-n, 0), want)}
	})
}

// hit is one request a receiver got.
type hit struct {
	At     time.Time
	Method string
	Path   string // escaped path
	Query  string
	Header http.Header
	Body   []byte
}

// receiver is a loopback HTTP endpoint recording what it gets. respond
// decides the answer of the n-th request (from 1); nil answers 200.
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	hits    []hit
	respond func(n int, w http.ResponseWriter, r *http.Request)
}

func newReceiver(t *testing.T, respond func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{respond: respond}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.hits = append(rc.hits, hit{At: time.Now(), Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: body})
		n := len(rc.hits)
		rc.mu.Unlock()
		if rc.respond != nil {
			rc.respond(n, w, r)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) URL() string { return rc.srv.URL }

func (rc *receiver) Hits() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hit(nil), rc.hits...)
}

// waitHits waits until the receiver got at least n requests and returns them.
func (rc *receiver) waitHits(t *testing.T, n int) []hit {
	t.Helper()
	waitCount(t, "requests at "+rc.URL(), n, func() int { return len(rc.Hits()) })
	return rc.Hits()
}

// byPath returns the requests whose path is p.
func (rc *receiver) byPath(p string) []hit {
	var out []hit
	for _, h := range rc.Hits() {
		if h.Path == p {
			out = append(out, h)
		}
	}
	return out
}

// apiDest creates a connection (BASIC unless auth is given) and an API
// destination on it, and returns the destination's ARN.
func apiDest(t *testing.T, eb *eventbridge.Client, name, endpoint string, rate int32, auth *eventbridge.CreateConnectionInput) string {
	t.Helper()
	ctx := context.Background()
	if auth == nil {
		auth = &eventbridge.CreateConnectionInput{
			AuthorizationType: types.ConnectionAuthorizationTypeBasic,
			AuthParameters: &types.CreateConnectionAuthRequestParameters{
				BasicAuthParameters: &types.CreateConnectionBasicAuthRequestParameters{Username: aws.String("u"), Password: aws.String("p")},
			},
		}
	}
	auth.Name = aws.String(name + "-conn")
	c, err := eb.CreateConnection(ctx, auth)
	if err != nil {
		t.Fatalf("CreateConnection: %v", err)
	}
	in := &eventbridge.CreateApiDestinationInput{
		Name: aws.String(name), ConnectionArn: c.ConnectionArn, InvocationEndpoint: aws.String(endpoint),
		HttpMethod: types.ApiDestinationHttpMethodPost,
	}
	if rate > 0 {
		in.InvocationRateLimitPerSecond = aws.Int32(rate)
	}
	d, err := eb.CreateApiDestination(ctx, in)
	if err != nil {
		t.Fatalf("CreateApiDestination: %v", err)
	}
	return aws.ToString(d.ApiDestinationArn)
}

// rule creates (or replaces) a rule on bus ("" = default) and its targets.
func rule(t *testing.T, eb *eventbridge.Client, bus, name, pattern string, targets ...types.Target) string {
	t.Helper()
	ctx := context.Background()
	var busName *string
	if bus != "" {
		busName = aws.String(bus)
	}
	out, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(name), EventBusName: busName, EventPattern: aws.String(pattern)})
	if err != nil {
		t.Fatalf("PutRule %s: %v", name, err)
	}
	if len(targets) > 0 {
		pt, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(name), EventBusName: busName, Targets: targets})
		if err != nil || pt.FailedEntryCount != 0 {
			t.Fatalf("PutTargets %s: %v %+v", name, err, pt)
		}
	}
	return aws.ToString(out.RuleArn)
}

// target is an API destination target with no input configuration.
func target(id, arn string) types.Target {
	return types.Target{Id: aws.String(id), Arn: aws.String(arn)}
}

// pathTarget fills the destination's * with seg.
func pathTarget(id, arn, seg string) types.Target {
	return types.Target{Id: aws.String(id), Arn: aws.String(arn), HttpParameters: &types.HttpParameters{PathParameterValues: []string{seg}}}
}

// put sends entries and fails the test on a request error.
func put(t *testing.T, eb *eventbridge.Client, entries ...types.PutEventsRequestEntry) *eventbridge.PutEventsOutput {
	t.Helper()
	out, err := eb.PutEvents(context.Background(), &eventbridge.PutEventsInput{Entries: entries})
	if err != nil {
		t.Fatalf("PutEvents: %v", err)
	}
	return out
}

// put1 sends one entry that must be accepted and returns its EventId.
func put1(t *testing.T, eb *eventbridge.Client, e types.PutEventsRequestEntry) string {
	t.Helper()
	out := put(t, eb, e)
	if out.FailedEntryCount != 0 || len(out.Entries) != 1 || out.Entries[0].EventId == nil {
		t.Fatalf("PutEvents refused the entry: %s %s", aws.ToString(out.Entries[0].ErrorCode), aws.ToString(out.Entries[0].ErrorMessage))
	}
	return aws.ToString(out.Entries[0].EventId)
}

func entry(bus, source, detailType, detail string) types.PutEventsRequestEntry {
	e := types.PutEventsRequestEntry{Source: aws.String(source), DetailType: aws.String(detailType), Detail: aws.String(detail)}
	if bus != "" {
		e.EventBusName = aws.String(bus)
	}
	return e
}

// stats reads GET /_switchyard/stats.
func stats(t *testing.T, s *server.Server) map[string]int64 {
	t.Helper()
	resp, err := http.Get("http://" + s.Addr().String() + "/_switchyard/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]int64
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("stats: %v", err)
	}
	return m
}

type deadLetter struct {
	Attributes map[string]string `json:"attributes"`
	Event      json.RawMessage   `json:"event"`
}

// deadLetters reads GET /_switchyard/dead-letters.
func deadLetters(t *testing.T, s *server.Server) []deadLetter {
	t.Helper()
	resp, err := http.Get("http://" + s.Addr().String() + "/_switchyard/dead-letters?limit=1000")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		DeadLetters []deadLetter `json:"dead_letters"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("dead letters: %d %v", resp.StatusCode, err)
	}
	return out.DeadLetters
}

// deadLetterOf waits for the dead letter of the event id, as long as
// dead letters (of any event) or deliveries still come.
func deadLetterOf(t *testing.T, s *server.Server, id string) deadLetter {
	t.Helper()
	var found deadLetter
	testwait.For(t, "dead letter of "+id, func() testwait.Status {
		dls := deadLetters(t, s)
		for _, d := range dls {
			var ev struct{ ID string }
			if json.Unmarshal(d.Event, &ev) == nil && ev.ID == id {
				found = d
				return testwait.Status{Done: true}
			}
		}
		st := stats(t, s)
		return testwait.Status{Progress: int64(len(dls)) + activity(st),
			Missing: fmt.Sprintf("event %s among %d dead letters; stats %v", id, len(dls), st)}
	})
	return found
}

// activity sums the server's counters of work done: it grows while the
// server routes, attempts and delivers, so a wait that uses it as its
// progress goes on while the server is busy and ends when it stalls.
func activity(st map[string]int64) int64 {
	var n int64
	for _, v := range st {
		n += v
	}
	return n
}

// eventID is the id member of a delivered envelope.
func eventID(t *testing.T, body []byte) string {
	t.Helper()
	var ev struct{ ID string }
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatalf("delivered body is not an event: %s", body)
	}
	return ev.ID
}

// keysInOrder lists the top-level keys of a JSON object in order.
func keysInOrder(t *testing.T, body []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(body)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", body)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}
