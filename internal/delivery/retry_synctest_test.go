package delivery_test

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/nats-io/nats-server/v2/server/ats"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/router"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

// The delivery stage of the event path (embedded JetStream in memory, the
// catalog, the routing index, the dispatcher with its retry and dead-letter
// streams) runs inside a synctest bubble, so the waits between attempts are
// measured on the bubble's clock and a day of retries takes milliseconds.

const account, region = "123456789012", "us-east-1"

var testBackoff = delivery.Backoff{Base: time.Second, Max: time.Minute}

// attempts delivers one event to t (retries and all, until it is dead-
// lettered) and returns when each attempt was made, measured from the
// event's acceptance, and the dead-letter record's headers.
func attempts(t *testing.T, endpoint string, tg catalog.Target) ([]time.Duration, map[string]string) {
	ctx := context.Background()
	node, err := natsd.Open(ctx, natsd.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close(ctx)
	st, err := natskv.Open(ctx, node.JetStream(), "catalog", node.StorageType())
	if err != nil {
		t.Fatal(err)
	}
	scope := catalog.Scope{Account: account, Region: region}
	cat, err := catalog.Open(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	idx := router.NewIndex(cat.View(), nil)
	if _, err := cat.PutRule(ctx, scope, "default", "r", func(*catalog.Rule) (*catalog.Rule, error) {
		return &catalog.Rule{Bus: "default", Name: "r", EventPattern: aws.String(`{"source":["s"]}`), State: "ENABLED", Targets: []catalog.Target{tg}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := cat.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	tgt, ok := idx.Target(scope.Bus("default"), "r", tg.ID)
	if !ok {
		t.Fatal("target not in the index")
	}
	d, err := delivery.Open(ctx, delivery.Config{JS: node.JetStream(), Storage: node.StorageType(), Index: idx, View: cat.View(),
		AWS: targettest.Clients(endpoint), Backoff: testBackoff})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	start := time.Now()
	ev := []byte(`{"version":"0","id":"e-1","detail-type":"d","source":"s","account":"` + account + `","time":"2026-11-22T00:00:00Z","region":"us-east-1","resources":[],"detail":{}}`)
	settled := make(chan error, 1)
	if err := d.Deliver(ctx, tgt, ingest.Record{Bus: scope.Bus("default"), Ingested: start, Event: ev},
		func(err error) { settled <- err }); err != nil {
		t.Fatal(err)
	}
	if err := <-settled; err != nil {
		t.Fatal(err)
	}
	// Read the attempt counter every 10 ms of the bubble's clock.
	var at []time.Duration
	s := d.Stats()
	for time.Since(start) < 25*time.Hour {
		for int(s.Invocations.Load()) > len(at) {
			at = append(at, time.Since(start))
		}
		if s.DeadLettered.Load() > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stream, err := node.JetStream().Stream(ctx, delivery.DeadLetterStream)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := stream.GetMsg(ctx, 1)
	if err != nil {
		t.Fatalf("no dead-letter record after %v: %v", time.Since(start), err)
	}
	h := map[string]string{}
	for k := range msg.Header {
		h[k] = msg.Header.Get(k)
	}
	if string(msg.Data) != string(ev) {
		t.Errorf("dead letter holds %s", msg.Data)
	}
	return at, h
}

// checkGaps: the n-th retry waits between half and all of Base·2^(n-1),
// capped at Max (the clock is read every 10 ms).
func checkGaps(t *testing.T, at []time.Duration) {
	t.Helper()
	for n := 1; n < len(at); n++ {
		full := testBackoff.Base
		for i := 1; i < n && full < testBackoff.Max; i++ {
			full *= 2
		}
		full = min(full, testBackoff.Max)
		if gap := at[n] - at[n-1]; gap < full/2-10*time.Millisecond || gap > full+20*time.Millisecond {
			t.Errorf("retry %d came %v after the attempt before; want between %v and %v", n, gap, full/2, full)
		}
	}
}

func checkDeadLetter(t *testing.T, h map[string]string, tg catalog.Target, code, exhausted string, retries int) {
	t.Helper()
	want := map[string]string{"RULE_ARN": "arn:aws:events:us-east-1:" + account + ":rule/r", "TARGET_ARN": tg.ARN,
		"ERROR_CODE": code, "RETRY_ATTEMPTS": strconv.Itoa(retries), "EXHAUSTED_RETRY_CONDITION": exhausted,
		delivery.HdrDeadLetterArn: tg.DeadLetterARN()}
	for k, v := range want {
		if h[k] != v {
			t.Errorf("dead letter %s = %q, want %q", k, h[k], v)
		}
	}
	if h["ERROR_MESSAGE"] == "" {
		t.Error("dead letter without ERROR_MESSAGE")
	}
}

func queueTarget(name string, p *catalog.RetryPolicy) catalog.Target {
	return catalog.Target{ID: "q", ARN: "arn:aws:sqs:us-east-1:" + account + ":" + name, RetryPolicy: p,
		DeadLetter: &catalog.DeadLetter{ARN: aws.String("arn:aws:sqs:us-east-1:" + account + ":dlq")}}
}

// bubble runs f in a synctest bubble of its own. nats.go pools timers
// process-wide (a sync.Pool): a timer made in one bubble and reused in
// another is fatal, so the pool is emptied first (two collections drop
// every pooled item).
func bubble(t *testing.T, f func(t *testing.T)) {
	runtime.GC()
	runtime.GC()
	synctest.Test(t, f)
	runtime.GC()
	runtime.GC()
}

func refusing(t *testing.T) string { return fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)) }

// TestRetriesFollowPolicy: a target whose endpoint refuses connections is
// attempted 1 + MaximumRetryAttempts times with exponential backoff, then
// dead-lettered as exhausted by attempts.
func TestRetriesFollowPolicy(t *testing.T) {
	endpoint := refusing(t)
	// nats-server's file store keeps a process-wide clock goroutine that
	// selects on a channel made at init, outside any bubble: a bubble that
	// started it could never be idle. Start it here, outside.
	ats.Register()
	defer ats.Unregister()

	t.Run("MaximumRetryAttempts", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			tg := queueTarget("refused", &catalog.RetryPolicy{MaximumRetryAttempts: aws.Int32(6), MaximumEventAgeInSeconds: aws.Int32(3600)})
			at, h := attempts(t, endpoint, tg)
			if len(at) != 7 {
				t.Fatalf("%d attempts at %v; want 7", len(at), at)
			}
			checkGaps(t, at)
			checkDeadLetter(t, h, tg, "CONNECTION_FAILURE", "MaximumRetryAttempts", 6)
			t.Logf("attempts at %v", at)
		})
	})
	t.Run("MaximumEventAgeInSeconds", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			tg := queueTarget("refused", &catalog.RetryPolicy{MaximumRetryAttempts: aws.Int32(185), MaximumEventAgeInSeconds: aws.Int32(60)})
			at, h := attempts(t, endpoint, tg)
			// 1 + 2 + 4 + ... : the retry that would come after 60 s is not made.
			if len(at) < 5 || len(at) > 7 || at[len(at)-1] > 60*time.Second {
				t.Fatalf("%d attempts at %v; want the ones within 60 s", len(at), at)
			}
			checkGaps(t, at)
			checkDeadLetter(t, h, tg, "CONNECTION_FAILURE", "MaximumEventAgeInSeconds", len(at)-1)
		})
	})
	t.Run("defaults: 185 retries within 24 hours", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			tg := queueTarget("refused", nil)
			at, h := attempts(t, endpoint, tg)
			last := at[len(at)-1]
			// With waits capped at a minute, 185 retries take about 2 to 3
			// hours: the attempt limit ends them, well within the day.
			if len(at) != 186 || last > 24*time.Hour {
				t.Fatalf("%d attempts, the last after %v; want 186", len(at), last)
			}
			checkGaps(t, at)
			checkDeadLetter(t, h, tg, "CONNECTION_FAILURE", "MaximumRetryAttempts", 185)
		})
	})
	t.Run("not retryable: straight to the dead-letter queue", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			// A FIFO queue without a message group is refused before any
			// call: INVALID_PARAMETER, never retried.
			tg := queueTarget("orders.fifo", nil)
			at, h := attempts(t, endpoint, tg)
			if len(at) != 1 || at[0] != 0 {
				t.Fatalf("attempts at %v; want one, at once", at)
			}
			checkDeadLetter(t, h, tg, "INVALID_PARAMETER", "", 0)
		})
	})
	t.Run("a service without a deliverer: straight to the dead-letter queue", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			tg := queueTarget("q", nil)
			tg.ARN = "arn:aws:ec2:us-east-1:" + account + ":instance/i-0123456789abcdef0"
			at, h := attempts(t, endpoint, tg)
			if len(at) != 1 {
				t.Fatalf("attempts at %v; want one", at)
			}
			checkDeadLetter(t, h, tg, "NO_RESOURCE", "", 0)
		})
	})
}
