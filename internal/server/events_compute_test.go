package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslogs "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
	"github.com/switchyard-dev/switchyard/internal/server"
)

// Event-path tests of CloudWatch Logs, Step Functions and Lambda targets:
// PutEvents through the EventBridge SDK client, routing, delivery with
// aws-sdk-go-v2, and what the service got read back. CloudWatch Logs and
// Step Functions are moto (one per test, skipped without moto_server);
// Lambda is a stand-in speaking Lambda's REST API (a receiver answering
// 202), because moto runs invoked functions in Docker, which is not here.

func TestComputeTargets(t *testing.T) {
	t.Parallel()
	moto := targettest.StartMoto(t)
	cfg := targettest.Config(moto)
	lc := awslogs.NewFromConfig(cfg)
	sc := awssfn.NewFromConfig(cfg)
	ctx := context.Background()
	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	// A recent time: CloudWatch Logs refuses events older than 14 days.
	at := time.Now().Add(-time.Minute).UTC().Truncate(time.Second)

	// logEvents waits for the stream of the event id in group to hold an
	// event and returns its events.
	logEvents := func(t *testing.T, group, stream string) []logstypes.OutputLogEvent {
		t.Helper()
		var got []logstypes.OutputLogEvent
		waitFor(t, "log events in "+group+"/"+stream, func() bool {
			out, err := lc.GetLogEvents(ctx, &awslogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream),
				StartFromHead: aws.Bool(true)})
			var nf *logstypes.ResourceNotFoundException
			if errors.As(err, &nf) {
				return false // the stream is not made yet
			}
			if err != nil {
				t.Fatalf("GetLogEvents: %v", err)
			}
			got = out.Events
			return len(got) > 0
		})
		return got
	}
	createGroup := func(t *testing.T, name string) {
		t.Helper()
		if _, err := lc.CreateLogGroup(ctx, &awslogs.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
			t.Fatalf("CreateLogGroup: %v", err)
		}
	}

	t.Run("CloudWatch Logs gets the event", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000301"
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto}})
		eb := client(s, acct, "x", "")
		group := "/aws/events/compute-" + acct
		createGroup(t, group)
		rule(t, eb, "", "to-logs", `{"source":["logs"]}`, target("g", "arn:aws:logs:us-east-1:"+acct+":log-group:"+group+":*"))
		e := entry("", "logs", "order placed", `{"order":"o-1"}`)
		e.Time = &at
		id := put1(t, eb, e)
		got := logEvents(t, group, id)
		if len(got) != 1 {
			t.Fatalf("%d log events", len(got))
		}
		msg := []byte(aws.ToString(got[0].Message))
		if eventID(t, msg) != id || !strings.Contains(string(msg), `"detail":{"order":"o-1"}`) {
			t.Errorf("message %s", msg)
		}
		if ts := aws.ToInt64(got[0].Timestamp); ts != at.UnixMilli() {
			t.Errorf("timestamp %d, want the event's time %d", ts, at.UnixMilli())
		}
		waitFor(t, "the delivery counted", func() bool { return stats(t, s)["delivered"] == 1 })
	})

	t.Run("CloudWatch Logs with an InputTransformer in the log form", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000302"
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto}})
		eb := client(s, acct, "x", "")
		group := "/aws/events/compute-" + acct
		createGroup(t, group)
		rule(t, eb, "", "to-logs-xform", `{"source":["logs-xform"]}`, types.Target{Id: aws.String("g"),
			Arn: aws.String("arn:aws:logs:us-east-1:" + acct + ":log-group:" + group),
			InputTransformer: &types.InputTransformer{InputPathsMap: map[string]string{"time": "$.time", "order": "$.detail.order"},
				InputTemplate: aws.String(`{"timestamp": <time>, "message": "order <order> placed by <aws.events.rule-name>"}`)}})
		e := entry("", "logs-xform", "order placed", `{"order":"o-2"}`)
		e.Time = &at
		id := put1(t, eb, e)
		got := logEvents(t, group, id)
		if len(got) != 1 || aws.ToString(got[0].Message) != "order o-2 placed by to-logs-xform" || aws.ToInt64(got[0].Timestamp) != at.UnixMilli() {
			t.Errorf("log events %+v", got)
		}
	})

	t.Run("Step Functions execution gets the event", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000303"
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto}})
		eb := client(s, acct, "x", "")
		m, err := sc.CreateStateMachine(ctx, &awssfn.CreateStateMachineInput{Name: aws.String("compute-" + acct),
			Definition: aws.String(`{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}`),
			RoleArn:    aws.String("arn:aws:iam::123456789012:role/sfn")})
		if err != nil {
			t.Fatalf("CreateStateMachine: %v", err)
		}
		machine := aws.ToString(m.StateMachineArn)
		rule(t, eb, "", "to-sfn", `{"source":["sfn"]}`, target("m", machine))
		e := entry("", "sfn", "order placed", `{"order":"o-3"}`)
		e.TraceHeader = aws.String(trace)
		id := put1(t, eb, e)
		var execs []string
		waitFor(t, "an execution of "+machine, func() bool {
			out, err := sc.ListExecutions(ctx, &awssfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
			if err != nil {
				t.Fatalf("ListExecutions: %v", err)
			}
			execs = nil
			for _, x := range out.Executions {
				execs = append(execs, aws.ToString(x.ExecutionArn))
			}
			return len(execs) > 0
		})
		if len(execs) != 1 {
			t.Fatalf("%d executions", len(execs))
		}
		d, err := sc.DescribeExecution(ctx, &awssfn.DescribeExecutionInput{ExecutionArn: aws.String(execs[0])})
		if err != nil {
			t.Fatal(err)
		}
		input := []byte(aws.ToString(d.Input))
		var ev struct {
			Account string
			Detail  json.RawMessage
		}
		if eventID(t, input) != id || json.Unmarshal(input, &ev) != nil || ev.Account != acct || string(ev.Detail) != `{"order":"o-3"}` {
			t.Errorf("execution input %s", input)
		}
		waitFor(t, "the delivery counted", func() bool { return stats(t, s)["delivered"] == 1 })
	})

	t.Run("Lambda is invoked asynchronously with the event", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000304"
		standIn := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto, "lambda": standIn.URL()}})
		eb := client(s, acct, "x", "")
		fn := "arn:aws:lambda:us-east-1:" + acct + ":function:orders:live"
		rule(t, eb, "", "to-lambda", `{"source":["lambda"]}`, target("f", fn))
		e := entry("", "lambda", "order placed", `{"order":"o-4"}`)
		e.TraceHeader = aws.String(trace)
		id := put1(t, eb, e)
		h := standIn.waitHits(t, 1)[0]
		if p, _ := url.PathUnescape(h.Path); h.Method != http.MethodPost || p != "/2015-03-31/functions/"+fn+"/invocations" {
			t.Errorf("request %s %s", h.Method, h.Path)
		}
		if h.Header.Get("X-Amz-Invocation-Type") != "Event" || h.Header.Get("X-Amzn-Trace-Id") != trace ||
			!strings.Contains(h.Header.Get("Authorization"), "/us-east-1/lambda/aws4_request") {
			t.Errorf("headers %v", h.Header)
		}
		if eventID(t, h.Body) != id || !strings.Contains(string(h.Body), `"detail":{"order":"o-4"}`) {
			t.Errorf("payload %s", h.Body)
		}
		waitFor(t, "the delivery counted", func() bool { return stats(t, s)["delivered"] == 1 })
		if n := len(standIn.Hits()); n != 1 {
			t.Errorf("%d invocations", n)
		}
	})

	t.Run("missing Lambda function goes to the dead letters unretried", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000305"
		standIn := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"Type":"User","Message":"Function not found"}`))
		})
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto, "lambda": standIn.URL()}})
		eb := client(s, acct, "x", "")
		// The dead-letter queue is a real queue of moto.
		dlq := newQueue(t, sqstest.Client(moto), acct, "compute-dlq-"+acct, nil)
		rule(t, eb, "", "to-nowhere", `{"source":["nowhere"]}`, types.Target{Id: aws.String("f"),
			Arn:              aws.String("arn:aws:lambda:us-east-1:" + acct + ":function:gone"),
			RetryPolicy:      &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(5), MaximumEventAgeInSeconds: aws.Int32(60)},
			DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq.arn)}})
		id := put1(t, eb, entry("", "nowhere", "d", `{}`))
		if dl := deadLetterOf(t, s, id); dl.Attributes["ERROR_CODE"] != "NO_RESOURCE" || dl.Attributes["RETRY_ATTEMPTS"] != "0" {
			t.Errorf("dead letter %v", dl.Attributes)
		}
		if n := len(standIn.Hits()); n != 1 {
			t.Errorf("%d invocations, want 1 (not retried)", n)
		}
		if st := stats(t, s); st["retried"] != 0 || st["failed"] != 1 {
			t.Errorf("stats %v", st)
		}
	})
}
