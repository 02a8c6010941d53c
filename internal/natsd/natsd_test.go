package natsd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustOpen(t *testing.T, cfg Config) *Node {
	t.Helper()
	ctx := testContext(t)
	start := time.Now()
	n, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open(%+v): %v", cfg, err)
	}
	t.Logf("Open took %v", time.Since(start))
	t.Cleanup(func() { _ = n.Close(context.Background()) })
	return n
}

// roundTrip creates a stream, publishes one message and reads it back with a
// consumer.
func roundTrip(t *testing.T, n *Node, stream string, payload string) {
	t.Helper()
	ctx := testContext(t)
	js := n.JetStream()
	s, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:     stream,
		Subjects: []string{stream + ".>"},
		Storage:  n.StorageType(),
	})
	if err != nil {
		t.Fatalf("create stream: %v", err)
	}
	if info, err := s.Info(ctx); err != nil || info.Config.Storage != n.StorageType() {
		t.Fatalf("stream info: %v %v", info, err)
	}
	ack, err := js.Publish(ctx, stream+".x", []byte(payload))
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   ack.Sequence,
	})
	if err != nil {
		t.Fatalf("consumer: %v", err)
	}
	msg, err := c.Next(jetstream.FetchMaxWait(5 * time.Second))
	if err != nil {
		t.Fatalf("next: %v", err)
	}
	if string(msg.Data()) != payload {
		t.Fatalf("got %q, want %q", msg.Data(), payload)
	}
}

func TestEmbeddedFile(t *testing.T) {
	dir := t.TempDir()
	n := mustOpen(t, Config{DataDir: dir})
	if !n.Embedded() || n.StorageType() != jetstream.FileStorage {
		t.Fatalf("embedded=%v storage=%v", n.Embedded(), n.StorageType())
	}
	roundTrip(t, n, "FILE", "hello")
	if err := n.Close(testContext(t)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if !n.Conn().IsClosed() {
		t.Fatal("connection still open after Close")
	}
	if _, err := os.Stat(filepath.Join(dir, "jetstream")); err != nil {
		t.Fatalf("no jetstream dir under DataDir: %v", err)
	}
	if err := n.Close(testContext(t)); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestEmbeddedMemory(t *testing.T) {
	n := mustOpen(t, Config{Memory: true})
	if n.StorageType() != jetstream.MemoryStorage {
		t.Fatalf("storage = %v", n.StorageType())
	}
	roundTrip(t, n, "MEM", "hello")

	scratch := n.scratch
	if err := n.Close(testContext(t)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(scratch); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("scratch dir %s left behind: %v", scratch, err)
	}
}

func TestPersistsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := testContext(t)
	for i := range 3 {
		n, err := Open(ctx, Config{DataDir: dir})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		kv, err := n.JetStream().CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "persist"})
		if err != nil {
			t.Fatalf("bucket %d: %v", i, err)
		}
		for j := range i {
			e, err := kv.Get(ctx, fmt.Sprintf("k%d", j))
			if err != nil {
				t.Fatalf("open %d: key k%d written before restart: %v", i, j, err)
			}
			if string(e.Value()) != fmt.Sprint(j) {
				t.Fatalf("open %d: k%d = %q", i, j, e.Value())
			}
		}
		if _, err := kv.Put(ctx, fmt.Sprintf("k%d", i), []byte(fmt.Sprint(i))); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
		if err := n.Close(ctx); err != nil {
			t.Fatalf("close %d: %v", i, err)
		}
	}
}

func TestExternal(t *testing.T) {
	opts := &server.Options{
		ServerName: "external",
		Host:       "127.0.0.1",
		Port:       server.RANDOM_PORT,
		NoSigs:     true,
		NoLog:      true,
		JetStream:  true,
		StoreDir:   t.TempDir(),
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("external server not ready")
	}

	n := mustOpen(t, Config{URL: srv.ClientURL()})
	if n.Embedded() || n.StorageType() != jetstream.FileStorage {
		t.Fatalf("embedded=%v storage=%v", n.Embedded(), n.StorageType())
	}
	if got := n.Conn().ConnectedServerName(); got != "external" {
		t.Fatalf("connected to %q", got)
	}
	roundTrip(t, n, "EXT", "over tcp")
	if err := n.Close(testContext(t)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// Close must not stop a server it did not start.
	if !srv.Running() {
		t.Fatal("external server stopped by Close")
	}
}

func TestExternalWithoutJetStream(t *testing.T) {
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	_, err = Open(testContext(t), Config{URL: srv.ClientURL()})
	if !errors.Is(err, ErrNoJetStream) {
		t.Fatalf("Open = %v, want ErrNoJetStream", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{DataDir: "x", Memory: true},
		{URL: "nats://127.0.0.1:1", DataDir: "x"},
		{URL: "nats://127.0.0.1:1", SyncAlways: true},
	} {
		if _, err := Open(testContext(t), cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("Open(%+v) = %v, want ErrConfig", cfg, err)
		}
	}
}

func TestServerName(t *testing.T) {
	n := mustOpen(t, Config{Memory: true})
	if got := n.Conn().ConnectedServerName(); got != ServerName {
		t.Fatalf("server name %q", got)
	}
}

// Connect gives a second connection to the same server: a message published
// on one is stored in the stream the other reads.
func TestConnect(t *testing.T) {
	for _, cfg := range []Config{{Memory: true}, {DataDir: t.TempDir()}} {
		n := mustOpen(t, cfg)
		nc2, err := n.Connect()
		if err != nil {
			t.Fatal(err)
		}
		js2, err := jetstream.New(nc2)
		if err != nil {
			t.Fatal(err)
		}
		ctx := testContext(t)
		if _, err := n.JetStream().CreateStream(ctx, jetstream.StreamConfig{
			Name: "TWO", Subjects: []string{"two.>"}, Storage: n.StorageType(),
		}); err != nil {
			t.Fatal(err)
		}
		ack, err := js2.Publish(ctx, "two.x", []byte("from the second connection"))
		if err != nil {
			t.Fatal(err)
		}
		s, err := n.JetStream().Stream(ctx, "TWO")
		if err != nil {
			t.Fatal(err)
		}
		m, err := s.GetMsg(ctx, ack.Sequence)
		if err != nil || string(m.Data) != "from the second connection" {
			t.Fatalf("GetMsg: %v, %v", m, err)
		}
		nc2.Close()
		if err := n.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// The server's log goes to the Logger given, at debug level.
func TestLogger(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	n := mustOpen(t, Config{Memory: true, Logger: logger})
	if err := n.Close(testContext(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "component=nats-server") || !strings.Contains(out, "JetStream") {
		t.Fatalf("server log not routed to the logger:\n%s", out)
	}
	if strings.Contains(out, "level=ERROR") {
		t.Errorf("errors logged by a clean start and stop:\n%s", out)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
