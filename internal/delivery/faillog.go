package delivery

import (
	"log/slog"
	"sync"
	"time"

	"github.com/switchyard-dev/switchyard/internal/router"
)

// failureLog says at the default log level that deliveries to a target keep
// failing, without a line per attempt: the first failure of a target is
// logged at once, then one summary a minute while it keeps failing (how
// many failures, the last error, the next attempt), and one line when it
// delivers again. A newcomer whose target is down (nothing listening on the
// README's example port) sees why nothing arrives; a long outage of a busy
// target costs a line a minute.
type failureLog struct {
	log *slog.Logger

	mu sync.Mutex
	m  map[failKey]*failState
}

type failKey struct{ rule, target string }

type failState struct {
	reported time.Time // when the last line was logged
	count    int       // failures since then
}

// summaryEvery is how often a target that keeps failing is reported.
const summaryEvery = time.Minute

// maxFailing bounds the targets tracked; beyond it failures are logged at
// debug level only, so a flood of failing targets cannot grow memory.
const maxFailing = 10000

// failed records a failure that will be retried at next.
func (f *failureLog) failed(t *router.Target, o outcome, retries int, next time.Time) {
	now := time.Now()
	k := failKey{t.RuleArn, t.ID}
	f.mu.Lock()
	if f.m == nil {
		f.m = map[failKey]*failState{}
	}
	st := f.m[k]
	switch {
	case st == nil && len(f.m) >= maxFailing:
		f.mu.Unlock()
		f.log.Debug("delivery failed; will retry", "rule", t.RuleArn, "target", t.ARN, "error_code", o.code, "error", o.msg, "next_attempt", next)
		return
	case st == nil:
		f.m[k] = &failState{reported: now}
		f.mu.Unlock()
		f.log.Warn("delivery failed; will retry", "rule", t.RuleArn, "target", t.ARN, "target_id", t.ID,
			"error_code", o.code, "error", o.msg, "retries", retries, "next_attempt", next.UTC().Format(time.RFC3339))
		return
	}
	st.count++
	if now.Sub(st.reported) < summaryEvery {
		f.mu.Unlock()
		return
	}
	n := st.count
	st.count, st.reported = 0, now
	f.mu.Unlock()
	f.log.Warn("deliveries to the target still failing", "rule", t.RuleArn, "target", t.ARN, "target_id", t.ID,
		"failures_since_last_report", n, "error_code", o.code, "error", o.msg, "next_attempt", next.UTC().Format(time.RFC3339))
}

// recovered records a delivery to t; it ends t's failure reports.
func (f *failureLog) recovered(t *router.Target) {
	f.mu.Lock()
	if len(f.m) == 0 {
		f.mu.Unlock()
		return
	}
	k := failKey{t.RuleArn, t.ID}
	_, was := f.m[k]
	delete(f.m, k)
	f.mu.Unlock()
	if was {
		f.log.Info("deliveries to the target succeed again", "rule", t.RuleArn, "target", t.ARN, "target_id", t.ID)
	}
}

// gaveUp forgets t once an event's retries end (it was dead-lettered or
// dropped, which is logged on its own).
func (f *failureLog) gaveUp(t *router.Target) {
	f.mu.Lock()
	delete(f.m, failKey{t.RuleArn, t.ID})
	f.mu.Unlock()
}
