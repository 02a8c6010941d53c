package logs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslogs "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/logs"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

func request(t *testing.T, targetARN, id, when string, payload []byte, custom bool) target.Request {
	t.Helper()
	a, err := arn.Parse(targetARN)
	if err != nil {
		t.Fatal(err)
	}
	event := fmt.Sprintf(`{"version":"0","id":%q,"detail-type":"d","source":"s","account":"123456789012","time":%q,"region":"us-east-1","resources":[],"detail":{"k":"v"}}`, id, when)
	if payload == nil {
		payload = []byte(event)
	}
	tg := &catalog.Target{ARN: targetARN}
	if custom {
		tg.InputTransformer = &catalog.InputTransformer{Template: aws.String("<the payload>")}
	}
	return target.Request{ARN: a, Target: tg, Payload: payload, Event: []byte(event), EventID: id}
}

func createGroup(t *testing.T, mc *awslogs.Client, name string) {
	t.Helper()
	if _, err := mc.CreateLogGroup(context.Background(), &awslogs.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
		t.Fatalf("CreateLogGroup: %v", err)
	}
}

// events reads the log events of a stream back from moto.
func events(t *testing.T, mc *awslogs.Client, group, stream string) []types.OutputLogEvent {
	t.Helper()
	out, err := mc.GetLogEvents(context.Background(), &awslogs.GetLogEventsInput{LogGroupName: aws.String(group),
		LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetLogEvents %s/%s: %v", group, stream, err)
	}
	return out.Events
}

// TestDeliverMoto writes events to real log groups of moto and reads them
// back with the SDK.
func TestDeliverMoto(t *testing.T) {
	t.Parallel()
	url := targettest.StartMoto(t)
	mc := awslogs.NewFromConfig(targettest.Config(url))
	c := targettest.Clients(url)
	ctx := context.Background()
	const group = "/aws/events/orders"
	createGroup(t, mc, group)
	// Recent times: CloudWatch Logs (and moto) refuse events older than 14 days.
	when := time.Now().Add(-time.Minute).UTC().Truncate(time.Millisecond)
	stamp := when.Format("2006-01-02T15:04:05.000Z")

	t.Run("event to a new stream named by its id", func(t *testing.T) {
		r := request(t, "arn:aws:logs:us-east-1:123456789012:log-group:"+group+":*", "11111111-aaaa-bbbb-cccc-000000000001", stamp, nil, false)
		if res := logs.New(c).Deliver(ctx, r); res.Err != nil {
			t.Fatalf("deliver: %+v", res)
		}
		got := events(t, mc, group, r.EventID)
		if len(got) != 1 || aws.ToString(got[0].Message) != string(r.Payload) || aws.ToInt64(got[0].Timestamp) != when.UnixMilli() {
			t.Fatalf("stream %s holds %+v; want the event at %d", r.EventID, got, when.UnixMilli())
		}
	})

	t.Run("existing stream, ARN without :*", func(t *testing.T) {
		const id = "11111111-aaaa-bbbb-cccc-000000000002"
		if _, err := mc.CreateLogStream(ctx, &awslogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(id)}); err != nil {
			t.Fatal(err)
		}
		r := request(t, "arn:aws:logs:us-east-1:123456789012:log-group:"+group, id, stamp, nil, false)
		if res := logs.New(c).Deliver(ctx, r); res.Err != nil {
			t.Fatalf("deliver: %+v", res)
		}
		if got := events(t, mc, group, id); len(got) != 1 || aws.ToString(got[0].Message) != string(r.Payload) {
			t.Fatalf("stream holds %+v", got)
		}
	})

	t.Run("input transformer in the log form", func(t *testing.T) {
		const id = "11111111-aaaa-bbbb-cccc-000000000003"
		other := when.Add(-time.Second)
		payload := fmt.Sprintf(`{"timestamp": %d, "message": "order o-1 placed"}`, other.UnixMilli())
		r := request(t, "arn:aws:logs:us-east-1:123456789012:log-group:"+group, id, stamp, []byte(payload), true)
		if res := logs.New(c).Deliver(ctx, r); res.Err != nil {
			t.Fatalf("deliver: %+v", res)
		}
		got := events(t, mc, group, id)
		if len(got) != 1 || aws.ToString(got[0].Message) != "order o-1 placed" || aws.ToInt64(got[0].Timestamp) != other.UnixMilli() {
			t.Fatalf("stream holds %+v", got)
		}
	})

	t.Run("missing log group", func(t *testing.T) {
		r := request(t, "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/none:*", "11111111-aaaa-bbbb-cccc-000000000004", stamp, nil, false)
		res := logs.New(c).Deliver(ctx, r)
		t.Logf("missing group: %v", res.Err)
		if res.Err == nil || res.Retryable || res.Code != target.CodeNoResource {
			t.Fatalf("missing group: %+v", res)
		}
	})

	t.Run("timestamp too old", func(t *testing.T) {
		old := time.Now().Add(-30 * 24 * time.Hour).UTC().Format(time.RFC3339)
		r := request(t, "arn:aws:logs:us-east-1:123456789012:log-group:"+group, "11111111-aaaa-bbbb-cccc-000000000005", old, nil, false)
		res := logs.New(c).Deliver(ctx, r)
		t.Logf("too old: %v", res.Err)
		if res.Err == nil || res.Retryable || res.Code != target.CodeInvalidParameter {
			t.Fatalf("too old: %+v", res)
		}
	})
}

// call is one request the stand-in got: its X-Amz-Target, signature and
// JSON body.
type call struct {
	Target, Auth string
	Body         map[string]any
}

// answer is what the stand-in sends back to one action: status 0 is 200
// with body; otherwise a JSON 1.1 error document of type errType.
type answer struct {
	status  int
	errType string
	body    string
}

// standIn is a CloudWatch Logs stand-in speaking the JSON 1.1 protocol
// (what moto cannot be made to answer: throttling, 5xx, an existing
// stream in the middle of a delivery), answering each action as answers
// says (200 {} when absent), and recording every call in order.
func standIn(t *testing.T, answers map[string]answer) (*target.Clients, func() []call) {
	t.Helper()
	s := targettest.NewStandIn(t, func(r targettest.Request) targettest.Answer {
		a := answers[strings.TrimPrefix(r.Target(), "Logs_20140328.")]
		if a.status != 0 {
			return targettest.JSONError(a.status, a.errType, "from the stand-in")
		}
		if a.body == "" {
			a.body = "{}"
		}
		return targettest.JSONAnswer(a.body)
	})
	return targettest.Clients(s.URL), func() []call {
		var calls []call
		for _, r := range s.Requests() {
			c := call{Target: r.Target(), Auth: r.Header.Get("Authorization")}
			d := json.NewDecoder(bytes.NewReader(r.Body))
			d.UseNumber() // timestamps in milliseconds, compared exactly
			_ = d.Decode(&c.Body)
			calls = append(calls, c)
		}
		return calls
	}
}

// TestDeliverStandIn checks the calls Deliver makes and how it classifies
// the answers moto does not give.
func TestDeliverStandIn(t *testing.T) {
	t.Parallel()
	const (
		group = "/aws/events/orders"
		arnG  = "arn:aws:logs:eu-west-1:123456789012:log-group:" + group + ":*"
		id    = "22222222-aaaa-bbbb-cccc-000000000001"
	)
	when := time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)
	const putOK = `{"nextSequenceToken":"1"}`

	for _, tc := range []struct {
		name      string
		answers   map[string]answer
		actions   []string // the calls made, in order
		retryable bool
		code      string // "" when delivered
	}{
		{"new stream", map[string]answer{"PutLogEvents": {body: putOK}},
			[]string{"CreateLogStream", "PutLogEvents"}, false, ""},
		{"stream already exists", map[string]answer{
			"CreateLogStream": {400, "ResourceAlreadyExistsException", ""},
			"PutLogEvents":    {body: putOK},
		}, []string{"CreateLogStream", "PutLogEvents"}, false, ""},
		{"missing log group", map[string]answer{"CreateLogStream": {400, "ResourceNotFoundException", ""}},
			[]string{"CreateLogStream"}, false, target.CodeNoResource},
		{"CreateLogStream throttled", map[string]answer{"CreateLogStream": {400, "ThrottlingException", ""}},
			[]string{"CreateLogStream"}, true, target.CodeThrottling},
		{"PutLogEvents 500", map[string]answer{"PutLogEvents": {500, "ServiceUnavailableException", ""}},
			[]string{"CreateLogStream", "PutLogEvents"}, true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, calls := standIn(t, tc.answers)
			r := request(t, arnG, id, when.Format(time.RFC3339Nano), nil, false)
			res := logs.New(c).Deliver(context.Background(), r)
			t.Logf("%s: %v", tc.name, res.Err)
			if tc.code == "" && res.Err != nil {
				t.Fatalf("deliver: %+v", res)
			}
			if tc.code != "" && (res.Err == nil || res.Retryable != tc.retryable || res.Code != tc.code) {
				t.Errorf("%+v, want retryable %v code %s", res, tc.retryable, tc.code)
			}
			got := calls()
			var actions []string
			for _, c := range got {
				actions = append(actions, c.Target)
			}
			var want []string
			for _, a := range tc.actions {
				want = append(want, "Logs_20140328."+a)
			}
			if strings.Join(actions, " ") != strings.Join(want, " ") {
				t.Fatalf("calls %q, want %q", actions, want)
			}
			for _, c := range got {
				if c.Body["logGroupName"] != group || c.Body["logStreamName"] != id || !strings.Contains(c.Auth, "/eu-west-1/logs/") {
					t.Errorf("%s to %v/%v (%s), want %s/%s in eu-west-1", c.Target, c.Body["logGroupName"], c.Body["logStreamName"], c.Auth, group, id)
				}
			}
			if len(got) < 2 {
				return
			}
			evs, _ := got[1].Body["logEvents"].([]any)
			if len(evs) != 1 {
				t.Fatalf("PutLogEvents sent %v, want one event", got[1].Body["logEvents"])
			}
			ev, _ := evs[0].(map[string]any)
			if ev["message"] != string(r.Payload) || ev["timestamp"] != json.Number(fmt.Sprint(when.UnixMilli())) {
				t.Errorf("log event %v, want the event at %d", ev, when.UnixMilli())
			}
		})
	}

	t.Run("empty message", func(t *testing.T) {
		t.Parallel()
		c, calls := standIn(t, nil)
		r := request(t, arnG, id, when.Format(time.RFC3339Nano), []byte(`{"message":""}`), true)
		res := logs.New(c).Deliver(context.Background(), r)
		if res.Err == nil || res.Retryable || res.Code != target.CodeInvalidInput {
			t.Errorf("empty message: %+v", res)
		}
		if got := calls(); len(got) != 0 {
			t.Errorf("calls %+v, want none", got)
		}
	})
}

// TestConformance: CloudWatch Logs on moto, read back stream by stream
// (each event has its own).
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		url := targettest.StartMoto(t)
		mc := awslogs.NewFromConfig(targettest.Config(url))
		const group = "/aws/events/conformance"
		createGroup(t, mc, group)
		return targettest.Fixture{
			Kind: logs.New(targettest.Clients(url)),
			ARN:  "arn:aws:logs:us-east-1:123456789012:log-group:" + group + ":*",
			Received: func(t *testing.T) []targettest.Delivery {
				streams, err := mc.DescribeLogStreams(context.Background(), &awslogs.DescribeLogStreamsInput{LogGroupName: aws.String(group)})
				if err != nil {
					t.Fatalf("DescribeLogStreams: %v", err)
				}
				var out []targettest.Delivery
				for _, st := range streams.LogStreams {
					for _, e := range events(t, mc, group, aws.ToString(st.LogStreamName)) {
						out = append(out, targettest.Delivery{Doc: aws.ToString(e.Message)})
					}
				}
				return out
			},
			At:      targettest.At(logs.New),
			Errors:  targettest.Errors{Protocol: targettest.JSON},
			Missing: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/none:*",
			Malformed: []string{
				"arn:aws:logs:us-east-1:123456789012:destination:x",
				"arn:aws:logs:us-east-1:123456789012:log-group:",
				"arn:aws:logs:us-east-1:123456789012:log-group:a b",
				"arn:aws:logs:us-east-1:123456789012:log-group:a:b",
			},
			Without: map[string]string{
				targettest.TraceRow: "PutLogEvents has no place for a trace header: a log event is its message and timestamp",
			},
		}
	})
}
