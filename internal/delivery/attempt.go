package delivery

import (
	"context"
	"errors"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/event"
	"github.com/switchyard-dev/switchyard/internal/transform"
)

// outcome is the result of one attempt, as the dispatcher settles it.
type outcome struct {
	ok         bool
	retryable  bool
	retryAfter time.Duration // the target's Retry-After; < 0 asks to stop
	code       string        // the DLQ's ERROR_CODE
	msg        string
	status     int  // the target's HTTP status, 0 when none
	notInvoked bool // failed before any call to the target: no input, a loop cut
}

func failure(retryable bool, code, msg string) outcome {
	return outcome{retryable: retryable, code: code, msg: msg}
}

// notInvoked is the failure of an event the target never saw.
func notInvoked(code, msg string) outcome {
	return outcome{code: code, msg: msg, notInvoked: true}
}

// attemptTimeout bounds one attempt of any kind, after a paced kind's wait
// for its rate limit; API destinations have their own 5-second limit
// inside it.
const attemptTimeout = 30 * time.Second

// attempt delivers one job once. buf is scratch space for the payload.
func (d *Dispatcher) attempt(j *Job, buf []byte) (outcome, []byte) {
	t := j.Target
	a, err := arn.Parse(t.ARN)
	if err != nil {
		return notInvoked(target.CodeNoResource, "The target ARN is not valid."), buf
	}
	kind, o := d.kinds.of(a)
	if kind == nil {
		return o, buf
	}
	if err := kind.CheckARN(a); err != nil {
		return notInvoked(target.CodeNoResource, "The target ARN names nothing Switchyard can deliver to: "+err.Error()), buf
	}
	r := target.Request{ARN: a, Target: &t.Target, Event: j.Rec.Event, EventID: event.ID(j.Rec.Event),
		RuleArn: t.RuleArn, RuleName: t.RuleName, TraceHeader: traceHeader(j.Rec.TraceHeader), Hops: j.Rec.Hops, Bus: t.Bus}
	if kind != d.kinds.bus {
		// Every kind but a bus receives the event or its transformed input
		// (Input, InputPath, InputTransformer); a bus gets the event whole.
		if t.Transform == nil {
			return notInvoked(target.CodeInvalidInput, "The target's input configuration is not valid."), buf
		}
		r.Payload, err = t.Transform.Apply(buf, j.Rec.Event, transform.Vars{RuleArn: t.RuleArn, RuleName: t.RuleName, IngestionTime: j.Rec.Ingested})
		buf = r.Payload
		if err != nil {
			return notInvoked(target.CodeInvalidInput, "The transformed input is not valid: "+err.Error()), buf
		}
	}
	if p, ok := kind.(target.Paced); ok {
		// The wait for a rate limit is bounded by shutdown alone.
		if err := p.Pace(d.invoke, r); err != nil {
			return failure(true, "", "Shutting down while waiting for the target's rate limit."), buf
		}
	}
	ctx, cancel := context.WithTimeout(d.invoke, attemptTimeout)
	defer cancel()
	res := kind.Deliver(ctx, r)
	if res.Err == nil {
		return outcome{ok: true, status: res.Status}, buf
	}
	o = outcome{retryable: res.Retryable, retryAfter: res.RetryAfter, code: res.Code, msg: target.ErrorMessage(res.Err), status: res.Status,
		notInvoked: res.Code == target.CodeLoopDetected}
	if o.code == "" {
		// The kind gave no verdict because the attempt's context ended: the
		// time limit is the target timing out; a shutdown is no verdict on
		// the target, retried later.
		o.code = target.CodeSDKClientError
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			o.code = target.CodeTimeout
		}
	}
	return o, buf
}

// traceHeader is the event's X-Ray trace header, or "" when it cannot be
// sent: PutEvents checks only its length, and a header with control
// characters would fail every attempt of every HTTP-based target alike
// (Go refuses to send it), so it is dropped rather than the event.
func traceHeader(h string) string {
	if !target.ValidHeaderValue(h) {
		return ""
	}
	return h
}
