package redshift_test

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
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/redshift"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"id":"e1","detail-type":"Order","source":"shop","detail":{"table":"orders","user":"alice","n":3,"db":"sales"}}`

func request(t *testing.T, a string, p *wire.RedshiftDataParameters) target.Request {
	t.Helper()
	pa, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: pa, Target: &wire.Target{Arn: aws.String(a), RedshiftDataParameters: p},
		Payload: []byte(event), Event: []byte(event), EventID: "e1"}
}

// tap forwards every request to moto and keeps moto's answers, so that the
// test learns the statement id ExecuteStatement returned (Deliver keeps it
// to itself and moto has no ListStatements).
func tap(t *testing.T, moto string) (string, func() []string) {
	u, err := url.Parse(moto)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var bodies []string
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(resp *http.Response) error {
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), bodies...) }
}

// TestExecuteStatementMoto runs one statement on moto's Data API and reads
// it back with DescribeStatement.
func TestExecuteStatementMoto(t *testing.T) {
	t.Parallel()
	moto := targettest.StartMoto(t)
	via, answers := tap(t, moto)
	ctx := context.Background()
	r := request(t, "arn:aws:redshift:us-east-1:123456789012:cluster:analytics", &wire.RedshiftDataParameters{
		Database: aws.String("$.detail.db"), DbUser: aws.String("loader"),
		SecretManagerArn: aws.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:rs-abc"),
		Sql:              aws.String("$.detail.table"),
	})
	// A dynamic Sql is the whole value: here the table name stands for a
	// statement, which is what the event would carry.
	r.Event = []byte(`{"detail":{"db":"sales","table":"INSERT INTO orders VALUES (1)"}}`)
	if res := redshift.Deliver(ctx, targettest.Clients(via), r); res.Err != nil {
		t.Fatalf("deliver: %+v", res)
	}
	got := answers()
	if len(got) != 1 {
		t.Fatalf("answers %q", got)
	}
	var out struct{ Id string }
	if err := json.Unmarshal([]byte(got[0]), &out); err != nil || out.Id == "" {
		t.Fatalf("ExecuteStatement answer %s: %v", got[0], err)
	}
	d := describe(t, moto, out.Id)
	if d.QueryString != "INSERT INTO orders VALUES (1)" || d.ClusterIdentifier != "analytics" ||
		d.Database != "sales" || d.DbUser != "loader" || d.SecretArn != "arn:aws:secretsmanager:us-east-1:123456789012:secret:rs-abc" {
		t.Errorf("moto stored %+v", d)
	}
}

// describe reads a statement back from moto with DescribeStatement as
// plain JSON: moto answers its timestamps as text, which the SDK refuses to
// decode (Deliver counts such a 2xx answer as delivered; a test reading
// back needs the fields).
func describe(t *testing.T, moto, id string) (d struct{ QueryString, ClusterIdentifier, Database, DbUser, SecretArn string }) {
	t.Helper()
	req, _ := http.NewRequest("POST", moto+"/", strings.NewReader(`{"Id":"`+id+`"}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "RedshiftData.DescribeStatement")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/redshift-data/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("DescribeStatement: %d %s", resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("DescribeStatement %s: %v", b, err)
	}
	return d
}

// standIn is a Redshift Data API speaking awsJson1_1: it records each
// request and answers with status and body.
type standIn struct {
	mu      sync.Mutex
	targets []string
	bodies  []map[string]any
	status  int
	answer  string
}

func (s *standIn) start(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("request body: %v", err)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
			t.Errorf("Content-Type %q", ct)
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
			t.Errorf("unsigned request")
		}
		s.mu.Lock()
		s.targets = append(s.targets, r.Header.Get("X-Amz-Target"))
		s.bodies = append(s.bodies, body)
		st, ans := s.status, s.answer
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if st == 0 {
			st, ans = 200, `{"Id":"0f3c4b52-8b0e-4c1a-9f1e-111111111111","CreatedAt":1700000000}`
		}
		w.WriteHeader(st)
		_, _ = w.Write([]byte(ans))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRequests checks each request the stand-in received: the serverless
// workgroup, StatementName, WithEvent, BatchExecuteStatement for Sqls and
// dynamic paths.
func TestRequests(t *testing.T) {
	t.Parallel()
	s := &standIn{}
	c := targettest.Clients(s.start(t))
	ctx := context.Background()
	wg := "arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/7c2f0c52-2a46-4cc1-a2b5-0d57b6a0b9f1"

	res := redshift.Deliver(ctx, c, request(t, wg, &wire.RedshiftDataParameters{
		Database: aws.String("dev"), Sql: aws.String("SELECT 1"), StatementName: aws.String("$.detail-type"), WithEvent: aws.Bool(true),
	}))
	if res.Err != nil {
		t.Fatalf("execute: %+v", res)
	}
	res = redshift.Deliver(ctx, c, request(t, "arn:aws:redshift:us-east-1:123456789012:cluster:analytics", &wire.RedshiftDataParameters{
		Database: aws.String("dev"), DbUser: aws.String("$.detail.user"), Sqls: []string{"BEGIN", "$.detail.table", "COMMIT"},
	}))
	if res.Err != nil {
		t.Fatalf("batch: %+v", res)
	}
	if len(s.bodies) != 2 {
		t.Fatalf("%d requests", len(s.bodies))
	}
	if s.targets[0] != "RedshiftData.ExecuteStatement" || s.targets[1] != "RedshiftData.BatchExecuteStatement" {
		t.Errorf("operations %q", s.targets)
	}
	want := []string{
		`{"Database":"dev","Sql":"SELECT 1","StatementName":"Order","WithEvent":true,"WorkgroupName":"` + wg + `"}`,
		`{"ClusterIdentifier":"analytics","Database":"dev","DbUser":"alice","Sqls":["BEGIN","orders","COMMIT"]}`,
	}
	for i, b := range s.bodies {
		delete(b, "ClientToken") // the SDK's idempotency token, random
		got, _ := json.Marshal(b)
		if string(got) != want[i] {
			t.Errorf("request %d:\n got %s\nwant %s", i, got, want[i])
		}
	}
}

func TestRefusedLocally(t *testing.T) {
	t.Parallel()
	s := &standIn{}
	c := targettest.Clients(s.start(t))
	cl := "arn:aws:redshift:us-east-1:123456789012:cluster:analytics"
	many := make([]string, redshift.MaxSqls+1)
	for i := range many {
		many[i] = "SELECT 1"
	}
	for _, tc := range []struct {
		name, arn string
		p         *wire.RedshiftDataParameters
		code      string
	}{
		{"no parameters", cl, nil, target.CodeInvalidParameter},
		{"no database", cl, &wire.RedshiftDataParameters{Sql: aws.String("SELECT 1")}, target.CodeInvalidParameter},
		{"database path finds nothing", cl, &wire.RedshiftDataParameters{Database: aws.String("$.detail.none"), Sql: aws.String("SELECT 1")}, target.CodeInvalidParameter},
		{"no SQL", cl, &wire.RedshiftDataParameters{Database: aws.String("dev")}, target.CodeInvalidParameter},
		{"41 statements", cl, &wire.RedshiftDataParameters{Database: aws.String("dev"), Sqls: many}, target.CodeInvalidParameter},
		{"namespace ARN", "arn:aws:redshift-serverless:us-east-1:123456789012:namespace/x", &wire.RedshiftDataParameters{Database: aws.String("dev"), Sql: aws.String("SELECT 1")}, target.CodeNoResource},
		{"cluster without name", "arn:aws:redshift:us-east-1:123456789012:cluster:", &wire.RedshiftDataParameters{Database: aws.String("dev"), Sql: aws.String("SELECT 1")}, target.CodeNoResource},
	} {
		res := redshift.Deliver(context.Background(), c, request(t, tc.arn, tc.p))
		if res.Err == nil || res.Retryable || res.Code != tc.code {
			t.Errorf("%s: %+v, want %s", tc.name, res, tc.code)
		}
	}
	if len(s.bodies) != 0 {
		t.Errorf("refused requests reached the service: %v", s.bodies)
	}
}

// TestClassify: answers of the Data API, from the stand-in.
func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		status    int
		errType   string
		message   string
		retryable bool
		code      string
	}{
		{"cluster does not exist", 400, "ValidationException", "Redshift endpoint doesn't exist in this region.", false, target.CodeNoResource},
		{"workgroup not found", 400, "ValidationException", "Workgroup wg not found.", false, target.CodeNoResource},
		{"other validation", 400, "ValidationException", "Either ClusterIdentifier or WorkgroupName needs to be specified.", false, target.CodeInvalidParameter},
		{"too many statements", 400, "ActiveStatementsExceededException", "Active statements exceeded the allowed quota (500).", true, target.CodeThrottling},
		{"access denied", 400, "AccessDeniedException", "no", false, target.CodeNoPermissions},
		{"throttled", 400, "ThrottlingException", "slow down", true, target.CodeThrottling},
		{"statement failed", 500, "ExecuteStatementException", "boom", true, target.CodeSDKClientError},
		{"internal", 500, "InternalServerException", "oops", true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &standIn{status: tc.status, answer: fmt.Sprintf(`{"__type":"com.amazon.redshiftdata#%s","Message":%q}`, tc.errType, tc.message)}
			res := redshift.Deliver(context.Background(), targettest.Clients(s.start(t)), request(t,
				"arn:aws:redshift:us-east-1:123456789012:cluster:analytics",
				&wire.RedshiftDataParameters{Database: aws.String("dev"), Sql: aws.String("SELECT 1")}))
			if res.Err == nil || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("%+v; want retryable %v code %s", res, tc.retryable, tc.code)
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	url := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	res := redshift.Deliver(context.Background(), targettest.Clients(url), request(t,
		"arn:aws:redshift:us-east-1:123456789012:cluster:analytics",
		&wire.RedshiftDataParameters{Database: aws.String("dev"), Sql: aws.String("SELECT 1")}))
	if res.Err == nil || !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Errorf("%+v", res)
	}
}
