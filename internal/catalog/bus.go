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

func (b *Bus) clone() *Bus {
	n := *b
	n.Tags = append([]Tag(nil), b.Tags...)
	return &n
}

func busRef(s Scope, name string) ref { return ref{kind: KindBus, scope: s, name: name} }

// Bus returns the named bus. The default bus exists in every scope: the first
// read of it creates its document, so its CreationTime is stable afterwards.
func (c *Catalog) Bus(ctx context.Context, s Scope, name string) (*Bus, error) {
	b, _, err := get[Bus](ctx, c.st, busRef(s, name))
	if errors.Is(err, ErrNotFound) && name == DefaultBus {
		return c.ensureDefault(ctx, s)
	}
	return b, err
}

func (c *Catalog) ensureDefault(ctx context.Context, s Scope) (*Bus, error) {
	now := time.Now().UTC()
	return mutate(ctx, c.st, busRef(s, DefaultBus), func(cur *Bus) (*Bus, error) {
		if cur != nil {
			return nil, nil // created meanwhile: keep it
		}
		return &Bus{Name: DefaultBus, Created: now, Modified: now}, nil
	})
}

// CreateBus stores a new bus; ErrExists if the name is taken.
func (c *Catalog) CreateBus(ctx context.Context, s Scope, b *Bus) error {
	return create(ctx, c.st, busRef(s, b.Name), b)
}

// UpdateBus changes an existing bus (the default bus is created first if it
// was never read). fn's error aborts the update.
func (c *Catalog) UpdateBus(ctx context.Context, s Scope, name string, fn func(*Bus) error) (*Bus, error) {
	if name == DefaultBus {
		if _, err := c.Bus(ctx, s, DefaultBus); err != nil {
			return nil, err
		}
	}
	return update(ctx, c.st, busRef(s, name), (*Bus).clone, fn)
}

// DeleteBus removes a bus that has no rules. ErrNotFound if the bus does not
// exist, ErrBusHasRules if rules remain. A rule created on the bus while it is
// being deleted is not prevented: the check and the delete are two steps.
func (c *Catalog) DeleteBus(ctx context.Context, s Scope, name string) error {
	_, err := remove(ctx, c.st, busRef(s, name), func(*Bus) error {
		rules, err := c.Rules(ctx, s, name)
		if err != nil {
			return err
		}
		if len(rules) > 0 {
			return ErrBusHasRules // made an *Error about the bus by remove
		}
		return nil
	})
	return err
}

// Buses lists the buses of a scope by name, the default bus included, as
// of the call (see Sync).
func (c *Catalog) Buses(ctx context.Context, s Scope) ([]*Bus, error) {
	if err := c.Sync(ctx); err != nil {
		return nil, err
	}
	bs := c.view.Buses(s)
	for _, b := range bs {
		if b.Name == DefaultBus {
			return bs, nil
		}
	}
	d, err := c.ensureDefault(ctx, s)
	if err != nil {
		return nil, err
	}
	i := 0
	for i < len(bs) && bs[i].Name < DefaultBus {
		i++
	}
	return append(bs[:i:i], append([]*Bus{d}, bs[i:]...)...), nil
}
