package targettest

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Request is one HTTP request as a server received it.
type Request struct {
	Method     string
	RequestURI string // as sent: the escaped path and the query
	Host       string
	Header     http.Header
	Body       []byte
}

func received(r *http.Request) Request {
	b, _ := io.ReadAll(r.Body)
	return Request{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: b}
}

// Path is the request's path, escaped as it was sent.
func (r Request) Path() string {
	p, _, _ := strings.Cut(r.RequestURI, "?")
	return p
}

// Query is the request's query string.
func (r Request) Query() url.Values {
	_, q, _ := strings.Cut(r.RequestURI, "?")
	v, _ := url.ParseQuery(q)
	return v
}

// Target is the X-Amz-Target header of an awsJson request
// ("Kinesis_20131202.PutRecord"), "" for other protocols.
func (r Request) Target() string { return r.Header.Get("X-Amz-Target") }

// JSON is the body decoded as a JSON object (numbers as float64), nil when
// it is not one.
func (r Request) JSON() map[string]any {
	var m map[string]any
	if json.Unmarshal(r.Body, &m) != nil {
		return nil
	}
	return m
}

// Form is the body of an awsQuery request (Action=Publish&...).
func (r Request) Form() url.Values {
	v, _ := url.ParseQuery(string(r.Body))
	return v
}

// Answer is what a stand-in sends back.
type Answer struct {
	Status int // 0: 200
	Header http.Header
	Body   string
}

// JSONAnswer is a success of an awsJson service.
func JSONAnswer(body string) Answer {
	return Answer{Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}}, Body: body}
}

// JSONError is an error as the awsJson1_0, awsJson1_1 and restJson1
// services write it: the code in the X-Amzn-ErrorType header and in the
// body's "__type", with the message. An empty code is a bare status with an
// empty body, as a load balancer in front of a service answers.
func JSONError(status int, code, message string) Answer {
	if code == "" {
		return Answer{Status: status}
	}
	b, _ := json.Marshal(map[string]string{"__type": code, "message": message})
	return Answer{Status: status, Body: string(b), Header: http.Header{
		"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Errortype": {code}}}
}

// QueryError is an error as the awsQuery services (SNS, STS, IAM) write
// it: the XML ErrorResponse document. An empty code is a bare status.
func QueryError(status int, code, message string) Answer {
	if code == "" {
		return Answer{Status: status}
	}
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	return Answer{Status: status, Header: http.Header{"Content-Type": {"text/xml"}}, Body: fmt.Sprintf(
		`<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>targettest</RequestId></ErrorResponse>`,
		typ, html.EscapeString(code), html.EscapeString(message))}
}

// StandIn is a local HTTP server in a service's place: it records every
// request and answers each as its answer function says.
type StandIn struct {
	URL string

	mu     sync.Mutex
	got    []Request
	answer func(Request) Answer
}

// NewStandIn starts a stand-in that answers answer(request); a nil answer
// is 200 with an empty body. t.Cleanup stops it.
func NewStandIn(t testing.TB, answer func(Request) Answer) *StandIn {
	t.Helper()
	s := &StandIn{answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		r := received(hr)
		s.mu.Lock()
		s.got = append(s.got, r)
		answer := s.answer
		s.mu.Unlock()
		var a Answer
		if answer != nil {
			a = answer(r)
		}
		for k, vs := range a.Header {
			w.Header()[k] = vs
		}
		if a.Status == 0 {
			a.Status = http.StatusOK
		}
		w.WriteHeader(a.Status)
		_, _ = io.WriteString(w, a.Body)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// SetAnswer changes how the stand-in answers from now on.
func (s *StandIn) SetAnswer(answer func(Request) Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answer = answer
}

// Requests is a copy of the requests received so far, in order.
func (s *StandIn) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.got...)
}

// Calls is how many requests the stand-in received.
func (s *StandIn) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}

// Deliveries are the requests received so far as a Fixture's Received
// reports them, for a kind that sends the payload as the body and the
// trace header as X-Amzn-Trace-Id (Lambda, API Gateway, API destinations).
func (s *StandIn) Deliveries() []Delivery {
	var out []Delivery
	for _, r := range s.Requests() {
		out = append(out, Delivery{Doc: string(r.Body), Trace: r.Header.Get("X-Amzn-Trace-Id")})
	}
	return out
}
