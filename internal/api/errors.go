package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/store"
)

// ErrorCode is the wire name of an error (the "__type" of an error body).
// Every error the API sends is one of these; Status gives its HTTP status.
type ErrorCode string

// The one table of wire errors. Model exceptions first, then the undeclared
// codes the real service uses (validation, protocol and authentication).
const (
	AccessDenied           ErrorCode = "AccessDeniedException"
	ConcurrentModification ErrorCode = "ConcurrentModificationException"
	IllegalStatus          ErrorCode = "IllegalStatusException"
	Internal               ErrorCode = "InternalException"
	InvalidEventPattern    ErrorCode = "InvalidEventPatternException"
	InvalidState           ErrorCode = "InvalidStateException"
	LimitExceeded          ErrorCode = "LimitExceededException"
	ManagedRule            ErrorCode = "ManagedRuleException"
	OperationDisabled      ErrorCode = "OperationDisabledException"
	PolicyLengthExceeded   ErrorCode = "PolicyLengthExceededException"
	ResourceAlreadyExists  ErrorCode = "ResourceAlreadyExistsException"
	ResourceNotFound       ErrorCode = "ResourceNotFoundException"
	Throttling             ErrorCode = "ThrottlingException"

	Validation          ErrorCode = "ValidationException"
	Serialization       ErrorCode = "SerializationException"
	UnknownOperation    ErrorCode = "UnknownOperationException"
	NotImplemented      ErrorCode = "NotImplementedException"
	RequestTooLarge     ErrorCode = "RequestEntityTooLargeException"
	RequestTimeout      ErrorCode = "RequestTimeoutException"
	MissingAuthToken    ErrorCode = "MissingAuthenticationTokenException"
	UnrecognizedClient  ErrorCode = "UnrecognizedClientException"
	InvalidSignature    ErrorCode = "InvalidSignatureException"
	IncompleteSignature ErrorCode = "IncompleteSignatureException"
	MethodNotAllowed    ErrorCode = "MethodNotAllowedException"
	ServiceUnavailable  ErrorCode = "ServiceUnavailableException"
)

// Status is the HTTP status AWS sends with the code. The model declares no
// status for any exception, so the awsJson defaults apply: 400 for client
// faults, 500 for InternalException; authentication codes follow AWS's
// common-errors page. NotImplementedException (an operation Switchyard does not
// serve yet) is a 400 on purpose: SDKs retry 5xx answers, and retrying cannot
// help.
func (c ErrorCode) Status() int {
	switch c {
	case Internal:
		return http.StatusInternalServerError
	case ServiceUnavailable:
		return http.StatusServiceUnavailable
	case MissingAuthToken, UnrecognizedClient:
		return http.StatusForbidden
	case RequestTooLarge:
		return http.StatusRequestEntityTooLarge
	case RequestTimeout:
		return http.StatusRequestTimeout
	case MethodNotAllowed:
		return http.StatusMethodNotAllowed
	}
	return http.StatusBadRequest
}

// Error is an error with a wire code and AWS's message text.
type Error struct {
	Code    ErrorCode
	Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf builds an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// toWire turns any error an operation returns into the *Error to send: the
// one place where catalog errors become AWS's codes and messages. op is the
// operation's name (its messages name a verb: "Failed to describe the
// connection(s)."). Anything else that is not already an *Error is an
// internal fault: its text stays in the server log (known is false) and the
// client gets a generic message without internals.
func toWire(op string, err error) (e *Error, known bool) {
	if errors.As(err, &e) {
		return e, true
	}
	var ce *catalog.Error
	if errors.As(err, &ce) {
		if e := catalogError(op, ce); e != nil {
			return e, true
		}
	}
	if why := storeRefusal(err); why != "" {
		return Errorf(ServiceUnavailable, "%s The change was not made; try again later.", why), true
	}
	switch {
	case errors.Is(err, catalog.ErrContention):
		return Errorf(ConcurrentModification, "Another request changed the resource at the same time; try again."), true
	case errors.Is(err, catalog.ErrStatementNotFound), errors.Is(err, catalog.ErrPolicyMalformed):
		return Errorf(ResourceNotFound, "Statement with the provided id does not exist."), true
	}
	return &Error{Code: Internal, Message: "An internal error occurred."}, false
}

// What a client is told when the store cannot take a write: an event
// (PutEvents' per-entry InternalFailure) or a change (ServiceUnavailable-
// Exception, HTTP 503, which SDKs retry with backoff). The server log and
// GET /_switchyard/health say more.
// storeRefusal is what a client is told of err, or "" when it is not the
// store refusing a write.
func storeRefusal(err error) string {
	switch {
	case errors.Is(err, store.ErrFull):
		return "The event store is out of space."
	case errors.Is(err, store.ErrUnavailable):
		return "The event store cannot write now."
	}
	return ""
}

// catalogError is AWS's answer for a catalog error about one resource, or
// nil for one with no answer of its own (a store failure).
func catalogError(op string, e *catalog.Error) *Error {
	// The verb of the connection and API destination messages: the
	// operation's first word, lower case (describe, update, deauthorize, ...).
	verb := op
	for i, r := range op {
		if i > 0 && 'A' <= r && r <= 'Z' {
			verb = op[:i]
			break
		}
	}
	verb = strings.ToLower(verb)
	switch {
	case errors.Is(e.Err, catalog.ErrNotFound):
		switch e.Kind {
		case catalog.KindBus:
			return busNotFound(e.Name)
		case catalog.KindRule:
			return ruleNotFound(e.Name, e.Bus)
		case catalog.KindConnection:
			if !strings.HasSuffix(op, "Connection") {
				// Named by another resource (an API destination's ConnectionArn).
				return Errorf(ResourceNotFound, "Connection '%s' does not exist.", e.Name)
			}
			return Errorf(ResourceNotFound, "Failed to %s the connection(s). Connection '%s' does not exist.", verb, e.Name)
		case catalog.KindAPIDestination:
			return Errorf(ResourceNotFound, "Failed to %s the api-destination(s). An api-destination '%s' does not exist.", verb, e.Name)
		}
	case errors.Is(e.Err, catalog.ErrExists):
		switch e.Kind {
		case catalog.KindBus:
			return Errorf(ResourceAlreadyExists, "Event bus %s already exists.", e.Name)
		case catalog.KindConnection:
			return Errorf(ResourceAlreadyExists, "Connection '%s' already exists.", e.Name)
		case catalog.KindAPIDestination:
			return Errorf(ResourceAlreadyExists, "An api-destination '%s' already exists.", e.Name)
		}
	case errors.Is(e.Err, catalog.ErrBusHasRules):
		return Errorf(Validation, "EventBus can't be deleted since it has rules.")
	}
	return nil
}
