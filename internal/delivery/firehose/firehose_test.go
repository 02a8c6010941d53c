package firehose_test

import (
	"context"
	"io"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsfirehose "github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/firehose"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// moto keeps every resource in its default account when the requests are
// signed with the test credentials.
const motoAccount = "123456789012"

func request(t *testing.T, streamARN, payload string) target.Request {
	t.Helper()
	a, err := arn.Parse(streamARN)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: a, Target: &catalog.Target{ARN: streamARN}, Payload: []byte(payload),
		Event: []byte(payload), EventID: "e-1"}
}

func streamARN(name string) string {
	return "arn:aws:firehose:us-east-1:" + motoAccount + ":deliverystream/" + name
}

// objects reads every object under prefix in the bucket, by key.
func objects(t *testing.T, sc *s3.Client, bucket, prefix string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out, err := sc.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	if err != nil {
		t.Fatalf("ListObjectsV2: %v", err)
	}
	m := map[string]string{}
	for _, o := range out.Contents {
		g, err := sc.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(g.Body)
		g.Body.Close()
		m[aws.ToString(o.Key)] = string(b)
	}
	return m
}

// createStream creates a bucket and a delivery stream writing to it under
// the prefix eb/.
func createStream(t *testing.T, sc *s3.Client, fc *awsfirehose.Client, name, bucket string) {
	t.Helper()
	ctx := context.Background()
	if _, err := sc.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	if _, err := fc.CreateDeliveryStream(ctx, &awsfirehose.CreateDeliveryStreamInput{
		DeliveryStreamName: aws.String(name),
		ExtendedS3DestinationConfiguration: &fhtypes.ExtendedS3DestinationConfiguration{
			BucketARN: aws.String("arn:aws:s3:::" + bucket),
			RoleARN:   aws.String("arn:aws:iam::" + motoAccount + ":role/firehose"),
			Prefix:    aws.String("eb/"),
		},
	}); err != nil {
		t.Fatalf("CreateDeliveryStream: %v", err)
	}
}

// TestPutRecordMoto puts records into a real delivery stream of moto with
// an S3 destination and reads the objects back. moto writes one object
// per PutRecord at once (no buffering), named like Firehose's:
// <prefix>YYYY/MM/DD/HH/<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>.
func TestPutRecordMoto(t *testing.T) {
	t.Parallel()
	moto := targettest.StartMoto(t)
	cfg := targettest.Config(moto)
	sc := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	fc := awsfirehose.NewFromConfig(cfg)
	c := targettest.Clients(moto)
	ctx := context.Background()

	createStream(t, sc, fc, "events", "events-bucket")

	payloads := []string{`{"id":"e-1","detail":{"order":"o-1"}}`, `{"id":"e-2","detail":{}}`, `"a string from an InputPath"`}
	for _, p := range payloads {
		if r := firehose.New(c).Deliver(ctx, request(t, streamARN("events"), p)); r.Err != nil {
			t.Fatalf("deliver %s: %+v", p, r)
		}
	}
	got := objects(t, sc, "events-bucket", "eb/")
	key := regexp.MustCompile(`^eb/\d{4}/\d{2}/\d{2}/\d{2}/events-\d+-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}$`)
	var bodies []string
	for k, v := range got {
		if !key.MatchString(k) {
			t.Errorf("object key %q", k)
		}
		bodies = append(bodies, v)
	}
	// One object per record, each exactly the payload: no newline added.
	sort.Strings(bodies)
	want := append([]string(nil), payloads...)
	sort.Strings(want)
	if strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Errorf("objects %q, want %q", bodies, want)
	}

	for _, tc := range []struct {
		name, arn string
		retryable bool
		code      string
	}{
		{"delivery stream does not exist", streamARN("missing"), false, target.CodeNoResource},
		{"not a delivery stream ARN", "arn:aws:firehose:us-east-1:" + motoAccount + ":events", false, target.CodeNoResource},
		{"name too long", streamARN(strings.Repeat("n", 65)), false, target.CodeNoResource},
	} {
		r := firehose.New(c).Deliver(ctx, request(t, tc.arn, `{}`))
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
			t.Errorf("%s: %+v, want retryable %v code %s", tc.name, r, tc.retryable, tc.code)
		}
	}
}

// TestStandIn: a stand-in Firehose speaking awsJson1_1 checks the request
// (region, name, data) and answers with errors moto does not give.
func TestStandIn(t *testing.T) {
	t.Parallel()
	s := targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
		return targettest.JSONAnswer(`{"RecordId":"r-1","Encrypted":false}`)
	})
	k := firehose.New(targettest.Clients(s.URL))
	arnStr := "arn:aws:firehose:ap-southeast-2:" + motoAccount + ":deliverystream/s.1"
	if r := k.Deliver(context.Background(), request(t, arnStr, `{"x":1}`)); r.Err != nil {
		t.Fatal(r.Err)
	}
	last := s.Requests()[0]
	body, auth := last.JSON(), last.Header.Get("Authorization")
	rec, _ := body["Record"].(map[string]any)
	// Data is base64 in JSON: "eyJ4IjoxfQ==" is {"x":1} without a newline.
	if last.Target() != "Firehose_20150804.PutRecord" || body["DeliveryStreamName"] != "s.1" || rec["Data"] != "eyJ4IjoxfQ==" ||
		!strings.Contains(auth, "/ap-southeast-2/firehose/") {
		t.Errorf("request %s %v (%s)", last.Target(), body, auth)
	}
	for _, tc := range []struct {
		status    int
		errType   string
		retryable bool
		code      string
	}{
		{500, "ServiceUnavailableException", true, target.CodeSDKClientError},
		{400, "ThrottlingException", true, target.CodeThrottling},
		{400, "InvalidArgumentException", false, target.CodeInvalidParameter},
		{400, "InvalidKMSResourceException", false, target.CodeInvalidParameter},
		{400, "ResourceNotFoundException", false, target.CodeNoResource},
		{403, "AccessDeniedException", false, target.CodeNoPermissions},
	} {
		s.SetAnswer(func(targettest.Request) targettest.Answer {
			return targettest.JSONError(tc.status, tc.errType, "from the stand-in")
		})
		r := k.Deliver(context.Background(), request(t, arnStr, `{}`))
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
			t.Errorf("%s: %+v, want retryable %v code %s", tc.errType, r, tc.retryable, tc.code)
		}
	}
}

// TestConformance: Firehose on moto, read back from the S3 objects its
// delivery stream writes (one per record in moto).
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		moto := targettest.StartMoto(t)
		cfg := targettest.Config(moto)
		sc := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
		createStream(t, sc, awsfirehose.NewFromConfig(cfg), "conformance", "conformance-bucket")
		return targettest.Fixture{
			Kind: firehose.New(targettest.Clients(moto)),
			ARN:  streamARN("conformance"),
			Received: func(t *testing.T) []targettest.Delivery {
				var out []targettest.Delivery
				for _, body := range objects(t, sc, "conformance-bucket", "eb/") {
					out = append(out, targettest.Delivery{Doc: body})
				}
				return out
			},
			At: targettest.At(firehose.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				// Firehose's answer to a stream over its throughput.
				Throttling: targettest.Fault{Status: 400, Code: "ThrottlingException", Message: "Rate exceeded"}},
			Missing: streamARN("missing"),
			Malformed: []string{
				"arn:aws:firehose:us-east-1:" + motoAccount + ":events",
				streamARN(strings.Repeat("n", 65)),
				streamARN("a/b"),
			},
			Without: map[string]string{
				targettest.TraceRow: "PutRecord has no place for a trace header: Firehose writes the record's data alone to its destination",
			},
		}
	})
}
