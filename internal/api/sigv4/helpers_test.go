package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Fixtures shared by the tests. The secret is AWS's documentation example.
const (
	testAKID   = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testToken  = "FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDA=="
	testRegion = "us-east-1"
	testHost   = "localhost:4010"
	testBody   = `{"EventBusName":"default","NamePrefix":"orders"}`
)

// t0 is the signing time of every fixture request.
var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// req describes a request to sign with aws-sdk-go-v2's signer, the oracle.
type req struct {
	host    string
	path    string // path and query; "/" if empty
	body    string
	headers [][2]string // added before signing, so the SDK signs them
	creds   aws.Credentials
	service string
	at      time.Time
	payload string // hash handed to the signer; hex sha256(body) if empty
}

func defaultReq() req {
	return req{
		host:  testHost,
		body:  testBody,
		creds: aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret},
	}
}

// signed returns q signed by the SDK and then sent through the HTTP/1.1
// wire format and read back, so that the result looks exactly like what a
// server handler receives (Host in r.Host, canonical header keys,
// Content-Length in the header map).
func (q req) signed(t testing.TB) (*http.Request, []byte) {
	t.Helper()
	path := q.path
	if path == "" {
		path = "/"
	}
	r, err := http.NewRequest(http.MethodPost, "http://"+q.host+path, strings.NewReader(q.body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "AWSEvents.ListRules")
	for _, h := range q.headers {
		r.Header.Add(h[0], h[1])
	}
	service := q.service
	if service == "" {
		service = Service
	}
	at := q.at
	if at.IsZero() {
		at = t0
	}
	payload := q.payload
	if payload == "" {
		payload = hexSHA256(q.body)
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), q.creds, r, payload, service, testRegion, at); err != nil {
		t.Fatal(err)
	}
	return toServer(t, r)
}

// toServer round-trips a client request through the wire format.
func toServer(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(sr.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sr, body
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// verifierAt knows testAKID (no session token) and "AKIDTOKEN" (with
// testToken), and believes it is now.
func verifierAt(now time.Time) *Verifier {
	return &Verifier{
		Lookup: func(id string) (Credential, bool) {
			switch id {
			case testAKID:
				return Credential{Secret: testSecret}, true
			case "AKIDTOKEN":
				return Credential{Secret: testSecret, SessionToken: testToken}, true
			}
			return Credential{}, false
		},
		Now: func() time.Time { return now },
	}
}

// wantCode fails unless err is an *Error with the given code, the status
// that code implies, and a message containing msg.
func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%s), want %s", e.Code, e.Message, code)
	}
	if want := statusOf(code); e.Status != want {
		t.Errorf("status = %d, want %d", e.Status, want)
	}
	if !strings.Contains(e.Message, msg) {
		t.Errorf("message = %q, want it to contain %q", e.Message, msg)
	}
}

func statusOf(code string) int {
	switch code {
	case CodeMissingAuthenticationToken, CodeUnrecognizedClient:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}
