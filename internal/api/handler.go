package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/event"
)

// targetPrefix is the X-Amz-Target namespace of the EventBridge API.
const targetPrefix = "AWSEvents."

// DefaultMaxBodyBytes bounds a request body. PutEvents carries at most 1 MiB
// of entries, which JSON escaping can grow; anything far beyond is refused
// before it is parsed.
const DefaultMaxBodyBytes = 8 << 20

// Config configures an API.
type Config struct {
	Catalog      *catalog.Catalog
	Auth         Authenticator
	Logger       *slog.Logger
	Limits       Limits
	MaxBodyBytes int64 // 0 means DefaultMaxBodyBytes
	// OAuth fetches the tokens of OAuth connections; nil leaves them
	// DEAUTHORIZED.
	OAuth OAuthAuthorizer
	// Events is where PutEvents stores accepted events; nil: PutEvents is
	// not served.
	Events EventWriter
}

// API is the http.Handler of the EventBridge API.
type API struct {
	cat     *catalog.Catalog
	auth    Authenticator
	log     *slog.Logger
	limits  Limits
	maxBody int64
	ops     map[string]operation
	oauth   OAuthAuthorizer
	events  EventWriter
}

// call is what an operation knows of its request.
type call struct {
	scope     catalog.Scope
	requestID string
	accessKey string
}

// operation decodes, validates and runs one operation on a request body.
type operation func(ctx context.Context, c *call, body []byte) (any, error)

// New returns the API handler.
func New(cfg Config) *API {
	a := &API{cat: cfg.Catalog, auth: cfg.Auth, log: cfg.Logger, limits: cfg.Limits, maxBody: cfg.MaxBodyBytes, oauth: cfg.OAuth, events: cfg.Events}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBodyBytes
	}
	a.limits = a.limits.withDefaults()
	a.ops = a.operations()
	return a
}

// ServeHTTP implements the AWS JSON 1.1 protocol.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	c := &call{requestID: newRequestID()}
	op := r.Header.Get("X-Amz-Target")
	out, err := a.serve(r, c, op)
	status := http.StatusOK
	if err != nil {
		e, known := toWire(strings.TrimPrefix(op, targetPrefix), err)
		if !known {
			a.log.Error("operation failed", "op", op, "request_id", c.requestID, "err", err)
		}
		status = e.Code.Status()
		writeError(w, c.requestID, e)
	} else {
		writeJSON(w, c.requestID, http.StatusOK, out)
	}
	a.log.Debug("request", "op", strings.TrimPrefix(op, targetPrefix), "status", status,
		"account", c.scope.Account, "request_id", c.requestID, "duration", time.Since(start))
}

func (a *API) serve(r *http.Request, c *call, target string) (any, error) {
	if r.Method != http.MethodPost {
		return nil, Errorf(MethodNotAllowed, "Only POST is supported; the operation is named by the X-Amz-Target header.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, a.maxBody+1))
	if err != nil {
		return nil, Errorf(Serialization, "Could not read the request body.")
	}
	if int64(len(body)) > a.maxBody {
		return nil, Errorf(RequestTooLarge, "Request body is larger than %d bytes.", a.maxBody)
	}
	id, err := a.auth.Authenticate(r, body)
	if err != nil {
		return nil, err
	}
	c.scope = catalog.Scope{Account: id.Account, Region: id.Region}
	c.accessKey = id.AccessKeyID
	name, ok := strings.CutPrefix(target, targetPrefix)
	run := a.ops[name]
	if !ok || run == nil {
		if len(target) > 128 {
			target = target[:128]
		}
		return nil, Errorf(UnknownOperation, "Unknown operation %q: the X-Amz-Target header must be AWSEvents.<Operation>.", target)
	}
	return run(r.Context(), c, body)
}

// empty is the output of operations that return nothing: AWS sends {}.
type empty struct{}

// validator is implemented by every generated input shape.
type validator interface{ Validate() error }

// op adapts a typed operation to the wire: decode the JSON body into a new
// input, validate it against the model's constraints, run it. The input's
// shape, what decoding checks member names against, is computed here, once.
func op[I any, PI interface {
	*I
	validator
}, O any](f func(context.Context, *call, *I) (*O, error)) operation {
	s := shapeOf(reflect.TypeFor[I]())
	return func(ctx context.Context, c *call, body []byte) (any, error) {
		in := PI(new(I))
		if err := s.decodeInput(body, in); err != nil {
			return nil, err
		}
		if err := in.Validate(); err != nil {
			return nil, &Error{Code: Validation, Message: err.Error()}
		}
		out, err := f(ctx, c, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return empty{}, nil
		}
		return out, nil
	}
}

// decodeInput is decode with a fast path for PutEvents, the one operation
// on the hot path. decodePutEvents either produces exactly what decode would
// or declines and leaves in untouched, so every other operation, and every
// PutEvents body it is not sure of, goes through encoding/json as before.
func (s *shape) decodeInput(body []byte, in any) error {
	if p, ok := in.(*wire.PutEventsRequest); ok && decodePutEvents(body, p) {
		return nil
	}
	return s.decode(body, in)
}

// decode reads a JSON object into v, whose shape is s. An empty body is {};
// members v does not know are ignored, as AWS does, and names are exact: a
// member named "name" is not Name but one more unknown member (exactNames
// hides such names from encoding/json, which would fold them onto Name).
func (s *shape) decode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return Errorf(Serialization, "Start of structure or map found where not expected.")
	}
	if err := json.Unmarshal(exactNames(body, s), v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return Errorf(Serialization, "Unexpected value type for member %s.", te.Field)
		}
		return Errorf(Serialization, "Request body is not valid JSON.")
	}
	return nil
}

func setCommonHeaders(w http.ResponseWriter, requestID string) {
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-1.1")
	// Exact spelling as AWS sends it; clients read it case-insensitively.
	h["x-amzn-RequestId"] = []string{requestID}
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
}

func writeJSON(w http.ResponseWriter, requestID string, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, requestID, &Error{Code: Internal, Message: "An internal error occurred."})
		return
	}
	setCommonHeaders(w, requestID)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, requestID string, e *Error) {
	setCommonHeaders(w, requestID)
	w.Header().Set("X-Amzn-ErrorType", string(e.Code))
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{string(e.Code), e.Message})
	w.WriteHeader(e.Code.Status())
	_, _ = w.Write(b)
}

// newRequestID returns a random UUID (version 4), the form AWS uses.
func newRequestID() string { return event.NewID() }
