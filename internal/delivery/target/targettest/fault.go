package targettest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// Protocol is how a service writes its error answers.
type Protocol int

const (
	// JSON: the awsJson1_0, awsJson1_1 and restJson1 services (SQS, Lambda,
	// Kinesis, Step Functions, ECS, Batch, ...): see JSONError.
	JSON Protocol = iota
	// Query: the awsQuery services (SNS): see QueryError.
	Query
	// Plain: an HTTP endpoint that is no AWS API (API Gateway stages,
	// AppSync, API destinations): the status, with the message as a plain
	// body.
	Plain
)

// Fault is one error answer of a service.
type Fault struct {
	Status  int
	Code    string // the service's error code; "" for a bare status
	Message string
}

// Answer is f as protocol p writes it.
func (p Protocol) Answer(f Fault) Answer {
	msg := f.Message
	if msg == "" {
		msg = "from the targettest fault endpoint"
	}
	switch p {
	case Query:
		return QueryError(f.Status, f.Code, msg)
	case Plain:
		return Answer{Status: f.Status, Header: http.Header{"Content-Type": {"text/plain"}}, Body: msg}
	}
	return JSONError(f.Status, f.Code, msg)
}

// FaultEndpoint is a stand-in that answers every request with f, written
// as protocol p writes errors; its Calls count the requests.
func FaultEndpoint(t testing.TB, p Protocol, f Fault) *StandIn {
	t.Helper()
	a := p.Answer(f)
	return NewStandIn(t, func(Request) Answer { return a })
}

// Hanging is an endpoint that accepts every request and never answers:
// each request waits until its client gives up (or the test ends).
type Hanging struct {
	URL   string
	calls atomic.Int32
}

// HangingEndpoint starts a Hanging endpoint; t.Cleanup releases the
// requests still waiting and stops it.
func HangingEndpoint(t testing.TB) *Hanging {
	t.Helper()
	h := &Hanging{}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.calls.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	// Cleanups run last first: the requests are released before Close
	// waits for them.
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	h.URL = srv.URL
	return h
}

// Calls is how many requests arrived.
func (h *Hanging) Calls() int { return int(h.calls.Load()) }

// RefusedEndpoint is the URL of a loopback port that refuses connections
// for the rest of the test (see FreePort).
func RefusedEndpoint(t testing.TB) string {
	t.Helper()
	return fmt.Sprintf("http://127.0.0.1:%d", FreePort(t))
}
