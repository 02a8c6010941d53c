package target

import (
	"encoding/json"
	"strings"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/transform"
)

// Request is one attempt to deliver one event to one target.
type Request struct {
	ARN    arn.ARN      // the target's ARN, parsed
	Target *wire.Target // the target as PutTargets stored it: parameters, RoleArn
	// Payload is what the target receives: the event, or what the target's
	// Input, InputPath or InputTransformer made of it.
	Payload []byte
	// Custom says the target has an Input, InputPath or InputTransformer;
	// kinds that take no event by default (ECS, Run Command) look at it.
	Custom bool
	// Event is the original event, for parameters that are JSONPaths into
	// it (dynamic values always refer to the original event).
	Event       []byte
	EventID     string
	RuleArn     string
	RuleName    string
	TraceHeader string // X-Ray trace header of PutEvents, if any
}

// Role is the role the target is called as, or "".
func (r Request) Role() string {
	if r.Target == nil || r.Target.RoleArn == nil {
		return ""
	}
	return *r.Target.RoleArn
}

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

// Result is the outcome of one attempt.
type Result struct {
	Retryable bool
	Code      string // the DLQ's ERROR_CODE when Err != nil
	Err       error
}

// OK is the Result of a delivered event.
var OK = Result{}

// Fail is a Result that is not retried, with the DLQ code and message.
func Fail(code, msg string) Result { return Result{Code: code, Err: errorString(msg)} }

type errorString string

func (e errorString) Error() string { return string(e) }
