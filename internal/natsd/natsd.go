package natsd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Errors returned by Open.
var (
	// ErrConfig: the Config asks for an impossible combination.
	ErrConfig = errors.New("natsd: invalid config")
	// ErrNotReady: the embedded server did not become ready before the
	// context ended, or it failed to start.
	ErrNotReady = errors.New("natsd: server not ready")
	// ErrNoJetStream: the server (embedded or external) has no JetStream.
	ErrNoJetStream = errors.New("natsd: JetStream not available")
)

// ServerName is the name the embedded server reports (in logs, in
// JetStream's placement info and in the server info sent to clients).
const ServerName = "switchyard"

// defaultReadyTimeout bounds the embedded server's start when the context
// given to Open has no deadline.
const defaultReadyTimeout = 30 * time.Second

// Config selects between an embedded server and an external one.
type Config struct {
	// URL, if set, connects to this external NATS (JetStream must be enabled
	// there) and starts no embedded server. DataDir must then be empty;
	// Memory still selects what StorageType reports.
	URL string
	// DataDir: embedded, JetStream file storage under DataDir/jetstream
	// (created if missing).
	DataDir string
	// Memory: embedded, JetStream memory storage only: StorageType reports
	// MemoryStorage and nothing survives Close. The server still wants a
	// store directory; Open creates a scratch one under os.TempDir and Close
	// removes it, so a file stream created by mistake vanishes too
	// (nats-server enforces no "memory only" mode: a max_file_store of 1 byte
	// still accepts file streams and writes). With URL, StorageType reports
	// MemoryStorage.
	Memory bool
	// SyncAlways: embedded with DataDir, make JetStream fsync every write
	// before acknowledging it (server-wide: nats-server has no per-stream
	// setting). Without it an acknowledged write survives a crash of the
	// process (it reached the kernel) but not necessarily a crash of the
	// machine: JetStream fsyncs every 2 minutes. Costs one fsync per
	// message (design notes: 2.6K msg/s instead of 22K).
	SyncAlways bool
	// SyncInterval: embedded, how often JetStream fsyncs when SyncAlways is
	// off (0: nats-server's default of two minutes).
	SyncInterval time.Duration
	// MaxPayload: embedded, the largest message the server accepts (0:
	// nats-server's default of 1 MB). Event batches need more.
	MaxPayload int32
	// Logger receives nats-server's log at debug level (errors at error
	// level). Nil discards it.
	Logger *slog.Logger
}

// Node is an open connection to JetStream, with the embedded server behind
// it when there is one. Its methods are safe for concurrent use.
type Node struct {
	srv      *server.Server // nil when connected to an external server
	url      string         // external server's URL
	scratch  string         // memory mode: scratch dir to remove on Close
	nc       *nats.Conn
	closed   chan struct{} // closed by nats.go when nc is closed
	js       jetstream.JetStream
	storage  jetstream.StorageType
	closeMu  sync.Mutex
	closeErr error
	isClosed bool
}

// Open starts the embedded server (unless cfg.URL is set), waits until it
// and JetStream are ready, and connects to it. The context bounds the whole
// start (a context without deadline gets 30 s).
func Open(ctx context.Context, cfg Config) (*Node, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultReadyTimeout)
		defer cancel()
	}
	n := &Node{storage: jetstream.FileStorage, closed: make(chan struct{})}
	if cfg.Memory {
		n.storage = jetstream.MemoryStorage
	}

	n.url = cfg.URL
	if cfg.URL == "" {
		if err := n.startServer(ctx, cfg); err != nil {
			n.stopServer()
			return nil, err
		}
	}
	nc, err := n.Connect(nats.ClosedHandler(func(*nats.Conn) { close(n.closed) }))
	if err != nil {
		n.stopServer()
		return nil, err
	}
	n.nc = nc
	js, err := jetstream.New(nc)
	if err != nil {
		_ = n.Close(context.Background())
		return nil, fmt.Errorf("natsd: jetstream: %w", err)
	}
	n.js = js
	// One round trip proves JetStream answers (it may be disabled on an
	// external server, or still recovering).
	if _, err := js.AccountInfo(ctx); err != nil {
		_ = n.Close(context.Background())
		return nil, fmt.Errorf("%w: %w", ErrNoJetStream, err)
	}
	return n, nil
}

func (cfg Config) validate() error {
	switch {
	case cfg.URL != "" && cfg.DataDir != "":
		return fmt.Errorf("%w: URL and DataDir are exclusive", ErrConfig)
	case cfg.URL != "" && cfg.SyncAlways:
		return fmt.Errorf("%w: SyncAlways is a setting of the embedded server", ErrConfig)
	case cfg.URL == "" && cfg.DataDir != "" && cfg.Memory:
		return fmt.Errorf("%w: DataDir and Memory are exclusive", ErrConfig)
	case cfg.URL == "" && cfg.DataDir == "" && !cfg.Memory:
		return fmt.Errorf("%w: embedded server needs DataDir or Memory", ErrConfig)
	}
	return nil
}

// startServer creates and starts the embedded server and waits until it
// accepts connections with JetStream enabled.
func (n *Node) startServer(ctx context.Context, cfg Config) error {
	storeDir := cfg.DataDir
	if cfg.Memory {
		dir, err := os.MkdirTemp("", "switchyard-natsd-mem-")
		if err != nil {
			return fmt.Errorf("natsd: scratch dir: %w", err)
		}
		n.scratch = dir
		storeDir = dir
	} else {
		abs, err := filepath.Abs(storeDir)
		if err != nil {
			return fmt.Errorf("natsd: data dir: %w", err)
		}
		storeDir = abs
		if err := os.MkdirAll(storeDir, 0o750); err != nil {
			return fmt.Errorf("natsd: data dir: %w", err)
		}
	}

	opts := &server.Options{
		ServerName: ServerName,
		DontListen: true, // clients use the in-process connection
		// Were the client port ever enabled: loopback, never a fixed port.
		Host:         "127.0.0.1",
		Port:         server.RANDOM_PORT,
		NoSigs:       true, // the host process owns signals
		NoLog:        true,
		JetStream:    true,
		StoreDir:     storeDir, // JetStream appends "jetstream"
		SyncAlways:   cfg.SyncAlways,
		SyncInterval: cfg.SyncInterval,
		MaxPayload:   cfg.MaxPayload,
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return fmt.Errorf("natsd: %w", err)
	}
	n.srv = srv
	logger := &serverLog{l: cfg.Logger}
	srv.SetLoggerV2(logger, cfg.Logger != nil, false, false)

	// Start is synchronous with DontListen: it recovers JetStream and returns
	// (or gives up after calling Fatalf).
	srv.Start()
	for {
		if err := logger.fatalErr(); err != nil {
			return fmt.Errorf("%w: %w", ErrNotReady, err)
		}
		if srv.ReadyForConnections(50*time.Millisecond) && srv.JetStreamEnabled() {
			return nil
		}
		if err := ctx.Err(); err != nil {
			if !srv.JetStreamEnabled() {
				return fmt.Errorf("%w: %w: JetStream did not start", ErrNotReady, err)
			}
			return fmt.Errorf("%w: %w", ErrNotReady, err)
		}
	}
}

// stopServer shuts the embedded server down, waits for it and removes the
// memory mode scratch directory.
func (n *Node) stopServer() {
	if n.srv != nil {
		n.srv.Shutdown()
		n.srv.WaitForShutdown()
	}
	if n.scratch != "" {
		_ = os.RemoveAll(n.scratch)
	}
}

// Connect opens another connection to the same server (in-process when
// embedded), for a caller that wants one of its own; the caller closes it,
// before Close. opts come after Switchyard's defaults (client name
// "switchyard", unlimited reconnects to an external server).
func (n *Node) Connect(opts ...nats.Option) (*nats.Conn, error) {
	base := []nats.Option{nats.Name("switchyard")}
	url := n.url
	if n.srv != nil {
		url = nats.DefaultURL // unused: the in-process connection wins
		base = append(base, nats.InProcessServer(n.srv))
	} else {
		base = append(base, nats.MaxReconnects(-1))
	}
	nc, err := nats.Connect(url, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("natsd: connect: %w", err)
	}
	return nc, nil
}

// Conn returns the connection. It stays valid until Close.
func (n *Node) Conn() *nats.Conn { return n.nc }

// JetStream returns the JetStream handle on Conn.
func (n *Node) JetStream() jetstream.JetStream { return n.js }

// StorageType is the storage streams and buckets created by Switchyard
// should use: MemoryStorage with Config.Memory, FileStorage otherwise.
func (n *Node) StorageType() jetstream.StorageType { return n.storage }

// Embedded reports whether the node runs its own server.
func (n *Node) Embedded() bool { return n.srv != nil }

// Close drains the connection (pending publishes and subscriptions finish,
// bounded by ctx; after that the connection is closed hard), then shuts the
// embedded server down and waits for it. Calling Close again returns the
// first result.
func (n *Node) Close(ctx context.Context) error {
	n.closeMu.Lock()
	defer n.closeMu.Unlock()
	if n.isClosed {
		return n.closeErr
	}
	n.isClosed = true

	var errs []error
	if n.nc != nil {
		if err := n.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
			errs = append(errs, fmt.Errorf("natsd: drain: %w", err))
			n.nc.Close()
		}
		select {
		case <-n.closed:
		case <-ctx.Done():
			n.nc.Close()
			<-n.closed
			errs = append(errs, fmt.Errorf("natsd: drain: %w", ctx.Err()))
		}
	}
	n.stopServer()
	n.closeErr = errors.Join(errs...)
	return n.closeErr
}
