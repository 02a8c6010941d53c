package target_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// standIn answers every SQS call with an empty success.
func newStandIn(t *testing.T) *targettest.StandIn {
	return targettest.NewStandIn(t, func(r targettest.Request) targettest.Answer {
		a := targettest.JSONAnswer(`{"QueueUrl":"http://` + r.Host + `/123456789012/q","MessageId":"m"}`)
		a.Header.Set("Content-Type", "application/x-amz-json-1.0")
		return a
	})
}

// keys are the access keys the requests to s were signed with, in order.
func keys(s *targettest.StandIn) []string {
	var out []string
	for _, r := range s.Requests() {
		_, cred, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
		key, _, _ := strings.Cut(cred, "/")
		out = append(out, key)
	}
	return out
}

func send(t *testing.T, c *target.Clients, role string) {
	t.Helper()
	cl := target.Client(c, "sqs", "us-east-1", role, awssqs.NewFromConfig)
	if _, err := cl.SendMessage(context.Background(), &awssqs.SendMessageInput{QueueUrl: aws.String("http://x/1/q"), MessageBody: aws.String("x")}); err != nil {
		t.Fatalf("send as %q: %v", role, err)
	}
}

var base = aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIABASE", "s", "")}

// TestAssumeRoles: a target with a RoleArn is called with the role's
// credentials, fetched once from STS and reused while they are valid;
// without role assumption the base credentials are used.
func TestAssumeRoles(t *testing.T) {
	t.Parallel()
	svc := newStandIn(t)
	sts := targettest.NewSTS(t, time.Hour)
	c := target.NewFromConfig(base, target.Options{AssumeRoles: true,
		Endpoints: map[string]string{"sqs": svc.URL, "sts": sts.URL}})
	const roleA, roleB = "arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"
	send(t, c, roleA)
	send(t, c, roleA)
	send(t, c, roleB)
	send(t, c, "")
	signed := keys(svc)
	if len(signed) != 4 || !strings.HasPrefix(signed[0], "ASIAROLE") || signed[1] != signed[0] || !strings.HasPrefix(signed[2], "ASIAROLE") ||
		signed[2] == signed[0] || signed[3] != "AKIABASE" {
		t.Errorf("signed with %v; want role A twice (one STS call), role B, then the base key", signed)
	}
	if n := sts.Calls(); n != 2 {
		t.Errorf("STS called %d times, want 2 (once per role)", n)
	}
	for _, r := range []string{roleA, roleB} {
		if n := sts.Assumed(r); n != 1 {
			t.Errorf("role %s assumed %d times", r, n)
		}
	}

	// Role assumption off: the RoleArn is only stored.
	svc2 := newStandIn(t)
	off := target.NewFromConfig(base, target.Options{Endpoints: map[string]string{"sqs": svc2.URL, "sts": sts.URL}})
	send(t, off, roleA)
	if k := keys(svc2); len(k) != 1 || k[0] != "AKIABASE" || sts.Calls() != 2 {
		t.Errorf("without role assumption: signed with %v, STS calls %d", k, sts.Calls())
	}
}

// TestAssumeRoleRefreshes: credentials within a minute of expiring are
// fetched again.
func TestAssumeRoleRefreshes(t *testing.T) {
	t.Parallel()
	svc := newStandIn(t)
	sts := targettest.NewSTS(t, 30*time.Second) // inside the one-minute window: always stale
	c := target.NewFromConfig(base, target.Options{AssumeRoles: true,
		Endpoints: map[string]string{"sqs": svc.URL, "sts": sts.URL}})
	send(t, c, "arn:aws:iam::123456789012:role/a")
	send(t, c, "arn:aws:iam::123456789012:role/a")
	if n := sts.Calls(); n != 2 {
		t.Errorf("STS called %d times for credentials about to expire, want 2", n)
	}
}

// TestAssumeRoleRefused: a role STS refuses makes the call fail as
// NO_PERMISSIONS, not retried, and no request reaches the service.
func TestAssumeRoleRefused(t *testing.T) {
	t.Parallel()
	svc := newStandIn(t)
	stsSrv := targettest.FaultEndpoint(t, targettest.Query, targettest.Fault{Status: 403, Code: "AccessDenied", Message: "not allowed"})
	c := target.NewFromConfig(base, target.Options{AssumeRoles: true,
		Endpoints: map[string]string{"sqs": svc.URL, "sts": stsSrv.URL}})
	cl := target.Client(c, "sqs", "us-east-1", "arn:aws:iam::123456789012:role/x", awssqs.NewFromConfig)
	_, err := cl.SendMessage(context.Background(), &awssqs.SendMessageInput{QueueUrl: aws.String("http://x/1/q"), MessageBody: aws.String("x")})
	r := target.Classify(context.Background(), err)
	if err == nil || r.Retryable || r.Code != target.CodeNoPermissions {
		t.Errorf("refused role: %v → %+v", err, r)
	}
	if k := keys(svc); len(k) != 0 {
		t.Errorf("the service was called: %v", k)
	}
}

// TestEndpoints: a service's own override wins over "*"; the client is
// made once per service, region and role; each call is one attempt.
func TestEndpoints(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(503)
	}))
	defer failing.Close()
	svc := newStandIn(t)
	c := target.NewFromConfig(base, target.Options{Endpoints: map[string]string{"*": failing.URL, "sqs": svc.URL, "sns": ""}})
	if c.Endpoint("sqs") != svc.URL || c.Endpoint("lambda") != failing.URL || c.Endpoint("sns") != failing.URL {
		t.Errorf("endpoints: sqs %s lambda %s sns %s", c.Endpoint("sqs"), c.Endpoint("lambda"), c.Endpoint("sns"))
	}
	a := target.Client(c, "sqs", "eu-west-1", "", awssqs.NewFromConfig)
	if b := target.Client(c, "sqs", "eu-west-1", "", awssqs.NewFromConfig); a != b {
		t.Error("a second client was made for the same service and region")
	}
	if b := target.Client(c, "sqs", "us-east-1", "", awssqs.NewFromConfig); a == b {
		t.Error("one client for two regions")
	}
	// The "*" endpoint answers 503: one attempt only, classified retryable.
	cl := target.Client(c, "other", "us-east-1", "", awssqs.NewFromConfig)
	_, err := cl.SendMessage(context.Background(), &awssqs.SendMessageInput{QueueUrl: aws.String("http://x/1/q"), MessageBody: aws.String("x")})
	if r := target.Classify(context.Background(), err); !r.Retryable || hits.Load() != 1 {
		t.Errorf("503: %+v after %d requests; want retryable after exactly 1", r, hits.Load())
	}
}

// TestFallbackCredentials: with an endpoint override and no credentials in
// the chain, requests are signed with test credentials; once the chain has
// worked, its later failures are reported.
func TestFallbackCredentials(t *testing.T) {
	t.Parallel()
	svc := newStandIn(t)
	none := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no credentials anywhere")
	})
	c := target.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: none}, target.Options{Endpoints: map[string]string{"sqs": svc.URL}})
	send(t, c, "")
	if k := keys(svc); len(k) != 1 || k[0] != "test" {
		t.Errorf("signed with %v, want the test key", k)
	}
	// No override: the missing credentials are the answer.
	c = target.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: none}, target.Options{})
	cl := target.Client(c, "sqs", "us-east-1", "", awssqs.NewFromConfig)
	_, err := cl.SendMessage(context.Background(), &awssqs.SendMessageInput{QueueUrl: aws.String(svc.URL + "/1/q"), MessageBody: aws.String("x")})
	if r := target.Classify(context.Background(), err); r.Retryable || r.Code != target.CodeNoPermissions {
		t.Errorf("no credentials, no override: %+v", r)
	}
	// A chain that worked once and then fails is not replaced.
	var fail atomic.Bool
	flaky := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		if fail.Load() {
			return aws.Credentials{}, errors.New("expired")
		}
		return aws.Credentials{AccessKeyID: "AKIAREAL", SecretAccessKey: "s"}, nil
	})
	svc2 := newStandIn(t)
	c = target.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: flaky}, target.Options{Endpoints: map[string]string{"sqs": svc2.URL}})
	send(t, c, "")
	fail.Store(true)
	cl = target.Client(c, "sqs", "us-east-1", "", awssqs.NewFromConfig)
	_, err = cl.SendMessage(context.Background(), &awssqs.SendMessageInput{QueueUrl: aws.String(svc2.URL + "/1/q"), MessageBody: aws.String("x")})
	if err == nil || keys(svc2)[0] != "AKIAREAL" || len(keys(svc2)) != 1 {
		t.Errorf("after the chain failed: err %v, keys %v", err, keys(svc2))
	}
}

// TestAssumeRoleSTSDown: STS failing (5xx, or not answering) is retried;
// only a refusal is NO_PERMISSIONS.
func TestAssumeRoleSTSDown(t *testing.T) {
	t.Parallel()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer down.Close()
	for name, endpoint := range map[string]string{"503": down.URL, "refused": fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))} {
		svc := newStandIn(t)
		c := target.NewFromConfig(base, target.Options{AssumeRoles: true, Endpoints: map[string]string{"sqs": svc.URL, "sts": endpoint}})
		cl := target.Client(c, "sqs", "us-east-1", "arn:aws:iam::123456789012:role/x", awssqs.NewFromConfig)
		_, err := cl.SendMessage(context.Background(), &awssqs.SendMessageInput{QueueUrl: aws.String("http://x/1/q"), MessageBody: aws.String("x")})
		if r := target.Classify(context.Background(), err); err == nil || !r.Retryable {
			t.Errorf("STS %s: %v → %+v; want retryable", name, err, r)
		}
		if k := keys(svc); len(k) != 0 {
			t.Errorf("STS %s: the service was called: %v", name, k)
		}
	}
}

// TestStandardEndpointVariables: without a Switchyard override, the SDK's
// standard configuration places each service: AWS_ENDPOINT_URL_<SERVICE>
// before AWS_ENDPOINT_URL, credentials from the environment.
func TestStandardEndpointVariables(t *testing.T) {
	sqsOnly, all := newStandIn(t), newStandIn(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAFROMENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_ENDPOINT_URL_SQS", sqsOnly.URL)
	t.Setenv("AWS_ENDPOINT_URL", all.URL)
	c, err := target.New(context.Background(), target.Options{})
	if err != nil {
		t.Fatal(err)
	}
	send(t, c, "")
	if k := keys(sqsOnly); len(k) != 1 || k[0] != "AKIAFROMENV" || len(keys(all)) != 0 {
		t.Errorf("AWS_ENDPOINT_URL_SQS got %v, AWS_ENDPOINT_URL %v", k, keys(all))
	}
	// Another service falls back to AWS_ENDPOINT_URL (the stand-in's
	// answer is not SNS's: only where the request went matters).
	sns := target.Client(c, "sns", "eu-west-1", "", awssns.NewFromConfig)
	_, _ = sns.Publish(context.Background(), &awssns.PublishInput{TopicArn: aws.String("arn:aws:sns:eu-west-1:123456789012:t"), Message: aws.String("x")})
	if k := keys(all); len(k) != 1 || k[0] != "AKIAFROMENV" || len(keys(sqsOnly)) != 1 {
		t.Errorf("AWS_ENDPOINT_URL got %v for SNS", k)
	}
}
