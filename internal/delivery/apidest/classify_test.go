package apidest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

func TestStatusClassification(t *testing.T) {
	cases := []struct {
		status    int
		retryable bool
		code      string
	}{
		{200, false, ""}, {201, false, ""}, {204, false, ""},
		{301, false, target.CodeSDKClientError},
		{400, false, target.CodeSDKClientError}, {401, false, target.CodeSDKClientError},
		{403, false, target.CodeSDKClientError}, {404, false, target.CodeSDKClientError},
		{408, false, target.CodeSDKClientError}, {409, false, target.CodeSDKClientError},
		{429, true, target.CodeThrottling},
		{500, true, target.CodeSDKClientError}, {502, true, target.CodeSDKClientError},
		{503, true, target.CodeSDKClientError}, {504, true, target.CodeSDKClientError},
	}
	dst := newRecorder(t)
	c := New(Options{})
	for _, tc := range cases {
		dst.mu.Lock()
		dst.status = tc.status
		dst.mu.Unlock()
		res := c.Invoke(context.Background(), post(dst.URL, Auth{Type: AuthAPIKey, APIKeyName: "k", APIKeyValue: "secret-value"}))
		if res.Status != tc.status || res.Retryable != tc.retryable || res.Code != tc.code {
			t.Errorf("%d: got %+v", tc.status, res)
		}
		ok := tc.status < 300
		if (res.Err == nil) != ok {
			t.Errorf("%d: err %v", tc.status, res.Err)
		}
		if !ok {
			var e *Error
			if !errors.As(res.Err, &e) || e.Status != tc.status || !errors.Is(res.Err, ErrStatus) {
				t.Errorf("%d: error %#v", tc.status, res.Err)
			}
		}
	}
}

func TestStatusResultRanges(t *testing.T) {
	for s := 100; s < 700; s++ {
		r := statusResult("invoke", "", s)
		want := s == 429 || (s >= 500 && s < 600)
		if r.Retryable != want || (r.Err == nil) != (s >= 200 && s < 300) {
			t.Errorf("%d: %+v", s, r)
		}
	}
}

// refusingURL is an address nothing listens on (port 1, tcpmux). A port
// freed by closing a listener could be reused by a parallel test's server.
const refusingURL = "http://127.0.0.1:1"

func TestConnectionRefused(t *testing.T) {
	r := post(refusingURL+"/x?apikey=query-secret", Auth{Type: AuthBasic, Username: "u", Password: "basic-secret"})
	res := New(Options{}).Invoke(context.Background(), r)
	if res.Status != 0 || !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Fatalf("result %+v", res)
	}
	msg := res.Err.Error()
	if strings.Contains(msg, "secret") {
		t.Errorf("error leaks a secret: %s", msg)
	}
	if !strings.Contains(msg, "127.0.0.1:1") {
		t.Errorf("error does not name the endpoint: %s", msg)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c := New(Options{Timeout: 50 * time.Millisecond})
	start := time.Now()
	res := c.Invoke(context.Background(), post(srv.URL, Auth{Type: AuthBasic}))
	if res.Status != 0 || !res.Retryable || res.Code != target.CodeTimeout {
		t.Fatalf("result %+v", res)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("timeout took %v", d)
	}
}

func TestCallerCancellation(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // lets the server notice the hang-up
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res := New(Options{}).Invoke(ctx, post(srv.URL, Auth{Type: AuthBasic}))
	if !res.Retryable || res.Code != "" || !errors.Is(res.Err, context.DeadlineExceeded) {
		t.Fatalf("result %+v", res)
	}
}

// junkServer is a raw TCP peer that answers every connection with bytes
// that are not HTTP.
func junkServer(t *testing.T, junk string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			conn.Read(buf)
			conn.Write([]byte(junk))
			conn.Close()
		}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return "http://" + l.Addr().String()
}

func TestGarbageResponse(t *testing.T) {
	for _, junk := range []string{"SSH-2.0-OpenSSH_9.6\r\n", "HTTP/1.1 abc\r\n\r\n", "", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab"} {
		res := New(Options{}).Invoke(context.Background(), post(junkServer(t, junk), Auth{Type: AuthBasic}))
		if res.Status != 0 || !res.Retryable || res.Code == "" || res.Err == nil {
			// A truncated body after a 200 still is a 200: the status arrived.
			if !(strings.HasPrefix(junk, "HTTP/1.1 200") && res.Status == 200) {
				t.Errorf("%q: result %+v", junk, res)
			}
		}
	}
}

func TestHugeResponseBodyIsBounded(t *testing.T) {
	var written int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 64<<10)
		for written < 64<<20 {
			n, err := w.Write(chunk)
			written += int64(n)
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	res := New(Options{}).Invoke(context.Background(), post(srv.URL, Auth{Type: AuthBasic}))
	if res.Status != 200 || res.Err != nil {
		t.Fatalf("result %+v", res)
	}
	srv.Close() // waits for the handler, which stops once the client hangs up
	if written >= 64<<20 {
		t.Errorf("client read the whole %d-byte body", written)
	}
}

func TestRetryAfterFromResponse(t *testing.T) {
	dst := newRecorder(t)
	c := New(Options{})
	for _, tc := range []struct {
		status int
		value  string
		check  func(time.Duration) bool
	}{
		{429, "7", func(d time.Duration) bool { return d == 7*time.Second }},
		{503, time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat), func(d time.Duration) bool { return d > 80*time.Second && d <= 90*time.Second }},
		{429, "-1", func(d time.Duration) bool { return d < 0 }},
		{503, "soon", func(d time.Duration) bool { return d == 0 }},
	} {
		dst.mu.Lock()
		dst.status, dst.header = tc.status, http.Header{"Retry-After": {tc.value}}
		dst.mu.Unlock()
		res := c.Invoke(context.Background(), post(dst.URL, Auth{Type: AuthBasic}))
		if !tc.check(res.RetryAfter) || !res.Retryable {
			t.Errorf("Retry-After %q: %+v", tc.value, res)
		}
	}
}
