package batch_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsbatch "github.com/aws/aws-sdk-go-v2/service/batch"
	"github.com/aws/aws-sdk-go-v2/service/batch/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/batch"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"version":"0","id":"e-1","detail-type":"Object Created","source":"aws.s3","account":"123456789012","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"bucket":{"name":"in"}}}`

// request is a delivery of payload; custom says it is the target's own
// input (the target has an Input).
func request(t *testing.T, queueARN string, p *catalog.BatchParameters, payload string, custom bool) target.Request {
	t.Helper()
	a, err := arn.Parse(queueARN)
	if err != nil {
		t.Fatal(err)
	}
	tg := &catalog.Target{ARN: queueARN, Batch: p}
	if custom {
		tg.Input = aws.String(payload)
	}
	return target.Request{ARN: a, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: "e-1", RuleName: "on-upload"}
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
	targettest.Call(t, req, "iam")
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

// motoQueue starts moto with a job queue "uploads" and a job definition
// "convert", and returns moto's URL, a client, the queue's ARN and the
// job definition's.
func motoQueue(t *testing.T) (string, *awsbatch.Client, string, string) {
	t.Helper()
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
	return u, mc, queue, aws.ToString(jd.JobDefinitionArn)
}

// jobsOf reads every job of the queue back from moto.
func jobsOf(t *testing.T, mc *awsbatch.Client, u, queue string) []job {
	t.Helper()
	ctx := context.Background()
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

// TestSubmitJobMoto submits jobs to a queue of moto and reads them back.
func TestSubmitJobMoto(t *testing.T) {
	t.Parallel()
	u, mc, queue, jd := motoQueue(t)
	ctx := context.Background()
	c := targettest.Clients(u)
	jobs := func() []job { return jobsOf(t, mc, u, queue) }

	// The documented input: Parameters and ContainerOverrides.
	p := &catalog.BatchParameters{JobDefinition: aws.String(jd), JobName: aws.String("convert-upload"),
		ArrayProperties: &catalog.BatchArrayProperties{Size: aws.Int32(2)}, RetryStrategy: &catalog.BatchRetryStrategy{Attempts: aws.Int32(3)}}
	in := `{"Parameters":{"bucket":"in","size":42},"ContainerOverrides":{"Command":["convert","Ref::bucket","--fast"],"Environment":[{"Name":"BUCKET","Value":"in"}]},"Other":1}`
	if r := batch.New(c).Deliver(ctx, request(t, queue, p, in, true)); r.Err != nil {
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
	if j.JobName != "convert-upload" || j.JobQueue != queue || j.JobDefinition != jd || *j.ArrayProperties.Size != 2 {
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
	if r := batch.New(c).Deliver(ctx, request(t, queue, &catalog.BatchParameters{JobDefinition: aws.String("convert"), JobName: aws.String("plain")}, event, false)); r.Err != nil {
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
		params  *catalog.BatchParameters
		payload string
		custom  bool
		code    string
	}{
		{"queue does not exist", "arn:aws:batch:us-east-1:123456789012:job-queue/nope", &catalog.BatchParameters{JobDefinition: aws.String("convert"), JobName: aws.String("x1")}, event, false, target.CodeNoResource},
		{"job definition does not exist", queue, &catalog.BatchParameters{JobDefinition: aws.String("missing"), JobName: aws.String("x2")}, event, false, target.CodeNoResource},
		{"no job definition", queue, &catalog.BatchParameters{JobName: aws.String("x3")}, event, false, target.CodeInvalidParameter},
		{"input not an object", queue, p, `["a"]`, true, target.CodeInvalidInput},
		{"parameter an object", queue, p, `{"Parameters":{"bucket":{"name":"in"}}}`, true, target.CodeInvalidInput},
		{"overrides of the wrong type", queue, p, `{"ContainerOverrides":{"Command":"convert"}}`, true, target.CodeInvalidInput},
		{"not a job queue ARN", "arn:aws:batch:us-east-1:123456789012:job-definition/convert:1", p, event, false, target.CodeNoResource},
	} {
		r := batch.New(c).Deliver(ctx, request(t, tc.queue, tc.params, tc.payload, tc.custom))
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
	var out struct{ Jobs []job }
	if err := json.Unmarshal(targettest.Call(t, req, "batch"), &out); err != nil {
		t.Fatalf("DescribeJobs: %v", err)
	}
	return out.Jobs
}

// standIn is a Batch endpoint speaking the restJson1 protocol: it records
// each request and answers with status, error type and body.
func standIn(t *testing.T, status int, errType, body string) *targettest.StandIn {
	t.Helper()
	return targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
		a := targettest.Answer{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
		if errType != "" {
			a.Header.Set("X-Amzn-ErrorType", errType)
		}
		return a
	})
}

// paths are the method and path of each request the stand-in received.
func paths(s *targettest.StandIn) []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Method+" "+r.Path())
	}
	return out
}

// TestSubmitJobRequest checks the whole SubmitJob request, with the retry
// strategy moto does not keep.
func TestSubmitJobRequest(t *testing.T) {
	t.Parallel()
	s := standIn(t, 200, "", `{"jobArn":"arn:aws:batch:eu-west-1:123456789012:job/1","jobName":"j","jobId":"1"}`)
	p := &catalog.BatchParameters{JobDefinition: aws.String("convert:4"), JobName: aws.String("convert-upload"),
		ArrayProperties: &catalog.BatchArrayProperties{Size: aws.Int32(10)}, RetryStrategy: &catalog.BatchRetryStrategy{Attempts: aws.Int32(5)}}
	r := batch.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, "arn:aws:batch:eu-west-1:123456789012:job-queue/uploads", p,
		`{"parameters":{"k":"v","on":true},"containerOverrides":{"command":["a"],"resourceRequirements":[{"type":"GPU","value":"1"}],"instanceType":"p3.2xlarge"}}`, true))
	if r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	if p := paths(s); len(p) != 1 || p[0] != "POST /v1/submitjob" {
		t.Fatalf("calls %v", p)
	}
	want := map[string]any{
		"jobQueue": "arn:aws:batch:eu-west-1:123456789012:job-queue/uploads", "jobDefinition": "convert:4", "jobName": "convert-upload",
		"arrayProperties": map[string]any{"size": float64(10)}, "retryStrategy": map[string]any{"attempts": float64(5)},
		"parameters": map[string]any{"k": "v", "on": "true"},
		"containerOverrides": map[string]any{"command": []any{"a"}, "instanceType": "p3.2xlarge",
			"resourceRequirements": []any{map[string]any{"type": "GPU", "value": "1"}}},
	}
	if g, w := jsonText(s.Requests()[0].JSON()), jsonText(want); g != w {
		t.Errorf("SubmitJob request\n got %s\nwant %s", g, w)
	}
}

// TestSubmitJobNoJobName: a target without a job name (PutTargets accepts
// an empty one) goes to the DLQ as INVALID_PARAMETER, and nothing is sent.
func TestSubmitJobNoJobName(t *testing.T) {
	t.Parallel()
	s := standIn(t, 200, "", `{"jobArn":"arn:aws:batch:us-east-1:123456789012:job/1","jobName":"j","jobId":"1"}`)
	c := targettest.Clients(s.URL)
	for what, name := range map[string]*string{"absent": nil, "empty": aws.String("")} {
		p := &catalog.BatchParameters{JobDefinition: aws.String("convert"), JobName: name}
		r := batch.New(c).Deliver(context.Background(), request(t, "arn:aws:batch:us-east-1:123456789012:job-queue/uploads", p, event, false))
		if r.Err == nil || r.Retryable || r.Code != target.CodeInvalidParameter {
			t.Errorf("JobName %s: retryable %v code %s (%v); want not retried, %s", what, r.Retryable, r.Code, r.Err, target.CodeInvalidParameter)
		}
	}
	if p := paths(s); len(p) != 0 {
		t.Errorf("calls %v, want none", p)
	}
}

// TestSubmitJobAnswers classifies Batch's error answers and no answer.
func TestSubmitJobAnswers(t *testing.T) {
	t.Parallel()
	p := &catalog.BatchParameters{JobDefinition: aws.String("convert"), JobName: aws.String("j1")}
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
			s := standIn(t, tc.status, tc.errType, tc.body)
			r := batch.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, "arn:aws:batch:us-east-1:123456789012:job-queue/uploads", p, event, false))
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

// TestConformance: Batch on moto, read back with DescribeJobs. The
// target's input is the job's Parameters: the document travels as the
// parameter "doc".
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		u, mc, queue, jd := motoQueue(t)
		return targettest.Fixture{
			Kind: batch.New(targettest.Clients(u)),
			ARN:  queue,
			Target: &catalog.Target{Input: aws.String("<the job's input>"),
				Batch: &catalog.BatchParameters{JobDefinition: aws.String(jd), JobName: aws.String("conformance")}},
			Input: func(doc string) string { return jsonText(map[string]any{"Parameters": map[string]string{"doc": doc}}) },
			Received: func(t *testing.T) []targettest.Delivery {
				var out []targettest.Delivery
				for _, j := range jobsOf(t, mc, u, queue) {
					out = append(out, targettest.Delivery{Doc: j.Parameters["doc"]})
				}
				return out
			},
			At: targettest.At(batch.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				// Batch has no error of its own for a missing queue: a
				// ClientException says so in its message.
				NotFound:     targettest.Fault{Status: 400, Code: "ClientException", Message: "JobQueue conformance not found"},
				AccessDenied: targettest.Fault{Status: 403, Code: "AccessDeniedException", Message: "not authorized to perform: batch:SubmitJob"}},
			Missing: "arn:aws:batch:us-east-1:123456789012:job-queue/nope",
			Malformed: []string{
				"arn:aws:batch:us-east-1:123456789012:job-definition/convert:1",
				"arn:aws:batch:us-east-1:123456789012:job-queue/",
				"arn:aws:batch:us-east-1:123456789012:job-queue/a/b",
			},
			Without: map[string]string{
				targettest.TraceRow: "SubmitJob has no place for a trace header: a job gets its parameters and overrides, nothing of the request",
			},
		}
	})
}
