package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
	"github.com/switchyard-dev/switchyard/internal/server"
)

// Event-path tests of SQS targets and dead-letter queues against a real
// moto server (started per test on a free loopback port; skipped without
// moto_server), through --endpoint-sqs. No AWS credentials are configured,
// so Switchyard signs with its test credentials.

// sqsQueue is a queue created in moto, with its ARN in the account.
type sqsQueue struct {
	url, arn string
}

func newQueue(t *testing.T, mc *awssqs.Client, account, name string, attrs map[string]string) sqsQueue {
	t.Helper()
	return sqsQueue{url: sqstest.CreateQueue(t, mc, name, attrs), arn: queueARN(account, name)}
}

func queueARN(account, name string) string { return "arn:aws:sqs:us-east-1:" + account + ":" + name }

// receive waits until the queue holds n messages and returns them (with
// all their attributes), in order.
func receive(t *testing.T, mc *awssqs.Client, queueURL string, n int) []sqstypes.Message {
	t.Helper()
	var got []sqstypes.Message
	waitCount(t, "messages in "+queueURL, n, func() int {
		out, err := mc.ReceiveMessage(context.Background(), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL),
			MaxNumberOfMessages: 10, MessageAttributeNames: []string{"All"},
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"}})
		if err != nil {
			t.Fatalf("ReceiveMessage: %v", err)
		}
		for _, m := range out.Messages {
			got = append(got, m)
			if _, err := mc.DeleteMessage(context.Background(), &awssqs.DeleteMessageInput{QueueUrl: aws.String(queueURL), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
		return len(got)
	})
	return got
}

// attrs flattens a message's String attributes.
func attrs(m sqstypes.Message) map[string]string {
	out := map[string]string{}
	for k, v := range m.MessageAttributes {
		out[k] = aws.ToString(v.DataType) + ":" + aws.ToString(v.StringValue)
	}
	return out
}

// checkDLQ checks the six DLQ attributes (EXHAUSTED_RETRY_CONDITION only
// when exhausted is set) and that the body is the original event.
func checkDLQ(t *testing.T, m sqstypes.Message, id, ruleArn, targetArn, code, exhausted, attempts string) {
	t.Helper()
	a := attrs(m)
	t.Logf("DLQ message attributes: %v", a)
	want := map[string]string{"RULE_ARN": "String:" + ruleArn, "TARGET_ARN": "String:" + targetArn,
		"ERROR_CODE": "String:" + code, "RETRY_ATTEMPTS": "String:" + attempts}
	if exhausted != "" {
		want["EXHAUSTED_RETRY_CONDITION"] = "String:" + exhausted
	}
	if !strings.HasPrefix(a["ERROR_MESSAGE"], "String:") || len(a["ERROR_MESSAGE"]) <= len("String:") {
		t.Errorf("ERROR_MESSAGE %q", a["ERROR_MESSAGE"])
	}
	delete(a, "ERROR_MESSAGE")
	if !reflect.DeepEqual(a, want) {
		t.Errorf("DLQ attributes %v, want %v", a, want)
	}
	if body := aws.ToString(m.Body); eventID(t, []byte(body)) != id {
		t.Errorf("DLQ body %s, want the event %s", body, id)
	}
}

// failingProxy stands between Switchyard and moto: SendMessage calls to a
// queue whose URL ends in /<fail> get a 500 InternalFailure; the rest pass.
type failingProxy struct {
	srv   *httptest.Server
	fails atomic.Int64
}

func newFailingProxy(t *testing.T, moto, fail string) *failingProxy {
	t.Helper()
	u, err := url.Parse(moto)
	if err != nil {
		t.Fatal(err)
	}
	p := &failingProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var in struct{ QueueUrl string }
		_ = json.Unmarshal(body, &in)
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".SendMessage") && strings.HasSuffix(in.QueueUrl, "/"+fail) {
			p.fails.Add(1)
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"__type":"com.amazon.coral.service#InternalFailure","message":"stand-in failure"}`))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func TestSQSTargets(t *testing.T) {
	t.Parallel()
	moto := sqstest.StartMoto(t)
	mc := sqstest.Client(moto)
	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"

	t.Run("standard queue gets the event", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000070"
		s := startServer(t, server.Config{EndpointSQS: moto})
		eb := client(s, acct, "x", "")
		q := newQueue(t, mc, acct, "std-events", nil)
		rule(t, eb, "", "to-sqs", `{"source":["sqs"]}`, target("q", q.arn))
		e := entry("", "sqs", "order placed", `{"order":"o-1","total":12.5}`)
		e.TraceHeader = aws.String(trace)
		id := put1(t, eb, e)
		m := receive(t, mc, q.url, 1)[0]
		body := []byte(aws.ToString(m.Body))
		if eventID(t, body) != id {
			t.Errorf("body %s", body)
		}
		if keys := keysInOrder(t, body); !reflect.DeepEqual(keys, []string{"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}) {
			t.Errorf("envelope keys %v", keys)
		}
		var ev struct {
			Account string
			Detail  json.RawMessage
		}
		_ = json.Unmarshal(body, &ev)
		if ev.Account != acct || string(ev.Detail) != `{"order":"o-1","total":12.5}` {
			t.Errorf("envelope %s", body)
		}
		if m.Attributes["AWSTraceHeader"] != trace {
			t.Errorf("AWSTraceHeader %q", m.Attributes["AWSTraceHeader"])
		}
		// The message can be read before the server counts the send.
		waitFor(t, "the delivery counted", func() bool { return stats(t, s)["delivered"] == 1 })
		if st := stats(t, s); st["delivered"] != 1 || st["failed"] != 0 {
			t.Errorf("stats %v", st)
		}
	})

	t.Run("FIFO queue with MessageGroupId", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000071"
		s := startServer(t, server.Config{EndpointSQS: moto})
		eb := client(s, acct, "x", "")
		q := newQueue(t, mc, acct, "orders.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
		dlq := newQueue(t, mc, acct, "fifo-dlq", nil)
		rule(t, eb, "", "fifo", `{"source":["fifo"]}`, types.Target{Id: aws.String("q"), Arn: aws.String(q.arn),
			SqsParameters: &types.SqsParameters{MessageGroupId: aws.String("group-1")}})
		// Without a group: the FIFO queue cannot take it; straight to the DLQ.
		nogroup := rule(t, eb, "", "fifo-nogroup", `{"source":["fifo-nogroup"]}`, types.Target{Id: aws.String("q"), Arn: aws.String(q.arn),
			DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq.arn)}})
		var ids []string
		for i := range 3 {
			ids = append(ids, put1(t, eb, entry("", "fifo", "d", `{"n":`+string(rune('0'+i))+`}`)))
		}
		// EventBridge does not promise order across events (nor does the
		// worker pool): compare as sets.
		want := map[string]bool{}
		for _, id := range ids {
			want[id] = true
		}
		for _, m := range receive(t, mc, q.url, 3) {
			id := eventID(t, []byte(aws.ToString(m.Body)))
			if !want[id] || m.Attributes["MessageGroupId"] != "group-1" {
				t.Errorf("message: group %q body %s", m.Attributes["MessageGroupId"], aws.ToString(m.Body))
			}
			delete(want, id)
		}
		if len(want) != 0 {
			t.Errorf("not received: %v", want)
		}
		id := put1(t, eb, entry("", "fifo-nogroup", "d", `{}`))
		checkDLQ(t, receive(t, mc, dlq.url, 1)[0], id, nogroup, q.arn, "INVALID_PARAMETER", "", "0")
	})

	t.Run("InputTransformer payload", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000072"
		s := startServer(t, server.Config{EndpointSQS: moto})
		eb := client(s, acct, "x", "")
		q := newQueue(t, mc, acct, "transformed", nil)
		rule(t, eb, "", "xform", `{"source":["xform"]}`, types.Target{Id: aws.String("q"), Arn: aws.String(q.arn),
			InputTransformer: &types.InputTransformer{InputPathsMap: map[string]string{"order": "$.detail.order"},
				InputTemplate: aws.String(`{"order": <order>, "text": "order <order> via <aws.events.rule-name>"}`)}})
		put1(t, eb, entry("", "xform", "d", `{"order":"o-9"}`))
		body := aws.ToString(receive(t, mc, q.url, 1)[0].Body)
		var got map[string]string
		if err := json.Unmarshal([]byte(body), &got); err != nil || !reflect.DeepEqual(got, map[string]string{"order": "o-9", "text": "order o-9 via xform"}) {
			t.Errorf("transformed body %s", body)
		}
	})

	t.Run("missing queue goes to the DLQ without retries", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000073"
		s := startServer(t, server.Config{EndpointSQS: moto})
		eb := client(s, acct, "x", "")
		dlq := newQueue(t, mc, acct, "missing-dlq", nil)
		missing := queueARN(acct, "does-not-exist")
		ruleArn := rule(t, eb, "", "missing", `{"source":["missing"]}`, types.Target{Id: aws.String("q"), Arn: aws.String(missing),
			RetryPolicy:      &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(5), MaximumEventAgeInSeconds: aws.Int32(60)},
			DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq.arn)}})
		id := put1(t, eb, entry("", "missing", "d", `{"k":"v"}`))
		checkDLQ(t, receive(t, mc, dlq.url, 1)[0], id, ruleArn, missing, "NO_RESOURCE", "", "0")
		waitFor(t, "the DLQ send counted", func() bool { return stats(t, s)["invocations_sent_to_dlq"] == 1 })
		if st := stats(t, s); st["retried"] != 0 || st["failed"] != 1 || st["dead_lettered"] != 1 || st["invocations_failed_to_be_sent_to_dlq"] != 0 {
			t.Errorf("stats %v", st)
		}
		// The record stays listed.
		if dl := deadLetterOf(t, s, id); dl.Attributes["ERROR_CODE"] != "NO_RESOURCE" {
			t.Errorf("dead-letter record %v", dl.Attributes)
		}
	})

	t.Run("retries exhausted go to the DLQ", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000074"
		proxy := newFailingProxy(t, moto, "flaky")
		s := startServer(t, server.Config{EndpointSQS: proxy.srv.URL})
		eb := client(s, acct, "x", "")
		flaky := newQueue(t, mc, acct, "flaky", nil)
		dlq := newQueue(t, mc, acct, "flaky-dlq", nil)
		ruleArn := rule(t, eb, "", "flaky", `{"source":["flaky"]}`, types.Target{Id: aws.String("q"), Arn: aws.String(flaky.arn),
			RetryPolicy:      &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(2), MaximumEventAgeInSeconds: aws.Int32(60)},
			DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq.arn)}})
		id := put1(t, eb, entry("", "flaky", "d", `{}`))
		checkDLQ(t, receive(t, mc, dlq.url, 1)[0], id, ruleArn, flaky.arn, "SDK_CLIENT_ERROR", "MaximumRetryAttempts", "2")
		if n := proxy.fails.Load(); n != 3 {
			t.Errorf("%d sends to the failing queue, want 3 (two retries)", n)
		}
		if st := stats(t, s); st["retried"] != 2 || st["failed"] != 3 || st["invocations"] != 3 {
			t.Errorf("stats %v", st)
		}
	})

	t.Run("unreachable DLQ keeps the event and sends it later", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000075"
		s := startServer(t, server.Config{EndpointSQS: moto})
		eb := client(s, acct, "x", "")
		missing := queueARN(acct, "gone-target")
		laterDLQ := queueARN(acct, "later-dlq") // created only after the first send failed
		ruleArn := rule(t, eb, "", "later", `{"source":["later"]}`, types.Target{Id: aws.String("q"), Arn: aws.String(missing),
			DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(laterDLQ)}})
		id := put1(t, eb, entry("", "later", "d", `{}`))
		dl := deadLetterOf(t, s, id)
		if dl.Attributes["ERROR_CODE"] != "NO_RESOURCE" || dl.Attributes["RULE_ARN"] != ruleArn {
			t.Errorf("dead-letter record %v", dl.Attributes)
		}
		waitFor(t, "the failed DLQ send counted", func() bool { return stats(t, s)["invocations_failed_to_be_sent_to_dlq"] == 1 })
		q := newQueue(t, mc, acct, "later-dlq", nil)
		checkDLQ(t, receive(t, mc, q.url, 1)[0], id, ruleArn, missing, "NO_RESOURCE", "", "0")
		waitFor(t, "the DLQ send counted", func() bool { return stats(t, s)["invocations_sent_to_dlq"] == 1 })
		if st := stats(t, s); st["invocations_failed_to_be_sent_to_dlq"] != 1 || st["dead_lettered"] != 1 {
			t.Errorf("stats %v (an event is counted once however often its DLQ fails)", st)
		}
	})
}

// TestDLQForwardSurvivesRestart: a dead letter whose queue could not be
// reached is still sent after the server restarts on the same data.
func TestDLQForwardSurvivesRestart(t *testing.T) {
	t.Parallel()
	moto := sqstest.StartMoto(t)
	mc := sqstest.Client(moto)
	const acct = "100000000076"
	dir := t.TempDir()
	open := func() *server.Server {
		s, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: dir, AccountID: "000000000000", Region: "us-east-1", EndpointSQS: moto})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	}
	closeServer := func(s *server.Server) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	}
	s := open()
	eb := client(s, acct, "x", "")
	missing := queueARN(acct, "restart-target")
	ruleArn := rule(t, eb, "", "restart", `{"source":["restart"]}`, types.Target{Id: aws.String("q"), Arn: aws.String(missing),
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(queueARN(acct, "restart-dlq"))}})
	id := put1(t, eb, entry("", "restart", "d", `{}`))
	waitFor(t, "the failed DLQ send counted", func() bool { return stats(t, s)["invocations_failed_to_be_sent_to_dlq"] == 1 })
	closeServer(s)

	q := newQueue(t, mc, acct, "restart-dlq", nil)
	start := time.Now()
	s = open()
	defer closeServer(s)
	checkDLQ(t, receive(t, mc, q.url, 1)[0], id, ruleArn, missing, "NO_RESOURCE", "", "0")
	t.Logf("sent %v after the restart", time.Since(start))
}

// TestRefusedTargetDeadLetters: a target whose endpoint refuses
// connections (a Lambda endpoint nothing listens on) is retried as its
// RetryPolicy says, and after exhaustion the event lands in the SQS
// dead-letter queue with all six attributes. (The waits between retries
// are checked on a synctest clock in the delivery package.)
func TestRefusedTargetDeadLetters(t *testing.T) {
	t.Parallel()
	moto := sqstest.StartMoto(t)
	mc := sqstest.Client(moto)
	refused := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	const acct = "100000000075"
	s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto, "lambda": refused}})
	eb := client(s, acct, "x", "")
	dlq := newQueue(t, mc, acct, "refused-dlq", nil)
	fn := "arn:aws:lambda:us-east-1:" + acct + ":function:nobody-home"
	tg := target("fn", fn)
	tg.RetryPolicy = &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(2), MaximumEventAgeInSeconds: aws.Int32(60)}
	tg.DeadLetterConfig = &types.DeadLetterConfig{Arn: aws.String(dlq.arn)}
	ruleArn := rule(t, eb, "", "to-lambda", `{"source":["refused"]}`, tg)
	id := put1(t, eb, entry("", "refused", "d", `{"n":1}`))
	checkDLQ(t, receive(t, mc, dlq.url, 1)[0], id, ruleArn, fn, "CONNECTION_FAILURE", "MaximumRetryAttempts", "2")
	waitFor(t, "the attempts counted", func() bool { return stats(t, s)["invocations_sent_to_dlq"] == 1 })
	if st := stats(t, s); st["invocations"] != 3 || st["retried"] != 2 || st["delivered"] != 0 {
		t.Errorf("stats %v; want 3 attempts, 2 retries", st)
	}
}

// TestAssumeRoleThroughServer: with AssumeRoles, a target's RoleArn is
// assumed through STS (moto's) and the SQS message is sent with the role's
// temporary credentials; a target without a role uses the base ones.
func TestAssumeRoleThroughServer(t *testing.T) {
	t.Parallel()
	moto := sqstest.StartMoto(t)
	mc := sqstest.Client(moto)
	u, err := url.Parse(moto)
	if err != nil {
		t.Fatal(err)
	}
	// Record the access key of every SendMessage on its way to moto.
	var mu sync.Mutex
	var keys []string
	rp := httputil.NewSingleHostReverseProxy(u)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".SendMessage") {
			_, cred, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
			key, _, _ := strings.Cut(cred, "/")
			mu.Lock()
			keys = append(keys, key)
			mu.Unlock()
		}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	const acct = "100000000076"
	s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto, "sqs": proxy.URL}, AssumeRoles: true})
	eb := client(s, acct, "x", "")
	withRole := newQueue(t, mc, acct, "role-q", nil)
	without := newQueue(t, mc, acct, "base-q", nil)
	tg := target("r", withRole.arn)
	// moto files what temporary credentials do under the role's account:
	// the role is in the account the queues are in (moto's default).
	tg.RoleArn = aws.String("arn:aws:iam::123456789012:role/eventbridge-to-sqs")
	rule(t, eb, "", "roles", `{"source":["roles"]}`, tg, target("b", without.arn))
	put1(t, eb, entry("", "roles", "d", `{}`))
	receive(t, mc, withRole.url, 1)
	receive(t, mc, without.url, 1)
	mu.Lock()
	defer mu.Unlock()
	var role, base int
	for _, k := range keys {
		switch {
		case strings.HasPrefix(k, "ASIA"): // STS temporary credentials
			role++
		case k == "test":
			base++
		}
	}
	if len(keys) != 2 || role != 1 || base != 1 {
		t.Errorf("SendMessage signed with %v; want one role key (ASIA...) and the base test key", keys)
	}
}
