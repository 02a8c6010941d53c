package codepipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
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
	return target.Request{ARN: a, Target: &wire.Target{Arn: aws.String(pipelineARN)},
		Payload: []byte(payload), Custom: custom, Event: []byte(event), EventID: "e-1", RuleName: "on-upload"}
}

// standIn is a CodePipeline endpoint speaking the awsJson1_1 protocol. moto
// 5.2.1 has CreatePipeline but neither StartPipelineExecution nor
// GetPipelineState ("has not been implemented"), so every test here talks
// to this stand-in, which knows the pipelines in names, records each
// request and answers as CodePipeline does.
type standIn struct {
	names map[string]bool
	// status and body, when status is not 0, answer every request.
	status int
	body   string

	mu      sync.Mutex
	targets []string
	bodies  []map[string]any
}

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	s.mu.Lock()
	s.targets = append(s.targets, r.Header.Get("X-Amz-Target"))
	s.bodies = append(s.bodies, m)
	n := len(s.targets)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch {
	case s.status != 0:
		w.WriteHeader(s.status)
		_, _ = io.WriteString(w, s.body)
	case r.Header.Get("X-Amz-Target") != "CodePipeline_20150709.StartPipelineExecution":
		w.WriteHeader(400)
		_, _ = io.WriteString(w, `{"__type":"UnknownOperationException"}`)
	case !s.names[fmt.Sprint(m["name"])]:
		w.WriteHeader(400)
		_, _ = fmt.Fprintf(w, `{"__type":"PipelineNotFoundException","message":"Account '123456789012' does not have a pipeline with name '%v'"}`, m["name"])
	default:
		_, _ = fmt.Fprintf(w, `{"pipelineExecutionId":"00000000-0000-0000-0000-%012d"}`, n)
	}
}

func TestStartPipelineExecution(t *testing.T) {
	t.Parallel()
	s := &standIn{names: map[string]bool{"release-1.x": true}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := targettest.Clients(srv.URL)
	ctx := context.Background()

	// The input, the target's own or the event, is not part of the request.
	for _, tc := range []struct {
		payload string
		custom  bool
	}{{event, false}, {`{"variables":[{"name":"x","value":"y"}]}`, true}} {
		if r := codepipeline.Deliver(ctx, c, request(t, "arn:aws:codepipeline:eu-west-1:123456789012:release-1.x", tc.payload, tc.custom)); r.Err != nil {
			t.Fatalf("deliver: %+v", r)
		}
	}
	if len(s.targets) != 2 {
		t.Fatalf("%d requests, want 2", len(s.targets))
	}
	// The SDK fills the idempotency token itself, a fresh one per call:
	// two deliveries are two executions.
	tokens := map[string]bool{}
	for i, b := range s.bodies {
		tok, _ := b["clientRequestToken"].(string)
		tokens[tok] = true
		delete(b, "clientRequestToken")
		if g := jsonText(b); g != `{"name":"release-1.x"}` || tok == "" || s.targets[i] != "CodePipeline_20150709.StartPipelineExecution" {
			t.Errorf("request %d: %s %s token %q", i, s.targets[i], g, tok)
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
		r := codepipeline.Deliver(ctx, c, request(t, tc.arn, event, false))
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable || r.Code != tc.code {
			t.Errorf("%s: retryable %v code %s (%v); want not retried, %s", tc.name, r.Retryable, r.Code, r.Err, tc.code)
		}
	}
	// The longest name a pipeline can have is sent.
	long := strings.Repeat("p", 100)
	s.names[long] = true
	if r := codepipeline.Deliver(ctx, c, request(t, "arn:aws:codepipeline:eu-west-1:123456789012:"+long, event, false)); r.Err != nil {
		t.Errorf("100-character name: %+v", r)
	}
	if len(s.targets) != 4 {
		t.Errorf("%d requests, want 4: an ARN that names no pipeline is not sent", len(s.targets))
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
			srv := httptest.NewServer(&standIn{status: tc.status, body: tc.body})
			defer srv.Close()
			r := codepipeline.Deliver(context.Background(), targettest.Clients(srv.URL), request(t, pipeline, event, false))
			if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
				t.Errorf("retryable %v code %s (%v); want %v %s", r.Retryable, r.Code, r.Err, tc.retryable, tc.code)
			}
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		c := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
		r := codepipeline.Deliver(context.Background(), c, request(t, pipeline, event, false))
		if !r.Retryable || r.Code != target.CodeConnectionFailure {
			t.Errorf("retryable %v code %s (%v)", r.Retryable, r.Code, r.Err)
		}
	})
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
