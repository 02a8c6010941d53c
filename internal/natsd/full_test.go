package natsd

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/smallfs"
	"github.com/switchyard-dev/switchyard/internal/store"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// waitStatus checks the node until cond holds (testwait: the supervisor
// checks every second; a slow machine makes the wait long, not red).
func waitStatus(t *testing.T, n *Node, what string, cond func(Status) bool) Status {
	t.Helper()
	var st Status
	testwait.For(t, what, func() testwait.Status {
		st = n.Check()
		return testwait.Status{Done: cond(st), Missing: fmt.Sprintf("status %+v", st)}
	})
	return st
}

// collector reads a durable pull consumer the whole test long, as
// Switchyard's consumers do, acknowledging and keeping what it gets.
type collector struct {
	mu  sync.Mutex
	got []string
}

func collect(t *testing.T, c jetstream.Consumer) *collector {
	t.Helper()
	col := &collector{}
	it, err := c.Messages()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(it.Stop)
	go func() {
		for {
			m, err := it.Next()
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return
			}
			if err != nil {
				continue // a missed heartbeat while the server restarts: the iterator carries on
			}
			_ = m.Ack()
			col.mu.Lock()
			col.got = append(col.got, string(m.Data()))
			col.mu.Unlock()
		}
	}()
	return col
}

func (c *collector) wait(t *testing.T, payload string) {
	t.Helper()
	testwait.Cond(t, fmt.Sprintf("%q consumed", payload), func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return slices.Contains(c.got, payload)
	})
}

// guardedPublish publishes as Switchyard's writers do: through the node's
// Write.
func guardedPublish(n *Node, js jetstream.JetStream, subject, payload string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return n.Write(ctx, func(ctx context.Context) error {
		_, err := js.Publish(ctx, subject, []byte(payload))
		return err
	})
}

// TestFullDiskRecovery fills the store's filesystem for real, makes a write
// fail on it (nats-server then refuses every write to that stream until it
// restarts), frees the space, and checks that the node restarts its server
// by itself and that the connection, a second connection and a durable
// consumer opened before all carry on.
func TestFullDiskRecovery(t *testing.T) {
	fs := smallfs.Mount(t, 64<<20)
	n := mustOpen(t, Config{DataDir: filepath.Join(fs.Dir, "data")})
	ctx := testContext(t)
	js := n.JetStream()
	s, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "WORK", Subjects: []string{"work"},
		Storage: jetstream.FileStorage, Retention: jetstream.WorkQueuePolicy})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: "worker", AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		t.Fatal(err)
	}
	col := collect(t, c)
	nc2, err := n.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc2.Close)
	js2, err := jetstream.New(nc2)
	if err != nil {
		t.Fatal(err)
	}
	if err := guardedPublish(n, js, "work", "before"); err != nil {
		t.Fatal(err)
	}
	col.wait(t, "before")

	fs.Fill(t)
	// Refused before anything reaches nats-server, as out of space.
	start := time.Now()
	err = guardedPublish(n, js, "work", "while full")
	if !errors.Is(err, store.ErrFull) {
		t.Fatalf("write on a full disk: %v, want store.ErrFull", err)
	}
	t.Logf("refused in %v: %v", time.Since(start), err)
	if st := n.Check(); !errors.Is(st.Err, store.ErrFull) {
		t.Fatalf("status on a full disk: %+v", st)
	}

	// A write that does reach nats-server fails on the disk: it goes
	// unanswered, and the stream refuses writes from now on.
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	_, err = js.Publish(pctx, "work", make([]byte, 256<<10))
	cancel()
	if err == nil {
		t.Fatal("a 256 KiB write succeeded on a full disk")
	}
	waitStatus(t, n, "the write failure seen", func(st Status) bool {
		return st.Err != nil && strings.Contains(st.Err.Error(), "write failed")
	})

	fs.Free(t)
	st := waitStatus(t, n, "the store writable again", func(st Status) bool { return st.Err == nil })
	if st.Recoveries != 1 {
		t.Errorf("recoveries = %d, want 1", st.Recoveries)
	}
	if err := guardedPublish(n, js, "work", "after"); err != nil {
		t.Fatalf("write after recovery: %v", err)
	}
	if err := guardedPublish(n, js2, "work", "after, second connection"); err != nil {
		t.Fatalf("write on the second connection after recovery: %v", err)
	}
	col.wait(t, "after")
	col.wait(t, "after, second connection")
}

// TestJetStreamTurnedOff: nats-server turns JetStream off after some
// storage failures (a permission error, running out of resources); the
// node sees it, refuses writes, restarts the server on the same store, and
// what was stored is there again.
func TestJetStreamTurnedOff(t *testing.T) {
	n := mustOpen(t, Config{DataDir: t.TempDir()})
	ctx := testContext(t)
	js := n.JetStream()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "KEEP", Subjects: []string{"keep"}}); err != nil {
		t.Fatal(err)
	}
	if err := guardedPublish(n, js, "keep", "stored before"); err != nil {
		t.Fatal(err)
	}
	srv, _ := n.server()
	if err := srv.DisableJetStream(); err != nil {
		t.Fatal(err)
	}
	// Seen by the supervisor's next check (every second): refused, or
	// already recovered.
	waitStatus(t, n, "JetStream off seen", func(st Status) bool { return st.Err != nil || st.Recoveries > 0 })
	st := waitStatus(t, n, "JetStream back", func(st Status) bool { return st.Err == nil && st.Recoveries > 0 })
	t.Logf("recovered: %+v", st)
	stream, err := js.Stream(ctx, "KEEP")
	if err != nil {
		t.Fatal(err)
	}
	m, err := stream.GetMsg(ctx, 1)
	if err != nil || string(m.Data) != "stored before" {
		t.Fatalf("message stored before: %v %v", m, err)
	}
	if err := guardedPublish(n, js, "keep", "after"); err != nil {
		t.Fatal(err)
	}
}

// TestMaxStore: past Config.MaxStore JetStream refuses writes at once; the
// node reports store.ErrFull, and takes writes again once messages are
// removed.
func TestMaxStore(t *testing.T) {
	for _, cfg := range []Config{
		{DataDir: t.TempDir(), MaxStore: StoreLimit{Bytes: 1 << 20}},
		{Memory: true, MaxStore: StoreLimit{Bytes: 1 << 20}},
	} {
		t.Run(fmt.Sprint(cfg.Memory), func(t *testing.T) {
			n := mustOpen(t, cfg)
			if n.MaxStore() != 1<<20 {
				t.Fatalf("MaxStore = %d", n.MaxStore())
			}
			ctx := testContext(t)
			js := n.JetStream()
			s, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "BIG", Subjects: []string{"big"}, Storage: n.StorageType()})
			if err != nil {
				t.Fatal(err)
			}
			var refused error
			for i := 0; i < 100 && refused == nil; i++ {
				start := time.Now()
				if err := guardedPublish(n, js, "big", strings.Repeat("x", 64<<10)); err != nil {
					refused = err
					t.Logf("write %d refused after %v: %v", i, time.Since(start), err)
				}
			}
			if !errors.Is(refused, store.ErrFull) {
				t.Fatalf("writes past the max store: %v, want store.ErrFull", refused)
			}
			waitStatus(t, n, "full reported", func(st Status) bool { return errors.Is(st.Err, store.ErrFull) })
			if err := s.Purge(ctx); err != nil {
				t.Fatal(err)
			}
			waitStatus(t, n, "writable after the purge", func(st Status) bool { return st.Err == nil })
			if err := guardedPublish(n, js, "big", "fits again"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestMaxStoreDefault: without MaxStore the limit is DefaultStoreShare of
// the space available at start, and it is what nats-server enforces.
func TestMaxStoreDefault(t *testing.T) {
	dir := t.TempDir()
	avail, err := fileAvailable(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := mustOpen(t, Config{DataDir: dir})
	want := avail * DefaultStoreShare / 100
	// Other processes write to the same disk meanwhile: allow 1%.
	if got := n.MaxStore(); got < want-want/100 || got > want+want/100 {
		t.Errorf("MaxStore = %d, want about %d", got, want)
	}
	srv, _ := n.server()
	jsz, err := srv.Jsz(nil)
	if err != nil || jsz.Config.MaxStore != n.MaxStore() {
		t.Errorf("nats-server's max store %d, the node's %d (%v)", jsz.Config.MaxStore, n.MaxStore(), err)
	}
}

func TestParseStoreLimit(t *testing.T) {
	for in, want := range map[string]StoreLimit{
		"75%":     {Percent: 75},
		"12.5 %":  {Percent: 12.5},
		"1048576": {Bytes: 1 << 20},
		"512MiB":  {Bytes: 512 << 20},
		"10GB":    {Bytes: 10e9},
		"1.5G":    {Bytes: 1.5e9},
		"2 TiB":   {Bytes: 2 << 40},
		"64k":     {Bytes: 64000},
	} {
		got, err := ParseStoreLimit(in)
		if err != nil || got != want {
			t.Errorf("ParseStoreLimit(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if again, err := ParseStoreLimit(got.String()); err != nil || again != got {
			t.Errorf("%q: String() %q reads back as %+v, %v", in, got.String(), again, err)
		}
	}
	for _, bad := range []string{"", "%", "0%", "101%", "-5%", "0", "-1GB", "10XB", "GB", "1e400", "0.1B"} {
		if got, err := ParseStoreLimit(bad); !errors.Is(err, ErrConfig) {
			t.Errorf("ParseStoreLimit(%q) = %+v, %v; want ErrConfig", bad, got, err)
		}
	}
}

// TestExternalRecovers: with an external server the node cannot restart
// anything; it refuses writes while the server is gone and takes them
// again once the server is back (same port and store), with the same
// connection.
func TestExternalRecovers(t *testing.T) {
	storeDir := t.TempDir()
	opts := func(port int) *server.Options {
		return &server.Options{ServerName: "external", Host: "127.0.0.1", Port: port, NoSigs: true, NoLog: true,
			JetStream: true, StoreDir: storeDir}
	}
	start := func(port int) *server.Server {
		srv, err := server.NewServer(opts(port))
		if err != nil {
			t.Fatal(err)
		}
		srv.Start()
		if !srv.ReadyForConnections(10 * time.Second) {
			t.Fatal("external server not ready")
		}
		return srv
	}
	srv := start(server.RANDOM_PORT)
	port := srv.Addr().(interface{ String() string }).String()
	_, p, _ := strings.Cut(port, "127.0.0.1:")
	var portNum int
	fmt.Sscan(p, &portNum)
	n := mustOpen(t, Config{URL: srv.ClientURL()})
	ctx := testContext(t)
	js := n.JetStream()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "EXT", Subjects: []string{"ext"}}); err != nil {
		t.Fatal(err)
	}
	if err := guardedPublish(n, js, "ext", "before"); err != nil {
		t.Fatal(err)
	}
	srv.Shutdown()
	srv.WaitForShutdown()
	waitStatus(t, n, "the server's absence seen", func(st Status) bool { return errors.Is(st.Err, store.ErrUnavailable) })
	if err := guardedPublish(n, js, "ext", "while gone"); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("write while the server is gone: %v", err)
	}
	srv = start(portNum)
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	waitStatus(t, n, "the server back", func(st Status) bool { return st.Err == nil })
	if err := guardedPublish(n, js, "ext", "after"); err != nil {
		t.Fatal(err)
	}
}
