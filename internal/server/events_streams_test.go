package server_test

import (
	"context"
	"encoding/json"
	"io"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	awsfirehose "github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	awskinesis "github.com/aws/aws-sdk-go-v2/service/kinesis"
	kintypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
	"github.com/switchyard-dev/switchyard/internal/server"
)

// Event-path tests of SNS, Kinesis Data Streams and Firehose targets
// against a real moto server (one per test, on a free loopback port;
// skipped without moto_server), through Endpoints["*"]. Switchyard signs
// with its test credentials, so moto keeps every resource in its default
// account: the target ARNs name that account, while each subtest sends its
// events from an account of its own.

const streamsMotoAccount = "123456789012"

// streamsSubscribe creates a queue (FIFO when named so), subscribes it to
// the topic with raw message delivery (the body is then the published
// message itself, not SNS's JSON envelope) and returns its URL.
func streamsSubscribe(t *testing.T, sc *awssns.Client, mc *awssqs.Client, topicARN, queue string, fifo bool) string {
	t.Helper()
	var attrs map[string]string
	if fifo {
		attrs = map[string]string{"FifoQueue": "true"}
	}
	q := newQueue(t, mc, streamsMotoAccount, queue, attrs)
	if _, err := sc.Subscribe(context.Background(), &awssns.SubscribeInput{TopicArn: aws.String(topicARN), Protocol: aws.String("sqs"),
		Endpoint: aws.String(q.arn), Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	return q.url
}

// streamsRecords waits until the stream's single shard holds n records and
// returns them.
func streamsRecords(t *testing.T, kc *awskinesis.Client, stream string, n int) []kintypes.Record {
	t.Helper()
	ctx := context.Background()
	shards, err := kc.ListShards(ctx, &awskinesis.ListShardsInput{StreamName: aws.String(stream)})
	if err != nil || len(shards.Shards) != 1 {
		t.Fatalf("ListShards: %v", err)
	}
	var got []kintypes.Record
	waitCount(t, "records in "+stream, n, func() int {
		it, err := kc.GetShardIterator(ctx, &awskinesis.GetShardIteratorInput{StreamName: aws.String(stream),
			ShardId: shards.Shards[0].ShardId, ShardIteratorType: kintypes.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		out, err := kc.GetRecords(ctx, &awskinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
		if err != nil {
			t.Fatal(err)
		}
		got = out.Records
		return len(got)
	})
	return got
}

func TestStreamTargets(t *testing.T) {
	t.Parallel()
	moto := targettest.StartMoto(t)
	cfg := targettest.Config(moto)
	mc := sqstest.Client(moto)
	ctx := context.Background()

	t.Run("SNS topic with an InputTransformer", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000201"
		sc := awssns.NewFromConfig(cfg)
		topic, err := sc.CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String("eb-orders")})
		if err != nil {
			t.Fatal(err)
		}
		q := streamsSubscribe(t, sc, mc, aws.ToString(topic.TopicArn), "eb-orders-sub", false)
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto}})
		eb := client(s, acct, "x", "")
		rule(t, eb, "", "to-sns", `{"source":["shop"],"detail":{"total":[{"numeric":[">",10]}]}}`, types.Target{
			Id: aws.String("t"), Arn: topic.TopicArn,
			InputTransformer: &types.InputTransformer{InputPathsMap: map[string]string{"order": "$.detail.order", "acct": "$.account"},
				InputTemplate: aws.String(`{"order": <order>, "from": <acct>, "rule": <aws.events.rule-name>}`)}})
		put1(t, eb, entry("", "shop", "placed", `{"order":"o-1","total":5}`)) // does not match
		put1(t, eb, entry("", "shop", "placed", `{"order":"o-2","total":12}`))
		msgs := receive(t, mc, q, 1)
		if len(msgs) != 1 {
			t.Fatalf("%d messages, want 1 (the second event only)", len(msgs))
		}
		body := aws.ToString(msgs[0].Body)
		var got map[string]string
		if err := json.Unmarshal([]byte(body), &got); err != nil || !reflect.DeepEqual(got, map[string]string{"order": "o-2", "from": acct, "rule": "to-sns"}) {
			t.Errorf("SNS message %s", body)
		}
		// Both events routed and one delivered: the unmatched event matched
		// no rule, so it was never published.
		waitFor(t, "both events routed, one delivered", func() bool {
			st := stats(t, s)
			return st["events_routed"] == 2 && st["delivered"] == 1
		})
		if st := stats(t, s); st["matched_events"] != 1 {
			t.Errorf("matched_events %d, want 1 (the first event matches no rule)", st["matched_events"])
		}
	})

	t.Run("SNS FIFO topic with a message group", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000202"
		sc := awssns.NewFromConfig(cfg)
		topic, err := sc.CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String("eb-orders.fifo"), Attributes: map[string]string{"FifoTopic": "true"}})
		if err != nil {
			t.Fatal(err)
		}
		q := streamsSubscribe(t, sc, mc, aws.ToString(topic.TopicArn), "eb-orders-sub.fifo", true)
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto}})
		eb := client(s, acct, "x", "")
		rule(t, eb, "", "to-sns-fifo", `{"source":["shop"]}`, types.Target{Id: aws.String("t"), Arn: topic.TopicArn,
			SqsParameters: &types.SqsParameters{MessageGroupId: aws.String("orders")}})
		id := put1(t, eb, entry("", "shop", "placed", `{"order":"o-3"}`))
		m := receive(t, mc, q, 1)[0]
		body := []byte(aws.ToString(m.Body))
		if eventID(t, body) != id || m.Attributes["MessageGroupId"] != "orders" || m.Attributes["MessageDeduplicationId"] != id {
			t.Errorf("FIFO message %s %v", body, m.Attributes)
		}
		var ev struct {
			Account string
			Detail  json.RawMessage
		}
		if err := json.Unmarshal(body, &ev); err != nil || ev.Account != acct || string(ev.Detail) != `{"order":"o-3"}` {
			t.Errorf("FIFO message %s", body)
		}
	})

	t.Run("Kinesis stream with a PartitionKeyPath and an InputPath", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000203"
		kc := awskinesis.NewFromConfig(cfg)
		for _, n := range []string{"eb-keyed", "eb-plain"} {
			if _, err := kc.CreateStream(ctx, &awskinesis.CreateStreamInput{StreamName: aws.String(n), ShardCount: aws.Int32(1)}); err != nil {
				t.Fatal(err)
			}
		}
		streamARN := func(n string) string { return "arn:aws:kinesis:us-east-1:" + streamsMotoAccount + ":stream/" + n }
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto}})
		eb := client(s, acct, "x", "")
		rule(t, eb, "", "to-kinesis", `{"source":["shop"],"detail-type":["placed"]}`,
			types.Target{Id: aws.String("keyed"), Arn: aws.String(streamARN("eb-keyed")), InputPath: aws.String("$.detail"),
				KinesisParameters: &types.KinesisParameters{PartitionKeyPath: aws.String("$.detail.order")}},
			types.Target{Id: aws.String("plain"), Arn: aws.String(streamARN("eb-plain"))})
		id := put1(t, eb, entry("", "shop", "placed", `{"order":"o-4","total":3}`))

		rec := streamsRecords(t, kc, "eb-keyed", 1)[0]
		// The key comes from the original event, the data from the InputPath.
		if aws.ToString(rec.PartitionKey) != "o-4" || string(rec.Data) != `{"order":"o-4","total":3}` {
			t.Errorf("keyed record: key %q data %s", aws.ToString(rec.PartitionKey), rec.Data)
		}
		rec = streamsRecords(t, kc, "eb-plain", 1)[0]
		if aws.ToString(rec.PartitionKey) != id || eventID(t, rec.Data) != id {
			t.Errorf("plain record: key %q (want the event id %s) data %s", aws.ToString(rec.PartitionKey), id, rec.Data)
		}
		waitFor(t, "both deliveries counted", func() bool { return stats(t, s)["delivered"] == 2 })
	})

	t.Run("Firehose delivery stream to S3", func(t *testing.T) {
		t.Parallel()
		const acct = "100000000204"
		s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
		fc := awsfirehose.NewFromConfig(cfg)
		if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eb-firehose")}); err != nil {
			t.Fatal(err)
		}
		if _, err := fc.CreateDeliveryStream(ctx, &awsfirehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("eb-events"),
			ExtendedS3DestinationConfiguration: &fhtypes.ExtendedS3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::eb-firehose"),
				RoleARN: aws.String("arn:aws:iam::" + streamsMotoAccount + ":role/firehose"), Prefix: aws.String("events/")}}); err != nil {
			t.Fatal(err)
		}
		s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto}})
		eb := client(s, acct, "x", "")
		rule(t, eb, "", "to-firehose", `{"source":["shop"]}`, types.Target{Id: aws.String("t"),
			Arn: aws.String("arn:aws:firehose:us-east-1:" + streamsMotoAccount + ":deliverystream/eb-events")})
		id := put1(t, eb, entry("", "shop", "placed", `{"order":"o-5"}`))

		// moto writes each record to its own object at once.
		var keys []string
		waitFor(t, "an object in the bucket", func() bool {
			out, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("eb-firehose"), Prefix: aws.String("events/")})
			if err != nil {
				t.Fatal(err)
			}
			keys = keys[:0]
			for _, o := range out.Contents {
				keys = append(keys, aws.ToString(o.Key))
			}
			return len(keys) > 0
		})
		if len(keys) != 1 {
			t.Fatalf("objects %v, want one", keys)
		}
		obj, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("eb-firehose"), Key: aws.String(keys[0])})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		if eventID(t, body) != id || body[len(body)-1] != '}' {
			t.Errorf("object %s: %q (the event, no newline)", keys[0], body)
		}
		var ev struct {
			Account, Source string
			Detail          json.RawMessage
		}
		if err := json.Unmarshal(body, &ev); err != nil || ev.Account != acct || ev.Source != "shop" || string(ev.Detail) != `{"order":"o-5"}` {
			t.Errorf("object body %s", body)
		}
	})
}
