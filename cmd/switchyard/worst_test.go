package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// floodPattern is a pattern of about 4,096 characters (EventBridge's
// limit) made of wildcard operands on one field, as a hostile or careless
// tenant writes it: `*<r>x<i>*y`, one per operand.
func floodPattern(r int) string {
	var ops []string
	n := 0
	for i := 0; ; i++ {
		op := fmt.Sprintf(`{"wildcard":"*%dx%d*y"}`, r, i)
		if n+len(op)+40 > 4096 {
			break
		}
		ops = append(ops, op)
		n += len(op) + 1
	}
	return `{"detail":{"s":[` + strings.Join(ops, ",") + `]}}`
}

func accountClient(p *proc, account string) *eventbridge.Client {
	return eventbridge.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(account, "secret", "")},
		func(o *eventbridge.Options) { o.BaseEndpoint = aws.String("http://" + p.addr) })
}

// TestExpensiveTenantDoesNotStallOthers is the worst hour of a shared
// server: one account fills its bus with 300 rules of wildcard operands
// (AWS's per-bus quota, each pattern at the 4,096-character limit) and puts
// 12 events with a 200 KB string; another account's event must still be
// delivered promptly, every event is routed once (a slow batch is kept in
// hand, not redelivered and routed again), and SIGTERM then stops the
// server in bounded time. Before the wildcard operands shared one automaton
// and batches were kept alive from the start, the other account's event was
// still undelivered after 7 minutes and SIGTERM took over 149 s.
func TestExpensiveTenantDoesNotStallOthers(t *testing.T) {
	if testing.Short() {
		t.Skip("worst-hour test skipped in -short mode")
	}
	p := start(t, "--memory")
	ctx := context.Background()
	heavy, light := accountClient(p, "111111111111"), accountClient(p, "222222222222")
	// The rules need no targets: matching them is the cost.
	for r := range 300 {
		if _, err := heavy.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(fmt.Sprintf("flood-%03d", r)), EventPattern: aws.String(floodPattern(r))}); err != nil {
			t.Fatalf("rule %d: %v", r, err)
		}
	}
	// The heavy tenant's events: 200 KB strings of letters that end in
	// "y", as every operand does, and hold none of the operands' middle
	// pieces (digits): each operand's search runs the whole string, the
	// worst case of matching operands one by one.
	rnd := rand.New(rand.NewPCG(7, 11))
	for i := range 12 {
		b := make([]byte, 200<<10)
		for j := range b {
			b[j] = 'a' + byte(rnd.IntN(26))
		}
		b[len(b)-1] = 'y'
		detail, _ := json.Marshal(map[string]string{"s": string(b)})
		out, err := heavy.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{{
			Source: aws.String("heavy"), DetailType: aws.String("flood"), Detail: aws.String(string(detail))}}})
		if err != nil || out.FailedEntryCount != 0 {
			t.Fatalf("heavy event %d: %v %v", i, err, out)
		}
	}
	// The other account sets up its rule while the heavy events are being
	// matched (tenants change rules all the time): the change must reach
	// the router, and its event be routed, without waiting for them.
	var got atomic.Int32
	arrived := make(chan time.Time, 1)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got.Add(1) == 1 {
			arrived <- time.Now()
		}
	}))
	defer rcv.Close()
	conn, err := light.CreateConnection(ctx, &eventbridge.CreateConnectionInput{Name: aws.String("c"), AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{ApiKeyAuthParameters: &types.CreateConnectionApiKeyAuthRequestParameters{
			ApiKeyName: aws.String("k"), ApiKeyValue: aws.String("v")}}})
	if err != nil {
		t.Fatal(err)
	}
	dest, err := light.CreateApiDestination(ctx, &eventbridge.CreateApiDestinationInput{Name: aws.String("d"), ConnectionArn: conn.ConnectionArn,
		InvocationEndpoint: aws.String(rcv.URL + "/in"), HttpMethod: types.ApiDestinationHttpMethodPost})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := light.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("light"), EventPattern: aws.String(`{"source":["light"]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := light.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("light"),
		Targets: []types.Target{{Id: aws.String("t"), Arn: dest.ApiDestinationArn}}}); err != nil {
		t.Fatal(err)
	}

	sent := time.Now()
	out, err := light.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{{
		Source: aws.String("light"), DetailType: aws.String("d"), Detail: aws.String(`{}`)}}})
	if err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("light event: %v %v", err, out)
	}
	// A liveness bound, far above the normal time (milliseconds): the
	// other account's event waits behind the heavy events at most a
	// bounded amount.
	select {
	case at := <-arrived:
		t.Logf("the other account's event was delivered %v after it was accepted", at.Sub(sent).Round(time.Millisecond))
	case <-time.After(30 * time.Second):
		t.Fatalf("the other account's event was not delivered 30 s after it was accepted")
	}
	// Every event is routed exactly once: none outlived its batch's
	// AckWait and was routed again.
	var routed int64
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		routed = p.stats(t)["events_routed"]
		if routed >= 13 || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(time.Second) // a second routing would show now
	if routed, matched := p.stats(t)["events_routed"], p.stats(t)["matched_events"]; routed != 13 {
		t.Errorf("events routed %d times for 13 events (matched %d)", routed, matched)
	}
	stopped := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}
	// Shutdown is bounded (the router stops between events, the
	// dispatcher's grace is seconds): a minute is far above it.
	took := time.Since(stopped)
	t.Logf("SIGTERM to exit: %v", took.Round(time.Millisecond))
	if took > time.Minute {
		t.Errorf("SIGTERM took %v to stop the server", took)
	}
}

// stats reads the server's counters.
func (p *proc) stats(t *testing.T) map[string]int64 {
	t.Helper()
	resp, err := http.Get("http://" + p.addr + "/_switchyard/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]int64
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}
