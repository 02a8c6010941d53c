package firehose_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsfirehose "github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
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
	return target.Request{ARN: a, Target: &wire.Target{Arn: aws.String(streamARN)}, Payload: []byte(payload),
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

	if _, err := sc.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("events-bucket")}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	if _, err := fc.CreateDeliveryStream(ctx, &awsfirehose.CreateDeliveryStreamInput{
		DeliveryStreamName: aws.String("events"),
		ExtendedS3DestinationConfiguration: &fhtypes.ExtendedS3DestinationConfiguration{
			BucketARN: aws.String("arn:aws:s3:::events-bucket"),
			RoleARN:   aws.String("arn:aws:iam::" + motoAccount + ":role/firehose"),
			Prefix:    aws.String("eb/"),
		},
	}); err != nil {
		t.Fatalf("CreateDeliveryStream: %v", err)
	}

	payloads := []string{`{"id":"e-1","detail":{"order":"o-1"}}`, `{"id":"e-2","detail":{}}`, `"a string from an InputPath"`}
	for _, p := range payloads {
		if r := firehose.Deliver(ctx, c, request(t, streamARN("events"), p)); r.Err != nil {
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
		r := firehose.Deliver(ctx, c, request(t, tc.arn, `{}`))
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
			t.Errorf("%s: %+v, want retryable %v code %s", tc.name, r, tc.retryable, tc.code)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	c := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
	r := firehose.Deliver(context.Background(), c, request(t, streamARN("s"), `{}`))
	if r.Err == nil || !r.Retryable || r.Code != target.CodeConnectionFailure {
		t.Errorf("refused: %+v", r)
	}
}

// TestStandIn: a stand-in Firehose speaking awsJson1_1 checks the request
// (region, name, data) and answers with errors moto does not give.
func TestStandIn(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var status int
	var errType string
	var last struct {
		Target, Auth string
		Body         map[string]any
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		last.Target, last.Auth, last.Body = r.Header.Get("X-Amz-Target"), r.Header.Get("Authorization"), nil
		_ = json.Unmarshal(b, &last.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"__type":%q,"message":"from the stand-in"}`, errType)
			return
		}
		fmt.Fprint(w, `{"RecordId":"r-1","Encrypted":false}`)
	}))
	defer srv.Close()
	c := targettest.Clients(srv.URL)
	arnStr := "arn:aws:firehose:ap-southeast-2:" + motoAccount + ":deliverystream/s.1"
	if r := firehose.Deliver(context.Background(), c, request(t, arnStr, `{"x":1}`)); r.Err != nil {
		t.Fatal(r.Err)
	}
	mu.Lock()
	rec, _ := last.Body["Record"].(map[string]any)
	// Data is base64 in JSON: "eyJ4IjoxfQ==" is {"x":1} without a newline.
	if last.Target != "Firehose_20150804.PutRecord" || last.Body["DeliveryStreamName"] != "s.1" || rec["Data"] != "eyJ4IjoxfQ==" ||
		!strings.Contains(last.Auth, "/ap-southeast-2/firehose/") {
		t.Errorf("request %s %v (%s)", last.Target, last.Body, last.Auth)
	}
	mu.Unlock()
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
		mu.Lock()
		status, errType = tc.status, tc.errType
		mu.Unlock()
		r := firehose.Deliver(context.Background(), c, request(t, arnStr, `{}`))
		if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
			t.Errorf("%s: %+v, want retryable %v code %s", tc.errType, r, tc.retryable, tc.code)
		}
	}
}
