package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Requests signed by aws-sdk-go-v2 verify.
func TestVerifyAcceptsSDKSignatures(t *testing.T) {
	withToken := defaultReq()
	withToken.creds = aws.Credentials{AccessKeyID: "AKIDTOKEN", SecretAccessKey: testSecret, SessionToken: testToken}

	tests := map[string]func(q *req){
		"default":                func(q *req) {},
		"host without port":      func(q *req) { q.host = "events.example.com" },
		"default port stripped":  func(q *req) { q.host = "events.example.com:80" },
		"ipv6 host with port":    func(q *req) { q.host = "[::1]:4010" },
		"empty body":             func(q *req) { q.body = "" },
		"empty object body":      func(q *req) { q.body = "{}" },
		"unicode body":           func(q *req) { q.body = `{"Detail":"{\"name\":\"Zoë 🚀 \u00e9 日本語\"}"}` },
		"large body":             func(q *req) { q.body = `{"D":"` + strings.Repeat("x", 300_000) + `"}` },
		"session token":          func(q *req) { *q = withToken },
		"extra signed headers":   func(q *req) { q.headers = [][2]string{{"X-Custom-Header", "v"}, {"Amz-Sdk-Invocation-Id", "3f1c"}} },
		"value with many spaces": func(q *req) { q.headers = [][2]string{{"X-Spaces", "  a    b  c   "}} },
		"value with tab inside":  func(q *req) { q.headers = [][2]string{{"X-Tab", "a\t  b"}} },
		"repeated header":        func(q *req) { q.headers = [][2]string{{"X-Multi", "one"}, {"X-Multi", " two  three "}} },
		"content sha256 header":  func(q *req) { q.headers = [][2]string{{"X-Amz-Content-Sha256", hexSHA256(testBody)}} },
		"unsigned payload": func(q *req) {
			q.headers = [][2]string{{"X-Amz-Content-Sha256", unsignedBody}}
			q.payload = unsignedBody
		},
		"path and query": func(q *req) { q.path = "/a%20b/c~d/%C3%A9/?b=2&a=1&a=0&sp=x%20y&plus=a+b&e=" },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			q := defaultReq()
			mutate(&q)
			r, body := q.signed(t)
			a, err := verifierAt(t0).Verify(r, body)
			if err != nil {
				t.Fatalf("Verify: %v\nAuthorization: %s", err, r.Header.Get("Authorization"))
			}
			if a.AccessKeyID != q.creds.AccessKeyID || a.Region != testRegion || a.Service != Service || a.Date != "20260101" {
				t.Errorf("Authorization = %+v", a)
			}
		})
	}
}

// The region is the client's business: it picks the ARNs' region.
func TestVerifyAnyRegion(t *testing.T) {
	for _, region := range []string{"eu-west-3", "local", "cn-north-1"} {
		r, body := signRegion(t, defaultReq(), region)
		a, err := verifierAt(t0).Verify(r, body)
		if err != nil || a.Region != region {
			t.Errorf("region %s: %v, %+v", region, err, a)
		}
	}
}

func signRegion(t *testing.T, q req, region string) (*http.Request, []byte) {
	t.Helper()
	r, body := q.signed(t)
	// Changing the scope region invalidates the signature, so recompute it
	// with the package's own signer only after checking that, for the
	// default region, it agrees with the SDK's.
	a, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	stamp := []byte(r.Header.Get("X-Amz-Date"))
	got := signature(&a, r, testSecret, stamp, []byte(hexSHA256(q.body)))
	if hex.EncodeToString(got[:]) != a.Signature {
		t.Fatalf("package signer disagrees with SDK for %s", testRegion)
	}
	a.Region = region
	sig := signature(&a, r, testSecret, stamp, []byte(hexSHA256(q.body)))
	r.Header.Set("Authorization", formatAuthorization(a, hex.EncodeToString(sig[:])))
	return r, body
}

func formatAuthorization(a Authorization, sig string) string {
	scope := a.AccessKeyID + "/" + a.Date + "/" + a.Region + "/" + a.Service + "/aws4_request"
	return AlgorithmV4 + " Credential=" + scope + ", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") + ", Signature=" + sig
}

// The Date header stands in for X-Amz-Date; no SDK sends it, so the
// signature comes from the package's signer (checked against the SDK above).
func TestVerifyDateHeaderFallback(t *testing.T) {
	r, body := defaultReq().signed(t)
	r.Header.Del("X-Amz-Date")
	r.Header.Set("Date", t0.Format(http.TimeFormat))
	a, _ := ParseAuthorization(r.Header.Get("Authorization"))
	for i, h := range a.SignedHeaders {
		if h == "x-amz-date" {
			a.SignedHeaders[i] = "date"
		}
	}
	a.SignedHeaders = sortedCopy(a.SignedHeaders)
	sig := signature(&a, r, testSecret, []byte("20260101T120000Z"), []byte(hexSHA256(testBody)))
	r.Header.Set("Authorization", formatAuthorization(a, hex.EncodeToString(sig[:])))
	if _, err := verifierAt(t0).Verify(r, body); err != nil {
		t.Fatal(err)
	}

	// Unsigned Date is refused like unsigned X-Amz-Date.
	a.SignedHeaders = without(a.SignedHeaders, "date")
	r.Header.Set("Authorization", formatAuthorization(a, hex.EncodeToString(sig[:])))
	_, err := verifierAt(t0).Verify(r, body)
	wantCode(t, err, CodeInvalidSignature, "must be a 'SignedHeader'")
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func without(s []string, drop string) []string {
	var out []string
	for _, v := range s {
		if v != drop {
			out = append(out, v)
		}
	}
	return out
}

// setAuth rewrites the Authorization header with f applied to it.
func setAuth(r *http.Request, f func(string) string) {
	r.Header.Set("Authorization", f(r.Header.Get("Authorization")))
}

func TestVerifyRefusals(t *testing.T) {
	tokenCreds := aws.Credentials{AccessKeyID: "AKIDTOKEN", SecretAccessKey: testSecret, SessionToken: testToken}
	tests := []struct {
		name   string
		q      func(q *req)
		mutate func(r *http.Request, body *[]byte)
		now    time.Time
		code   string
		msg    string
	}{
		{name: "tampered body", mutate: func(r *http.Request, b *[]byte) { *b = []byte(`{"EventBusName":"default","NamePrefix":"orderz"}`) },
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "body truncated to empty", mutate: func(r *http.Request, b *[]byte) { *b = nil },
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "wrong secret", q: func(q *req) { q.creds.SecretAccessKey = "not-the-secret" },
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "tampered signed header", mutate: func(r *http.Request, b *[]byte) { r.Header.Set("X-Amz-Target", "AWSEvents.DeleteRule") },
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "different host", mutate: func(r *http.Request, b *[]byte) { r.Host = "localhost:4011" },
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "different path", mutate: func(r *http.Request, b *[]byte) { r.URL.Path = "/x" },
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "different method", mutate: func(r *http.Request, b *[]byte) { r.Method = http.MethodPut },
			code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "unknown key", q: func(q *req) { q.creds.AccessKeyID = "AKIDUNKNOWN" },
			code: CodeUnrecognizedClient, msg: msgInvalidToken},
		{name: "missing header", mutate: func(r *http.Request, b *[]byte) { r.Header.Del("Authorization") },
			code: CodeMissingAuthenticationToken, msg: "Missing Authentication Token"},
		{name: "not a SigV4 header", mutate: func(r *http.Request, b *[]byte) { r.Header.Set("Authorization", "Bearer abc") },
			code: CodeMissingAuthenticationToken, msg: "Missing Authentication Token"},
		{name: "host not signed",
			mutate: func(r *http.Request, b *[]byte) {
				setAuth(r, func(s string) string { return strings.Replace(s, "content-type;host;", "content-type;", 1) })
			},
			code: CodeInvalidSignature, msg: "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "x-amz-date not signed",
			mutate: func(r *http.Request, b *[]byte) {
				setAuth(r, func(s string) string { return strings.Replace(s, ";x-amz-date;", ";", 1) })
			},
			code: CodeInvalidSignature, msg: "'X-Amz-Date'"},
		{name: "expired", now: t0.Add(15*time.Minute + time.Second),
			code: CodeInvalidSignature, msg: "Signature expired: 20260101T120000Z is now earlier than 20260101T120001Z (20260101T121501Z - 15 min.)"},
		{name: "expired long ago", now: t0.Add(48 * time.Hour),
			code: CodeInvalidSignature, msg: "Signature expired: 20260101T120000Z is now earlier than 20260103T114500Z (20260103T120000Z - 15 min.)"},
		{name: "not yet current", now: t0.Add(-15*time.Minute - time.Second),
			code: CodeInvalidSignature, msg: "Signature not yet current: 20260101T120000Z is still later than 20260101T115959Z (20260101T114459Z + 15 min.)"},
		{name: "scope date mismatch",
			mutate: func(r *http.Request, b *[]byte) {
				setAuth(r, func(s string) string { return strings.Replace(s, "/20260101/", "/20251231/", 1) })
			},
			code: CodeInvalidSignature, msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', from '20260101T120000Z'."},
		{name: "wrong service", q: func(q *req) { q.service = "sqs" },
			code: CodeInvalidSignature, msg: "Credential should be scoped to correct service: 'events'."},
		{name: "wrong service and date",
			mutate: func(r *http.Request, b *[]byte) {
				setAuth(r, func(s string) string {
					return strings.Replace(s, "/20260101/us-east-1/events/", "/20251231/us-east-1/sqs/", 1)
				})
			},
			code: CodeInvalidSignature, msg: "Credential should be scoped to correct service: 'events'. Date in Credential scope does not match"},
		{name: "no date headers", mutate: func(r *http.Request, b *[]byte) { r.Header.Del("X-Amz-Date") },
			code: CodeIncompleteSignature, msg: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential="},
		{name: "bad x-amz-date", mutate: func(r *http.Request, b *[]byte) { r.Header.Set("X-Amz-Date", "2026-01-01T12:00:00Z") },
			code: CodeIncompleteSignature, msg: "Date must be in ISO-8601 'basic format'. Got '2026-01-01T12:00:00Z'."},
		{name: "bad date header", mutate: func(r *http.Request, b *[]byte) { r.Header.Del("X-Amz-Date"); r.Header.Set("Date", "yesterday") },
			code: CodeIncompleteSignature, msg: "Date must be in ISO-8601 'basic format'. Got 'yesterday'."},
		{name: "content sha256 mismatch", q: func(q *req) {
			q.headers = [][2]string{{"X-Amz-Content-Sha256", hexSHA256("other")}}
			q.payload = hexSHA256("other")
		},
			code: CodeInvalidSignature, msg: "'x-amz-content-sha256' header does not match"},
		{name: "session token missing", q: func(q *req) { q.creds = tokenCreds; q.creds.SessionToken = "" },
			code: CodeUnrecognizedClient, msg: msgInvalidToken},
		{name: "session token mismatched", q: func(q *req) { q.creds = tokenCreds; q.creds.SessionToken = "other-token" },
			code: CodeUnrecognizedClient, msg: msgInvalidToken},
		{name: "session token unsigned", q: func(q *req) { q.creds = tokenCreds; q.creds.SessionToken = "" },
			mutate: func(r *http.Request, b *[]byte) { r.Header.Set("X-Amz-Security-Token", testToken) },
			code:   CodeInvalidSignature, msg: "'X-Amz-Security-Token' must be a 'SignedHeader'"},
		{name: "session token for a key without one", q: func(q *req) { q.creds.SessionToken = testToken },
			code: CodeUnrecognizedClient, msg: msgInvalidToken},
		{name: "session token repeated", q: func(q *req) { q.creds = tokenCreds },
			mutate: func(r *http.Request, b *[]byte) { r.Header.Add("X-Amz-Security-Token", testToken) },
			code:   CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "presigned query", mutate: func(r *http.Request, b *[]byte) {
			r.Header.Del("Authorization")
			r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x"
		}, code: CodeIncompleteSignature, msg: "query-string (presigned) authentication is not supported"},
		{name: "presigned query and header", mutate: func(r *http.Request, b *[]byte) { r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256" },
			code: CodeInvalidSignature, msg: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."},
		{name: "sigv4a", mutate: func(r *http.Request, b *[]byte) {
			r.Header.Set("Authorization", "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20260101/events/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=3045022100ab")
		}, code: CodeIncompleteSignature, msg: "Signature Version 4A (AWS4-ECDSA-P256-SHA256) is not supported"},
		{name: "malformed header", mutate: func(r *http.Request, b *[]byte) {
			setAuth(r, func(s string) string { return strings.Replace(s, "Signature=", "Signature:", 1) })
		}, code: CodeIncompleteSignature, msg: "not a valid key=value pair"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := defaultReq()
			if tc.q != nil {
				tc.q(&q)
			}
			r, body := q.signed(t)
			if tc.mutate != nil {
				tc.mutate(r, &body)
			}
			now := tc.now
			if now.IsZero() {
				now = t0
			}
			_, err := verifierAt(now).Verify(r, body)
			wantCode(t, err, tc.code, tc.msg)
		})
	}
}

// The skew window is inclusive, symmetric and configurable. Time comes from
// the Now field, so nothing sleeps.
func TestVerifySkewWindow(t *testing.T) {
	r, body := defaultReq().signed(t)
	tests := []struct {
		skew time.Duration
		now  time.Time
		ok   bool
		msg  string
	}{
		{0, t0, true, ""},
		{0, t0.Add(15 * time.Minute), true, ""},
		{0, t0.Add(-15 * time.Minute), true, ""},
		{0, t0.Add(14*time.Minute + 59*time.Second), true, ""},
		{0, t0.Add(-14*time.Minute - 59*time.Second), true, ""},
		{0, t0.Add(15*time.Minute + time.Nanosecond), false, "Signature expired"},
		{0, t0.Add(-15*time.Minute - time.Nanosecond), false, "Signature not yet current"},
		{5 * time.Minute, t0.Add(5 * time.Minute), true, ""},
		{5 * time.Minute, t0.Add(6 * time.Minute), false, "(20260101T120600Z - 5 min.)"},
		{5 * time.Minute, t0.Add(-6 * time.Minute), false, "(20260101T115400Z + 5 min.)"},
		{90 * time.Second, t0.Add(2 * time.Minute), false, "(20260101T120200Z - 1m30s)"},
		{time.Hour, t0.Add(59 * time.Minute), true, ""},
	}
	for _, tc := range tests {
		v := verifierAt(tc.now)
		v.MaxSkew = tc.skew
		_, err := v.Verify(r, body)
		if tc.ok {
			if err != nil {
				t.Errorf("skew %v at %v: %v", tc.skew, tc.now.Sub(t0), err)
			}
			continue
		}
		wantCode(t, err, CodeInvalidSignature, tc.msg)
	}
}

// A nil Now means the wall clock: a request signed now passes, one signed
// an hour ago does not.
func TestVerifyWallClock(t *testing.T) {
	q := defaultReq()
	q.at = time.Now()
	r, body := q.signed(t)
	v := verifierAt(time.Time{})
	v.Now = nil
	if _, err := v.Verify(r, body); err != nil {
		t.Fatal(err)
	}
	q.at = time.Now().Add(-time.Hour)
	r, body = q.signed(t)
	_, err := v.Verify(r, body)
	wantCode(t, err, CodeInvalidSignature, "Signature expired")
}

func TestVerifyZeroVerifierRefuses(t *testing.T) {
	r, body := defaultReq().signed(t)
	v := &Verifier{Now: func() time.Time { return t0 }}
	_, err := v.Verify(r, body)
	wantCode(t, err, CodeUnrecognizedClient, msgInvalidToken)
}

// Verify must not read r.Body: the caller has already done so.
func TestVerifyDoesNotReadBody(t *testing.T) {
	r, body := defaultReq().signed(t)
	r.Body = panicBody{}
	if _, err := verifierAt(t0).Verify(r, body); err != nil {
		t.Fatal(err)
	}
}

type panicBody struct{}

func (panicBody) Read([]byte) (int, error) { panic("Verify read r.Body") }
func (panicBody) Close() error             { panic("Verify closed r.Body") }

func TestHMACMatchesCryptoHMAC(t *testing.T) {
	for _, n := range []int{0, 1, 32, 63, 64, 65, 200} {
		key := []byte(strings.Repeat("k", n))
		for _, msg := range []string{"", "20260101", strings.Repeat("m", 500)} {
			m := hmac.New(sha256.New, key)
			m.Write([]byte(msg))
			want := m.Sum(nil)
			got := hmacSHA256(key, []byte(msg))
			if !hmac.Equal(got[:], want) {
				t.Errorf("key %d, msg %d bytes: mismatch", n, len(msg))
			}
		}
	}
}

// Identify reads the key without a secret, for SigV4 and SigV4a alike.
func TestIdentify(t *testing.T) {
	r, _ := defaultReq().signed(t)
	a, err := Identify(r)
	if err != nil || a.AccessKeyID != testAKID || a.Region != testRegion {
		t.Fatalf("Identify = %+v, %v", a, err)
	}

	r.Header.Set("Authorization", "AWS4-ECDSA-P256-SHA256 Credential=AKIDV4A/20260101/events/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=3045022100ab")
	a, err = Identify(r)
	if err != nil || a.AccessKeyID != "AKIDV4A" || a.Algorithm != AlgorithmV4A || a.Region != "" || a.Service != Service {
		t.Fatalf("Identify(SigV4a) = %+v, %v", a, err)
	}

	r.Header.Del("Authorization")
	_, err = Identify(r)
	wantCode(t, err, CodeMissingAuthenticationToken, "Missing Authentication Token")

	r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
	_, err = Identify(r)
	wantCode(t, err, CodeIncompleteSignature, "presigned")
}
