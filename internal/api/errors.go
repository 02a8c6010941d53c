package api

import (
	"errors"
	"fmt"
	"net/http"
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

// asError turns any error into the *Error to send. Anything that is not
// already an *Error is an internal fault: its text stays in the server log and
// the client gets a generic message without internals.
func asError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return &Error{Code: Internal, Message: "An internal error occurred."}, false
}
