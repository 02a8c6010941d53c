package sns_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/sns"
	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// moto keeps every resource in its default account when the requests are
// signed with the test credentials.
const motoAccount = "123456789012"

func request(t *testing.T, topicARN, payload, eventID string, tg *wire.Target) target.Request {
	t.Helper()
	a, err := arn.Parse(topicARN)
	if err != nil {
		t.Fatal(err)
	}
	if tg == nil {
		tg = &wire.Target{}
	}
	tg.Arn = aws.String(topicARN)
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
	var all []sqstypes.Message
	for {
		out, err := qc.ReceiveMessage(context.Background(), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL),
			MaxNumberOfMessages: 10, MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"}})
		if err != nil {
			t.Fatalf("ReceiveMessage: %v", err)
		}
		if len(out.Messages) == 0 {
			return all
		}
		for _, m := range out.Messages {
			all = append(all, m)
			if _, err := qc.DeleteMessage(context.Background(), &awssqs.DeleteMessageInput{QueueUrl: aws.String(queueURL), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
	}
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
		r := sns.Deliver(ctx, c, request(t, topic, event, "e-1", &wire.Target{SqsParameters: &wire.SqsParameters{MessageGroupId: aws.String("g")}}))
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
		tg := &wire.Target{SqsParameters: &wire.SqsParameters{MessageGroupId: aws.String("group-7")}}
		if r := sns.Deliver(ctx, c, request(t, topic, event, "e-1", tg)); r.Err != nil {
			t.Fatalf("deliver: %+v", r)
		}
		// A retry of the same event (even were its payload to differ) is
		// deduplicated on the event id; another event is not.
		if r := sns.Deliver(ctx, c, request(t, topic, `{"retry":true}`, "e-1", tg)); r.Err != nil {
			t.Fatalf("deliver again: %+v", r)
		}
		if r := sns.Deliver(ctx, c, request(t, topic, `{"n":2}`, "e-2", tg)); r.Err != nil {
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
		for _, tg := range []*wire.Target{nil, {SqsParameters: &wire.SqsParameters{}}} {
			r := sns.Deliver(ctx, nowhere, request(t, topic, event, "e-3", tg))
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
			r := sns.Deliver(ctx, c, request(t, tc.arn, event, "e-1", nil))
			t.Logf("%s: %v", tc.name, r.Err)
			if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
				t.Errorf("%s: %+v, want retryable %v code %s", tc.name, r, tc.retryable, tc.code)
			}
		}
		// SNS refuses an empty message (moto takes it): refused before any
		// call, else the unreachable endpoint would answer CONNECTION_FAILURE.
		nowhere := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
		if r := sns.Deliver(ctx, nowhere, request(t, "arn:aws:sns:us-east-1:"+motoAccount+":t", "", "e-1", nil)); r.Err == nil || r.Retryable || r.Code != target.CodeInvalidParameter {
			t.Errorf("empty message: %+v", r)
		}
	})
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	c := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
	r := sns.Deliver(context.Background(), c, request(t, "arn:aws:sns:us-east-1:"+motoAccount+":t", `{}`, "e-1", nil))
	if r.Err == nil || !r.Retryable || r.Code != target.CodeConnectionFailure {
		t.Errorf("refused: %+v", r)
	}
}

// TestStandIn: a stand-in SNS speaking the query protocol checks what moto
// cannot show (the trace header on the request) and answers with errors
// moto does not give.
func TestStandIn(t *testing.T) {
	t.Parallel()
	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	type got struct {
		form  url.Values
		trace string
	}
	var mu sync.Mutex
	var reqs []got
	status, code := 200, ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		mu.Lock()
		reqs = append(reqs, got{form, r.Header.Get("X-Amzn-Trace-Id")})
		st, cd := status, code
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		if st != 200 {
			w.WriteHeader(st)
			fmt.Fprintf(w, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>%s</Code><Message>from the stand-in</Message></Error><RequestId>r</RequestId></ErrorResponse>`, cd)
			return
		}
		fmt.Fprint(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`)
	}))
	defer srv.Close()
	c := targettest.Clients(srv.URL)
	topic := "arn:aws:sns:eu-west-1:" + motoAccount + ":t.fifo"
	req := request(t, topic, `{"a":1}`, "e-9", &wire.Target{SqsParameters: &wire.SqsParameters{MessageGroupId: aws.String("g")}})
	req.TraceHeader = trace
	if r := sns.Deliver(context.Background(), c, req); r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	// sent is a copy of the requests so far: the handler appends under mu.
	sent := func() []got {
		mu.Lock()
		defer mu.Unlock()
		return append([]got(nil), reqs...)
	}
	rs := sent()
	if len(rs) != 1 {
		t.Fatalf("%d requests, want 1", len(rs))
	}
	g := rs[0]
	f := g.form
	if f.Get("Action") != "Publish" || f.Get("TopicArn") != topic || f.Get("Message") != `{"a":1}` || f.Get("MessageGroupId") != "g" ||
		f.Get("MessageDeduplicationId") != "e-9" || f.Get("Subject") != "" || g.trace != trace {
		t.Errorf("request %v, trace header %q", f, g.trace)
	}
	// No trace header when the event has none (the SDK adds none of its
	// own outside Lambda).
	req.TraceHeader = ""
	_ = sns.Deliver(context.Background(), c, req)
	rs = sent()
	if len(rs) != 2 {
		t.Fatalf("%d requests, want 2", len(rs))
	}
	if tr := rs[1].trace; tr != "" {
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
		mu.Lock()
		status, code = tc.status, tc.code
		mu.Unlock()
		r := sns.Deliver(context.Background(), c, req)
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.want {
			t.Errorf("%d %s: %+v, want retryable %v code %s", tc.status, tc.code, r, tc.retryable, tc.want)
		}
	}
}
