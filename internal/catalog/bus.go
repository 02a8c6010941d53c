package catalog

import (
	"context"
	"errors"
	"time"
)

// DefaultBus is the bus every account has in every region.
const DefaultBus = "default"

// Bus is an event bus.
type Bus struct {
	Name             string
	Description      *string    `json:",omitempty"`
	KmsKeyIdentifier *string    `json:",omitempty"`
	DeadLetterArn    *string    `json:",omitempty"` // DeadLetterConfig.Arn
	LogConfig        *LogConfig `json:",omitempty"`
	EventSourceName  *string    `json:",omitempty"`
	Policy           *string    `json:",omitempty"` // the resource policy JSON, as DescribeEventBus returns it
	Tags             []Tag      `json:",omitempty"`
	Created          time.Time
	Modified         time.Time
}

// LogConfig is a bus's logging configuration.
type LogConfig struct {
	IncludeDetail *string `json:",omitempty"`
	Level         *string `json:",omitempty"`
}

// Bus returns the named bus. The default bus exists in every scope: the first
// read of it creates its document, so its CreationTime is stable afterwards.
func (c *Catalog) Bus(ctx context.Context, s Scope, name string) (*Bus, error) {
	b, _, err := get[Bus](ctx, c.st, s.key(KindBus, name))
	if errors.Is(err, ErrNotFound) && name == DefaultBus {
		return c.ensureDefault(ctx, s)
	}
	return b, err
}

func (c *Catalog) ensureDefault(ctx context.Context, s Scope) (*Bus, error) {
	now := time.Now().UTC()
	return mutate(ctx, c.st, s.key(KindBus, DefaultBus), func(cur *Bus) (*Bus, error) {
		if cur != nil {
			return nil, nil // created meanwhile: keep it
		}
		return &Bus{Name: DefaultBus, Created: now, Modified: now}, nil
	})
}

// CreateBus stores a new bus; ErrExists if the name is taken.
func (c *Catalog) CreateBus(ctx context.Context, s Scope, b *Bus) error {
	return create(ctx, c.st, s.key(KindBus, b.Name), b)
}

// UpdateBus changes an existing bus (the default bus is created first if it
// was never read). fn's error aborts the update.
func (c *Catalog) UpdateBus(ctx context.Context, s Scope, name string, fn func(*Bus) error) (*Bus, error) {
	if name == DefaultBus {
		if _, err := c.Bus(ctx, s, DefaultBus); err != nil {
			return nil, err
		}
	}
	return mutate(ctx, c.st, s.key(KindBus, name), func(cur *Bus) (*Bus, error) {
		if cur == nil {
			return nil, ErrNotFound
		}
		next := *cur
		next.Tags = append([]Tag(nil), cur.Tags...)
		if err := fn(&next); err != nil {
			return nil, err
		}
		return &next, nil
	})
}

// ErrBusHasRules: DeleteBus refuses a bus that still has rules, as AWS does.
var ErrBusHasRules = errors.New("catalog: event bus has rules")

// DeleteBus removes a bus that has no rules. ErrNotFound if the bus does not
// exist, ErrBusHasRules if rules remain. A rule created on the bus while it is
// being deleted is not prevented: the check and the delete are two steps.
func (c *Catalog) DeleteBus(ctx context.Context, s Scope, name string) error {
	if _, _, err := get[Bus](ctx, c.st, s.key(KindBus, name)); err != nil {
		return err
	}
	rules, err := c.st.List(ctx, s.prefix(KindRule)+escape(name)+".")
	if err != nil {
		return err
	}
	if len(rules) > 0 {
		return ErrBusHasRules
	}
	return remove[Bus](ctx, c.st, s.key(KindBus, name), nil)
}

// Buses lists the buses of a scope by name, the default bus included.
func (c *Catalog) Buses(ctx context.Context, s Scope) ([]*Bus, error) {
	bs, err := list[Bus](ctx, c.st, s.prefix(KindBus))
	if err != nil {
		return nil, err
	}
	hasDefault := false
	for _, b := range bs {
		hasDefault = hasDefault || b.Name == DefaultBus
	}
	if !hasDefault {
		d, err := c.ensureDefault(ctx, s)
		if err != nil {
			return nil, err
		}
		bs = append(bs, d)
	}
	sortByName(bs, func(b *Bus) string { return b.Name })
	return bs, nil
}
