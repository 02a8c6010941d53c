package delivery

import (
	"context"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliverer makes one attempt to deliver to one kind of AWS target.
type Deliverer func(ctx context.Context, r target.Request) target.Result

// kind is the deliverer of an AWS target ARN, by its service; nil when
// Switchyard has none.
func (d *Dispatcher) kind(a arn.ARN) Deliverer {
	c := d.cfg.AWS
	with := func(f func(context.Context, *target.Clients, target.Request) target.Result) Deliverer {
		return func(ctx context.Context, r target.Request) target.Result { return f(ctx, c, r) }
	}
	_ = with
	switch a.Service {
	case "sqs":
		return d.sqs.Deliver
	}
	return nil
}
