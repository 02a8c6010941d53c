package bench

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
)

// runner is the state of one run shared by its goroutines.
type runner struct {
	cfg     *Config
	runID   string
	client  *eventbridge.Client
	pacer   *pacer
	tracker *tracker  // nil without a target
	rc      *receiver // nil without a target

	measured atomic.Bool
	left     atomic.Int64     // measured events still to send, with Events > 0
	seq      [2]atomic.Uint64 // next sequence number, per phase (0 warmup, 1 measured)
	stats    [2]*sendStats

	stopSending context.CancelFunc
	abortOnce   sync.Once
	aborted     *Abort
}

// Abort says why a run stopped before its end.
type Abort struct {
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func (r *runner) abort(code, why, msg string) {
	r.abortOnce.Do(func() {
		r.aborted = &Abort{Code: code, Reason: why, Message: msg}
		r.stopSending()
	})
}

// Run sets up the bus, sends events until the configured stop condition,
// waits for outstanding deliveries, tears down and returns the report. The
// report is returned, partial, with an error when PutEvents failed in a way
// that stopped the run (NotImplementedException from an endpoint without
// PutEvents, rejected credentials) or when ctx was cancelled; setup errors
// return no report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	progress := cfg.Progress
	if progress == nil {
		progress = io.Discard
	}
	client, transport := newClient(&cfg)
	defer transport.CloseIdleConnections()
	r := &runner{cfg: &cfg, runID: newRunID(), client: client, stats: [2]*sendStats{newSendStats(), newSendStats()}}
	r.left.Store(cfg.Events)

	apiKey := newRunID() + newRunID()
	if cfg.Target == "http" {
		r.tracker = newTracker(cfg.MatchingRules)
		r.rc = newReceiver(r.runID, apiKey, r.tracker, cfg.MatchingRules)
		if err := r.rc.Start(); err != nil {
			return nil, fmt.Errorf("start the HTTP target: %w", err)
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = r.rc.Close(sctx)
		}()
	}

	fmt.Fprintf(progress, "bench %s: setting up bus %s with %d rules (%d matching) on %s\n", r.runID, cfg.Bus, cfg.Rules, cfg.MatchingRules, cfg.Endpoint)
	e, err := setup(ctx, client, &cfg, r.runID, apiKey, r.rc)
	// Teardown runs even when ctx is cancelled (Ctrl-C): an interrupted
	// bench should not leave its rules behind.
	defer func() {
		tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		if err := teardown(tctx, client, &cfg, e); err != nil {
			fmt.Fprintf(progress, "bench %s: teardown: %v\n", r.runID, err)
		}
	}()
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	for _, n := range e.notes {
		fmt.Fprintf(progress, "bench %s: %s\n", r.runID, n)
	}
	if e.destination == "" {
		// No target after all: the receiver idles, and the report says so.
		r.tracker = nil
	}

	rep := r.send(ctx, progress)
	rep.Notes = append(e.notes, rep.Notes...)
	switch {
	case r.aborted != nil:
		return rep, fmt.Errorf("PutEvents failed with %s: %s (%s)", r.aborted.Code, r.aborted.Message, r.aborted.Reason)
	case ctx.Err() != nil:
		rep.Notes = append(rep.Notes, "interrupted: requests in flight were abandoned and outstanding deliveries not waited for")
		return rep, ctx.Err()
	}
	return rep, nil
}

// send runs the senders through warmup and the measured phase, then drains.
func (r *runner) send(ctx context.Context, progress io.Writer) *Report {
	cfg := r.cfg
	stop, stopSending := context.WithCancel(ctx)
	defer stopSending()
	r.stopSending = stopSending
	begin := time.Now()
	r.pacer = newPacer(cfg.Rate, begin)

	var senders sync.WaitGroup
	for range cfg.Clients {
		senders.Go(func() { r.sender(ctx, stop) })
	}
	sendersDone := make(chan struct{})
	go func() { senders.Wait(); close(sendersDone) }()

	var measureStart atomic.Int64 // unix nanos; 0 during warmup
	phase := atomic.Value{}
	phase.Store("warmup")
	pctx, stopProgress := context.WithCancel(ctx)
	var progressDone sync.WaitGroup
	if cfg.ProgressInterval > 0 {
		progressDone.Go(func() { r.progress(pctx, progress, &phase, &measureStart, begin) })
	}

	if cfg.Warmup > 0 {
		t := time.NewTimer(cfg.Warmup)
		select {
		case <-t.C:
		case <-stop.Done():
		case <-sendersDone:
		}
		t.Stop()
	}
	start := time.Now()
	measureStart.Store(start.UnixNano())
	r.measured.Store(true)
	phase.Store("run")
	var deadline <-chan time.Time
	if cfg.Duration > 0 {
		t := time.NewTimer(cfg.Duration)
		defer t.Stop()
		deadline = t.C
	}
	select {
	case <-deadline:
	case <-stop.Done():
	case <-sendersDone: // --events reached
	}
	stopSending()
	<-sendersDone
	elapsed := time.Since(start)

	phase.Store("drain")
	drained := r.drain(ctx)
	stopProgress()
	progressDone.Wait()
	return r.report(elapsed, drained)
}

// drain waits up to Drain for the deliveries of the events accepted.
func (r *runner) drain(ctx context.Context) time.Duration {
	if r.tracker == nil || r.stats[1].accepted.Load() == 0 || r.cfg.Drain == 0 {
		return 0
	}
	start := time.Now()
	t := time.NewTimer(r.cfg.Drain)
	defer t.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		unique, expected := r.tracker.Progress()
		// Deliveries without a token (moto sends API destination
		// requests without a body) can only be counted, not matched.
		bodiless := r.rc.received.Load() - r.rc.warmup.Load()
		if unique >= expected || (r.rc.noToken.Load() > 0 && bodiless >= expected) {
			return time.Since(start)
		}
		select {
		case <-tick.C:
		case <-t.C:
			return time.Since(start)
		case <-ctx.Done():
			return time.Since(start)
		}
	}
}

// progress prints a line every ProgressInterval until ctx is done.
func (r *runner) progress(ctx context.Context, w io.Writer, phase *atomic.Value, measureStart *atomic.Int64, begin time.Time) {
	t := time.NewTicker(r.cfg.ProgressInterval)
	defer t.Stop()
	var (
		lastAcc   uint64
		lastStats *sendStats
		last      = begin
	)
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			p := phase.Load().(string)
			st, since := r.stats[1], time.Duration(0)
			if m0 := measureStart.Load(); m0 != 0 {
				since = now.Sub(time.Unix(0, m0))
			}
			if p == "warmup" {
				st, since = r.stats[0], now.Sub(begin)
			}
			if p == "run" && since < r.cfg.ProgressInterval/10 {
				continue // the tick raced the end of the warmup
			}
			if st != lastStats {
				lastAcc, lastStats = 0, st
			}
			acc := st.accepted.Load()
			line := fmt.Sprintf("%-6s %7.1fs  sent %d", p, since.Seconds(), st.sent.Load())
			if p != "drain" {
				cur := float64(acc-lastAcc) / now.Sub(last).Seconds()
				line += fmt.Sprintf("  %.0f ev/s (avg %.0f)", cur, float64(acc)/max(since.Seconds(), 1e-9))
			}
			lastAcc, last = acc, now
			line += fmt.Sprintf("  req p99 %s  failed %d", fmtMs(ms(st.latency.Quantile(0.99))), st.failed.Load()+st.errored.Load())
			if r.tracker != nil {
				unique, _ := r.tracker.Progress()
				line += fmt.Sprintf("  delivered %d  e2e p99 %s", unique+r.rc.noToken.Load(), fmtMs(ms(r.rc.e2e.Quantile(0.99))))
			}
			fmt.Fprintln(w, line)
		}
	}
}
