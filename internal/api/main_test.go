package api_test

// The API tests run the real stack: an embedded NATS JetStream node in
// memory mode, the NATS KV store, the catalog and the HTTP handler behind
// httptest, driven by the official aws-sdk-go-v2 EventBridge client (the wire
// oracle) or, for protocol tests, by raw net/http requests.
//
// One node and one server serve the whole test binary. Tests isolate
// themselves by account: in open auth mode a 12-digit access key is the
// account id, so every test takes a fresh account (newEnv) and can run in
// parallel with the others.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/smithy-go"

	"github.com/switchyard-dev/switchyard/internal/api"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

// region is the region every client signs with; ARNs carry it.
const region = "us-east-1"

// defaultAccount is the account of unsigned requests.
const defaultAccount = "000000000000"

var (
	testCatalog *catalog.Catalog
	serverURL   string
	httpClient  *http.Client
	// smallURL serves the same store with tiny quotas (smallLimits), so
	// that races on quotas are cheap to provoke.
	smallURL string
)

var smallLimits = api.Limits{BusesPerScope: 3, RulesPerBus: 3, TargetsPerRule: 2, TagsPerResource: 3, PolicyLength: 400}

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

func runMain(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	node, err := natsd.Open(ctx, natsd.Config{Memory: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "natsd.Open:", err)
		return 1
	}
	defer node.Close(context.Background())
	st, err := natskv.Open(ctx, node.JetStream(), "apitest", node.StorageType())
	if err != nil {
		fmt.Fprintln(os.Stderr, "natskv.Open:", err)
		return 1
	}
	cat, err := catalog.Open(ctx, st, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "catalog.Open:", err)
		return 1
	}
	defer cat.Close()
	testCatalog = cat
	auth := &api.OpenAuth{DefaultAccount: defaultAccount, DefaultRegion: region}
	srv := httptest.NewServer(api.New(api.Config{Catalog: cat, Auth: auth}))
	defer srv.Close()
	small := httptest.NewServer(api.New(api.Config{Catalog: cat, Auth: auth, Limits: smallLimits}))
	defer small.Close()
	serverURL, httpClient, smallURL = srv.URL, srv.Client(), small.URL
	return m.Run()
}

var accountSeq atomic.Int64

// newAccount returns an account id no other test uses.
func newAccount() string { return fmt.Sprintf("9%011d", accountSeq.Add(1)) }

// newClient returns an SDK client whose access key selects account. It never
// retries, so error tests are fast.
func newClient(account string) *eventbridge.Client { return newClientAt(serverURL, account) }

func newClientAt(url, account string) *eventbridge.Client {
	return eventbridge.New(eventbridge.Options{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(account, "secret", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   httpClient,
		Retryer:      aws.NopRetryer{},
	})
}

// env is one test's account and client.
type env struct {
	acct string
	c    *eventbridge.Client
	ctx  context.Context
}

// newEnv marks the test parallel and gives it an account of its own.
func newEnv(t *testing.T) *env {
	t.Helper()
	t.Parallel()
	acct := newAccount()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return &env{acct: acct, c: newClient(acct), ctx: ctx}
}

func (e *env) busARN(name string) string {
	return "arn:aws:events:" + region + ":" + e.acct + ":event-bus/" + name
}

func (e *env) ruleARN(bus, name string) string {
	if bus == "" || bus == "default" {
		return "arn:aws:events:" + region + ":" + e.acct + ":rule/" + name
	}
	return "arn:aws:events:" + region + ":" + e.acct + ":rule/" + bus + "/" + name
}

// must takes a call's results and returns a function that fails the test on
// the error or returns the value: out := must(c.Op(ctx, in))(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantErr checks that err is an API error with the code, HTTP status 400 and,
// unless msg is empty, exactly the message.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s %q", code, msg)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v (%T), want API error %s", err, err, code)
	}
	if ae.ErrorCode() != code {
		t.Errorf("code = %s (%q), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if msg != "" && ae.ErrorMessage() != msg {
		t.Errorf("%s message:\n got  %q\n want %q", code, ae.ErrorMessage(), msg)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != http.StatusBadRequest {
		t.Errorf("HTTP status = %d, want 400", re.HTTPStatusCode())
	}
}

// wantErrContains is wantErr for errors whose text AWS never recorded: the
// code must match and the message contain part.
func wantErrContains(t *testing.T, err error, code, part string) {
	t.Helper()
	wantErr(t, err, code, "")
	var ae smithy.APIError
	if errors.As(err, &ae) && !strings.Contains(ae.ErrorMessage(), part) {
		t.Errorf("%s message %q does not contain %q", code, ae.ErrorMessage(), part)
	}
}

// validation builds AWS's constraint-violation message for one failure.
func validation(value, path, constraint string) string {
	return "1 validation error detected: Value '" + value + "' at '" + path + "' failed to satisfy constraint: " + constraint
}

const (
	namePattern   = `Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`
	limitExceeded = "The requested resource exceeds the maximum number allowed."
	testPattern   = `{"source":["com.example"]}`
)

// rawResponse is an answer to a raw request.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// raw sends body to the server as operation target (the X-Amz-Target value,
// sent as is; "" sends none) with the access key account (none when empty),
// without the SDK. The signature is not checked in open auth mode, so a
// well-formed Authorization header is enough to select the account.
func raw(t *testing.T, method, account, target string, body io.Reader) rawResponse {
	t.Helper()
	return rawSigned(t, method, account, region, target, body)
}

// rawWithRegion posts body to op, signed for account in the given region.
func rawWithRegion(t *testing.T, account, reg, op, body string) rawResponse {
	t.Helper()
	return rawSigned(t, http.MethodPost, account, reg, "AWSEvents."+op, strings.NewReader(body))
}

func rawSigned(t *testing.T, method, account, reg, target string, body io.Reader) rawResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, serverURL+"/", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	if account != "" {
		now := time.Now().UTC()
		req.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+account+"/"+now.Format("20060102")+"/"+reg+
			"/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="+strings.Repeat("0", 64))
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, target, err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: b}
}

// rawCall posts a JSON body to an operation of the account.
func rawCall(t *testing.T, account, op, body string) rawResponse {
	t.Helper()
	return raw(t, http.MethodPost, account, "AWSEvents."+op, strings.NewReader(body))
}

// object decodes a response body that must be a JSON object.
func (r rawResponse) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response body %.200q is not a JSON object: %v", r.body, err)
	}
	return m
}
