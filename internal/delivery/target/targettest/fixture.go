package targettest

import (
	"testing"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// What a kind tells the conformance suite (see Run) about itself.

// Rows of the suite that a Fixture may name in Without: TraceRow, and
// FailureRow and MalformedRow of a case.
const TraceRow = "trace header"

// FailureRow is the row of one class of failure.
func FailureRow(c Class) string { return "failures/" + string(c) }

// MalformedRow is the row of one of the suite's malformed ARNs (see the
// Malformed* constants).
func MalformedRow(name string) string { return "malformed ARN/" + name }

// Class is a class of failed delivery the suite provokes.
type Class string

const (
	Throttled       Class = "throttling error"    // the service's own throttling error
	TooManyRequests Class = "429"                 // a bare 429
	ServerError     Class = "500"                 // the service's internal error
	Unavailable     Class = "503"                 // a bare 503
	Timeout         Class = "timeout"             // no answer before the attempt's deadline
	Refused         Class = "connection refused"  // nothing listens
	NoResource      Class = "missing resource"    // the target does not exist
	NoPermissions   Class = "missing permissions" // the caller may not call it
)

// The malformed ARNs the suite makes of Fixture.ARN for every kind.
const (
	MalformedService  = "wrong service"    // a service no kind has
	MalformedResource = "empty resource"   // nothing after the account
	MalformedRegion   = "no region"        // arn:aws:svc::123456789012:...
	MalformedAccount  = "no account"       // arn:aws:svc:us-east-1::...
	MalformedGarbage  = "garbage resource" // a resource no service names
	MalformedZero     = "zero ARN"         // every part empty
)

// Source is where the document a kind's target receives comes from.
type Source int

const (
	// FromPayload: the payload, the event or what the target's Input,
	// InputPath or InputTransformer made of it (most kinds).
	FromPayload Source = iota
	// FromEvent: the original event (bus targets forward it whole; a kind
	// whose parameters are JSONPaths into the event takes values from it).
	FromEvent
	// FromNothing: nothing; the call is a trigger (CodePipeline,
	// Inspector). The suite counts deliveries instead.
	FromNothing
)

// Fixture describes one target kind to the suite.
type Fixture struct {
	// Kind delivers to a target the fixture set up (in moto, in a stand-in,
	// in Switchyard's own catalog or stream), named by ARN. Target is the
	// target as PutTargets stored it, with the parameters the kind needs
	// (the suite sets its ARN); nil for none. A kind that reads the
	// payload only when the target has an input of its own (ECS, Batch,
	// SSM, CodeBuild) needs a Target with an Input, InputPath or
	// InputTransformer.
	Kind   target.Kind
	ARN    string
	Target *catalog.Target

	// Source is where the target's document comes from, and SourceWhy
	// says why when it is not the payload.
	Source    Source
	SourceWhy string
	// Input makes the payload the kind takes from the suite's document
	// doc, a compact JSON object: ECS's task overrides that carry it in an
	// environment variable, ... nil: doc itself is the payload.
	Input func(doc string) string
	// Received reads back every delivery the target received so far, in
	// any order: the document as the fixture finds it in what arrived
	// (undoing Input), and the trace header that came with it. For
	// FromNothing, one Delivery per delivery, Doc empty.
	Received func(t *testing.T) []Delivery

	// At is the kind set up so that every call it makes goes to endpoint
	// (a URL): the suite points it at its fault endpoints, a hanging one
	// and a refused port. Empty fields of the Case are the fixture's. Nil
	// for a kind that makes no call over HTTP (bus targets): then Provoke
	// or Without must cover every class.
	At func(t *testing.T, endpoint string) Case
	// Errors says how the service writes its errors, for the fault
	// endpoint.
	Errors Errors
	// Provoke provokes a class of failure the kind's own way, instead of a
	// fault endpoint: where the kind reaches no HTTP service (bus targets),
	// or a class is the kind's own configuration's (an API destination
	// missing from the catalog).
	Provoke map[Class]func(t *testing.T) Case
	// Missing, when not empty, is the ARN of a resource that does not
	// exist at the fixture's real target: Deliver to it must fail
	// NO_RESOURCE, from the real service's own answer.
	Missing string

	// Malformed are more ARNs the kind must refuse, beside the suite's own
	// table: near misses of the kind's own resource type.
	Malformed []string
	// Without names the rows the kind cannot run (TraceRow, FailureRow,
	// MalformedRow), each with the reason.
	Without map[string]string
}

// At is Fixture.At for an AWS kind: newKind (the kind package's New) on
// target clients that send every service to the endpoint.
func At[K target.Kind](newKind func(*target.Clients) K) func(*testing.T, string) Case {
	return func(_ *testing.T, endpoint string) Case { return Case{Kind: newKind(Clients(endpoint))} }
}

// Case is a kind ready to deliver to one target.
type Case struct {
	Kind   target.Kind
	ARN    string
	Target *catalog.Target
}

// Delivery is one delivery as its target received it.
type Delivery struct {
	Doc   string // the suite's document, as the target got it
	Trace string // the trace header that came with it; "" for none
}

// Errors says how a service writes its errors. A zero Fault is the
// protocol's usual one.
type Errors struct {
	Protocol     Protocol
	Throttling   Fault // the service's throttling error
	NotFound     Fault // the service's error for a target that does not exist
	AccessDenied Fault // the service's error for a caller it refuses
}

// fault is the answer of the fault endpoint for class c.
func (e Errors) fault(c Class) Fault {
	pick := func(f, json, query, plain Fault) Fault {
		if f.Status != 0 {
			return f
		}
		switch e.Protocol {
		case Query:
			return query
		case Plain:
			return plain
		}
		return json
	}
	switch c {
	case Throttled:
		return pick(e.Throttling, Fault{400, "ThrottlingException", "Rate exceeded"}, Fault{400, "Throttling", "Rate exceeded"}, Fault{Status: 429})
	case TooManyRequests:
		return Fault{Status: 429}
	case ServerError:
		return pick(Fault{}, Fault{500, "InternalFailure", ""}, Fault{500, "InternalError", ""}, Fault{Status: 500})
	case Unavailable:
		return Fault{Status: 503}
	case NoResource:
		return pick(e.NotFound, Fault{400, "ResourceNotFoundException", "not found"}, Fault{404, "NotFound", "not found"}, Fault{Status: 404})
	case NoPermissions:
		return pick(e.AccessDenied, Fault{400, "AccessDeniedException", "not authorized"}, Fault{403, "AccessDenied", "not authorized"}, Fault{Status: 403})
	}
	panic("targettest: no fault for " + string(c))
}
