package natskv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// TestWatchFollowsReconnect: the NATS server goes away and comes back (an
// external one restarted, or the embedded one restarted after a storage
// failure); the watch goes on from where it was, every change once and in
// order, on the same connection. (nats.go's own watcher would also resume,
// but only after two missed heartbeats, some 10 s; the time taken here is
// logged.)
func TestWatchFollowsReconnect(t *testing.T) {
	// Also with nothing reported before the reconnect: a watch that had
	// seen no change yet must not take a failed restart of its watcher
	// for a failure to start.
	for _, before := range []bool{true, false} {
		t.Run(fmt.Sprintf("changes before: %v", before), func(t *testing.T) { watchFollowsReconnect(t, before) })
	}
}

func watchFollowsReconnect(t *testing.T, changeBefore bool) {
	storeDir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	start := func() *server.Server {
		srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, NoSigs: true, NoLog: true,
			JetStream: true, StoreDir: storeDir})
		if err != nil {
			t.Fatal(err)
		}
		srv.Start()
		if !srv.ReadyForConnections(10 * time.Second) {
			t.Fatal("server not ready")
		}
		return srv
	}
	srv := start()
	ctx := context.Background()
	node, err := natsd.Open(ctx, natsd.Config{URL: "nats://127.0.0.1:" + strconv.Itoa(port)})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close(ctx)
	s, err := Open(ctx, node.JetStream(), "reconnect", node.StorageType())
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		seen []store.Change
	)
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- s.Watch(wctx, func(c store.Change) {
			mu.Lock()
			seen = append(seen, c)
			mu.Unlock()
		})
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitSeen := func(key string) {
		t.Helper()
		testwait.Cond(t, "the change of "+key+" reported", func() bool {
			mu.Lock()
			defer mu.Unlock()
			for _, c := range seen {
				if c.Key == key {
					return true
				}
			}
			return false
		})
	}
	want := 1
	// The watcher has started once its consumer is on the server.
	testwait.Cond(t, "the watcher's consumer", func() bool {
		st, err := node.JetStream().Stream(ctx, "KV_reconnect")
		return err == nil && st.CachedInfo().State.Consumers >= 1
	})
	if changeBefore {
		if _, err := s.Create(ctx, "k.before", []byte("1")); err != nil {
			t.Fatal(err)
		}
		waitSeen("k.before")
		want = 2
	}

	srv.Shutdown()
	srv.WaitForShutdown()
	srv = start()
	back := time.Now()
	defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
	var rev uint64
	testwait.Cond(t, "a write after the server came back", func() bool {
		rev, err = s.Create(ctx, "k.after", []byte("2"))
		if errors.Is(err, store.ErrExists) {
			// An earlier try was stored, its answer lost in the restart.
			e, gerr := s.Get(ctx, "k.after")
			rev, err = e.Revision, gerr
		}
		return err == nil
	})
	waitSeen("k.after")
	t.Logf("the change written after the server came back reported %v after it came back", time.Since(back))

	mu.Lock()
	defer mu.Unlock()
	var last uint64
	for _, c := range seen {
		if c.Revision <= last {
			t.Errorf("revision %d reported after %d", c.Revision, last)
		}
		last = c.Revision
	}
	if len(seen) != want || last != rev {
		t.Errorf("changes reported: %+v", seen)
	}
}
