package api

import (
	"context"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/event"
	"github.com/switchyard-dev/switchyard/internal/ingest"
)

// EventWriter stores accepted events durably; PutEvents answers only after
// Write returns.
type EventWriter interface {
	Write(ctx context.Context, recs []ingest.Record) error
}

// putEvents accepts up to 10 entries. Entry problems fail only their entry
// (HTTP 200 with an ErrorCode); the request fails whole only for its shape
// (validated before this runs) and its total size. Entries for a bus that does
// not exist get an EventId and go nowhere, as AWS does: routing finds no
// rules for them.
func (a *API) putEvents(ctx context.Context, c *call, in *wire.PutEventsRequest) (*wire.PutEventsResponse, error) {
	if a.events == nil {
		return nil, Errorf(NotImplemented, "Operation PutEvents is not available on this server.")
	}
	entries := make([]event.Entry, len(in.Entries))
	total := 0
	for i, we := range in.Entries {
		e := &entries[i]
		*e = event.Entry{Source: we.Source, DetailType: we.DetailType, Detail: we.Detail, Resources: we.Resources,
			EventBusName: we.EventBusName, TraceHeader: we.TraceHeader}
		if we.Time != nil {
			t := we.Time.Time
			e.Time = &t
		}
		total += event.Size(e)
	}
	if total > a.limits.PutEventsSize {
		return nil, Errorf(Validation, "Total size of the entries in the request is over the limit.")
	}
	now := time.Now().UTC()
	out := &wire.PutEventsResponse{Entries: make([]wire.PutEventsResultEntry, len(entries))}
	recs := make([]ingest.Record, 0, len(entries))
	at := make([]int, 0, len(entries)) // recs[k] answers entry at[k]
	var buf []byte
	for i := range entries {
		e := &entries[i]
		detail, prob := event.Check(e)
		if prob == nil {
			var bus catalog.Scope
			var name string
			bus, name, prob = a.eventBus(ctx, c, e.EventBusName)
			if prob == nil {
				id := event.NewID()
				t := now
				if e.Time != nil {
					t = *e.Time
				}
				buf = event.Append(buf[:0], event.Envelope{ID: id, Account: c.scope.Account, Region: c.scope.Region, Time: t}, e, detail)
				recs = append(recs, ingest.Record{Bus: bus.Bus(name),
					TraceHeader: str(e.TraceHeader), Ingested: now, Event: append([]byte(nil), buf...)})
				at = append(at, i)
				out.Entries[i] = wire.PutEventsResultEntry{EventId: ptr(id)}
				continue
			}
		}
		out.Entries[i] = wire.PutEventsResultEntry{ErrorCode: ptr(prob.Code), ErrorMessage: ptr(prob.Message)}
	}
	if len(recs) > 0 {
		if err := a.events.Write(ctx, recs); err != nil {
			msg := "Internal service error."
			if why := storeRefusal(err); why != "" {
				// The store's health is logged once, when it changes.
				msg = why + " The event was not accepted; send it again later."
				a.log.Debug("PutEvents: events not stored", "err", err, "entries", len(recs))
			} else {
				a.log.Error("PutEvents: events not stored", "err", err, "entries", len(recs))
			}
			for _, i := range at {
				out.Entries[i] = wire.PutEventsResultEntry{ErrorCode: ptr(event.CodeInternalFailure), ErrorMessage: ptr(msg)}
			}
		}
	}
	failed := int32(0)
	for _, r := range out.Entries {
		if r.ErrorCode != nil {
			failed++
		}
	}
	out.FailedEntryCount = &failed
	return out, nil
}

// eventBus resolves an entry's EventBusName (a name or an ARN; absent means
// default). A bus of another account takes events from this caller only if
// its policy allows it.
func (a *API) eventBus(ctx context.Context, c *call, v *string) (catalog.Scope, string, *event.Problem) {
	if v == nil || *v == "" {
		return c.scope, catalog.DefaultBus, nil
	}
	name := *v
	if !strings.HasPrefix(name, "arn:") {
		if strings.Contains(name, "/") {
			return catalog.Scope{}, "", &event.Problem{Code: event.CodeInvalidArgument, Message: "Parameter EventBusName is not valid. Reason: Partner event buses cannot be the target of PutEvents."}
		}
		return c.scope, name, nil
	}
	p, err := arn.Parse(name)
	bus, ok := p.BusName()
	if err != nil || !ok || !validBusName(bus) {
		return catalog.Scope{}, "", &event.Problem{Code: event.CodeInvalidArgument, Message: "Parameter EventBusName is not valid. Reason: Provided Arn is not in correct format."}
	}
	s := catalog.Scope{Account: p.Account, Region: p.Region}
	if s == c.scope {
		return s, bus, nil
	}
	b, err := a.cat.Bus(ctx, s, bus)
	if err != nil || !catalog.Allows(b.Policy, c.scope.Account, "events:PutEvents", name) {
		return catalog.Scope{}, "", &event.Problem{Code: event.CodeAccessDenied,
			Message: "User: arn:aws:iam::" + c.scope.Account + ":root is not authorized to perform: events:PutEvents on resource: " + name}
	}
	return s, bus, nil
}
