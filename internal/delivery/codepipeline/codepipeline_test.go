package codepipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/codepipeline"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"version":"0","id":"e-1","detail-type":"Object Created","source":"aws.s3","account":"123456789012","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{}}`

func request(t *testing.T, pipelineARN, payload string, custom bool) target.Request {
	t.Helper()
	a, err := arn.Parse(pipelineARN)
	if err != nil {
		t.Fatal(err)
	}
	tg := &catalog.Target{ARN: pipelineARN}
	if custom {
		tg.Input = aws.String(payload)
	}
	return target.Request{ARN: a, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: "e-1", RuleName: "on-upload"}
}

// standIn is a CodePipeline endpoint speaking the awsJson1_1 protocol.
// moto 5.2.1 has CreatePipeline but neither StartPipelineExecution nor
// GetPipelineState ("has not been implemented"), so every test here talks
// to this stand-in, which knows the pipelines in names and answers as
// CodePipeline does, or, when fixed is not nil, answers every request with
// it.
type standIn struct {
	*targettest.StandIn
	mu    sync.Mutex
	names map[string]bool
}

func newStandIn(t *testing.T, names map[string]bool, fixed *targettest.Answer) *standIn {
	s := &standIn{names: names}
	s.StandIn = targettest.NewStandIn(t, func(r targettest.Request) targettest.Answer {
		if fixed != nil {
			return *fixed
		}
		name := fmt.Sprint(r.JSON()["name"])
		s.mu.Lock()
		known := s.names[name]
		s.mu.Unlock()
		switch {
		case r.Target() != "CodePipeline_20150709.StartPipelineExecution":
			return targettest.JSONError(400, "UnknownOperationException", "")
		case !known:
			return targettest.JSONError(400, "PipelineNotFoundException", fmt.Sprintf("Account '123456789012' does not have a pipeline with name '%s'", name))
		}
		return targettest.JSONAnswer(`{"pipelineExecutionId":"00000000-0000-0000-0000-000000000001"}`)
	})
	return s
}

// add makes a pipeline known.
func (s *standIn) add(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names[name] = true
}

// started are the StartPipelineExecution requests the stand-in accepted.
func (s *standIn) started() []targettest.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []targettest.Request
	for _, r := range s.Requests() {
		if r.Target() == "CodePipeline_20150709.StartPipelineExecution" && s.names[fmt.Sprint(r.JSON()["name"])] {
			out = append(out, r)
		}
	}
	return out
}

func TestStartPipelineExecution(t *testing.T) {
	t.Parallel()
	s := newStandIn(t, map[string]bool{"release-1.x": true}, nil)
	c := targettest.Clients(s.URL)
	ctx := context.Background()

	// The input, the target's own or the event, is not part of the request.
	for _, tc := range []struct {
		payload string
		custom  bool
	}{{event, false}, {`{"variables":[{"name":"x","value":"y"}]}`, true}} {
		if r := codepipeline.New(c).Deliver(ctx, request(t, "arn:aws:codepipeline:eu-west-1:123456789012:release-1.x", tc.payload, tc.custom)); r.Err != nil {
			t.Fatalf("deliver: %+v", r)
		}
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	// The SDK fills the idempotency token itself, a fresh one per call:
	// two deliveries are two executions.
	tokens := map[string]bool{}
	for i, r := range reqs {
		b := r.JSON()
		tok, _ := b["clientRequestToken"].(string)
		tokens[tok] = true
		delete(b, "clientRequestToken")
		if g := jsonText(b); g != `{"name":"release-1.x"}` || tok == "" || r.Target() != "CodePipeline_20150709.StartPipelineExecution" {
			t.Errorf("request %d: %s %s token %q", i, r.Target(), g, tok)
		}
	}
	if len(tokens) != 2 {
		t.Errorf("the two deliveries had the same client request token")
	}

	for _, tc := range []struct {
		name, arn string
		code      string
	}{
		{"pipeline does not exist", "arn:aws:codepipeline:eu-west-1:123456789012:nope", target.CodeNoResource},
		{"not a pipeline name", "arn:aws:codepipeline:eu-west-1:123456789012:release/1", target.CodeNoResource},
		{"name over 100 characters", "arn:aws:codepipeline:eu-west-1:123456789012:" + strings.Repeat("p", 101), target.CodeNoResource},
	} {
		r := codepipeline.New(c).Deliver(ctx, request(t, tc.arn, event, false))
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable || r.Code != tc.code {
			t.Errorf("%s: retryable %v code %s (%v); want not retried, %s", tc.name, r.Retryable, r.Code, r.Err, tc.code)
		}
	}
	// The longest name a pipeline can have is sent.
	long := strings.Repeat("p", 100)
	s.add(long)
	if r := codepipeline.New(c).Deliver(ctx, request(t, "arn:aws:codepipeline:eu-west-1:123456789012:"+long, event, false)); r.Err != nil {
		t.Errorf("100-character name: %+v", r)
	}
	if n := s.Calls(); n != 4 {
		t.Errorf("%d requests, want 4: an ARN that names no pipeline is not sent", n)
	}
}

// TestStartPipelineExecutionAnswers classifies CodePipeline's error answers
// and no answer.
func TestStartPipelineExecutionAnswers(t *testing.T) {
	t.Parallel()
	const pipeline = "arn:aws:codepipeline:us-east-1:123456789012:release"
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		retryable bool
		code      string
	}{
		{"pipeline busy", 400, `{"__type":"ConflictException","message":"pipeline is busy"}`, true, target.CodeThrottling},
		{"execution limit", 400, `{"__type":"ConcurrentPipelineExecutionsLimitExceededException","message":"limit"}`, true, target.CodeThrottling},
		{"validation", 400, `{"__type":"ValidationException","message":"bad"}`, false, target.CodeInvalidParameter},
		{"access denied", 400, `{"__type":"AccessDeniedException","message":"not authorized to perform: codepipeline:StartPipelineExecution"}`, false, target.CodeNoPermissions},
		{"throttled", 400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`, true, target.CodeThrottling},
		{"server error", 503, `{"__type":"ServiceUnavailableException"}`, true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := targettest.JSONAnswer(tc.body)
			a.Status = tc.status
			s := newStandIn(t, nil, &a)
			r := codepipeline.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, pipeline, event, false))
			if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
				t.Errorf("retryable %v code %s (%v); want %v %s", r.Retryable, r.Code, r.Err, tc.retryable, tc.code)
			}
		})
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestConformance: CodePipeline on the stand-in (moto has no
// StartPipelineExecution), which counts the executions it started.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		s := newStandIn(t, map[string]bool{"conformance": true}, nil)
		return targettest.Fixture{
			Kind:      codepipeline.New(targettest.Clients(s.URL)),
			ARN:       "arn:aws:codepipeline:us-east-1:123456789012:conformance",
			Source:    targettest.FromNothing,
			SourceWhy: "an execution is started with the pipeline's name alone: EventBridge documents no mapping of the event to a pipeline's variables",
			Received: func(*testing.T) []targettest.Delivery {
				return make([]targettest.Delivery, len(s.started()))
			},
			At: targettest.At(codepipeline.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				NotFound: targettest.Fault{Status: 400, Code: "PipelineNotFoundException", Message: "Account '123456789012' does not have a pipeline with name 'conformance'"}},
			Missing: "arn:aws:codepipeline:us-east-1:123456789012:nope",
			Malformed: []string{
				"arn:aws:codepipeline:eu-west-1:123456789012:release/1",
				"arn:aws:codepipeline:eu-west-1:123456789012:" + strings.Repeat("p", 101),
			},
			Without: map[string]string{
				targettest.TraceRow: "nothing of the event reaches a pipeline: StartPipelineExecution takes the name and a client token",
			},
		}
	})
}
