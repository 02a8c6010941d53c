package router

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/store"
)

func ruleChange(t *testing.T, rev uint64, s catalog.Scope, bus string, r catalog.Rule) store.Change {
	t.Helper()
	v, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return store.Change{Key: "a." + s.Account + "." + s.Region + ".rule." + bus + "." + r.Name, Value: v, Revision: rev}
}

func sp(s string) *string { return &s }

// TestIndexAppliesRuleChanges feeds the index the changes a catalog watch
// would, and checks what it matches after each.
func TestIndexAppliesRuleChanges(t *testing.T) {
	x := NewIndex(nil)
	s := catalog.Scope{Account: "123456789012", Region: "us-east-1"}
	k := BusKey{s.Account, s.Region, "default"}
	ev := []byte(`{"source":"shop","detail":{"n":5}}`)
	match := func() []string {
		ts, _, err := x.Match(nil, k, ev, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, tg := range ts {
			ids = append(ids, tg.RuleName+"/"+tg.ID)
		}
		return ids
	}
	target := func(id string) wire.Target {
		return wire.Target{Id: sp(id), Arn: sp("arn:aws:events:us-east-1:123456789012:event-bus/x")}
	}

	x.apply(ruleChange(t, 1, s, "default", catalog.Rule{Name: "r1", State: "ENABLED", EventPattern: sp(`{"source":["shop"]}`),
		Targets: []wire.Target{target("a"), target("b")}}))
	x.apply(ruleChange(t, 2, s, "default", catalog.Rule{Name: "r2", State: "ENABLED", EventPattern: sp(`{"detail":{"n":[{"numeric":[">",9]}]}}`),
		Targets: []wire.Target{target("c")}}))
	if got := match(); len(got) != 2 || got[0] != "r1/a" || got[1] != "r1/b" {
		t.Errorf("after two rules: %v", got)
	}
	// Disabled: no longer matches; a schedule-only rule never does.
	x.apply(ruleChange(t, 3, s, "default", catalog.Rule{Name: "r1", State: "DISABLED", EventPattern: sp(`{"source":["shop"]}`), Targets: []wire.Target{target("a")}}))
	x.apply(ruleChange(t, 4, s, "default", catalog.Rule{Name: "r3", State: "ENABLED", ScheduleExpression: sp("rate(1 minute)"), Targets: []wire.Target{target("d")}}))
	if got := match(); len(got) != 0 {
		t.Errorf("after disable: %v", got)
	}
	// Pattern change applies.
	x.apply(ruleChange(t, 5, s, "default", catalog.Rule{Name: "r2", State: "ENABLED", EventPattern: sp(`{"detail":{"n":[{"numeric":["<",9]}]}}`), Targets: []wire.Target{target("c")}}))
	if got := match(); len(got) != 1 || got[0] != "r2/c" {
		t.Errorf("after pattern change: %v", got)
	}
	if _, ok := x.Target(k, "r2", "c"); !ok {
		t.Error("Target lookup of r2/c failed")
	}
	// Deleted: gone, also for retries.
	x.apply(store.Change{Key: "a." + s.Account + "." + s.Region + ".rule.default.r2", Deleted: true, Revision: 6})
	if got := match(); len(got) != 0 {
		t.Errorf("after delete: %v", got)
	}
	if _, ok := x.Target(k, "r2", "c"); ok {
		t.Error("deleted rule's target still found")
	}
	// Other accounts and buses are separate.
	if ts, _, _ := x.Match(nil, BusKey{"999999999999", s.Region, "default"}, ev, nil); len(ts) != 0 {
		t.Error("another account matched")
	}
	// Changes of unknown kinds and undecodable documents only advance the revision.
	x.apply(store.Change{Key: "a." + s.Account + "." + s.Region + ".rule.default.bad", Value: []byte("not json"), Revision: 7})
	x.apply(store.Change{Key: "something.else", Value: []byte("{}"), Revision: 8})
	if x.Applied() != 8 {
		t.Errorf("Applied = %d, want 8", x.Applied())
	}
}

func TestWaitApplied(t *testing.T) {
	x := NewIndex(nil)
	done := make(chan error, 1)
	go func() { done <- x.WaitApplied(context.Background(), 3) }()
	for rev := uint64(1); rev <= 3; rev++ {
		select {
		case err := <-done:
			t.Fatalf("returned at revision %d: %v", rev-1, err)
		default:
		}
		x.apply(store.Change{Key: "x", Revision: rev})
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("WaitApplied did not return after revision 3")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := x.WaitApplied(ctx, 100); err == nil {
		t.Error("cancelled wait returned nil")
	}
}
