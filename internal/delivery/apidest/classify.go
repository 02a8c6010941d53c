package apidest

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
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
func invalid(err error) target.Result {
	return target.Result{Code: target.CodeInvalidParameter, Err: err}
}

// statusResult classifies a response: 2xx succeeds; 429 and 5xx are retried;
// 1xx, 3xx and other 4xx are not (EventBridge user guide, API destinations).
func statusResult(op, u string, status int) target.Result {
	r := target.Result{Status: status}
	switch {
	case status >= 200 && status < 300:
		return r
	case status == 429:
		r.Retryable, r.Code = true, target.CodeThrottling
	case status >= 500 && status < 600:
		r.Retryable, r.Code = true, target.CodeSDKClientError
	default:
		r.Code = target.CodeSDKClientError
	}
	r.Err = &Error{Op: op, URL: u, Status: status, Err: ErrStatus}
	return r
}

// transportFailure classifies an attempt that got no response, as every
// kind does (target.ClassifyTransport); the error names the operation and
// the URL without its query, and never the query's secrets.
func transportFailure(ctx context.Context, op, u string, err error) target.Result {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the full URL, query included
	}
	r := target.ClassifyTransport(ctx, err)
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	r.Err = &Error{Op: op, URL: u, Err: err}
	return r
}

// tokenFailure turns a failed token fetch into the invocation's result. The
// destination was not called, so Status stays 0; the token endpoint's own
// classification (retryable on timeouts, connection errors, 429, 5xx) is
// kept, since EventBridge recommends retries precisely so that a token can be
// obtained on a later attempt.
func tokenFailure(err error) target.Result {
	var te *tokenError
	if errors.As(err, &te) {
		return target.Result{Retryable: te.retryable, Code: te.code, Err: err}
	}
	return target.Result{Retryable: true, Err: err} // ctx ended while waiting for another fetch
}

// tokenError carries a token fetch's classification next to its Error.
type tokenError struct {
	err       *Error
	retryable bool
	code      string
}

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }
