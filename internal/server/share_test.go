package server_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/server"
)

// TestHungTargetLeavesWorkersForOthers: a target that hangs, with far more
// events than workers, takes at most its share of the delivery workers
// (a quarter of them); another target's event is delivered while every
// request to the hung one is still held. Before the share, the hung
// target's attempts took all 64 workers, and the other event waited for
// their 5-second timeouts.
func TestHungTargetLeavesWorkersForOthers(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000092", "x", "")
	release := make(chan struct{})
	var inFlight, most atomic.Int32
	hung := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // before the receivers close
	fine := newReceiver(t, nil)
	hungDest := apiDest(t, eb, "hung", hung.URL()+"/hung", 0, nil)
	fineDest := apiDest(t, eb, "fine", fine.URL()+"/fine", 0, nil)
	rule(t, eb, "", "hung", `{"source":["hung"]}`, types.Target{Id: target("t", hungDest).Id, Arn: target("t", hungDest).Arn,
		RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: new(int32)}})
	rule(t, eb, "", "fine", `{"source":["fine"]}`, target("t", fineDest))
	for i := 0; i < 200; i += 10 {
		var es []types.PutEventsRequestEntry
		for k := range 10 {
			es = append(es, entry("", "hung", "d", fmt.Sprintf(`{"n":%d}`, i+k)))
		}
		put(t, eb, es...)
	}
	// The hung target's share of the 64 workers is busy once 16 of its
	// requests are held.
	waitCount(t, "requests held by the hung target", 16, func() int { return int(inFlight.Load()) })
	put1(t, eb, entry("", "fine", "d", `{}`))
	fine.waitHits(t, 1)
	if n := inFlight.Load(); n < 16 {
		// The other event must have come through while the hung target
		// still held its share, not after the hung requests timed out.
		t.Errorf("only %d requests still held when the other target's event arrived", n)
	}
	if m := most.Load(); m > 16 {
		t.Errorf("%d requests to one target at once, want at most 16 (a quarter of the workers)", m)
	}
}
