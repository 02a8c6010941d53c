package server_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/server"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDeliveryFailureIsLogged: a target nothing listens on (the README's
// example port, on a newcomer's laptop) shows in the log at the default
// level, with the rule, the target, the error and the next attempt, once,
// not once per attempt.
func TestDeliveryFailureIsLogged(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	s := startServer(t, server.Config{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	eb := client(s, "100000000091", "x", "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := fmt.Sprintf("http://%s/events", ln.Addr())
	ln.Close() // nothing listens there any more
	dest := apiDest(t, eb, "down", down, 0, nil)
	rule(t, eb, "", "down", `{"source":["down"]}`, target("t", dest))
	for i := range 3 {
		put1(t, eb, entry("", "down", "d", fmt.Sprintf(`{"n":%d}`, i)))
	}
	waitFor(t, "three failed attempts", func() bool { return stats(t, s)["failed"] >= 3 })
	// The log line is written before the attempt is counted: give the
	// writer a moment under load.
	var line string
	testwait.Cond(t, "a delivery failure in the log", func() bool {
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "delivery failed; will retry") {
				line = l
			}
		}
		return line != ""
	})
	for _, want := range []string{"level=WARN", "rule=arn:aws:events:us-east-1:100000000091:rule/down", "target=" + dest, "error_code=CONNECTION_FAILURE", "next_attempt="} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %q: %s", want, line)
		}
	}
	if n := strings.Count(logs.String(), "delivery failed; will retry"); n != 1 {
		t.Errorf("%d failure lines for one failing target, want 1 (then a summary a minute)", n)
	}
}
