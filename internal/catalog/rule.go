package catalog

import (
	"context"
	"time"
)

// States of a rule.
const (
	RuleEnabled  = "ENABLED"
	RuleDisabled = "DISABLED"
	// RuleEnabledWithCloudTrail also matches CloudTrail management events
	// delivered read-only; Switchyard has none, so it routes as ENABLED.
	RuleEnabledWithCloudTrail = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
)

// Rule is a rule with its targets and tags.
type Rule struct {
	Bus                string
	Name               string
	EventPattern       *string `json:",omitempty"`
	ScheduleExpression *string `json:",omitempty"`
	State              string
	Description        *string `json:",omitempty"`
	RoleArn            *string `json:",omitempty"`
	ManagedBy          *string `json:",omitempty"`
	CreatedBy          string
	Targets            []Target `json:",omitempty"` // in the order they were first put
	Tags               []Tag    `json:",omitempty"`
	Created            time.Time
	Modified           time.Time
}

// Enabled says the rule acts on events (any state but DISABLED).
func (r *Rule) Enabled() bool { return r.State != RuleDisabled }

func (r *Rule) clone() *Rule {
	n := *r
	n.Targets = append([]Target(nil), r.Targets...)
	n.Tags = append([]Tag(nil), r.Tags...)
	return &n
}

func ruleRef(s Scope, bus, name string) ref {
	return ref{kind: KindRule, scope: s, bus: bus, name: name}
}

// Rule returns one rule.
func (c *Catalog) Rule(ctx context.Context, s Scope, bus, name string) (*Rule, error) {
	r, _, err := get[Rule](ctx, c.st, ruleRef(s, bus, name))
	return r, err
}

// PutRule creates or changes a rule. fn receives the current rule (nil when
// there is none) and returns the rule to store.
func (c *Catalog) PutRule(ctx context.Context, s Scope, bus, name string, fn func(cur *Rule) (*Rule, error)) (*Rule, error) {
	return mutate(ctx, c.st, ruleRef(s, bus, name), fn)
}

// UpdateRule changes an existing rule; ErrNotFound if there is none.
func (c *Catalog) UpdateRule(ctx context.Context, s Scope, bus, name string, fn func(*Rule) error) (*Rule, error) {
	return update(ctx, c.st, ruleRef(s, bus, name), (*Rule).clone, fn)
}

// DeleteRule removes a rule after check approves it.
func (c *Catalog) DeleteRule(ctx context.Context, s Scope, bus, name string, check func(*Rule) error) error {
	_, err := remove(ctx, c.st, ruleRef(s, bus, name), check)
	return err
}

// Rules lists the rules of a bus by name, as of the call (see Sync).
func (c *Catalog) Rules(ctx context.Context, s Scope, bus string) ([]*Rule, error) {
	if err := c.Sync(ctx); err != nil {
		return nil, err
	}
	return c.view.Rules(s.Bus(bus)), nil
}
