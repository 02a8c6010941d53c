package server

import (
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

var errStep = errors.New("step made to fail by the test")

func testConfig(addr string) Config {
	return Config{Addr: addr, Memory: true, AccountID: "000000000000", Region: "us-east-1"}
}

// stableGoroutines is the number of goroutines once it stops changing
// (goroutines of earlier work may still be ending).
func stableGoroutines() int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			break
		}
		n = m
	}
	return n
}

// settledGoroutines waits until no more than base goroutines run, and
// returns how many run then. It waits while the count keeps reaching new
// lows (goroutines still ending on a busy machine), and gives up once it
// has not for a while: goroutines that never end are what the caller
// reports.
func settledGoroutines(base int) int {
	low := runtime.NumGoroutine()
	for lastLow := time.Now(); low > base && time.Since(lastLow) < 15*time.Second; {
		time.Sleep(20 * time.Millisecond)
		if n := runtime.NumGoroutine(); n < low {
			low, lastLow = n, time.Now()
		}
	}
	return low
}

// ownGoroutines lists the stacks that run Switchyard's or NATS's code.
func ownGoroutines() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "switchyard-dev/switchyard/internal/") && !strings.Contains(g, "TestOpenCleansUp") ||
			strings.Contains(g, "nats-io/") {
			out = append(out, g)
		}
	}
	return strings.Join(out, "\n\n")
}

// TestOpenCleansUpAfterEveryStep makes each step of Open fail in turn and
// checks that Open stops everything the earlier steps started (no
// goroutine is left behind: the ingest writer, the catalog watch, the
// dispatcher's workers and consumers, the embedded NATS server) and that
// Close afterwards is a harmless no-op. Not parallel: it counts the
// process's goroutines.
func TestOpenCleansUpAfterEveryStep(t *testing.T) {
	ctx := context.Background()
	// A full open and close first: nats-server and nats.go keep some
	// process-wide goroutines once used, which are not leaks.
	warm, err := New(testConfig("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	if err := warm.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := warm.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"nats", "catalog", "ingest", "delivery", "router", "listen"} {
		t.Run(step, func(t *testing.T) {
			base := stableGoroutines() // this subtest's goroutine included
			s, err := New(testConfig("127.0.0.1:0"))
			if err != nil {
				t.Fatal(err)
			}
			s.fail = func(name string) error {
				if name == step {
					return errStep
				}
				return nil
			}
			if err := s.Open(ctx); !errors.Is(err, errStep) {
				t.Fatalf("Open = %v, want the step's failure", err)
			}
			if n := settledGoroutines(base); n > base {
				t.Errorf("%d goroutines after Open failed at %s, %d before; still running:\n%s", n, step, base, ownGoroutines())
			}
			if err := s.Close(ctx); err != nil {
				t.Errorf("Close after a failed Open: %v", err)
			}
		})
	}
	// A real failure of the last step: the address is taken.
	base := stableGoroutines()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s, err := New(testConfig(ln.Addr().String()))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(ctx); err == nil {
		t.Fatal("Open on a taken address succeeded")
	}
	if n := settledGoroutines(base); n > base {
		t.Errorf("%d goroutines after Open failed to listen, %d before; still running:\n%s", n, base, ownGoroutines())
	}
}
