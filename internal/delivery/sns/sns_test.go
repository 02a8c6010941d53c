package sns_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/sns"
	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// moto keeps every resource in its default account when the requests are
// signed with the test credentials.
const motoAccount = "123456789012"

func request(t *testing.T, topicARN, payload, eventID string, tg *catalog.Target) target.Request {
	t.Helper()
	a, err := arn.Parse(topicARN)
	if err != nil {
		t.Fatal(err)
	}
	if tg == nil {
		tg = &catalog.Target{}
	}
	tg.ARN = topicARN
	return target.Request{ARN: a, Target: tg, Payload: []byte(payload), Event: []byte(payload), EventID: eventID,
		RuleArn: "arn:aws:events:us-east-1:" + motoAccount + ":rule/r", RuleName: "r"}
}

// subscribe creates a queue (FIFO when its name says so), subscribes it
// to the topic and returns its URL.
func subscribe(t *testing.T, sc *awssns.Client, qc *awssqs.Client, topicARN, queue string, raw bool) string {
	t.Helper()
	var attrs map[string]string
	if len(queue) > 5 && queue[len(queue)-5:] == ".fifo" {
		attrs = map[string]string{"FifoQueue": "true"} // no content-based deduplication: the id must come from us
	}
	u := sqstest.CreateQueue(t, qc, queue, attrs)
	sub := &awssns.SubscribeInput{TopicArn: aws.String(topicARN), Protocol: aws.String("sqs"),
		Endpoint: aws.String("arn:aws:sqs:us-east-1:" + motoAccount + ":" + queue)}
	if raw {
		sub.Attributes = map[string]string{"RawMessageDelivery": "true"}
	}
	if _, err := sc.Subscribe(context.Background(), sub); err != nil {
		t.Fatalf("Subscribe %s: %v", queue, err)
	}
	return u
}

// drain receives every message in the queue (SNS delivers to SQS within
// moto's Publish, so they are there when Deliver returns).
func drain(t *testing.T, qc *awssqs.Client, queueURL string) []sqstypes.Message {
	t.Helper()
	return sqstest.Drain(t, qc, queueURL)
}

func createTopic(t *testing.T, sc *awssns.Client, name string, attrs map[string]string) string {
	t.Helper()
	out, err := sc.CreateTopic(context.Background(), &awssns.CreateTopicInput{Name: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatalf("CreateTopic %s: %v", name, err)
	}
	return aws.ToString(out.TopicArn)
}

// TestPublishMoto publishes to real topics of moto and reads the messages
// back from SQS queues subscribed to them.
func TestPublishMoto(t *testing.T) {
	t.Parallel()
	moto := targettest.StartMoto(t)
	cfg := targettest.Config(moto)
	sc, qc := awssns.NewFromConfig(cfg), awssqs.NewFromConfig(cfg)
	c := targettest.Clients(moto)
	ctx := context.Background()
	const event = `{"version":"0","id":"e-1","detail-type":"d","source":"s","detail":{"order":"o-1"}}`

	t.Run("standard topic", func(t *testing.T) {
		topic := createTopic(t, sc, "orders", nil)
		raw := subscribe(t, sc, qc, topic, "orders-raw", true)
		wrapped := subscribe(t, sc, qc, topic, "orders-wrapped", false)
		// Parameters meant for FIFO topics are ignored by a standard one.
		r := sns.New(c).Deliver(ctx, request(t, topic, event, "e-1", &catalog.Target{SQS: &catalog.SQSParameters{MessageGroupId: aws.String("g")}}))
		if r.Err != nil {
			t.Fatalf("deliver: %+v", r)
		}
		if got := drain(t, qc, raw); len(got) != 1 || aws.ToString(got[0].Body) != event {
			t.Errorf("raw subscription got %d messages: %v", len(got), got)
		}
		// Without raw delivery SNS wraps the message in its JSON envelope.
		got := drain(t, qc, wrapped)
		if len(got) != 1 {
			t.Fatalf("wrapped subscription got %d messages", len(got))
		}
		var env struct{ Type, TopicArn, Message string }
		if err := json.Unmarshal([]byte(aws.ToString(got[0].Body)), &env); err != nil || env.Type != "Notification" ||
			env.TopicArn != topic || env.Message != event {
			t.Errorf("envelope %s (%v)", aws.ToString(got[0].Body), err)
		}
	})

	t.Run("FIFO topic", func(t *testing.T) {
		topic := createTopic(t, sc, "orders.fifo", map[string]string{"FifoTopic": "true"})
		q := subscribe(t, sc, qc, topic, "orders-sub.fifo", true)
		tg := &catalog.Target{SQS: &catalog.SQSParameters{MessageGroupId: aws.String("group-7")}}
		if r := sns.New(c).Deliver(ctx, request(t, topic, event, "e-1", tg)); r.Err != nil {
			t.Fatalf("deliver: %+v", r)
		}
		// A retry of the same event (even were its payload to differ) is
		// deduplicated on the event id; another event is not.
		if r := sns.New(c).Deliver(ctx, request(t, topic, `{"retry":true}`, "e-1", tg)); r.Err != nil {
			t.Fatalf("deliver again: %+v", r)
		}
		if r := sns.New(c).Deliver(ctx, request(t, topic, `{"n":2}`, "e-2", tg)); r.Err != nil {
			t.Fatalf("deliver e-2: %+v", r)
		}
		got := drain(t, qc, q)
		if len(got) != 2 {
			t.Fatalf("FIFO queue got %d messages, want 2 (the retry deduplicated)", len(got))
		}
		for i, want := range []struct{ body, dedup string }{{event, "e-1"}, {`{"n":2}`, "e-2"}} {
			m := got[i]
			if aws.ToString(m.Body) != want.body || m.Attributes["MessageGroupId"] != "group-7" || m.Attributes["MessageDeduplicationId"] != want.dedup {
				t.Errorf("message %d: %s %v", i, aws.ToString(m.Body), m.Attributes)
			}
		}
		// Without a group: refused before any call (else the unreachable
		// endpoint would answer CONNECTION_FAILURE).
		nowhere := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
		for _, tg := range []*catalog.Target{nil, {SQS: &catalog.SQSParameters{}}} {
			r := sns.New(nowhere).Deliver(ctx, request(t, topic, event, "e-3", tg))
			if r.Err == nil || r.Retryable || r.Code != target.CodeInvalidParameter {
				t.Errorf("FIFO without group: %+v", r)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			name, arn string
			retryable bool
			code      string
		}{
			{"topic does not exist", "arn:aws:sns:us-east-1:" + motoAccount + ":missing", false, target.CodeNoResource},
			{"not a topic ARN", "arn:aws:sns:us-east-1:" + motoAccount + ":a/b", false, target.CodeNoResource},
		} {
			r := sns.New(c).Deliver(ctx, request(t, tc.arn, event, "e-1", nil))
			t.Logf("%s: %v", tc.name, r.Err)
			if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
				t.Errorf("%s: %+v, want retryable %v code %s", tc.name, r, tc.retryable, tc.code)
			}
		}
		// SNS refuses an empty message (moto takes it): refused before any
		// call, else the unreachable endpoint would answer CONNECTION_FAILURE.
		nowhere := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
		if r := sns.New(nowhere).Deliver(ctx, request(t, "arn:aws:sns:us-east-1:"+motoAccount+":t", "", "e-1", nil)); r.Err == nil || r.Retryable || r.Code != target.CodeInvalidParameter {
			t.Errorf("empty message: %+v", r)
		}
	})
}

// TestStandIn: a stand-in SNS speaking the query protocol checks what moto
// cannot show (the trace header on the request) and answers with errors
// moto does not give.
func TestStandIn(t *testing.T) {
	t.Parallel()
	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	ok := func(targettest.Request) targettest.Answer {
		return targettest.Answer{Header: http.Header{"Content-Type": {"text/xml"}}, Body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`}
	}
	s := targettest.NewStandIn(t, ok)
	k := sns.New(targettest.Clients(s.URL))
	topic := "arn:aws:sns:eu-west-1:" + motoAccount + ":t.fifo"
	req := request(t, topic, `{"a":1}`, "e-9", &catalog.Target{SQS: &catalog.SQSParameters{MessageGroupId: aws.String("g")}})
	req.TraceHeader = trace
	if r := k.Deliver(context.Background(), req); r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	rs := s.Requests()
	if len(rs) != 1 {
		t.Fatalf("%d requests, want 1", len(rs))
	}
	f, tr := rs[0].Form(), rs[0].Header.Get("X-Amzn-Trace-Id")
	if f.Get("Action") != "Publish" || f.Get("TopicArn") != topic || f.Get("Message") != `{"a":1}` || f.Get("MessageGroupId") != "g" ||
		f.Get("MessageDeduplicationId") != "e-9" || f.Get("Subject") != "" || tr != trace {
		t.Errorf("request %v, trace header %q", f, tr)
	}
	// No trace header when the event has none (the SDK adds none of its
	// own outside Lambda).
	req.TraceHeader = ""
	_ = k.Deliver(context.Background(), req)
	rs = s.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests, want 2", len(rs))
	}
	if tr := rs[1].Header.Get("X-Amzn-Trace-Id"); tr != "" {
		t.Errorf("trace header %q without one on the event", tr)
	}

	for _, tc := range []struct {
		status    int
		code      string
		retryable bool
		want      string
	}{
		{403, "AuthorizationError", false, target.CodeNoPermissions},
		{400, "Throttling", true, target.CodeThrottling},
		{500, "InternalError", true, target.CodeSDKClientError},
		{404, "NotFound", false, target.CodeNoResource},
		{400, "KMSAccessDenied", false, target.CodeNoPermissions},
		{400, "InvalidParameter", false, target.CodeInvalidParameter},
	} {
		s.SetAnswer(func(targettest.Request) targettest.Answer {
			return targettest.QueryError(tc.status, tc.code, "from the stand-in")
		})
		r := k.Deliver(context.Background(), req)
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.want {
			t.Errorf("%d %s: %+v, want retryable %v code %s", tc.status, tc.code, r, tc.retryable, tc.want)
		}
	}
}

// TestConformance: SNS on moto, read back from a queue subscribed with raw
// delivery. moto keeps no trace header, so the one on the wire is read
// from a proxy in front of moto: SNS takes it from the Publish request.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		moto := targettest.StartMoto(t)
		p := targettest.NewProxy(t, moto, nil)
		cfg := targettest.Config(moto)
		sc, qc := awssns.NewFromConfig(cfg), awssqs.NewFromConfig(cfg)
		topic := createTopic(t, sc, "conformance", nil)
		queue := subscribe(t, sc, qc, topic, "conformance-raw", true)
		var mu sync.Mutex
		var bodies []string // drained from the queue so far
		return targettest.Fixture{
			Kind: sns.New(targettest.Clients(p.URL)),
			ARN:  topic,
			Received: func(t *testing.T) []targettest.Delivery {
				traces := map[string]string{} // by message
				for _, x := range p.Exchanges() {
					if f := x.Request.Form(); f.Get("Action") == "Publish" {
						traces[f.Get("Message")] = x.Request.Header.Get("X-Amzn-Trace-Id")
					}
				}
				mu.Lock()
				defer mu.Unlock()
				for _, m := range drain(t, qc, queue) {
					bodies = append(bodies, aws.ToString(m.Body))
				}
				out := make([]targettest.Delivery, len(bodies))
				for i, b := range bodies {
					out[i] = targettest.Delivery{Doc: b, Trace: traces[b]}
				}
				return out
			},
			At: targettest.At(sns.New),
			Errors: targettest.Errors{Protocol: targettest.Query,
				NotFound:     targettest.Fault{Status: 404, Code: "NotFound", Message: "Topic does not exist"},
				AccessDenied: targettest.Fault{Status: 403, Code: "AuthorizationError", Message: "not authorized to perform: SNS:Publish"}},
			Missing: "arn:aws:sns:us-east-1:" + motoAccount + ":missing",
			Malformed: []string{
				"arn:aws:sns:us-east-1:" + motoAccount + ":a/b",
				"arn:aws:sns:us-east-1:" + motoAccount + ":.fifo",
				"arn:aws:sns:us-east-1:" + motoAccount + ":" + strings.Repeat("t", 257),
				"arn:aws:sns:us-east-1:12345:t",
				"arn:aws:sqs:us-east-1:" + motoAccount + ":conformance",
			},
		}
	})
}
