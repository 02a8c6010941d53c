package redshift_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/redshift"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"id":"e1","detail-type":"Order","source":"shop","detail":{"table":"orders","user":"alice","n":3,"db":"sales"}}`

func request(t *testing.T, a string, p *catalog.RedshiftDataParameters) target.Request {
	t.Helper()
	pa, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: pa, Target: &catalog.Target{ARN: a, RedshiftData: p},
		Payload: []byte(event), Event: []byte(event), EventID: "e1"}
}

// statementIDs are the ids ExecuteStatement answered through the proxy p
// in front of moto (Deliver keeps them to itself and moto has no
// ListStatements).
func statementIDs(t *testing.T, p *targettest.Proxy) []string {
	t.Helper()
	var ids []string
	for _, x := range p.Exchanges() {
		if x.Request.Target() != "RedshiftData.ExecuteStatement" || x.Status != 200 {
			continue
		}
		var out struct{ Id string }
		if err := json.Unmarshal(x.Answer, &out); err != nil || out.Id == "" {
			t.Fatalf("ExecuteStatement answer %s: %v", x.Answer, err)
		}
		ids = append(ids, out.Id)
	}
	return ids
}

// TestExecuteStatementMoto runs one statement on moto's Data API and reads
// it back with DescribeStatement.
func TestExecuteStatementMoto(t *testing.T) {
	t.Parallel()
	moto := targettest.StartMoto(t)
	p := targettest.NewProxy(t, moto, nil)
	ctx := context.Background()
	r := request(t, "arn:aws:redshift:us-east-1:123456789012:cluster:analytics", &catalog.RedshiftDataParameters{
		Database: aws.String("$.detail.db"), DbUser: aws.String("loader"),
		SecretManagerArn: aws.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:rs-abc"),
		Sql:              aws.String("$.detail.table"),
	})
	// A dynamic Sql is the whole value: here the table name stands for a
	// statement, which is what the event would carry.
	r.Event = []byte(`{"detail":{"db":"sales","table":"INSERT INTO orders VALUES (1)"}}`)
	if res := redshift.New(targettest.Clients(p.URL)).Deliver(ctx, r); res.Err != nil {
		t.Fatalf("deliver: %+v", res)
	}
	ids := statementIDs(t, p)
	if len(ids) != 1 {
		t.Fatalf("statements %q", ids)
	}
	d := describe(t, moto, ids[0])
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
	b := targettest.Call(t, req, "redshift-data")
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("DescribeStatement %s: %v", b, err)
	}
	return d
}

// standIn is a Redshift Data API speaking awsJson1_1: it records each
// request and answers with status and answer (status 0: a statement
// started).
func standIn(t *testing.T, status int, answer string) *targettest.StandIn {
	t.Helper()
	if status == 0 {
		status, answer = 200, `{"Id":"0f3c4b52-8b0e-4c1a-9f1e-111111111111","CreatedAt":1700000000}`
	}
	return targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
		a := targettest.JSONAnswer(answer)
		a.Status = status
		return a
	})
}

// sent are the requests the stand-in received, each checked to be a
// signed awsJson1_1 request with a JSON body.
func sent(t *testing.T, s *targettest.StandIn) []targettest.Request {
	t.Helper()
	rs := s.Requests()
	for _, r := range rs {
		if r.JSON() == nil {
			t.Errorf("request body %s", r.Body)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
			t.Errorf("Content-Type %q", ct)
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
			t.Errorf("unsigned request")
		}
	}
	return rs
}

// TestRequests checks each request the stand-in received: the serverless
// workgroup, StatementName, WithEvent, BatchExecuteStatement for Sqls and
// dynamic paths.
func TestRequests(t *testing.T) {
	t.Parallel()
	s := standIn(t, 0, "")
	c := targettest.Clients(s.URL)
	ctx := context.Background()
	wg := "arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/7c2f0c52-2a46-4cc1-a2b5-0d57b6a0b9f1"

	res := redshift.New(c).Deliver(ctx, request(t, wg, &catalog.RedshiftDataParameters{
		Database: aws.String("dev"), Sql: aws.String("SELECT 1"), StatementName: aws.String("$.detail-type"), WithEvent: aws.Bool(true),
	}))
	if res.Err != nil {
		t.Fatalf("execute: %+v", res)
	}
	res = redshift.New(c).Deliver(ctx, request(t, "arn:aws:redshift:us-east-1:123456789012:cluster:analytics", &catalog.RedshiftDataParameters{
		Database: aws.String("dev"), DbUser: aws.String("$.detail.user"), Sqls: []string{"BEGIN", "$.detail.table", "COMMIT"},
	}))
	if res.Err != nil {
		t.Fatalf("batch: %+v", res)
	}
	rs := sent(t, s)
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[0].Target() != "RedshiftData.ExecuteStatement" || rs[1].Target() != "RedshiftData.BatchExecuteStatement" {
		t.Errorf("operations %q %q", rs[0].Target(), rs[1].Target())
	}
	want := []string{
		`{"Database":"dev","Sql":"SELECT 1","StatementName":"Order","WithEvent":true,"WorkgroupName":"` + wg + `"}`,
		`{"ClusterIdentifier":"analytics","Database":"dev","DbUser":"alice","Sqls":["BEGIN","orders","COMMIT"]}`,
	}
	for i, r := range rs {
		b := r.JSON()
		delete(b, "ClientToken") // the SDK's idempotency token, random
		got, _ := json.Marshal(b)
		if string(got) != want[i] {
			t.Errorf("request %d:\n got %s\nwant %s", i, got, want[i])
		}
	}
}

func TestRefusedLocally(t *testing.T) {
	t.Parallel()
	s := standIn(t, 0, "")
	c := targettest.Clients(s.URL)
	cl := "arn:aws:redshift:us-east-1:123456789012:cluster:analytics"
	many := make([]string, 41) // RedshiftDataParameters.Sqls holds at most 40
	for i := range many {
		many[i] = "SELECT 1"
	}
	for _, tc := range []struct {
		name, arn string
		p         *catalog.RedshiftDataParameters
		code      string
	}{
		{"no parameters", cl, nil, target.CodeInvalidParameter},
		{"no database", cl, &catalog.RedshiftDataParameters{Sql: aws.String("SELECT 1")}, target.CodeInvalidParameter},
		{"database path finds nothing", cl, &catalog.RedshiftDataParameters{Database: aws.String("$.detail.none"), Sql: aws.String("SELECT 1")}, target.CodeInvalidParameter},
		{"no SQL", cl, &catalog.RedshiftDataParameters{Database: aws.String("dev")}, target.CodeInvalidParameter},
		{"41 statements", cl, &catalog.RedshiftDataParameters{Database: aws.String("dev"), Sqls: many}, target.CodeInvalidParameter},
		{"namespace ARN", "arn:aws:redshift-serverless:us-east-1:123456789012:namespace/x", &catalog.RedshiftDataParameters{Database: aws.String("dev"), Sql: aws.String("SELECT 1")}, target.CodeNoResource},
		{"cluster without name", "arn:aws:redshift:us-east-1:123456789012:cluster:", &catalog.RedshiftDataParameters{Database: aws.String("dev"), Sql: aws.String("SELECT 1")}, target.CodeNoResource},
	} {
		res := redshift.New(c).Deliver(context.Background(), request(t, tc.arn, tc.p))
		if res.Err == nil || res.Retryable || res.Code != tc.code {
			t.Errorf("%s: %+v, want %s", tc.name, res, tc.code)
		}
	}
	if rs := sent(t, s); len(rs) != 0 {
		t.Errorf("refused requests reached the service: %v", rs)
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
			s := standIn(t, tc.status, fmt.Sprintf(`{"__type":"com.amazon.redshiftdata#%s","Message":%q}`, tc.errType, tc.message))
			res := redshift.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t,
				"arn:aws:redshift:us-east-1:123456789012:cluster:analytics",
				&catalog.RedshiftDataParameters{Database: aws.String("dev"), Sql: aws.String("SELECT 1")}))
			if res.Err == nil || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("%+v; want retryable %v code %s", res, tc.retryable, tc.code)
			}
		})
	}
}

// TestConformance: the Data API on moto, read back with
// DescribeStatement. The event is not sent (see SourceWhy); the target's
// Sql is the JSONPath $.detail, so the event's detail is the statement.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		moto := targettest.StartMoto(t)
		p := targettest.NewProxy(t, moto, nil)
		return targettest.Fixture{
			Kind: redshift.New(targettest.Clients(p.URL)),
			ARN:  "arn:aws:redshift:us-east-1:123456789012:cluster:analytics",
			Target: &catalog.Target{RedshiftData: &catalog.RedshiftDataParameters{
				Database: aws.String("dev"), DbUser: aws.String("loader"), Sql: aws.String("$.detail")}},
			Source:    targettest.FromEvent,
			SourceWhy: "the Data API runs the target's SQL, and sends nothing else; the SQL is a JSONPath into the original event",
			Received: func(t *testing.T) []targettest.Delivery {
				var out []targettest.Delivery
				for _, id := range statementIDs(t, p) {
					out = append(out, targettest.Delivery{Doc: describe(t, moto, id).QueryString})
				}
				return out
			},
			At: targettest.At(redshift.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				// The Data API has no error of its own for a missing
				// cluster: a ValidationException says so.
				NotFound: targettest.Fault{Status: 400, Code: "ValidationException", Message: "Redshift endpoint doesn't exist in this region."}},
			Malformed: []string{
				"arn:aws:redshift:us-east-1:123456789012:snapshot:analytics/s1",
				"arn:aws:redshift:us-east-1:123456789012:cluster:",
				"arn:aws:redshift-serverless:us-east-1:123456789012:namespace/7c2f0c52",
				"arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/",
			},
			Without: map[string]string{
				targettest.TraceRow: "ExecuteStatement has no place for a trace header: a statement is its SQL, database and parameters",
			},
		}
	})
}
