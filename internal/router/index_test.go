package router

import (
	"testing"

	"github.com/switchyard-dev/switchyard/internal/catalog"
)

func sp(s string) *string { return &s }

// TestIndexAppliesRuleChanges feeds the index the changes the catalog's
// View would, and checks what it matches after each.
func TestIndexAppliesRuleChanges(t *testing.T) {
	x := newIndex(nil)
	s := catalog.Scope{Account: "123456789012", Region: "us-east-1"}
	k := s.Bus("default")
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
	target := func(id string) catalog.Target {
		return catalog.Target{ID: id, ARN: "arn:aws:events:us-east-1:123456789012:event-bus/x"}
	}
	rule := func(r catalog.Rule) catalog.Change {
		r.Bus = "default"
		return catalog.Change{Scope: s, Rule: &r}
	}

	x.apply(rule(catalog.Rule{Name: "r1", State: "ENABLED", EventPattern: sp(`{"source":["shop"]}`),
		Targets: []catalog.Target{target("a"), target("b")}}))
	x.apply(rule(catalog.Rule{Name: "r2", State: "ENABLED", EventPattern: sp(`{"detail":{"n":[{"numeric":[">",9]}]}}`),
		Targets: []catalog.Target{target("c")}}))
	if got := match(); len(got) != 2 || got[0] != "r1/a" || got[1] != "r1/b" {
		t.Errorf("after two rules: %v", got)
	}
	// Disabled: no longer matches; a schedule-only rule never does.
	x.apply(rule(catalog.Rule{Name: "r1", State: "DISABLED", EventPattern: sp(`{"source":["shop"]}`), Targets: []catalog.Target{target("a")}}))
	x.apply(rule(catalog.Rule{Name: "r3", State: "ENABLED", ScheduleExpression: sp("rate(1 minute)"), Targets: []catalog.Target{target("d")}}))
	if got := match(); len(got) != 0 {
		t.Errorf("after disable: %v", got)
	}
	// Pattern change applies.
	x.apply(rule(catalog.Rule{Name: "r2", State: "ENABLED", EventPattern: sp(`{"detail":{"n":[{"numeric":["<",9]}]}}`), Targets: []catalog.Target{target("c")}}))
	if got := match(); len(got) != 1 || got[0] != "r2/c" {
		t.Errorf("after pattern change: %v", got)
	}
	if _, ok := x.Target(k, "r2", "c"); !ok {
		t.Error("Target lookup of r2/c failed")
	}
	// ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS routes as enabled.
	x.apply(rule(catalog.Rule{Name: "r4", State: catalog.RuleEnabledWithCloudTrail, EventPattern: sp(`{"source":["shop"]}`), Targets: []catalog.Target{target("e")}}))
	if got := match(); len(got) != 2 {
		t.Errorf("with a CloudTrail-state rule: %v", got)
	}
	// Deleted: gone, also for retries.
	del := rule(catalog.Rule{Name: "r2"})
	del.Deleted = true
	x.apply(del)
	if _, ok := x.Target(k, "r2", "c"); ok {
		t.Error("deleted rule's target still found")
	}
	// Other accounts and buses are separate; changes of other kinds and
	// patterns that no longer compile change nothing.
	if ts, _, _ := x.Match(nil, catalog.BusKey{Account: "999999999999", Region: s.Region, Name: "default"}, ev, nil); len(ts) != 0 {
		t.Error("another account matched")
	}
	x.apply(catalog.Change{Scope: s, Bus: &catalog.Bus{Name: "default"}})
	x.apply(rule(catalog.Rule{Name: "bad", State: "ENABLED", EventPattern: sp(`{"source":[`), Targets: []catalog.Target{target("f")}}))
	if got := match(); len(got) != 1 || got[0] != "r4/e" {
		t.Errorf("after other changes: %v", got)
	}
}
