package catalog

import (
	"context"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
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
	Targets            []wire.Target `json:",omitempty"` // in the order they were first put
	Tags               []Tag         `json:",omitempty"`
	Created            time.Time
	Modified           time.Time
}

// Rule returns one rule.
func (c *Catalog) Rule(ctx context.Context, s Scope, bus, name string) (*Rule, error) {
	r, _, err := get[Rule](ctx, c.st, s.key(KindRule, bus, name))
	return r, err
}

// PutRule creates or changes a rule. fn receives the current rule (nil when
// there is none) and returns the rule to store.
func (c *Catalog) PutRule(ctx context.Context, s Scope, bus, name string, fn func(cur *Rule) (*Rule, error)) (*Rule, error) {
	return mutate(ctx, c.st, s.key(KindRule, bus, name), fn)
}

// UpdateRule changes an existing rule; ErrNotFound if there is none.
func (c *Catalog) UpdateRule(ctx context.Context, s Scope, bus, name string, fn func(*Rule) error) (*Rule, error) {
	return mutate(ctx, c.st, s.key(KindRule, bus, name), func(cur *Rule) (*Rule, error) {
		if cur == nil {
			return nil, ErrNotFound
		}
		next := *cur
		next.Targets = append([]wire.Target(nil), cur.Targets...)
		next.Tags = append([]Tag(nil), cur.Tags...)
		if err := fn(&next); err != nil {
			return nil, err
		}
		return &next, nil
	})
}

// DeleteRule removes a rule after check approves it.
func (c *Catalog) DeleteRule(ctx context.Context, s Scope, bus, name string, check func(*Rule) error) error {
	return remove(ctx, c.st, s.key(KindRule, bus, name), check)
}

// Rules lists the rules of a bus by name.
func (c *Catalog) Rules(ctx context.Context, s Scope, bus string) ([]*Rule, error) {
	rs, err := list[Rule](ctx, c.st, s.prefix(KindRule)+escape(bus)+".")
	if err != nil {
		return nil, err
	}
	sortByName(rs, func(r *Rule) string { return r.Name })
	return rs, nil
}
