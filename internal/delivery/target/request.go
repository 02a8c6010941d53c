package target

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/transform"
)

// Kind delivers to one kind of target; the service of a target's ARN (and
// for EventBridge's own ARNs, its resource type) picks the Kind. Every
// kind, event buses and API destinations included, is reached through this
// interface alone, and passes the conformance suite in targettest.
type Kind interface {
	// CheckARN says whether a names a resource of this kind that can be
	// delivered to (nil), or why not; it makes no call. The dispatcher
	// checks before every attempt: an ARN it refuses fails NO_RESOURCE
	// without an invocation.
	CheckARN(a arn.ARN) error
	// Deliver makes exactly one attempt to deliver r, and classifies its
	// outcome: retrying is the dispatcher's job. It never panics, whatever
	// r holds.
	Deliver(ctx context.Context, r Request) Result
}

// Paced is the optional ability of a kind whose targets have a rate limit
// (API destinations). The dispatcher calls Pace before each attempt with a
// context that only shutdown ends, so that a wait for the rate is not cut
// short by the attempt's own time limit, which starts after it.
type Paced interface {
	Pace(ctx context.Context, r Request) error
}

// Request is one attempt to deliver one event to one target.
type Request struct {
	ARN    arn.ARN         // the target's ARN, parsed
	Target *catalog.Target // the target as PutTargets stored it: parameters, RoleArn
	// Payload is what the target receives: the event, or what the target's
	// Input, InputPath or InputTransformer made of it.
	Payload []byte
	// Event is the original event, for parameters that are JSONPaths into
	// it (dynamic values always refer to the original event).
	Event       []byte
	EventID     string
	RuleArn     string
	RuleName    string
	TraceHeader string // X-Ray trace header of PutEvents, if any
	// Hops is how often bus targets forwarded the event before (the loop
	// guard of bus targets).
	Hops uint8
	// Bus is the bus the event was routed on.
	Bus catalog.BusKey
}

// Role is the role the target is called as, or "".
func (r Request) Role() string { return r.Target.Role() }

// Custom says the target has an Input, InputPath or InputTransformer;
// kinds that take no event by default (ECS, Run Command) look at it.
func (r Request) Custom() bool { return r.Target != nil && r.Target.CustomInput() }

// Dynamic resolves a parameter value that may be a JSONPath into the
// original event: a value starting with "$." is looked up (a string value
// is used without its quotes, anything else as its JSON text, nothing
// found as ""); any other value is literal.
func (r Request) Dynamic(v string) string { return Dynamic(r.Event, v) }

// Dynamic is Request.Dynamic on any event.
func Dynamic(event []byte, v string) string {
	if !strings.HasPrefix(v, "$.") {
		return v
	}
	raw, ok := transform.Path(event, v)
	if !ok {
		return ""
	}
	if len(raw) >= 2 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s
		}
	}
	return string(raw)
}

// Result is the outcome of one attempt, for every kind.
type Result struct {
	Err error // nil: delivered
	// Code is the DLQ's ERROR_CODE when Err != nil (one of the Code
	// constants).
	Code      string
	Retryable bool
	// RetryAfter is the target's Retry-After: the earliest time for the
	// next attempt; < 0 asks for no further attempt.
	RetryAfter time.Duration
	// Status is the HTTP status the target answered, 0 when no answer came
	// (or the kind does not speak HTTP).
	Status int
}

// OK is the Result of a delivered event.
var OK = Result{}

// Fail is a Result that is not retried, with the DLQ code and message.
func Fail(code, msg string) Result { return Result{Code: code, Err: errorString(msg)} }

type errorString string

func (e errorString) Error() string { return string(e) }
