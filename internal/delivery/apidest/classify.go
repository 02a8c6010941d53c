package apidest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
)

// DLQ ERROR_CODE values (see the package doc for the choice).
const (
	CodeTimeout           = "TIMEOUT"
	CodeThrottling        = "THROTTLING"
	CodeConnectionFailure = "CONNECTION_FAILURE"
	CodeSDKClientError    = "SDK_CLIENT_ERROR"
	CodeInvalidParameter  = "INVALID_PARAMETER"
)

// Sentinel errors, found with errors.Is.
var (
	// ErrStatus: the endpoint answered with a status other than 2xx.
	ErrStatus = errors.New("apidest: unsuccessful HTTP status")
	// ErrTokenResponse: the authorization endpoint answered 2xx without a
	// usable access token.
	ErrTokenResponse = errors.New("apidest: malformed token response")
	// ErrInvalidRequest: the request cannot be built from its configuration.
	ErrInvalidRequest = errors.New("apidest: invalid request")
)

// Error describes a failed attempt. It never holds secrets: URL has no query
// or user info, and no header is quoted.
type Error struct {
	Op     string // "invoke" or "fetch token"
	URL    string
	Status int // 0 when no response arrived
	Err    error
}

func (e *Error) Error() string {
	s := "apidest: " + e.Op
	if e.URL != "" {
		s += " " + e.URL
	}
	if e.Status != 0 {
		s += fmt.Sprintf(": HTTP %d", e.Status)
	}
	if e.Err != nil && !errors.Is(e.Err, ErrStatus) {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

type invalidError struct{ msg string }

func (e invalidError) Error() string        { return "apidest: invalid request: " + e.msg }
func (e invalidError) Is(target error) bool { return target == ErrInvalidRequest }

func errorf(msg string) error { return invalidError{msg} }

// invalid is a configuration error: retrying cannot help.
func invalid(err error) Result {
	return Result{ErrorCode: CodeInvalidParameter, Err: err}
}

// statusResult classifies a response: 2xx succeeds; 429 and 5xx are retried;
// 1xx, 3xx and other 4xx are not (EventBridge user guide, API destinations).
func statusResult(op, u string, status int) Result {
	r := Result{Status: status}
	switch {
	case status >= 200 && status < 300:
		return r
	case status == 429:
		r.Retryable, r.ErrorCode = true, CodeThrottling
	case status >= 500 && status < 600:
		r.Retryable, r.ErrorCode = true, CodeSDKClientError
	default:
		r.ErrorCode = CodeSDKClientError
	}
	r.Err = &Error{Op: op, URL: u, Status: status, Err: ErrStatus}
	return r
}

// transportFailure classifies an attempt that got no response. All of them
// are retried: timeouts and connection errors are in AWS's retried list, and
// a garbled response is as likely to be transient as a reset connection.
// When ctx itself ended, the caller gave up: no ErrorCode, and the event
// stays retryable.
func transportFailure(ctx context.Context, op, u string, err error) Result {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the full URL, query included
	}
	r := Result{Retryable: true, Err: &Error{Op: op, URL: u, Err: err}}
	if ctx.Err() != nil {
		r.Err = &Error{Op: op, URL: u, Err: ctx.Err()}
		return r
	}
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		r.ErrorCode = CodeTimeout
	case errors.As(err, &de) || (errors.As(err, &oe) && oe.Op == "dial"):
		r.ErrorCode = CodeConnectionFailure
	default:
		r.ErrorCode = CodeSDKClientError
	}
	return r
}

// tokenFailure turns a failed token fetch into the invocation's result. The
// destination was not called, so Status stays 0; the token endpoint's own
// classification (retryable on timeouts, connection errors, 429, 5xx) is
// kept, since EventBridge recommends retries precisely so that a token can be
// obtained on a later attempt.
func tokenFailure(err error) Result {
	var te *tokenError
	if errors.As(err, &te) {
		return Result{Retryable: te.retryable, ErrorCode: te.code, Err: err}
	}
	return Result{Retryable: true, Err: err} // ctx ended while waiting for another fetch
}

// tokenError carries a token fetch's classification next to its Error.
type tokenError struct {
	err       *Error
	retryable bool
	code      string
}

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }
