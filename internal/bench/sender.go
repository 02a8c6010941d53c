package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// sendStats accumulates one phase (warmup or measured) of the senders.
type sendStats struct {
	requests atomic.Uint64
	sent     atomic.Uint64 // entries sent, answered or not
	accepted atomic.Uint64
	failed   atomic.Uint64 // entries PutEvents answered with an ErrorCode
	errored  atomic.Uint64 // entries of requests that failed as a whole
	latency  Histogram     // requests that succeeded

	mu         sync.Mutex
	entryCodes map[string]uint64 // FailedEntries by ErrorCode
	errCodes   map[string]uint64 // failed requests by error code
	messages   map[string]string // first message per code, for the report
}

func newSendStats() *sendStats {
	return &sendStats{entryCodes: map[string]uint64{}, errCodes: map[string]uint64{}, messages: map[string]string{}}
}

func (s *sendStats) count(m map[string]uint64, code, msg string, n uint64) {
	s.mu.Lock()
	m[code] += n
	if _, ok := s.messages[code]; !ok {
		s.messages[code] = msg
	}
	s.mu.Unlock()
}

// sender is one client: it calls PutEvents in a loop until stop is done.
// Requests run under ctx, not stop, so that the end of the measured phase
// lets the requests in flight finish and be counted.
func (r *runner) sender(ctx, stop context.Context) {
	db := newDetailBuilder(r.runID, r.cfg.EventSize)
	entries := make([]types.PutEventsRequestEntry, r.cfg.Batch)
	for i := range entries {
		entries[i] = types.PutEventsRequestEntry{
			EventBusName: aws.String(r.cfg.Bus),
			Source:       aws.String(eventSource),
			DetailType:   aws.String(eventDetailType),
		}
	}
	for stop.Err() == nil {
		n := r.cfg.Batch
		measured := r.measured.Load()
		if measured && r.cfg.Events > 0 {
			left := r.left.Add(-int64(n))
			if left < 0 {
				n += int(left)
			}
			if n <= 0 {
				return
			}
		}
		if r.pacer.Wait(stop, n) != nil {
			return
		}
		phase := 0
		if measured {
			phase = 1
		}
		st := r.stats[phase]
		seq0 := r.seq[phase].Add(uint64(n)) - uint64(n)
		sentAt := time.Now().UnixNano()
		for i := range n {
			entries[i].Detail = aws.String(db.Detail(!measured, seq0+uint64(i), sentAt))
		}
		r.put(ctx, st, entries[:n], seq0, measured)
		if ctx.Err() != nil {
			return
		}
	}
}

// put sends one batch and accounts for its answer.
func (r *runner) put(ctx context.Context, st *sendStats, entries []types.PutEventsRequestEntry, seq0 uint64, measured bool) {
	// Counted when sent, so that progress lines show a slow endpoint's
	// requests in flight.
	st.sent.Add(uint64(len(entries)))
	rctx, cancel := context.WithTimeout(ctx, r.cfg.RequestTimeout)
	start := time.Now()
	out, err := r.client.PutEvents(rctx, &eventbridge.PutEventsInput{Entries: entries})
	lat := time.Since(start)
	cancel()
	if ctx.Err() != nil {
		return // interrupted: neither a success nor the endpoint's failure
	}
	n := uint64(len(entries))
	st.requests.Add(1)
	track := measured && r.tracker != nil
	if err != nil {
		st.errored.Add(n)
		code := errorCode(err)
		st.count(st.errCodes, code, errorMessage(err), 1)
		if track {
			for i := range entries {
				r.tracker.Resolved(seq0+uint64(i), false)
			}
		}
		if why, ok := fatalCodes[code]; ok {
			r.abort(code, why, errorMessage(err))
		}
		return
	}
	st.latency.Record(lat)
	var accepted uint64
	for i := range entries {
		ok := i < len(out.Entries) && out.Entries[i].ErrorCode == nil
		if ok {
			accepted++
		} else {
			code, msg := "MissingEntry", "PutEvents answered fewer entries than it was sent"
			if i < len(out.Entries) {
				code, msg = aws.ToString(out.Entries[i].ErrorCode), aws.ToString(out.Entries[i].ErrorMessage)
			}
			st.count(st.entryCodes, code, msg, 1)
		}
		if track {
			r.tracker.Resolved(seq0+uint64(i), ok)
		}
	}
	st.accepted.Add(accepted)
	st.failed.Add(n - accepted)
}
