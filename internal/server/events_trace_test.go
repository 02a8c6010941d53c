package server_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/server"
)

// TestUnsendableTraceHeader: PutEvents checks only a trace header's length,
// so one with a newline is accepted; no HTTP-based target can carry it (Go
// refuses to send it), so it is dropped and the event delivered once,
// rather than failing every attempt alike. The target is a stand-in
// speaking Lambda's REST API (moto cannot invoke without Docker).
func TestUnsendableTraceHeader(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var traces []string
	lambda := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		traces = append(traces, r.Header.Get("X-Amzn-Trace-Id"))
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer lambda.Close()
	const acct = "100000000092"
	s := startServer(t, server.Config{Endpoints: map[string]string{"lambda": lambda.URL}})
	eb := client(s, acct, "x", "")
	rule(t, eb, "", "traced", `{"source":["trace"]}`, target("fn", "arn:aws:lambda:us-east-1:"+acct+":function:f"))
	bad := entry("", "trace", "d", `{"n":1}`)
	bad.TraceHeader = aws.String("Root=1-5759e988-bd862e3fe1be46a994272793\nSampled=1")
	good := entry("", "trace", "d", `{"n":2}`)
	good.TraceHeader = aws.String("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
	put1(t, eb, bad)
	put1(t, eb, good)
	waitFor(t, "both delivered", func() bool { return stats(t, s)["delivered"] == 2 })
	mu.Lock()
	defer mu.Unlock()
	if st := stats(t, s); len(traces) != 2 || st["retried"] != 0 || st["failed"] != 0 {
		t.Fatalf("%d calls, stats %v", len(traces), st)
	}
	got := map[string]bool{traces[0]: true, traces[1]: true}
	if !got[""] || !got["Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"] {
		t.Errorf("trace headers sent: %q", traces)
	}
}
