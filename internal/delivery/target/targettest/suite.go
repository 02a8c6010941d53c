package targettest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// The conformance suite of target.Kind. Every kind, the sixteen AWS kinds,
// SQS, API destinations and event buses, runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		targettest.Run(t, func(t *testing.T) targettest.Fixture { ... })
//	}
//
// A Fixture describes only how to reach a target of the kind and how to
// observe what it received; the suite holds the table of behaviours every
// kind must have, each a subtest:
//
//   - "delivers the input": one delivery succeeds, and what arrives at the
//     target (read back from moto, a stand-in, or Switchyard's own stream)
//     is the suite's document, exactly as sent.
//   - "trace header": a delivery with Request.TraceHeader carries it to the
//     target (where the kind sends it), one without carries none.
//   - "failures/<class>": each Class of failure is classified as EventBridge
//     classifies it: throttling, 5xx answers, timeouts and refused
//     connections retried; a missing resource (NO_RESOURCE) and missing
//     permissions (NO_PERMISSIONS) not. A failure the fault endpoint answers,
//     and a timeout at the hanging endpoint, come of exactly one call: the
//     kind leaves retries to the dispatcher, the SDK makes none of its own.
//   - "malformed ARN/<case>": CheckARN refuses the ARN, and Deliver fails
//     NO_RESOURCE, not retried, without a call and without panicking.
//   - "empty request": Deliver on a request with no target, payload or
//     event does not panic.
//
// A row a kind cannot run is named in Fixture.Without with the reason; the
// suite does not run that row alone, and logs it with its reason. The first
// row and the empty request cannot be excluded: every kind delivers. A
// malformed ARN row can, where the ARN the suite makes is in fact a valid
// one of the kind (an SSM document's ARN without an account is one AWS
// owns); the kind's own Malformed ARNs cannot.

// classes are the classes of failure, in the order the suite runs them.
var classes = []Class{Throttled, TooManyRequests, ServerError, Unavailable, Timeout, Refused, NoResource, NoPermissions}

// The account and region of the suite's events.
const (
	account = "123456789012"
	region  = "us-east-1"
)

// Run runs the suite on the kind newFixture describes. newFixture is called
// once; what it starts, it stops with t.Cleanup.
func Run(t *testing.T, newFixture func(t *testing.T) Fixture) {
	t.Helper()
	s := &suite{f: newFixture(t)}
	s.check(t)
	// An excluded row is logged here, not skipped: a row a kind cannot run
	// by its nature is part of the kind's documented contract, and CI
	// counts a skip as a test not run. It gets no subtest, which would show
	// as passed.
	for _, row := range slices.Sorted(maps.Keys(s.f.Without)) {
		t.Logf("not run: %s: %s", row, s.f.Without[row])
	}
	t.Run("delivers the input", s.delivers)
	if s.runs(TraceRow) {
		t.Run(TraceRow, s.trace)
	}
	t.Run("failures", func(t *testing.T) {
		for _, c := range classes {
			if s.runs(FailureRow(c)) {
				t.Run(string(c), func(t *testing.T) { s.failure(t, c) })
			}
		}
		if s.f.Missing != "" {
			t.Run("missing resource at the target", s.missing)
		}
	})
	t.Run("malformed ARN", s.malformed)
	t.Run("empty request", s.empty)
}

type suite struct {
	f   Fixture
	arn arn.ARN
}

// rows are the names Without may use.
func rows() []string {
	r := []string{TraceRow}
	for _, c := range classes {
		r = append(r, FailureRow(c))
	}
	for _, m := range malformed(arn.ARN{}) {
		r = append(r, MalformedRow(m.name))
	}
	return r
}

// check refuses a fixture that does not say what the suite needs.
func (s *suite) check(t *testing.T) {
	t.Helper()
	f := s.f
	if f.Kind == nil || f.Received == nil {
		t.Fatal("targettest: the fixture needs Kind and Received")
	}
	a, err := arn.Parse(f.ARN)
	if err != nil {
		t.Fatalf("targettest: the fixture's ARN %q: %v", f.ARN, err)
	}
	s.arn = a
	if err := s.checkARN(t, f.Kind, a); err != nil {
		t.Fatalf("targettest: CheckARN refuses the fixture's own ARN %s: %v", f.ARN, err)
	}
	known := rows()
	for row, why := range f.Without {
		if !slices.Contains(known, row) {
			t.Fatalf("targettest: Without names %q, which is no row that may be skipped (%q)", row, known)
		}
		if strings.TrimSpace(why) == "" {
			t.Fatalf("targettest: Without[%q] gives no reason", row)
		}
	}
	if f.Source != FromPayload && strings.TrimSpace(f.SourceWhy) == "" {
		t.Fatal("targettest: a kind whose document does not come from the payload says why (SourceWhy)")
	}
	if f.Source == FromNothing && f.Without[TraceRow] == "" {
		t.Fatal("targettest: a kind that sends nothing of the event cannot show where the trace header went: name TraceRow in Without")
	}
	for _, c := range classes {
		if f.At == nil && f.Provoke[c] == nil && f.Without[FailureRow(c)] == "" {
			t.Fatalf("targettest: the fixture has no At: Provoke or Without must cover %q", c)
		}
	}
}

// runs reports whether the suite runs the row: whether the fixture does not
// name it in Without (Run logs those that it does).
func (s *suite) runs(row string) bool { return s.f.Without[row] == "" }

// document is a JSON object no other delivery of the test run carries,
// with what tends to go wrong on the way: a quoted string, non-ASCII
// text, numbers, null, nesting.
func document(role string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf(`{"targettest":%q,"nonce":"%s","n":42,"list":[1,"two",null,true,{"k":-0.5}],"text":"é ✓ \"quoted\" <tag>"}`,
		role, hex.EncodeToString(b))
}

// request is a delivery of the documents to c: payloadDoc made the
// payload (through Input), eventDoc the event's detail.
func (s *suite) request(t *testing.T, c Case, payloadDoc, eventDoc, trace string) target.Request {
	t.Helper()
	a, err := arn.Parse(c.ARN)
	if err != nil {
		t.Fatalf("targettest: ARN %q: %v", c.ARN, err)
	}
	payload := payloadDoc
	if s.f.Input != nil {
		payload = s.f.Input(payloadDoc)
	}
	id := newID()
	event := fmt.Sprintf(`{"version":"0","id":%q,"detail-type":"Switchyard conformance","source":"switchyard.targettest","account":%q,"time":%q,"region":%q,"resources":[],"detail":%s}`,
		id, account, time.Now().UTC().Format(time.RFC3339), region, eventDoc)
	tg := &catalog.Target{ID: "targettest"}
	if c.Target != nil {
		cp := *c.Target
		tg = &cp
	}
	tg.ARN = c.ARN
	return target.Request{ARN: a, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: id,
		RuleArn: arn.Rule(region, account, catalog.DefaultBus, "targettest"), RuleName: "targettest", TraceHeader: trace,
		Bus: catalog.BusKey{Account: account, Region: region, Name: catalog.DefaultBus}}
}

// real is the fixture's own case.
func (s *suite) real() Case { return Case{Kind: s.f.Kind, ARN: s.f.ARN, Target: s.f.Target} }

// complete fills the empty fields of c with the fixture's.
func (s *suite) complete(c Case) Case {
	if c.Kind == nil {
		c.Kind = s.f.Kind
	}
	if c.ARN == "" {
		c.ARN = s.f.ARN
	}
	if c.Target == nil {
		c.Target = s.f.Target
	}
	return c
}

// newID is an event id in the form PutEvents gives (a UUID).
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// traceHeader is an X-Ray trace header no other delivery carries.
func traceHeader() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return fmt.Sprintf("Root=1-%08x-%s;Sampled=1", time.Now().Unix(), hex.EncodeToString(b))
}

// deliver calls Deliver, failing the test (not the process) on a panic.
func deliver(t *testing.T, k target.Kind, ctx context.Context, r target.Request) (res target.Result) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Deliver panicked on %s: %v\n%s", r.ARN, p, debug.Stack())
		}
	}()
	return k.Deliver(ctx, r)
}

// checkARN calls CheckARN, failing the test on a panic.
func (s *suite) checkARN(t *testing.T, k target.Kind, a arn.ARN) (err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("CheckARN panicked on %q: %v\n%s", a, p, debug.Stack())
		}
	}()
	return k.CheckARN(a)
}

// attemptTimeout bounds one attempt of the suite that should get an
// answer: generous, since moto can be slow under a parallel test run.
// timeoutDeadline is the deadline of the attempt that gets none.
const (
	attemptTimeout  = 30 * time.Second
	timeoutDeadline = 300 * time.Millisecond
)

// find waits until the target received the delivery of doc and returns
// it. Targets that deliver asynchronously get as long as deliveries keep
// arriving (testwait).
func (s *suite) find(t *testing.T, doc string) Delivery {
	t.Helper()
	var found Delivery
	testwait.For(t, "the delivery at the target", func() testwait.Status {
		got := s.f.Received(t)
		for _, d := range got {
			if d.Doc == doc {
				found = d
				return testwait.Status{Done: true}
			}
		}
		docs := make([]string, len(got))
		for i, d := range got {
			docs[i] = d.Doc
		}
		return testwait.Status{Progress: int64(len(got)), Missing: fmt.Sprintf("the delivery of\n  %s\nthe target received %d deliveries:\n  %s",
			doc, len(got), strings.Join(docs, "\n  "))}
	})
	return found
}

// count waits until the target received n deliveries (FromNothing).
func (s *suite) count(t *testing.T, n int) {
	t.Helper()
	got := 0
	testwait.For(t, "the deliveries at the target", func() testwait.Status {
		got = len(s.f.Received(t))
		return testwait.Status{Done: got >= n, Progress: int64(got), Missing: fmt.Sprintf("%d of %d deliveries", n-got, n)}
	})
	if got != n {
		t.Fatalf("the target received %d deliveries, want %d", got, n)
	}
}

// sendOne makes one delivery to the real target that must succeed, and
// returns what the target received of it.
func (s *suite) sendOne(t *testing.T, trace string) Delivery {
	t.Helper()
	payloadDoc, eventDoc := document("payload"), document("event")
	before := len(s.f.Received(t))
	ctx, cancel := context.WithTimeout(t.Context(), attemptTimeout)
	defer cancel()
	res := deliver(t, s.f.Kind, ctx, s.request(t, s.real(), payloadDoc, eventDoc, trace))
	if res.Err != nil || res.Code != "" || res.Retryable {
		t.Fatalf("Deliver: %+v (%v)", res, res.Err)
	}
	switch s.f.Source {
	case FromEvent:
		return s.find(t, eventDoc)
	case FromNothing:
		s.count(t, before+1)
		return Delivery{}
	}
	return s.find(t, payloadDoc)
}

func (s *suite) delivers(t *testing.T) {
	if s.f.Source != FromPayload {
		t.Logf("the document comes from the %s: %s", map[Source]string{FromEvent: "event", FromNothing: "nothing"}[s.f.Source], s.f.SourceWhy)
	}
	s.sendOne(t, "")
}

func (s *suite) trace(t *testing.T) {
	if d := s.sendOne(t, ""); d.Trace != "" {
		t.Errorf("the target got trace header %q from a delivery without one", d.Trace)
	}
	want := traceHeader()
	if d := s.sendOne(t, want); d.Trace != want {
		t.Errorf("the target got trace header %q, want %q", d.Trace, want)
	}
}

// expect is the outcome each class must have: retried or not, and the
// codes it may have.
var expect = map[Class]struct {
	retryable bool
	codes     []string // nil: any code but ""
}{
	Throttled:       {true, []string{target.CodeThrottling}},
	TooManyRequests: {true, []string{target.CodeThrottling}},
	ServerError:     {true, nil},
	Unavailable:     {true, nil},
	// The caller's deadline ended the attempt: the kind may name it, or
	// leave it to the caller, who owns the context (target.Classify).
	Timeout:       {true, []string{"", target.CodeTimeout}},
	Refused:       {true, []string{target.CodeConnectionFailure}},
	NoResource:    {false, []string{target.CodeNoResource}},
	NoPermissions: {false, []string{target.CodeNoPermissions}},
}

func (s *suite) failure(t *testing.T, c Class) {
	var (
		cs    Case
		calls func() int // requests that reached the endpoint; nil when there is none to count
	)
	switch p := s.f.Provoke[c]; {
	case p != nil:
		cs = s.complete(p(t))
	case c == Timeout:
		h := HangingEndpoint(t)
		cs, calls = s.complete(s.f.At(t, h.URL)), h.Calls
	case c == Refused:
		cs = s.complete(s.f.At(t, RefusedEndpoint(t)))
	default:
		ep := FaultEndpoint(t, s.f.Errors.Protocol, s.f.Errors.fault(c))
		t.Logf("the endpoint answers %d %s", s.f.Errors.fault(c).Status, s.f.Errors.fault(c).Code)
		cs, calls = s.complete(s.f.At(t, ep.URL)), ep.Calls
	}
	timeout := attemptTimeout
	if c == Timeout {
		timeout = timeoutDeadline
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	res := deliver(t, cs.Kind, ctx, s.request(t, cs, document("payload"), document("event"), ""))
	t.Logf("%+v", res)
	want := expect[c]
	if res.Err == nil || res.Retryable != want.retryable || (want.codes == nil && res.Code == "") ||
		(want.codes != nil && !slices.Contains(want.codes, res.Code)) {
		t.Errorf("Deliver: retryable %v, code %q (%v); want retryable %v, code %s", res.Retryable, res.Code, res.Err,
			want.retryable, codes(want.codes))
	}
	if calls == nil {
		return
	}
	switch n := calls(); {
	case n == 0:
		t.Errorf("the kind failed without calling the endpoint: the failure is not the endpoint's answer")
	case n != 1:
		t.Errorf("the kind called the endpoint %d times, want once: retries are the dispatcher's, the SDK must not make its own", n)
	}
}

func codes(cs []string) string {
	if cs == nil {
		return "any"
	}
	q := make([]string, len(cs))
	for i, c := range cs {
		q[i] = fmt.Sprintf("%q", c)
	}
	return strings.Join(q, " or ")
}

func (s *suite) missing(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), attemptTimeout)
	defer cancel()
	res := deliver(t, s.f.Kind, ctx, s.request(t, Case{Kind: s.f.Kind, ARN: s.f.Missing, Target: s.f.Target}, document("payload"), document("event"), ""))
	t.Logf("%+v", res)
	if res.Err == nil || res.Retryable || res.Code != target.CodeNoResource {
		t.Errorf("Deliver to %s: retryable %v, code %q (%v); want NO_RESOURCE, not retried", s.f.Missing, res.Retryable, res.Code, res.Err)
	}
}

type badARN struct {
	name string
	arn  arn.ARN
}

// malformed is the suite's table of ARNs made of a, every one of which
// names nothing a kind delivers to.
func malformed(a arn.ARN) []badARN {
	with := func(change func(b *arn.ARN)) arn.ARN {
		b := a
		change(&b)
		return b
	}
	return []badARN{
		{MalformedService, with(func(b *arn.ARN) { b.Service = "nosuchservice" })},
		{MalformedResource, with(func(b *arn.ARN) { b.Resource = "" })},
		{MalformedRegion, with(func(b *arn.ARN) { b.Region = "" })},
		{MalformedAccount, with(func(b *arn.ARN) { b.Account = "" })},
		{MalformedGarbage, with(func(b *arn.ARN) { b.Resource = "\x00 garbage:/ *?" })},
		{MalformedZero, arn.ARN{}},
	}
}

func (s *suite) malformed(t *testing.T) {
	cases := malformed(s.arn)
	for _, m := range s.f.Malformed {
		a, err := arn.Parse(m)
		if err != nil {
			t.Fatalf("targettest: Malformed %q does not parse: %v", m, err)
		}
		name := m
		if len(name) > 72 {
			name = name[:69] + "..."
		}
		cases = append(cases, badARN{name, a})
	}
	// A call the kind should not have made shows at a fault endpoint, or
	// as a delivery at the real target.
	var ep *StandIn
	var at Case
	if s.f.At != nil {
		ep = FaultEndpoint(t, s.f.Errors.Protocol, s.f.Errors.fault(ServerError))
		at = s.complete(s.f.At(t, ep.URL))
	}
	before := len(s.f.Received(t))
	for _, m := range cases {
		if !s.runs(MalformedRow(m.name)) {
			continue
		}
		t.Run(strings.ReplaceAll(m.name, "/", "|"), func(t *testing.T) {
			if err := s.checkARN(t, s.f.Kind, m.arn); err == nil {
				t.Errorf("CheckARN(%q) accepts it", m.arn)
			}
			ctx, cancel := context.WithTimeout(t.Context(), attemptTimeout)
			defer cancel()
			bad := s.request(t, s.real(), document("payload"), document("event"), traceHeader())
			bad.ARN = m.arn
			bad.Target.ARN = m.arn.String()
			kinds := []target.Kind{s.f.Kind}
			if ep != nil {
				kinds = append(kinds, at.Kind)
			}
			for _, k := range kinds {
				for _, r := range []target.Request{bad, {ARN: m.arn}} {
					res := deliver(t, k, ctx, r)
					if res.Err == nil || res.Retryable || res.Code != target.CodeNoResource {
						t.Errorf("Deliver(%q): retryable %v, code %q (%v); want NO_RESOURCE, not retried", m.arn, res.Retryable, res.Code, res.Err)
					}
				}
			}
		})
	}
	if ep != nil && ep.Calls() != 0 {
		t.Errorf("Deliver called the endpoint %d times for ARNs it refuses", ep.Calls())
	}
	if after := len(s.f.Received(t)); after != before {
		t.Errorf("the target received %d deliveries for ARNs the kind refuses", after-before)
	}
}

// empty delivers requests that hold next to nothing, to a fault endpoint
// where the kind has one: whatever the result, no panic.
func (s *suite) empty(t *testing.T) {
	c := s.real()
	if s.f.At != nil {
		ep := FaultEndpoint(t, s.f.Errors.Protocol, s.f.Errors.fault(ServerError))
		c = s.complete(s.f.At(t, ep.URL))
	}
	a, err := arn.Parse(c.ARN)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), attemptTimeout)
	defer cancel()
	for _, r := range []target.Request{{ARN: a}, {ARN: a, Target: &catalog.Target{}}, {ARN: a, Target: &catalog.Target{Input: new(string)}}} {
		res := deliver(t, c.Kind, ctx, r)
		t.Logf("%+v", res)
	}
}
