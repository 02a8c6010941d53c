package targettest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// Exchange is one request a Proxy passed on and the answer it passed back.
type Exchange struct {
	Request Request
	Status  int
	Answer  []byte // as the client got it (after Fix)
}

// Proxy is a reverse proxy in front of moto. It records every exchange, so
// that a test can see what a kind sent (a header moto does not keep) and
// what moto answered (an id the kind keeps to itself), and it can correct
// an answer of moto that the Go SDK, stricter than botocore, refuses to
// decode.
type Proxy struct {
	URL string

	mu  sync.Mutex
	got []Exchange
}

// NewProxy starts a proxy to upstream. fix, when not nil, rewrites the
// body of each answer; t.Cleanup stops the proxy.
func NewProxy(t testing.TB, upstream string, fix func(r Request, status int, body []byte) []byte) *Proxy {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = func(resp *http.Response) error {
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		r, _ := resp.Request.Context().Value(requestKey{}).(Request)
		if fix != nil {
			b = fix(r, resp.StatusCode, b)
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		p.mu.Lock()
		p.got = append(p.got, Exchange{Request: r, Status: resp.StatusCode, Answer: b})
		p.mu.Unlock()
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		r := received(hr)
		hr.Body = io.NopCloser(bytes.NewReader(r.Body))
		// The request as it arrived travels to ModifyResponse with it.
		rp.ServeHTTP(w, hr.WithContext(context.WithValue(hr.Context(), requestKey{}, r)))
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

type requestKey struct{}

// Exchanges is a copy of the exchanges so far, in the order the answers
// came.
func (p *Proxy) Exchanges() []Exchange {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Exchange(nil), p.got...)
}
