package batch_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awsbatch "github.com/aws/aws-sdk-go-v2/service/batch"
	"github.com/aws/aws-sdk-go-v2/service/batch/types"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/batch"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"version":"0","id":"e-1","detail-type":"Object Created","source":"aws.s3","account":"123456789012","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"bucket":{"name":"in"}}}`

func request(t *testing.T, queueARN string, p *wire.BatchParameters, payload string, custom bool) target.Request {
	t.Helper()
	a, err := arn.Parse(queueARN)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: a, Target: &wire.Target{Arn: aws.String(queueARN), BatchParameters: p},
		Payload: []byte(payload), Custom: custom, Event: []byte(event), EventID: "e-1", RuleName: "on-upload"}
}

// createRole makes an IAM role in moto, which checks that a compute
// environment's service role exists. There is no IAM SDK module in go.mod,
// so this is a signed Query API call.
func createRole(t *testing.T, motoURL, name string) string {
	t.Helper()
	body := url.Values{"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {name},
		"AssumeRolePolicyDocument": {`{"Version":"2012-10-17","Statement":[]}`}}.Encode()
	req, err := http.NewRequest(http.MethodPost, motoURL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	creds, _ := targettest.Config(motoURL).Credentials.Retrieve(context.Background())
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("CreateRole: %d %s", resp.StatusCode, b)
	}
	return "arn:aws:iam::123456789012:role/" + name
}

// noDocker switches moto's Batch to its backend that does not run jobs in
// Docker (they succeed at once): submitting and describing need no
// container, and moto then does not log container failures while the test
// reads its answers.
func noDocker(t *testing.T, motoURL string) {
	t.Helper()
	resp, err := http.Post(motoURL+"/moto-api/config", "application/json", strings.NewReader(`{"batch":{"use_docker":false}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("moto config: %s", resp.Status)
	}
}

// TestSubmitJobMoto submits jobs to a queue of moto and reads them back.
func TestSubmitJobMoto(t *testing.T) {
	t.Parallel()
	u := targettest.StartMoto(t)
	noDocker(t, u)
	ctx := context.Background()
	mc := awsbatch.NewFromConfig(targettest.Config(u))
	role := createRole(t, u, "batch-service")
	ce, err := mc.CreateComputeEnvironment(ctx, &awsbatch.CreateComputeEnvironmentInput{ComputeEnvironmentName: aws.String("local-env"),
		Type: types.CETypeUnmanaged, State: types.CEStateEnabled, ServiceRole: aws.String(role)})
	if err != nil {
		t.Fatal(err)
	}
	q, err := mc.CreateJobQueue(ctx, &awsbatch.CreateJobQueueInput{JobQueueName: aws.String("uploads"), State: types.JQStateEnabled, Priority: aws.Int32(1),
		ComputeEnvironmentOrder: []types.ComputeEnvironmentOrder{{Order: aws.Int32(1), ComputeEnvironment: ce.ComputeEnvironmentArn}}})
	if err != nil {
		t.Fatal(err)
	}
	queue := aws.ToString(q.JobQueueArn)
	if queue != "arn:aws:batch:us-east-1:123456789012:job-queue/uploads" {
		t.Fatalf("queue ARN %s", queue)
	}
	jd, err := mc.RegisterJobDefinition(ctx, &awsbatch.RegisterJobDefinitionInput{JobDefinitionName: aws.String("convert"), Type: types.JobDefinitionTypeContainer,
		ContainerProperties: &types.ContainerProperties{Image: aws.String("busybox"), Command: []string{"convert", "Ref::bucket"},
			ResourceRequirements: []types.ResourceRequirement{{Type: types.ResourceTypeVcpu, Value: aws.String("1")}, {Type: types.ResourceTypeMemory, Value: aws.String("128")}}}})
	if err != nil {
		t.Fatal(err)
	}
	c := targettest.Clients(u)
	jobs := func() []job {
		t.Helper()
		var ids []string
		for _, st := range []types.JobStatus{types.JobStatusSubmitted, types.JobStatusPending, types.JobStatusRunnable, types.JobStatusStarting,
			types.JobStatusRunning, types.JobStatusSucceeded, types.JobStatusFailed} {
			l, err := mc.ListJobs(ctx, &awsbatch.ListJobsInput{JobQueue: aws.String(queue), JobStatus: st})
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range l.JobSummaryList {
				ids = append(ids, aws.ToString(j.JobId))
			}
		}
		if len(ids) == 0 {
			return nil
		}
		return describeJobs(t, u, ids)
	}

	// The documented input: Parameters and ContainerOverrides.
	p := &wire.BatchParameters{JobDefinition: jd.JobDefinitionArn, JobName: aws.String("convert-upload"),
		ArrayProperties: &wire.BatchArrayProperties{Size: aws.Int32(2)}, RetryStrategy: &wire.BatchRetryStrategy{Attempts: aws.Int32(3)}}
	in := `{"Parameters":{"bucket":"in","size":42},"ContainerOverrides":{"Command":["convert","Ref::bucket","--fast"],"Environment":[{"Name":"BUCKET","Value":"in"}]},"Other":1}`
	if r := batch.Deliver(ctx, c, request(t, queue, p, in, true)); r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	got := jobs()
	var parent *job
	for i, j := range got {
		if j.ArrayProperties != nil && j.ArrayProperties.Size != nil {
			parent = &got[i]
		}
	}
	if parent == nil {
		t.Fatalf("no array job among %d jobs: %s", len(got), jsonText(got))
	}
	j := *parent
	if j.JobName != "convert-upload" || j.JobQueue != queue || j.JobDefinition != aws.ToString(jd.JobDefinitionArn) || *j.ArrayProperties.Size != 2 {
		t.Errorf("job %s", jsonText(j))
	}
	if len(j.Parameters) != 2 || j.Parameters["bucket"] != "in" || j.Parameters["size"] != "42" {
		t.Errorf("parameters %v", j.Parameters)
	}
	if j.Container == nil || strings.Join(j.Container.Command, " ") != "convert Ref::bucket --fast" {
		t.Fatalf("container %s", jsonText(j.Container))
	}
	env := map[string]string{}
	for _, e := range j.Container.Environment {
		env[e.Name] = e.Value
	}
	if env["BUCKET"] != "in" {
		t.Errorf("environment %v", env)
	}

	// Without its own input the job runs as defined, and the event adds
	// nothing.
	before := len(got)
	if r := batch.Deliver(ctx, c, request(t, queue, &wire.BatchParameters{JobDefinition: aws.String("convert"), JobName: aws.String("plain")}, event, false)); r.Err != nil {
		t.Fatalf("deliver without input: %+v", r)
	}
	got = jobs()
	if len(got) != before+1 {
		t.Fatalf("%d jobs, want %d", len(got), before+1)
	}
	for _, j := range got {
		if j.JobName == "plain" && (len(j.Parameters) != 0 || strings.Join(j.Container.Command, " ") != "convert Ref::bucket") {
			t.Errorf("plain job: parameters %v command %v", j.Parameters, j.Container.Command)
		}
	}

	for _, tc := range []struct {
		name    string
		queue   string
		params  *wire.BatchParameters
		payload string
		custom  bool
		code    string
	}{
		{"queue does not exist", "arn:aws:batch:us-east-1:123456789012:job-queue/nope", &wire.BatchParameters{JobDefinition: aws.String("convert"), JobName: aws.String("x1")}, event, false, target.CodeNoResource},
		{"job definition does not exist", queue, &wire.BatchParameters{JobDefinition: aws.String("missing"), JobName: aws.String("x2")}, event, false, target.CodeNoResource},
		{"no job definition", queue, &wire.BatchParameters{JobName: aws.String("x3")}, event, false, target.CodeInvalidParameter},
		{"input not an object", queue, p, `["a"]`, true, target.CodeInvalidInput},
		{"parameter an object", queue, p, `{"Parameters":{"bucket":{"name":"in"}}}`, true, target.CodeInvalidInput},
		{"overrides of the wrong type", queue, p, `{"ContainerOverrides":{"Command":"convert"}}`, true, target.CodeInvalidInput},
		{"not a job queue ARN", "arn:aws:batch:us-east-1:123456789012:job-definition/convert:1", p, event, false, target.CodeNoResource},
	} {
		r := batch.Deliver(ctx, c, request(t, tc.queue, tc.params, tc.payload, tc.custom))
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable || r.Code != tc.code {
			t.Errorf("%s: retryable %v code %s (%v); want not retried, %s", tc.name, r.Retryable, r.Code, r.Err, tc.code)
		}
	}
	if n := len(jobs()); n != before+1 {
		t.Errorf("failed deliveries submitted jobs: %d, want %d", n, before+1)
	}
}

// job is what the tests read of DescribeJobs. moto 5.2.1 answers
// DescribeJobs with vcpus as 1.0 where the Batch model has an integer, and
// the Go SDK refuses the whole answer, so the jobs are read with a signed
// request of our own and decoded leniently.
type job struct {
	JobName         string
	JobQueue        string
	JobDefinition   string
	Parameters      map[string]string
	ArrayProperties *struct{ Size *int }
	Container       *struct {
		Command     []string
		Environment []struct{ Name, Value string }
	}
}

func describeJobs(t *testing.T, motoURL string, ids []string) []job {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"jobs": ids})
	req, err := http.NewRequest(http.MethodPost, motoURL+"/v1/describejobs", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	creds, _ := targettest.Config(motoURL).Credentials.Retrieve(context.Background())
	sum := sha256.Sum256(b)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "batch", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Jobs []job }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DescribeJobs: %d %v", resp.StatusCode, err)
	}
	return out.Jobs
}

// standIn is a Batch endpoint speaking the restJson1 protocol: it records
// each request and answers with status, error type and body.
type standIn struct {
	mu      sync.Mutex
	paths   []string
	bodies  []map[string]any
	status  int
	errType string
	body    string
}

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	s.mu.Lock()
	s.paths = append(s.paths, r.Method+" "+r.URL.Path)
	s.bodies = append(s.bodies, m)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if s.errType != "" {
		w.Header().Set("X-Amzn-ErrorType", s.errType)
	}
	w.WriteHeader(s.status)
	_, _ = io.WriteString(w, s.body)
}

// TestSubmitJobRequest checks the whole SubmitJob request, with the retry
// strategy moto does not keep.
func TestSubmitJobRequest(t *testing.T) {
	t.Parallel()
	s := &standIn{status: 200, body: `{"jobArn":"arn:aws:batch:eu-west-1:123456789012:job/1","jobName":"j","jobId":"1"}`}
	srv := httptest.NewServer(s)
	defer srv.Close()
	p := &wire.BatchParameters{JobDefinition: aws.String("convert:4"), JobName: aws.String("convert-upload"),
		ArrayProperties: &wire.BatchArrayProperties{Size: aws.Int32(10)}, RetryStrategy: &wire.BatchRetryStrategy{Attempts: aws.Int32(5)}}
	r := batch.Deliver(context.Background(), targettest.Clients(srv.URL), request(t, "arn:aws:batch:eu-west-1:123456789012:job-queue/uploads", p,
		`{"parameters":{"k":"v","on":true},"containerOverrides":{"command":["a"],"resourceRequirements":[{"type":"GPU","value":"1"}],"instanceType":"p3.2xlarge"}}`, true))
	if r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	if len(s.paths) != 1 || s.paths[0] != "POST /v1/submitjob" {
		t.Fatalf("calls %v", s.paths)
	}
	want := map[string]any{
		"jobQueue": "arn:aws:batch:eu-west-1:123456789012:job-queue/uploads", "jobDefinition": "convert:4", "jobName": "convert-upload",
		"arrayProperties": map[string]any{"size": float64(10)}, "retryStrategy": map[string]any{"attempts": float64(5)},
		"parameters": map[string]any{"k": "v", "on": "true"},
		"containerOverrides": map[string]any{"command": []any{"a"}, "instanceType": "p3.2xlarge",
			"resourceRequirements": []any{map[string]any{"type": "GPU", "value": "1"}}},
	}
	if g, w := jsonText(s.bodies[0]), jsonText(want); g != w {
		t.Errorf("SubmitJob request\n got %s\nwant %s", g, w)
	}
}

// TestSubmitJobNoJobName: a target without a job name (PutTargets accepts
// an empty one) goes to the DLQ as INVALID_PARAMETER, and nothing is sent.
func TestSubmitJobNoJobName(t *testing.T) {
	t.Parallel()
	s := &standIn{status: 200, body: `{"jobArn":"arn:aws:batch:us-east-1:123456789012:job/1","jobName":"j","jobId":"1"}`}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := targettest.Clients(srv.URL)
	for what, name := range map[string]*string{"absent": nil, "empty": aws.String("")} {
		p := &wire.BatchParameters{JobDefinition: aws.String("convert"), JobName: name}
		r := batch.Deliver(context.Background(), c, request(t, "arn:aws:batch:us-east-1:123456789012:job-queue/uploads", p, event, false))
		if r.Err == nil || r.Retryable || r.Code != target.CodeInvalidParameter {
			t.Errorf("JobName %s: retryable %v code %s (%v); want not retried, %s", what, r.Retryable, r.Code, r.Err, target.CodeInvalidParameter)
		}
	}
	if len(s.paths) != 0 {
		t.Errorf("calls %v, want none", s.paths)
	}
}

// TestSubmitJobAnswers classifies Batch's error answers and no answer.
func TestSubmitJobAnswers(t *testing.T) {
	t.Parallel()
	p := &wire.BatchParameters{JobDefinition: aws.String("convert"), JobName: aws.String("j1")}
	for _, tc := range []struct {
		name      string
		status    int
		errType   string
		body      string
		retryable bool
		code      string
	}{
		{"queue not found", 400, "ClientException", `{"message":"JobQueue uploads not found"}`, false, target.CodeNoResource},
		{"other client error", 400, "ClientException", `{"message":"Container overrides are not supported for multi-node jobs"}`, false, target.CodeInvalidParameter},
		{"access denied", 403, "AccessDeniedException", `{"message":"not authorized to perform: batch:SubmitJob"}`, false, target.CodeNoPermissions},
		{"too many requests", 429, "TooManyRequestsException", `{"message":"Too Many Requests"}`, true, target.CodeThrottling},
		{"server error", 500, "ServerException", `{"message":"internal"}`, true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(&standIn{status: tc.status, errType: tc.errType, body: tc.body})
			defer srv.Close()
			r := batch.Deliver(context.Background(), targettest.Clients(srv.URL), request(t, "arn:aws:batch:us-east-1:123456789012:job-queue/uploads", p, event, false))
			if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
				t.Errorf("retryable %v code %s (%v); want %v %s", r.Retryable, r.Code, r.Err, tc.retryable, tc.code)
			}
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		c := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
		r := batch.Deliver(context.Background(), c, request(t, "arn:aws:batch:us-east-1:123456789012:job-queue/uploads", p, event, false))
		if !r.Retryable || r.Code != target.CodeConnectionFailure {
			t.Errorf("retryable %v code %s (%v)", r.Retryable, r.Code, r.Err)
		}
	})
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
