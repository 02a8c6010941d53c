package natsd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
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
	// MaxStore: embedded, how much JetStream may store: on disk with
	// DataDir, in memory with Memory (zero: DefaultStoreShare of the space
	// available at start). Past it JetStream refuses writes at once with an
	// error (Node.Write reports it as store.ErrFull) rather than
	// filling the disk; removing delivered messages makes room again.
	MaxStore StoreLimit
	// Logger receives nats-server's log at debug level (errors at error
	// level). Nil discards it.
	Logger *slog.Logger
}

// lowSpace is the free space of the store's filesystem (embedded, on
// disk) below which writes are refused before JetStream tries them: twice
// the largest block nats-server writes (8 MiB), so that a write, or the
// copy of a block made while compacting it, never meets a full disk
// because of the last write let through.
const lowSpace = 16 << 20

// Node is an open connection to JetStream, with the embedded server behind
// it when there is one. Its methods are safe for concurrent use.
type Node struct {
	cfg      Config
	embedded bool
	url      string // external server's URL
	storeDir string // embedded: the directory given to nats-server
	fileDir  string // embedded with DataDir: storeDir, whose filesystem is watched
	scratch  string // memory mode: scratch dir to remove on Close
	maxStore int64  // embedded: the resolved Config.MaxStore
	nc       *nats.Conn
	closed   chan struct{} // closed by nats.go when nc is closed
	js       jetstream.JetStream
	storage  jetstream.StorageType

	mu        sync.Mutex
	srv       *server.Server // the embedded server; nil while it is restarted
	log       *serverLog     // srv's logger
	refusal   *WriteError    // external: the last write refused or unanswered
	refusedAt time.Time

	sup     *supervisor
	stopSup context.CancelFunc
	supDone chan struct{}

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
	n := &Node{cfg: cfg, storage: jetstream.FileStorage, closed: make(chan struct{})}
	if cfg.Memory {
		n.storage = jetstream.MemoryStorage
	}

	n.url = cfg.URL
	n.embedded = cfg.URL == ""
	n.sup = n.newSupervisor()
	if n.embedded {
		if err := n.startServer(ctx); err != nil {
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
	n.startSupervisor(ctx)
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

// startServer prepares the store directory, resolves the max store and
// starts the embedded server.
func (n *Node) startServer(ctx context.Context) error {
	cfg := n.cfg
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
		n.fileDir = storeDir
	}
	n.storeDir = storeDir
	var err error
	if cfg.Memory {
		n.maxStore, err = cfg.MaxStore.resolve(memoryAvailable)
	} else {
		n.maxStore, err = cfg.MaxStore.resolve(func() (int64, error) {
			return fileAvailable(storeDir)
		})
	}
	if err != nil {
		return err
	}
	srv, logger, err := n.newServer(ctx)
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.srv, n.log = srv, logger
	n.mu.Unlock()
	return nil
}

// newServer creates and starts an embedded server on the store directory
// and waits until it accepts connections with JetStream enabled. A server
// that does not get there is shut down again.
func (n *Node) newServer(ctx context.Context) (*server.Server, *serverLog, error) {
	cfg := n.cfg
	opts := &server.Options{
		ServerName: ServerName,
		DontListen: true, // clients use the in-process connection
		// Were the client port ever enabled: loopback, never a fixed port.
		Host:         "127.0.0.1",
		Port:         server.RANDOM_PORT,
		NoSigs:       true, // the host process owns signals
		NoLog:        true,
		JetStream:    true,
		StoreDir:     n.storeDir, // JetStream appends "jetstream"
		SyncAlways:   cfg.SyncAlways,
		SyncInterval: cfg.SyncInterval,
		MaxPayload:   cfg.MaxPayload,
	}
	if cfg.Memory {
		opts.JetStreamMaxMemory = n.maxStore
	} else {
		opts.JetStreamMaxStore = n.maxStore
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, nil, fmt.Errorf("natsd: %w", err)
	}
	logger := &serverLog{l: cfg.Logger, onWrite: n.nudge}
	srv.SetLoggerV2(logger, cfg.Logger != nil, false, false)

	// Start is synchronous with DontListen: it recovers JetStream and returns
	// (or gives up after calling Fatalf).
	srv.Start()
	for {
		if err := logger.fatalErr(); err != nil {
			shutdown(srv)
			return nil, nil, fmt.Errorf("%w: %w", ErrNotReady, err)
		}
		if srv.ReadyForConnections(50*time.Millisecond) && srv.JetStreamEnabled() {
			return srv, logger, nil
		}
		if err := ctx.Err(); err != nil {
			enabled := srv.JetStreamEnabled()
			shutdown(srv)
			if !enabled {
				return nil, nil, fmt.Errorf("%w: %w: JetStream did not start", ErrNotReady, err)
			}
			return nil, nil, fmt.Errorf("%w: %w", ErrNotReady, err)
		}
	}
}

func shutdown(srv *server.Server) {
	srv.Shutdown()
	srv.WaitForShutdown()
}

// server returns the embedded server and its logger (nil while it is
// restarted, or for an external server).
func (n *Node) server() (*server.Server, *serverLog) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.srv, n.log
}

// stopServer shuts the embedded server down, waits for it and removes the
// memory mode scratch directory.
func (n *Node) stopServer() {
	n.mu.Lock()
	srv := n.srv
	n.srv = nil
	n.mu.Unlock()
	if srv != nil {
		shutdown(srv)
	}
	if n.scratch != "" {
		_ = os.RemoveAll(n.scratch)
	}
}

// inProcess hands nats.go a connection to whichever embedded server runs
// now: every connection of the Node, and every reconnect after a restart,
// goes through it. (nats.InProcessServer(srv) would tie a connection to one
// server object, which a restart replaces.)
type inProcess struct{ n *Node }

func (p inProcess) InProcessConn() (net.Conn, error) {
	srv, _ := p.n.server()
	if srv == nil {
		return nil, errors.New("natsd: the embedded server is restarting")
	}
	return srv.InProcessConn()
}

// Connect opens another connection to the same server (in-process when
// embedded), for a caller that wants one of its own; the caller closes it,
// before Close. opts come after Switchyard's defaults (client name
// "switchyard", unlimited reconnects, to an external server or to the
// embedded one after a restart).
func (n *Node) Connect(opts ...nats.Option) (*nats.Conn, error) {
	base := []nats.Option{nats.Name("switchyard"), nats.MaxReconnects(-1)}
	url := n.url
	if n.embedded {
		url = nats.DefaultURL // unused: the in-process connection wins
		// A restart of the embedded server takes well under a second:
		// reconnect soon after it rather than nats.go's default 2 s.
		base = append(base, nats.InProcessServer(inProcess{n}), nats.ReconnectWait(50*time.Millisecond))
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
func (n *Node) Embedded() bool { return n.embedded }

// MaxStore is the embedded server's limit on what JetStream stores (bytes,
// on disk or in memory as StorageType says); 0 for an external server.
func (n *Node) MaxStore() int64 { return n.maxStore }

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

	n.stopSupervisor()
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
