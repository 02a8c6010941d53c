package bench

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Headers the bench asks the endpoint to send with each delivery: the rule
// (through the target's HttpParameters) and the Connection's API key.
const (
	ruleHeader   = "X-Switchyard-Bench-Rule"
	apiKeyHeader = "X-Switchyard-Bench-Key"
	deliverPath  = "/deliver"
)

// receiver is the HTTP server that stands in for an API destination. It is
// on the hot path of every delivery, so it does no JSON decoding: it finds
// the event's token (see token.go) with one bytes.Index over the body, read
// into a pooled buffer, and answers 200 with no body.
type receiver struct {
	runID   string
	apiKey  string
	tracker *tracker

	e2e        Histogram
	received   atomic.Uint64 // every request to deliverPath
	warmup     atomic.Uint64 // deliveries of events sent during warmup
	noToken    atomic.Uint64 // deliveries without this run's token (no body, other run)
	noAPIKey   atomic.Uint64
	noRule     atomic.Uint64 // deliveries whose rule header was missing or bad
	bufs       sync.Pool
	marker     []byte
	ln         net.Listener
	srv        *http.Server
	serveDone  chan error
	matchRules int
}

func newReceiver(runID, apiKey string, t *tracker, matchingRules int) *receiver {
	return &receiver{
		runID:      runID,
		apiKey:     apiKey,
		tracker:    t,
		marker:     []byte(tokenPrefix(runID)),
		bufs:       sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }},
		matchRules: matchingRules,
	}
}

// Start listens on a free loopback port and serves until Close.
func (rc *receiver) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	rc.ln = ln
	rc.srv = &http.Server{
		Handler:           rc,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	rc.serveDone = make(chan error, 1)
	go func() { rc.serveDone <- rc.srv.Serve(ln) }()
	return nil
}

// URL is the invocation endpoint to give the ApiDestination.
func (rc *receiver) URL() string { return "http://" + rc.ln.Addr().String() + deliverPath }

// Close stops the server, waiting for handlers in flight up to ctx.
func (rc *receiver) Close(ctx context.Context) error {
	if rc.srv == nil {
		return nil
	}
	err := rc.srv.Shutdown(ctx)
	if serr := <-rc.serveDone; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now().UnixNano()
	if r.URL.Path != deliverPath {
		http.NotFound(w, r)
		return
	}
	rc.received.Add(1)
	if rc.apiKey != "" && r.Header.Get(apiKeyHeader) != rc.apiKey {
		rc.noAPIKey.Add(1)
	}

	bp := rc.bufs.Get().(*[]byte)
	body, err := readBody((*bp)[:0], r.Body)
	*bp = body[:0]
	tok, ok := findToken(body, rc.marker)
	rc.bufs.Put(bp)
	if err != nil || !ok {
		rc.noToken.Add(1)
		w.WriteHeader(http.StatusOK)
		return
	}
	if tok.warmup {
		rc.warmup.Add(1)
		w.WriteHeader(http.StatusOK)
		return
	}
	rule, err := strconv.Atoi(r.Header.Get(ruleHeader))
	if err != nil || rule < 0 || rule >= rc.matchRules {
		rc.noRule.Add(1)
		rule = 0
	}
	if !rc.tracker.Delivered(rule, tok.seq) {
		// Latency of first deliveries only: a redelivery measures the
		// endpoint's retry policy, not its delivery path.
		rc.e2e.Record(time.Duration(now - tok.sent))
	}
	w.WriteHeader(http.StatusOK)
}

// readBody appends r to buf up to 1 MiB, the most an event can weigh.
func readBody(buf []byte, r io.Reader) ([]byte, error) {
	lr := io.LimitReader(r, 1<<20)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// findToken locates this run's token in a delivered body.
func findToken(body, marker []byte) (token, bool) {
	i := bytes.Index(body, marker)
	if i < 0 {
		return token{}, false
	}
	return parseToken(body[i+len(marker):])
}
