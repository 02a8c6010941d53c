package delivery

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/router"
)

// records keeps the log records a handler receives.
type records struct {
	mu   sync.Mutex
	list []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rec)
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

func (r *records) take() []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.list
	r.list = nil
	return out
}

func attr(rec slog.Record, key string) slog.Value {
	var v slog.Value
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value
			return false
		}
		return true
	})
	return v
}

// TestFailureLogIsRateLimited: a target that keeps failing is logged at
// warning level once at its first failure, then once a minute with the
// number of failures since, and once when it delivers again; another
// target is reported on its own.
func TestFailureLogIsRateLimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := &records{}
		f := failureLog{log: slog.New(h)}
		tg := func(id string) *router.Target {
			return &router.Target{Target: catalog.Target{ID: id, ARN: "arn:aws:events:us-east-1:123456789012:api-destination/d/u"},
				Bus: catalog.BusKey{Account: "123456789012", Region: "us-east-1", Name: "default"}, RuleArn: "arn:aws:events:us-east-1:123456789012:rule/r"}
		}
		a, b := tg("a"), tg("b")
		o := failure(true, "CONNECTION_FAILURE", "connection refused")
		f.failed(a, o, 0, time.Now().Add(time.Second))
		if got := h.take(); len(got) != 1 || got[0].Level != slog.LevelWarn || attr(got[0], "error_code").String() != "CONNECTION_FAILURE" ||
			attr(got[0], "next_attempt").String() == "" {
			t.Fatalf("first failure: %v", got)
		}
		// 120 more failures over the next two minutes, one a second.
		for i := range 120 {
			time.Sleep(time.Second)
			f.failed(a, o, i+1, time.Now().Add(time.Second))
		}
		got := h.take()
		if len(got) != 2 {
			t.Fatalf("%d lines for 120 failures over two minutes, want 2 summaries", len(got))
		}
		for _, rec := range got {
			if n := attr(rec, "failures_since_last_report").Int64(); n != 60 {
				t.Errorf("summary counts %d failures, want 60 (one a second for a minute)", n)
			}
		}
		// Another target is its own report.
		f.failed(b, o, 0, time.Now())
		if got := h.take(); len(got) != 1 || attr(got[0], "target_id").String() != "b" {
			t.Errorf("other target: %v", got)
		}
		f.recovered(a)
		if got := h.take(); len(got) != 1 || got[0].Level != slog.LevelInfo {
			t.Errorf("recovery: %v", got)
		}
		// After recovering, a new failure is reported at once again.
		f.failed(a, o, 0, time.Now())
		if got := h.take(); len(got) != 1 {
			t.Errorf("failure after recovery: %v", got)
		}
		// A delivery of a target that never failed logs nothing.
		f.recovered(tg("c"))
		if got := h.take(); len(got) != 0 {
			t.Errorf("recovery of a healthy target: %v", got)
		}
	})
}
