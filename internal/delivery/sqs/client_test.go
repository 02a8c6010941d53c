package sqs_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/switchyard-dev/switchyard/internal/delivery/sqs"
	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

func client(endpoint string) *sqs.Client {
	return sqs.New(target.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")},
		target.Options{Endpoints: map[string]string{"sqs": endpoint}}))
}

func queue(t *testing.T, name string) sqs.Queue {
	t.Helper()
	q, err := sqs.ParseQueueARN("arn:aws:sqs:us-east-1:123456789012:" + name)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestSendMoto sends to real queues of moto and classifies moto's real
// error answers.
func TestSendMoto(t *testing.T) {
	t.Parallel()
	url := sqstest.StartMoto(t)
	mc := sqstest.Client(url)
	ctx := context.Background()
	std := sqstest.CreateQueue(t, mc, "std", nil)
	fifo := sqstest.CreateQueue(t, mc, "f.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	sqstest.CreateQueue(t, mc, "nodedup.fifo", map[string]string{"FifoQueue": "true"})
	c := client(url)

	id, r := c.Send(ctx, queue(t, "std"), sqs.Message{Body: []byte(`{"a":1}`), TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
		Attributes: map[string]string{"RULE_ARN": "arn:r", "EMPTY": ""}})
	if r.Err != nil || id == "" {
		t.Fatalf("send: %q %+v", id, r)
	}
	got, err := mc.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{QueueUrl: aws.String(std), MessageAttributeNames: []string{"All"},
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"}})
	if err != nil || len(got.Messages) != 1 {
		t.Fatalf("receive: %v %+v", err, got)
	}
	m := got.Messages[0]
	if aws.ToString(m.MessageId) != id {
		t.Errorf("Send gave message id %q, the queue holds %q", id, aws.ToString(m.MessageId))
	}
	if aws.ToString(m.Body) != `{"a":1}` || m.Attributes["AWSTraceHeader"] != "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" ||
		len(m.MessageAttributes) != 1 || aws.ToString(m.MessageAttributes["RULE_ARN"].StringValue) != "arn:r" {
		t.Errorf("received %s %v %v", aws.ToString(m.Body), m.Attributes, m.MessageAttributes)
	}

	_, r = c.Send(ctx, queue(t, "f.fifo"), sqs.Message{Body: []byte(`x`), GroupID: "g1"})
	if r.Err != nil {
		t.Fatalf("send fifo: %+v", r)
	}
	got, _ = mc.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{QueueUrl: aws.String(fifo), MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"}})
	if len(got.Messages) != 1 || got.Messages[0].Attributes["MessageGroupId"] != "g1" {
		t.Errorf("fifo received %+v", got.Messages)
	}

	for _, tc := range []struct {
		name      string
		q         string
		msg       sqs.Message
		retryable bool
		code      string
	}{
		{"queue does not exist", "missing", sqs.Message{Body: []byte(`x`)}, false, target.CodeNoResource},
		{"FIFO without group", "f.fifo", sqs.Message{Body: []byte(`x`)}, false, target.CodeInvalidParameter},
		{"FIFO without content-based deduplication", "nodedup.fifo", sqs.Message{Body: []byte(`x`), GroupID: "g"}, false, target.CodeInvalidParameter},
		{"empty body", "std", sqs.Message{}, false, target.CodeInvalidParameter},
	} {
		_, r := c.Send(ctx, queue(t, tc.q), tc.msg)
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
			t.Errorf("%s: retryable %v code %s (%v); want %v %s", tc.name, r.Retryable, r.Code, r.Err, tc.retryable, tc.code)
		}
	}

	// A queue deleted after its URL was cached, then created again.
	sqstest.CreateQueue(t, mc, "again", nil)
	if _, r := c.Send(ctx, queue(t, "again"), sqs.Message{Body: []byte(`1`)}); r.Err != nil {
		t.Fatal(r.Err)
	}
	u, _ := mc.GetQueueUrl(ctx, &awssqs.GetQueueUrlInput{QueueName: aws.String("again")})
	if _, err := mc.DeleteQueue(ctx, &awssqs.DeleteQueueInput{QueueUrl: u.QueueUrl}); err != nil {
		t.Fatal(err)
	}
	if _, r := c.Send(ctx, queue(t, "again"), sqs.Message{Body: []byte(`2`)}); r.Code != target.CodeNoResource {
		t.Errorf("deleted queue: %+v", r)
	}
	sqstest.CreateQueue(t, mc, "again", nil)
	if _, r := c.Send(ctx, queue(t, "again"), sqs.Message{Body: []byte(`3`)}); r.Err != nil {
		t.Errorf("queue created again: %v", r.Err)
	}
}

// TestClassifyAnswers: answers moto does not give, from a stand-in SQS
// speaking the JSON protocol.
func TestClassifyAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		status    int
		errType   string
		retryable bool
		code      string
	}{
		{"access denied", 403, "com.amazon.coral.service#AccessDeniedException", false, target.CodeNoPermissions},
		{"KMS access denied", 400, "com.amazonaws.sqs#KmsAccessDenied", false, target.CodeNoPermissions},
		{"invalid token", 403, "com.amazon.coral.service#UnrecognizedClientException", false, target.CodeNoPermissions},
		{"throttled", 400, "com.amazonaws.sqs#RequestThrottled", true, target.CodeThrottling},
		{"throttling exception", 400, "com.amazon.coral.availability#ThrottlingException", true, target.CodeThrottling},
		{"429", 429, "", true, target.CodeThrottling},
		{"internal error", 500, "com.amazon.coral.service#InternalFailure", true, target.CodeSDKClientError},
		{"503 without body", 503, "", true, target.CodeSDKClientError},
		{"queue does not exist", 400, "com.amazonaws.sqs#QueueDoesNotExist", false, target.CodeNoResource},
		{"other client error", 400, "com.amazonaws.sqs#SomethingElse", false, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := targettest.NewStandIn(t, func(r targettest.Request) targettest.Answer {
				if strings.HasSuffix(r.Target(), ".GetQueueUrl") {
					return targettest.JSONAnswer(`{"QueueUrl":"http://` + r.Host + `/123456789012/q"}`)
				}
				return targettest.JSONError(tc.status, tc.errType, "from the stand-in")
			})
			_, r := client(s.URL).Send(context.Background(), queue(t, "q"), sqs.Message{Body: []byte(`x`)})
			if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
				t.Errorf("retryable %v code %s (%v); want %v %s", r.Retryable, r.Code, r.Err, tc.retryable, tc.code)
			}
		})
	}
}

// TestQueueDoesNotExist: the SDK's typed error for a missing queue (the
// codes are target.Classify's own tests; refused connections and timeouts
// are the conformance suite's).
func TestQueueDoesNotExist(t *testing.T) {
	if r := target.Classify(context.Background(), &types.QueueDoesNotExist{}); r.Retryable || r.Code != target.CodeNoResource {
		t.Errorf("QueueDoesNotExist: %+v", r)
	}
}

// TestNoGuessedURLWithAnEndpoint: a queue whose URL may not be looked up
// gets AWS's own URL only on AWS; with an endpoint from the environment
// (AWS_ENDPOINT_URL_SQS, as from the flag) the refusal is the answer.
func TestNoGuessedURLWithAnEndpoint(t *testing.T) {
	var sends atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".SendMessage") {
			sends.Add(1)
			_, _ = w.Write([]byte(`{"MessageId":"m"}`))
			return
		}
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"__type":"com.amazon.coral.service#AccessDeniedException","message":"no GetQueueUrl"}`))
	}))
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL_SQS", srv.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	tc, err := target.New(context.Background(), target.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, r := sqs.New(tc).Send(context.Background(), queue(t, "q"), sqs.Message{Body: []byte(`x`)})
	if r.Err == nil || r.Code != target.CodeNoPermissions || sends.Load() != 0 {
		t.Errorf("%+v after %d sends; want NO_PERMISSIONS and no send to a guessed URL", r, sends.Load())
	}
}

// TestNoCredentials: without an endpoint override, a credential chain that
// yields nothing is NO_PERMISSIONS, and no URL is guessed for it (the
// fallback to test credentials is target's, tested there).
func TestNoCredentials(t *testing.T) {
	t.Parallel()
	none := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no credentials anywhere")
	})
	c := sqs.New(target.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: none}, target.Options{}))
	if _, r := c.Send(context.Background(), queue(t, "q"), sqs.Message{Body: []byte(`x`)}); r.Retryable || r.Code != target.CodeNoPermissions {
		t.Errorf("no credentials, no override: %v %s %v", r.Retryable, r.Code, r.Err)
	}
}

// TestConformance: SQS on moto, read back with ReceiveMessage, the trace
// header as the AWSTraceHeader system attribute.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		url := sqstest.StartMoto(t)
		mc := sqstest.Client(url)
		u := sqstest.CreateQueue(t, mc, "conformance", nil)
		var mu sync.Mutex
		var got []targettest.Delivery // received so far
		return targettest.Fixture{
			Kind: sqs.New(targettest.Clients(url)),
			ARN:  "arn:aws:sqs:us-east-1:123456789012:conformance",
			Received: func(t *testing.T) []targettest.Delivery {
				mu.Lock()
				defer mu.Unlock()
				for _, m := range sqstest.Drain(t, mc, u) {
					got = append(got, targettest.Delivery{Doc: aws.ToString(m.Body), Trace: m.Attributes["AWSTraceHeader"]})
				}
				return append([]targettest.Delivery(nil), got...)
			},
			At: targettest.At(sqs.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				Throttling: targettest.Fault{Status: 400, Code: "com.amazonaws.sqs#RequestThrottled", Message: "Request is throttled."},
				NotFound:   targettest.Fault{Status: 400, Code: "com.amazonaws.sqs#QueueDoesNotExist", Message: "The specified queue does not exist."}},
			Missing: "arn:aws:sqs:us-east-1:123456789012:missing",
			Malformed: []string{
				"arn:aws:sqs:us-east-1:123456789012:a/b",
				"arn:aws:sqs:us-east-1:123456789012:a.b",
				"arn:aws:sqs:us-east-1:123456789012:.fifo",
				"arn:aws:sqs:us-east-1:12345:orders",
			},
		}
	})
}
