package apidest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// seen is one request as the destination received it.
type seen struct {
	Method  string
	URI     string
	Header  http.Header
	Close   bool
	Body    string
	Length  int64
	Host    string
	Query   string
	RawPath string
}

// recorder is a real loopback server that records requests and answers
// with status (200 by default).
type recorder struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []seen
	status int
	header http.Header
	// intercept, when set, answers instead of the recorder if it returns true.
	intercept func(http.ResponseWriter, *http.Request) bool
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	rec := &recorder{status: 200}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		intercept := rec.intercept
		rec.mu.Unlock()
		if intercept != nil && intercept(w, r) {
			return
		}
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, seen{
			Method: r.Method, URI: r.RequestURI, Header: r.Header.Clone(), Close: r.Close,
			Body: string(b), Length: r.ContentLength, Host: r.Host, Query: r.URL.RawQuery,
			RawPath: r.URL.EscapedPath(),
		})
		status, h := rec.status, rec.header
		rec.mu.Unlock()
		for k, v := range h {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) last(t *testing.T) seen {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) == 0 {
		t.Fatal("destination received no request")
	}
	return r.reqs[len(r.reqs)-1]
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}
