package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// loadClients is the number of concurrent clients of loadAndKill.
const loadClients = 4

// crashWait bounds the crash tests' waits for redelivery: a stall longer
// than the router's 15 s ack wait plus a few retry backoffs, and a limit
// that leaves both crash tests, and the rest of the package, inside go
// test's 25-minute timeout even if both hit it.
var crashWait = testwait.Wait{Stall: 120 * time.Second, Limit: 8 * time.Minute}

// missingStatus is the progress of a wait for every accepted event: the
// number that arrived, and some of the ids still missing.
func missingStatus(accepted, missing []string) testwait.Status {
	return testwait.Status{
		Done:     len(missing) == 0,
		Progress: int64(len(accepted) - len(missing)),
		Missing:  fmt.Sprintf("%d of %d accepted events, e.g. %v", len(missing), len(accepted), missing[:min(5, len(missing))]),
	}
}

// receiver counts the events an API destination delivers, by event id.
type receiver struct {
	mu   sync.Mutex
	seen map[string]int
	all  atomic.Int64
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	var ev struct{ ID string }
	if json.Unmarshal(b, &ev) != nil || ev.ID == "" {
		http.Error(w, "not an event", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.seen[ev.ID]++
	r.mu.Unlock()
	r.all.Add(1)
}

// TestCrashLosesNoAcceptedEvent: under load, the server is killed with
// SIGKILL and restarted on its data dir; every event whose PutEvents
// succeeded is delivered at least once afterwards. Duplicates are allowed
// (at least once) and reported.
func TestCrashLosesNoAcceptedEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dataDir := t.TempDir()
	rcv := &receiver{seen: map[string]int{}}
	hs := httptest.NewServer(rcv)
	defer hs.Close()

	p := start(t, "--data-dir", dataDir, "--sync", "always")
	ctx := context.Background()
	eb := p.client(t)
	conn, err := eb.CreateConnection(ctx, &eventbridge.CreateConnectionInput{
		Name: aws.String("crash"), AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{ApiKeyAuthParameters: &types.CreateConnectionApiKeyAuthRequestParameters{
			ApiKeyName: aws.String("x-key"), ApiKeyValue: aws.String("v")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	dest, err := eb.CreateApiDestination(ctx, &eventbridge.CreateApiDestinationInput{
		Name: aws.String("receiver"), ConnectionArn: conn.ConnectionArn, InvocationEndpoint: aws.String(hs.URL + "/events"),
		HttpMethod: types.ApiDestinationHttpMethodPost, InvocationRateLimitPerSecond: aws.Int32(100000),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("all"), EventPattern: aws.String(`{"source":["crash.test"]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("all"),
		Targets: []types.Target{{Id: aws.String("rcv"), Arn: dest.ApiDestinationArn}}}); err != nil {
		t.Fatal(err)
	}

	accepted := loadAndKill(t, p, eb, 3000)
	deliveredBeforeRestart := rcv.all.Load()

	start(t, "--data-dir", dataDir, "--sync", "always")
	// Batches handed out but not acknowledged before the kill come back
	// after the router's 15 s ack wait; retries after their backoff. The
	// wait goes on while deliveries still arrive (a busy machine is slow,
	// not lossy) and fails when they stop with events still missing.
	var missing []string
	crashWait.For(t, "every accepted event at the receiver", func() testwait.Status {
		missing = missing[:0]
		rcv.mu.Lock()
		for _, id := range accepted {
			if rcv.seen[id] == 0 {
				missing = append(missing, id)
			}
		}
		rcv.mu.Unlock()
		return missingStatus(accepted, missing)
	})
	rcv.mu.Lock()
	dups := 0
	for _, id := range accepted {
		dups += rcv.seen[id] - 1
	}
	rcv.mu.Unlock()
	t.Logf("accepted %d events before SIGKILL; %d deliveries before the kill, %d in all; %d duplicates; %d missing",
		len(accepted), deliveredBeforeRestart, rcv.all.Load(), max(dups, 0), len(missing))
	if len(missing) > 0 {
		t.Fatalf("%d accepted events never delivered, e.g. %v", len(missing), missing[:min(5, len(missing))])
	}
}

// loadAndKill has four clients put batches of ten events with source
// crash.test until n are accepted, then kills the server with SIGKILL and
// returns the ids of every accepted event. Client i's events have the
// detail-type load-i, so that a test can spread them over several targets.
func loadAndKill(t *testing.T, p *proc, eb *eventbridge.Client, n int) []string {
	t.Helper()
	ctx := context.Background()
	// Load: four clients put batches of ten until the server dies.
	var (
		mu       sync.Mutex
		accepted []string
		wg       sync.WaitGroup
		stop     atomic.Bool
	)
	defer stop.Store(true) // if the test fails before the kill, the clients stop too
	detail := aws.String(`{"payload":"` + fmt.Sprintf("%0200d", 0) + `"}`)
	for c := range loadClients {
		wg.Go(func() {
			detailType := aws.String(fmt.Sprintf("load-%d", c))
			for !stop.Load() {
				entries := make([]types.PutEventsRequestEntry, 10)
				for i := range entries {
					entries[i] = types.PutEventsRequestEntry{Source: aws.String("crash.test"), DetailType: detailType, Detail: detail}
				}
				out, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entries})
				if err != nil {
					continue // refused or cut off by the kill: not accepted
				}
				mu.Lock()
				for _, e := range out.Entries {
					if e.EventId != nil && e.ErrorCode == nil {
						accepted = append(accepted, *e.EventId)
					}
				}
				mu.Unlock()
			}
		})
	}
	// Progress-based, like the waits after the restart: a server that
	// stops accepting fails the test instead of hanging it.
	testwait.For(t, fmt.Sprintf("%d events accepted before the kill", n), func() testwait.Status {
		mu.Lock()
		got := len(accepted)
		mu.Unlock()
		return testwait.Status{Done: got >= n, Progress: int64(got), Missing: fmt.Sprintf("%d more", n-got)}
	})
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.wait(t)
	stop.Store(true)
	wg.Wait()
	return accepted

}

// TestCrashLosesNoAcceptedEventSQS is the crash test with an SQS target
// (moto, through --aws-endpoint-url): every event accepted before the
// SIGKILL reaches the queue after the restart.
func TestCrashLosesNoAcceptedEventSQS(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	moto := sqstest.StartMoto(t)
	mc := sqstest.Client(moto)
	dataDir := t.TempDir()
	args := []string{"--data-dir", dataDir, "--sync", "always", "--aws-endpoint-url", moto}
	p := start(t, args...)
	ctx := context.Background()
	eb := p.client(t)
	// One queue per load client, each read from the start while the
	// server fills it: moto's ReceiveMessage works out the queue's
	// attributes for every message it returns, so a call takes time in
	// proportion to the queue's length (3 s at 500 messages on a busy
	// machine, 0.1 s at 10). Reading one queue of 1,000 messages after
	// the restart took up to 7 minutes; short queues read in a fraction.
	var qurls []string
	for i := range loadClients {
		name := fmt.Sprintf("crash-%d", i)
		qurls = append(qurls, sqstest.CreateQueue(t, mc, name, nil))
		rule := aws.String(name)
		pattern := fmt.Sprintf(`{"source":["crash.test"],"detail-type":["load-%d"]}`, i)
		if _, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: rule, EventPattern: aws.String(pattern)}); err != nil {
			t.Fatal(err)
		}
		if _, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: rule,
			Targets: []types.Target{{Id: aws.String("q"), Arn: aws.String("arn:aws:sqs:us-east-1:123456789012:" + name)}}}); err != nil {
			t.Fatal(err)
		}
	}
	q := readQueues(t, mc, qurls)
	// moto takes a few hundred messages a second: a smaller load than the
	// API destination test's, still well past what one batch holds.
	accepted := loadAndKill(t, p, eb, 1000)
	start(t, args...)

	crashWait.For(t, "every accepted event in its queue", func() testwait.Status {
		seen, err := q.snapshot()
		if err != nil {
			t.Fatalf("reading the queue: %v", err)
		}
		var missing []string
		for _, id := range accepted {
			if seen[id] == 0 {
				missing = append(missing, id)
			}
		}
		return missingStatus(accepted, missing)
	})
	seen, _ := q.snapshot()
	dups, missing := 0, 0
	for _, id := range accepted {
		dups += max(seen[id]-1, 0)
		if seen[id] == 0 {
			missing++
		}
	}
	t.Logf("accepted %d events before SIGKILL; %d distinct in the queues; %d duplicates; %d missing",
		len(accepted), len(seen), dups, missing)
	if missing > 0 {
		t.Fatalf("%d accepted events never reached their queue", missing)
	}
}

// queueReader counts the events in SQS queues by id, reading and deleting
// their messages in the background until the test ends.
type queueReader struct {
	mu   sync.Mutex
	seen map[string]int
	err  error // the first read error; reading stops there
}

// readQueues reads each queue in a goroutine of its own.
func readQueues(t *testing.T, mc *awssqs.Client, qurls []string) *queueReader {
	q := &queueReader{seen: map[string]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	for _, qurl := range qurls {
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := q.readOnce(ctx, mc, qurl); err != nil && ctx.Err() == nil {
					q.mu.Lock()
					q.err = cmp.Or(q.err, fmt.Errorf("%s: %w", qurl, err))
					q.mu.Unlock()
					return
				}
			}
		})
	}
	return q
}

// readOnce receives up to 10 messages, counts them and deletes them in
// one call.
func (q *queueReader) readOnce(ctx context.Context, mc *awssqs.Client, qurl string) error {
	out, err := mc.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{QueueUrl: aws.String(qurl), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	if err != nil {
		return err
	}
	var del []sqstypes.DeleteMessageBatchRequestEntry
	for i, m := range out.Messages {
		var ev struct{ ID string }
		if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &ev); err != nil {
			return fmt.Errorf("queue holds %q", aws.ToString(m.Body))
		}
		q.mu.Lock()
		q.seen[ev.ID]++
		q.mu.Unlock()
		del = append(del, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
	}
	if len(del) == 0 {
		return nil
	}
	d, err := mc.DeleteMessageBatch(ctx, &awssqs.DeleteMessageBatchInput{QueueUrl: aws.String(qurl), Entries: del})
	if err == nil && len(d.Failed) > 0 {
		err = fmt.Errorf("DeleteMessageBatch failed for %+v", d.Failed)
	}
	return err
}

// snapshot is a copy of the counts so far, and the read error if reading
// stopped.
func (q *queueReader) snapshot() (map[string]int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return maps.Clone(q.seen), q.err
}
