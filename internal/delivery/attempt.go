package delivery

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/apidest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/event"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/router"
	"github.com/switchyard-dev/switchyard/internal/transform"
)

// outcome is the result of one attempt.
type outcome struct {
	ok         bool
	retryable  bool
	retryAfter time.Duration // the target's Retry-After; < 0 asks to stop
	code       string        // the DLQ's ERROR_CODE
	msg        string
	notInvoked bool // failed before any call to the target: no input, a loop cut
}

func failure(retryable bool, code, msg string) outcome {
	return outcome{retryable: retryable, code: code, msg: msg}
}

// notInvoked is the failure of an event the target never saw.
func notInvoked(code, msg string) outcome {
	return outcome{code: code, msg: msg, notInvoked: true}
}

// maxHops bounds how often bus targets may forward one event, so that rules
// forwarding between buses in a cycle cannot loop forever.
const maxHops = 5

// attemptTimeout bounds one attempt of any kind; API destinations have their
// own 5-second limit inside it.
const attemptTimeout = 30 * time.Second

// attempt delivers one job once. buf is scratch space for the payload.
func (d *Dispatcher) attempt(j *Job, buf []byte) (outcome, []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), attemptTimeout)
	defer cancel()
	t := j.Target
	a, err := arn.Parse(t.Arn)
	if err != nil {
		return notInvoked(target.CodeNoResource, "The target ARN is not valid."), buf
	}
	var deliver Deliverer
	switch {
	case a.Service == "events" && strings.HasPrefix(a.Resource, "event-bus/"):
		return d.toBus(ctx, j, a), buf
	case a.Service == "events" && strings.HasPrefix(a.Resource, "api-destination/"):
	default:
		if !delivers(a.Service) {
			return notInvoked(target.CodeNoResource, "Switchyard does not deliver to "+a.Service+" targets."), buf
		}
		if deliver = d.kinds[a.Service]; deliver == nil {
			return failure(false, target.CodeSDKClientError, "AWS targets are not available: the AWS configuration could not be loaded."), buf
		}
	}
	// Every other kind receives the event or its transformed input.
	if t.Transform == nil {
		return notInvoked(target.CodeInvalidInput, "The target's input configuration is not valid."), buf
	}
	payload, err := t.Transform.Apply(buf, j.Rec.Event, transform.Vars{RuleArn: t.RuleArn, RuleName: t.RuleName, IngestionTime: j.Rec.Ingested})
	if err != nil {
		return notInvoked(target.CodeInvalidInput, "The transformed input is not valid: "+err.Error()), payload
	}
	if deliver == nil {
		return d.toAPIDestination(ctx, j, payload), payload
	}
	r := deliver(ctx, target.Request{ARN: a, Target: &t.Spec, Payload: payload, Custom: custom(&t.Spec),
		Event: j.Rec.Event, EventID: event.ID(j.Rec.Event), RuleArn: t.RuleArn, RuleName: t.RuleName, TraceHeader: traceHeader(j)})
	if r.Err == nil {
		return outcome{ok: true}, payload
	}
	return failure(r.Retryable, r.Code, target.ErrorMessage(r.Err)), payload
}

// traceHeader is the event's X-Ray trace header, or "" when it cannot be
// sent: PutEvents checks only its length, and a header with control
// characters would fail every attempt of every HTTP-based target alike
// (Go refuses to send it), so it is dropped rather than the event.
func traceHeader(j *Job) string {
	if !apidest.ValidHeaderValue(j.Rec.TraceHeader) {
		return ""
	}
	return j.Rec.TraceHeader
}

// custom: the target has its own input configuration.
func custom(t *wire.Target) bool {
	return t.Input != nil || t.InputPath != nil || t.InputTransformer != nil
}

// toBus puts the event on the target bus, as it is: same source account and
// region, and the same id unless the bus is in another region. Another
// account's bus must allow this account in its policy.
func (d *Dispatcher) toBus(ctx context.Context, j *Job, a arn.ARN) outcome {
	name, _ := a.BusName()
	if j.Rec.Hops >= maxHops {
		return notInvoked("LOOP_DETECTED", "The event was forwarded between buses too many times.")
	}
	src := j.Target.Bus
	if a.Account != src.Account {
		doc, ok := d.cfg.Index.Bus(router.BusKey{Account: a.Account, Region: a.Region, Bus: name})
		if !ok || !catalog.Allows(doc.Policy, src.Account, "events:PutEvents", j.Target.Arn) {
			return failure(false, "NO_PERMISSIONS", "The target event bus does not allow this account to put events.")
		}
	}
	ev := j.Rec.Event
	if a.Region != src.Region {
		// Another region's bus gets the event under a new id (AWS-recorded:
		// test_event_bus_to_event_bus_cross_account_region[*-region*]); the
		// same region keeps the id, whatever the account.
		if withID, ok := event.WithID(ev, event.NewID()); ok {
			ev = withID
		}
	}
	rec := ingest.Record{Account: a.Account, Region: a.Region, Bus: name, TraceHeader: j.Rec.TraceHeader,
		Ingested: time.Now(), Hops: j.Rec.Hops + 1, Event: ev}
	if err := d.cfg.Ingest.Write(ctx, []ingest.Record{rec}); err != nil {
		return failure(true, "INTERNAL", "Could not store the event on the target bus.")
	}
	return outcome{ok: true}
}

func (d *Dispatcher) toAPIDestination(_ context.Context, j *Job, payload []byte) outcome {
	t := j.Target
	if d.cfg.Dests == nil || d.cfg.APIDest == nil {
		return failure(false, "NO_RESOURCE", "API destinations are not available.")
	}
	dest, conn, err := d.cfg.Dests.APIDestination(t.Arn)
	switch {
	case errors.Is(err, router.ErrConnectionNotAuthorized):
		return failure(false, "NO_PERMISSIONS", "The connection of the API destination is not authorized.")
	case err != nil:
		return failure(false, "NO_RESOURCE", "The API destination or its connection does not exist.")
	}
	var tp apidest.TargetParams
	if hp := t.Spec.HttpParameters; hp != nil {
		tp.PathParameterValues = make([]string, len(hp.PathParameterValues))
		for i, v := range hp.PathParameterValues {
			tp.PathParameterValues[i] = target.Dynamic(j.Rec.Event, v)
		}
		tp.Headers = dynamicMap(j.Rec.Event, hp.HeaderParameters)
		tp.Query = dynamicMap(j.Rec.Event, hp.QueryStringParameters)
	}
	// The request itself is bounded by the client's own timeout (5 s); the
	// wait for the destination's rate limit only by Close (see d.invoke).
	r := d.cfg.APIDest.Invoke(d.invoke, apidest.Request{Conn: conn, Dest: dest, Target: tp, Body: payload, TraceHeader: traceHeader(j)})
	if r.Err == nil {
		return outcome{ok: true}
	}
	o := failure(r.Retryable, r.ErrorCode, r.Err.Error())
	o.retryAfter = r.RetryAfter
	var ae *apidest.Error
	if errors.As(r.Err, &ae) && o.code == "" {
		o.code = "SDK_CLIENT_ERROR"
	}
	return o
}

func dynamicMap(event []byte, m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = target.Dynamic(event, v)
	}
	return out
}
