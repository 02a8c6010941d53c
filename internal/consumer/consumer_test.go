package consumer

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// setup is a real embedded JetStream with one work-queue stream holding n
// messages, and a durable consumer of it with the given AckWait.
func setup(t *testing.T, n int, ackWait time.Duration) (jetstream.JetStream, jetstream.Consumer) {
	t.Helper()
	ctx := t.Context()
	node, err := natsd.Open(ctx, natsd.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = node.Close(context.Background()) })
	js := node.JetStream()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "s", Subjects: []string{"s.>"}, Storage: jetstream.MemoryStorage,
		Retention: jetstream.WorkQueuePolicy}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := js.Publish(ctx, "s.x", fmt.Appendf(nil, "%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, "s", jetstream.ConsumerConfig{Durable: "d", AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: ackWait, MaxDeliver: -1})
	if err != nil {
		t.Fatal(err)
	}
	return js, cons
}

// pending waits until the stream holds no message (a work queue drops a
// message once it is acknowledged; Ack does not wait for that) and returns
// what it holds then; testwait fails the test if the count stops moving
// above zero.
func pending(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	var n uint64
	testwait.For(t, "the stream to empty", func() testwait.Status {
		s, err := js.Stream(t.Context(), "s")
		if err != nil {
			t.Fatal(err)
		}
		n = s.CachedInfo().State.Msgs
		return testwait.Status{Done: n == 0, Progress: -int64(n)}
	})
	return n
}

// TestSlowHandlerIsKeptAlive: a message held far longer than the consumer's
// AckWait is reported in progress and never delivered a second time.
func TestSlowHandlerIsKeptAlive(t *testing.T) {
	js, cons := setup(t, 3, time.Second)
	var mu sync.Mutex
	deliveries := map[string]int{}
	all := make(chan struct{})
	var settled atomic.Int32
	l := Open(Config{Consumer: cons, Concurrency: 3, KeepAlive: 100 * time.Millisecond}, func(ctx context.Context, m *Msg) {
		mu.Lock()
		deliveries[string(m.Data())]++
		mu.Unlock()
		go func() {
			time.Sleep(3 * time.Second) // three AckWaits
			_ = m.Ack()
			if settled.Add(1) == 3 {
				close(all)
			}
		}()
	})
	<-all
	l.Close()
	if len(deliveries) != 3 {
		t.Fatalf("deliveries %v", deliveries)
	}
	for k, n := range deliveries {
		if n != 1 {
			t.Errorf("message %s delivered %d times", k, n)
		}
	}
	if n := pending(t, js); n != 0 {
		t.Errorf("%d messages left after acknowledging all", n)
	}
}

// TestConcurrencyBoundsMessagesInHand: no more than Concurrency messages
// are in hand, however many are waiting.
func TestConcurrencyBoundsMessagesInHand(t *testing.T) {
	js, cons := setup(t, 50, 30*time.Second)
	var inHand, most, total atomic.Int32
	done := make(chan struct{})
	l := Open(Config{Consumer: cons, Concurrency: 4}, func(ctx context.Context, m *Msg) {
		n := inHand.Add(1)
		for {
			old := most.Load()
			if n <= old || most.CompareAndSwap(old, n) {
				break
			}
		}
		go func() {
			time.Sleep(5 * time.Millisecond)
			inHand.Add(-1)
			_ = m.Ack()
			if total.Add(1) == 50 {
				close(done)
			}
		}()
	})
	<-done
	l.Close()
	if m := most.Load(); m > 4 || m < 1 {
		t.Errorf("%d messages in hand at most, want at most 4", m)
	}
	if n := pending(t, js); n != 0 {
		t.Errorf("%d left", n)
	}
}

// TestCloseHandsBackWhatIsInHand: Close waits for the drain bound, then
// hands back the messages still in hand; they are delivered again to the
// next consumer, and a late verdict on them is ignored.
func TestCloseHandsBackWhatIsInHand(t *testing.T) {
	js, cons := setup(t, 2, 30*time.Second)
	held := make(chan *Msg, 2)
	l := Open(Config{Consumer: cons, Concurrency: 2, Drain: 200 * time.Millisecond}, func(ctx context.Context, m *Msg) {
		held <- m // never settled by the handler
	})
	first, second := <-held, <-held
	l.Close()
	if err := first.Ack(); err != nil { // too late: already handed back
		t.Errorf("late ack: %v", err)
	}
	_ = second
	got := make(chan string, 2)
	l2 := Open(Config{Consumer: cons, Concurrency: 2}, func(ctx context.Context, m *Msg) {
		if m.Delivered() < 2 {
			t.Errorf("message %s: delivery %d after being handed back", m.Data(), m.Delivered())
		}
		got <- string(m.Data())
		_ = m.Ack()
	})
	a, b := <-got, <-got
	l2.Close()
	if !(a == "0" && b == "1" || a == "1" && b == "0") {
		t.Errorf("redelivered %q and %q", a, b)
	}
	if n := pending(t, js); n != 0 {
		t.Errorf("%d left", n)
	}
}

// TestHandlersSeeShutdown: the handlers' context ends when Close begins,
// so a handler that watches it settles at once and Close returns early.
func TestHandlersSeeShutdown(t *testing.T) {
	_, cons := setup(t, 1, 30*time.Second)
	started := make(chan struct{})
	l := Open(Config{Consumer: cons, Drain: time.Hour}, func(ctx context.Context, m *Msg) {
		close(started)
		<-ctx.Done()
		_ = m.NakAfter(0)
	})
	<-started
	l.Close() // returns although Drain is an hour: the handler settled
}
