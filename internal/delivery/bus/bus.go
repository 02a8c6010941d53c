// Package bus delivers an event to another event bus, the target kind of
// an ARN arn:<partition>:events:<region>:<account>:event-bus/<name>: the
// event is stored again, as it is, on the target bus, where that bus's
// rules route it.
//
// Choices, as AWS records or documents them:
//
//   - The event keeps its source account and region, and its id unless the
//     target bus is in another region (AWS-recorded:
//     test_event_bus_to_event_bus_cross_account_region[*-region*]).
//   - A bus of another account must allow this account events:PutEvents in
//     its resource policy; otherwise NO_PERMISSIONS, not retried.
//   - Bus targets ignore Input, InputPath and InputTransformer: the event is
//     forwarded whole.
//   - A cycle of rules between buses is cut after MaxHops forwards
//     (LOOP_DETECTED, the target not invoked).
package bus

import (
	"context"
	"errors"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/event"
	"github.com/switchyard-dev/switchyard/internal/ingest"
)

// MaxHops bounds how often bus targets may forward one event, so that rules
// forwarding between buses in a cycle cannot loop forever.
const MaxHops = 5

// Writer stores events: the ingest writer.
type Writer interface {
	Write(ctx context.Context, recs []ingest.Record) error
}

// Buses finds bus documents (their policies): the catalog's View.
type Buses interface {
	Bus(k catalog.BusKey) (*catalog.Bus, bool)
}

// Kind delivers to event buses.
type Kind struct {
	w     Writer
	buses Buses
}

var _ target.Kind = (*Kind)(nil)

// New returns the bus kind, storing through w.
func New(w Writer, b Buses) *Kind { return &Kind{w: w, buses: b} }

var errNotBus = errors.New("bus: the ARN does not name an event bus")

// CheckARN accepts arn:<partition>:events:<region>:<account>:event-bus/<name>.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := busName(a)
	return err
}

// busName is the name of the bus a names.
func busName(a arn.ARN) (string, error) {
	name, ok := a.BusName()
	if !ok || !a.Of("events") {
		return "", errNotBus
	}
	return name, nil
}

// Deliver puts the event on the target bus.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	// What CheckARN refuses is refused here too: a bus key without a
	// region or account would store the event where no rule sees it.
	name, err := busName(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	if r.Hops >= MaxHops {
		return target.Fail(target.CodeLoopDetected, "The event was forwarded between buses too many times.")
	}
	to := catalog.BusKey{Account: r.ARN.Account, Region: r.ARN.Region, Name: name}
	if to.Account == r.Bus.Account {
		// A bus of the rule's own account must exist (the default bus
		// always does, with a document or not yet); the router applied
		// every catalog change made before the event was accepted.
		if _, ok := k.buses.Bus(to); !ok && name != catalog.DefaultBus {
			return target.Fail(target.CodeNoResource, "The target event bus does not exist.")
		}
	} else {
		doc, ok := k.buses.Bus(to)
		if !ok || !catalog.Allows(doc.Policy, r.Bus.Account, "events:PutEvents", r.ARN.String()) {
			return target.Fail(target.CodeNoPermissions, "The target event bus does not allow this account to put events.")
		}
	}
	ev := r.Event
	if to.Region != r.Bus.Region {
		if withID, ok := event.WithID(ev, event.NewID()); ok {
			ev = withID
		}
	}
	rec := ingest.Record{Bus: to, TraceHeader: r.TraceHeader, Ingested: time.Now(), Hops: r.Hops + 1, Event: ev}
	if err := k.w.Write(ctx, []ingest.Record{rec}); err != nil {
		res := target.Result{Retryable: true, Code: target.CodeInternal, Err: errors.New("could not store the event on the target bus: " + err.Error())}
		if ctx.Err() != nil {
			// The caller's context ended first: no verdict on the stream
			// (the event may even be stored), as target.Classify has it;
			// the caller, who owns the context, names it.
			res.Code = ""
		}
		return res
	}
	return target.OK
}
