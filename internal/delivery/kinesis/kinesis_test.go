package kinesis_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskinesis "github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/kinesis"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// moto keeps every resource in its default account when the requests are
// signed with the test credentials.
const motoAccount = "123456789012"

const event = `{"version":"0","id":"e-1","detail-type":"d","source":"s","detail":{"order":"o-1","n":42,"empty":"","nested":{"a":[1,2]}}}`

func request(t *testing.T, streamARN, payload, eventID string, keyPath *string) target.Request {
	t.Helper()
	a, err := arn.Parse(streamARN)
	if err != nil {
		t.Fatal(err)
	}
	tg := &catalog.Target{ARN: streamARN}
	if keyPath != nil {
		tg.Kinesis = &catalog.KinesisParameters{PartitionKeyPath: keyPath}
	}
	return target.Request{ARN: a, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: eventID}
}

// createStream creates a one-shard stream in moto and returns its ARN.
func createStream(t *testing.T, kc *awskinesis.Client, name string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := kc.CreateStream(ctx, &awskinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatalf("CreateStream: %v", err)
	}
	out, err := kc.DescribeStreamSummary(ctx, &awskinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.StreamDescriptionSummary.StreamARN)
}

// records reads every record of the stream's single shard from the start.
func records(t *testing.T, kc *awskinesis.Client, name string) []types.Record {
	t.Helper()
	ctx := context.Background()
	shards, err := kc.ListShards(ctx, &awskinesis.ListShardsInput{StreamName: aws.String(name)})
	if err != nil || len(shards.Shards) != 1 {
		t.Fatalf("ListShards: %v %+v", err, shards)
	}
	it, err := kc.GetShardIterator(ctx, &awskinesis.GetShardIteratorInput{StreamName: aws.String(name),
		ShardId: shards.Shards[0].ShardId, ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	out, err := kc.GetRecords(ctx, &awskinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil {
		t.Fatal(err)
	}
	return out.Records
}

// TestPutRecordMoto puts records into a real stream of moto and reads them
// back, with the partition key from each kind of PartitionKeyPath.
func TestPutRecordMoto(t *testing.T) {
	t.Parallel()
	moto := targettest.StartMoto(t)
	kc := awskinesis.NewFromConfig(targettest.Config(moto))
	c := targettest.Clients(moto)
	ctx := context.Background()
	stream := createStream(t, kc, "events")

	long := strings.Repeat("é", 300) // 300 characters, 600 bytes
	type put struct {
		name    string
		payload string
		id      string
		path    *string
		key     string
	}
	puts := []put{
		{"no KinesisParameters: the event id", event, "e-1", nil, "e-1"},
		{"a path to a string", `{"t":1}`, "e-2", aws.String("$.detail.order"), "o-1"},
		{"a path to a number", event, "e-3", aws.String("$.detail.n"), "42"},
		{"a path to an object", event, "e-4", aws.String("$.detail.nested"), `{"a":[1,2]}`},
		{"a literal", event, "e-5", aws.String("fixed-key"), "fixed-key"},
		{"a path that finds nothing", event, "e-6", aws.String("$.detail.absent"), "e-6"},
		{"a path to an empty string", event, "e-7", aws.String("$.detail.empty"), "e-7"},
		{"an empty PartitionKeyPath", event, "e-8", aws.String(""), "e-8"},
		{"a key over 256 characters", event, "e-9", aws.String(long), strings.Repeat("é", 256)},
	}
	for _, p := range puts {
		if r := kinesis.New(c).Deliver(ctx, request(t, stream, p.payload, p.id, p.path)); r.Err != nil {
			t.Fatalf("%s: %+v", p.name, r)
		}
	}
	got := records(t, kc, "events")
	if len(got) != len(puts) {
		t.Fatalf("%d records, want %d", len(got), len(puts))
	}
	for i, p := range puts {
		if k := aws.ToString(got[i].PartitionKey); k != p.key || string(got[i].Data) != p.payload {
			t.Errorf("%s: key %q (%d characters) data %s; want %q %s", p.name, k, utf8.RuneCountInString(k), got[i].Data, p.key, p.payload)
		}
	}

	for _, tc := range []struct {
		name, arn string
		retryable bool
		code      string
	}{
		{"stream does not exist", "arn:aws:kinesis:us-east-1:" + motoAccount + ":stream/missing", false, target.CodeNoResource},
		{"not a stream ARN", "arn:aws:kinesis:us-east-1:" + motoAccount + ":events", false, target.CodeNoResource},
		{"bad stream name", "arn:aws:kinesis:us-east-1:" + motoAccount + ":stream/a b", false, target.CodeNoResource},
	} {
		r := kinesis.New(c).Deliver(ctx, request(t, tc.arn, event, "e-1", nil))
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
			t.Errorf("%s: %+v, want retryable %v code %s", tc.name, r, tc.retryable, tc.code)
		}
	}
}

// TestStandIn: a stand-in Kinesis speaking awsJson1_1 checks the request
// (region, StreamARN) and answers with errors moto does not give.
func TestStandIn(t *testing.T) {
	t.Parallel()
	s := targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
		return targettest.JSONAnswer(`{"SequenceNumber":"1","ShardId":"shardId-000000000000"}`)
	})
	k := kinesis.New(targettest.Clients(s.URL))
	stream := "arn:aws:kinesis:eu-central-1:" + motoAccount + ":stream/s"
	if r := k.Deliver(context.Background(), request(t, stream, `{"x":1}`, "e-1", aws.String("$.detail.order"))); r.Err != nil {
		t.Fatal(r.Err)
	}
	// Data is base64 in JSON: "eyJ4IjoxfQ==" is {"x":1}.
	last := s.Requests()[0]
	body, auth := last.JSON(), last.Header.Get("Authorization")
	if last.Target() != "Kinesis_20131202.PutRecord" || body["StreamARN"] != stream || body["StreamName"] != nil ||
		body["PartitionKey"] != "o-1" || body["Data"] != "eyJ4IjoxfQ==" || !strings.Contains(auth, "/eu-central-1/kinesis/") {
		t.Errorf("request %s %v (%s)", last.Target(), body, auth)
	}
	for _, tc := range []struct {
		status    int
		errType   string
		retryable bool
		code      string
	}{
		{400, "ProvisionedThroughputExceededException", true, target.CodeThrottling},
		{400, "LimitExceededException", true, target.CodeThrottling},
		{400, "KMSAccessDeniedException", false, target.CodeNoPermissions},
		{400, "AccessDeniedException", false, target.CodeNoPermissions},
		{400, "InvalidArgumentException", false, target.CodeInvalidParameter},
		{400, "ResourceNotFoundException", false, target.CodeNoResource},
		{500, "InternalFailure", true, target.CodeSDKClientError},
	} {
		s.SetAnswer(func(targettest.Request) targettest.Answer {
			return targettest.JSONError(tc.status, tc.errType, "from the stand-in")
		})
		r := k.Deliver(context.Background(), request(t, stream, `{}`, "e-1", nil))
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
			t.Errorf("%s: %+v, want retryable %v code %s", tc.errType, r, tc.retryable, tc.code)
		}
	}
}

// TestConformance: Kinesis on moto, read back from the stream's shard.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		moto := targettest.StartMoto(t)
		kc := awskinesis.NewFromConfig(targettest.Config(moto))
		stream := createStream(t, kc, "conformance")
		return targettest.Fixture{
			Kind: kinesis.New(targettest.Clients(moto)),
			ARN:  stream,
			Received: func(t *testing.T) []targettest.Delivery {
				var out []targettest.Delivery
				for _, r := range records(t, kc, "conformance") {
					out = append(out, targettest.Delivery{Doc: string(r.Data)})
				}
				return out
			},
			At: targettest.At(kinesis.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				Throttling: targettest.Fault{Status: 400, Code: "ProvisionedThroughputExceededException", Message: "Rate exceeded for shard"}},
			Missing: "arn:aws:kinesis:us-east-1:" + motoAccount + ":stream/missing",
			Malformed: []string{
				"arn:aws:kinesis:us-east-1:" + motoAccount + ":events",
				"arn:aws:kinesis:us-east-1:" + motoAccount + ":stream/a b",
				"arn:aws:kinesis:us-east-1:" + motoAccount + ":stream/",
				"arn:aws:kinesis:us-east-1:" + motoAccount + ":stream/" + strings.Repeat("s", 129),
			},
			Without: map[string]string{
				targettest.TraceRow: "PutRecord has no place for a trace header: a record is its data and partition key, and Kinesis passes nothing else to its consumers",
			},
		}
	})
}
