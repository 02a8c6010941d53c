// Package server wires Switchyard together: the JetStream node (embedded or
// external), the catalog store on it, the EventBridge API and the HTTP
// listener. It is the one package that imports everything; New checks the
// configuration, Open starts the pieces in order and Close stops them in
// reverse.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/pprof"
	"path/filepath"
	"sync"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery"
	"github.com/switchyard-dev/switchyard/internal/delivery/apidest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/metrics"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/router"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

// CatalogBucket is the JetStream KV bucket that holds the catalog.
const CatalogBucket = "switchyard-catalog"

// Auth modes.
const (
	AuthOpen  = "open"
	AuthSigV4 = "sigv4"
)

// Config is everything `switchyard serve` can be told.
type Config struct {
	Addr            string        // listen address, e.g. 127.0.0.1:4010
	DataDir         string        // embedded JetStream file storage lives in DataDir/jetstream
	Memory          bool          // nothing written to disk
	AccountID       string        // account of requests that name no known account
	Region          string        // region of unsigned requests (open auth: also of a made-up signing region)
	NATSURL         string        // external NATS JetStream instead of the embedded server
	Auth            string        // "open" or "sigv4"; empty: open on loopback, sigv4 elsewhere
	CredentialsFile string        // access keys, secrets and accounts (see api.LoadCredentials)
	Insecure        bool          // allow open auth on a non-loopback address
	MaxSkew         time.Duration // SigV4 clock skew allowed; 0 means 15 minutes
	// Sync is when accepted events are on disk: SyncAlways (fsync before
	// PutEvents answers, the default) or SyncInterval (fsync every second:
	// faster; a power loss can lose the last second of accepted events).
	Sync string
	// PutEventsSize is the entry-size limit of one PutEvents request
	// (default 1 MiB; 256 KiB is AWS's limit before 2026-01-29).
	PutEventsSize int
	// ConnectionClose makes API destination calls send "Connection: close"
	// and open a new connection each time, as AWS documents; by default
	// connections are reused, which doubles delivery throughput and avoids
	// piling up sockets in TIME_WAIT.
	ConnectionClose bool
	// EndpointSQS overrides the SQS endpoint of SQS targets and dead-letter
	// queues (e.g. http://127.0.0.1:9324 for ElasticMQ); empty keeps what
	// the AWS SDK configuration resolves (AWS_ENDPOINT_URL_SQS, profiles,
	// else AWS). With an override and no AWS credentials configured,
	// static test credentials are used.
	EndpointSQS string
	// Endpoints overrides the endpoints of AWS service targets, by the
	// service name of their ARNs ("lambda", "states", ...; "*" for all);
	// empty keeps what the AWS SDK configuration resolves
	// (AWS_ENDPOINT_URL_<SERVICE>, profiles, else AWS). EndpointSQS, when
	// set, is Endpoints["sqs"].
	Endpoints map[string]string
	// AssumeRoles calls targets with a RoleArn as that role (STS
	// AssumeRole); otherwise with the base credentials.
	AssumeRoles bool
	// MaxConnections caps the client connections open at once (0: 4096);
	// a client over the cap is answered 503 ServiceUnavailableException.
	MaxConnections int
	// ReadTimeout bounds reading one request, header and body (0: 60 s):
	// a body sent at a byte a second is answered, not waited for forever.
	ReadTimeout time.Duration
	// IdleTimeout closes a keep-alive connection idle this long (0: 60 s,
	// as AWS's load balancers do).
	IdleTimeout time.Duration
	// MaxStore limits what the embedded JetStream stores, on disk (or in
	// memory with Memory): a size ("10GiB", "500MB") or a share of the
	// space available at start ("75%"); empty: natsd.DefaultStoreShare
	// percent. Past it PutEvents and other writes are refused at once until
	// delivered events make room. Not with NATSURL.
	MaxStore string
	// Pprof serves Go's profiler at /debug/pprof/ on the API address.
	Pprof   bool
	Version string
	Logger  *slog.Logger
}

// Defaults of the HTTP server's limits.
const (
	DefaultMaxConnections = 4096
	DefaultReadTimeout    = 60 * time.Second
	DefaultIdleTimeout    = 60 * time.Second
)

// Durability settings of Config.Sync.
const (
	SyncAlways   = "always"
	SyncInterval = "interval"
)

// Server is a running Switchyard node.
type Server struct {
	cfg      Config
	log      *slog.Logger
	auth     api.Authenticator
	maxStore natsd.StoreLimit
	// fail, set by tests only, makes the named step of Open fail.
	fail func(step string) error

	// What Open started, in order; nil until started. shutdown closes the
	// ones that are set, in reverse.
	node    *natsd.Node
	cat     *catalog.Catalog
	writer  *ingest.Writer
	index   *router.Index
	disp    *delivery.Dispatcher
	router  *router.Router
	metrics *metrics.Registry
	ln      net.Listener
	http    *http.Server
	serve   chan error // result of http.Serve, closed when it returns

	closeOnce sync.Once
	closeErr  error
}

// New checks cfg and prepares a Server; nothing is started until Open.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxSkew == 0 {
		cfg.MaxSkew = 15 * time.Minute
	}
	if cfg.MaxConnections == 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if !arn.ValidAccount(cfg.AccountID) {
		return nil, fmt.Errorf("account id %q must be 12 digits", cfg.AccountID)
	}
	if !api.ValidRegion(cfg.Region) {
		return nil, fmt.Errorf("region %q is not a region name like us-east-1", cfg.Region)
	}
	switch cfg.Sync {
	case "":
		cfg.Sync = SyncAlways
	case SyncAlways, SyncInterval:
	default:
		return nil, fmt.Errorf("unknown sync mode %q (want always or interval)", cfg.Sync)
	}
	if cfg.Memory && cfg.NATSURL != "" {
		return nil, errors.New("--memory and --nats-url exclude each other: with an external NATS the storage is that server's")
	}
	var maxStore natsd.StoreLimit
	if cfg.MaxStore != "" {
		if cfg.NATSURL != "" {
			return nil, errors.New("--max-store and --nats-url exclude each other: an external NATS server's limits are its own configuration")
		}
		var err error
		if maxStore, err = natsd.ParseStoreLimit(cfg.MaxStore); err != nil {
			return nil, fmt.Errorf("--max-store: %w", err)
		}
	}
	loopback := isLoopback(cfg.Addr)
	authChosen := cfg.Auth != ""
	if !authChosen {
		cfg.Auth = AuthSigV4
		if loopback {
			cfg.Auth = AuthOpen
		}
	}
	var creds api.Credentials
	if cfg.CredentialsFile != "" {
		var err error
		if creds, err = api.LoadCredentials(cfg.CredentialsFile); err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
	}
	s := &Server{cfg: cfg, log: cfg.Logger, maxStore: maxStore}
	switch cfg.Auth {
	case AuthOpen:
		if !loopback && !cfg.Insecure {
			return nil, fmt.Errorf("refusing to listen on %s with --auth open: any client on the network could use any account without credentials; "+
				"verify signatures with --auth sigv4 --credentials FILE, listen on a loopback address, "+
				"or add --insecure if the network is trusted (--auth open --insecure)", cfg.Addr)
		}
		s.auth = &api.OpenAuth{Credentials: creds, DefaultAccount: cfg.AccountID, DefaultRegion: cfg.Region}
	case AuthSigV4:
		if len(creds) == 0 {
			if !authChosen {
				// The newcomer's case: only --addr was given, and sigv4 is
				// the default off loopback. Name both ways out, not just
				// the one for the mode they never asked for.
				return nil, fmt.Errorf("%s is not a loopback address, so requests must be signed (SigV4) and checked against a credentials file: "+
					"pass --credentials FILE (lines of ACCESS_KEY_ID SECRET ACCOUNT_ID), "+
					"or accept unsigned requests on a trusted network with --auth open --insecure", cfg.Addr)
			}
			return nil, errors.New("--auth sigv4 needs --credentials FILE with at least one access key (lines of ACCESS_KEY_ID SECRET ACCOUNT_ID)")
		}
		s.auth = api.NewSigV4Auth(creds, cfg.Region, cfg.MaxSkew)
	default:
		return nil, fmt.Errorf("unknown auth mode %q (want open or sigv4)", cfg.Auth)
	}
	return s, nil
}

// Open starts JetStream, the catalog, the event path (ingest, routing,
// delivery) and the HTTP listener, in that order. When it returns without
// error the server answers requests; when it fails, everything it started
// is stopped again (Close is then a no-op).
func (s *Server) Open(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			_ = s.Close(context.Background())
		}
	}()
	nc := natsd.Config{URL: s.cfg.NATSURL, Memory: s.cfg.Memory, Logger: s.log.With("component", "nats")}
	if s.cfg.NATSURL == "" {
		// Event batches carry up to 1 MiB of entries plus their envelopes.
		nc.MaxPayload = 8 << 20
		nc.MaxStore = s.maxStore
		if !s.cfg.Memory {
			nc.DataDir = filepath.Clean(s.cfg.DataDir)
			nc.SyncAlways = s.cfg.Sync == SyncAlways
			nc.SyncInterval = time.Second
		}
	}
	if err := s.step("nats"); err != nil {
		return err
	}
	if s.node, err = natsd.Open(ctx, nc); err != nil {
		return err
	}
	if err := s.step("catalog"); err != nil {
		return err
	}
	// The node guards every write (catalog, events, retries, dead
	// letters): while the store cannot take one, it fails at once.
	st, err := natskv.Open(ctx, s.node.JetStream(), CatalogBucket, s.node.StorageType(), natskv.WithGuard(s.node))
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	if s.cat, err = catalog.Open(ctx, st, s.log.With("component", "catalog")); err != nil {
		return err
	}
	apic := apidest.New(apidest.Options{KeepAlive: !s.cfg.ConnectionClose})
	endpoints := maps.Clone(s.cfg.Endpoints)
	if s.cfg.EndpointSQS != "" {
		if endpoints == nil {
			endpoints = map[string]string{}
		}
		endpoints["sqs"] = s.cfg.EndpointSQS
	}
	awsc, err := target.New(ctx, target.Options{Endpoints: endpoints, AssumeRoles: s.cfg.AssumeRoles, Log: s.log.With("component", "aws")})
	if err != nil {
		// Everything but AWS targets works: they fail, and dead letters
		// stay in the dead-letter stream.
		s.log.Error("AWS service targets and dead-letter queues disabled", "err", err)
		awsc = nil
	}
	if err := s.openEventPath(ctx, apic, awsc); err != nil {
		return err
	}
	if err := s.step("listen"); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	s.ln = newListener(ln, s.cfg.MaxConnections)
	s.serveHTTP(apic)
	attrs := []any{"addr", s.ln.Addr().String(), "auth", s.cfg.Auth, "store", s.storeDesc(),
		"account", s.cfg.AccountID, "region", s.cfg.Region, "version", s.cfg.Version}
	if m := s.node.MaxStore(); m > 0 {
		attrs = append(attrs, "max_store_bytes", m)
	}
	s.log.Info("switchyard ready", attrs...)
	if err := s.node.Status().Err; err != nil {
		s.log.Warn("the store cannot take writes yet: PutEvents and changes are refused until it can", "reason", err)
	}
	return nil
}

// step lets a test make the named step of Open fail.
func (s *Server) step(name string) error {
	if s.fail == nil {
		return nil
	}
	return s.fail(name)
}

// serveHTTP starts serving the API and the server's own endpoints on s.ln.
func (s *Server) serveHTTP(apic *apidest.Client) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_switchyard/health", s.health)
	mux.HandleFunc("GET /_switchyard/stats", s.serveStats)
	mux.HandleFunc("GET /_switchyard/dead-letters", s.serveDeadLetters)
	mux.Handle("GET /metrics", s.metrics.Handler())
	if s.cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	mux.Handle("/", api.New(api.Config{
		Catalog: s.cat,
		Auth:    s.auth,
		Logger:  s.log.With("component", "api"),
		OAuth:   apic,
		Events:  s.writer,
		Limits:  api.Limits{PutEventsSize: s.cfg.PutEventsSize},
	}))
	s.http = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: min(10*time.Second, s.cfg.ReadTimeout),
		ReadTimeout:       s.cfg.ReadTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.serve = make(chan error, 1)
	go func() {
		err := s.http.Serve(s.ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.serve <- err
		close(s.serve)
	}()
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Done is closed when the HTTP server stops serving on its own (a listener
// failure); its value is that error.
func (s *Server) Done() <-chan error { return s.serve }

// Close stops accepting requests, waits for those in flight (until ctx
// ends), then stops the event path, the catalog and JetStream: whatever
// Open started, in reverse. It is idempotent, and safe after a failed Open.
func (s *Server) Close(ctx context.Context) error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.http != nil {
			errs = append(errs, s.http.Shutdown(ctx))
			<-s.serve
		} else if s.ln != nil {
			errs = append(errs, s.ln.Close())
		}
		errs = append(errs, s.closeEventPath(ctx))
		if s.cat != nil {
			s.cat.Close()
		}
		if s.node != nil {
			errs = append(errs, s.node.Close(ctx))
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

func (s *Server) storeDesc() string {
	switch {
	case s.cfg.NATSURL != "":
		return "external nats"
	case s.cfg.Memory:
		return "embedded nats, memory"
	}
	return "embedded nats, file " + s.cfg.DataDir
}

// health answers 200 {"status":"ok",...} while the server takes requests
// and its store takes writes, and 503 {"status":"not_ready","reason":...,
// "since":...} while the store cannot (out of space, or recovering from a
// failed write): PutEvents and changes are refused then, reads still work.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	body := map[string]string{"status": "ok", "version": s.cfg.Version, "store": s.storeDesc(), "auth": s.cfg.Auth}
	code := http.StatusOK
	if st := s.node.Check(); st.Err != nil {
		code = http.StatusServiceUnavailable
		body["status"] = "not_ready"
		body["reason"] = st.Err.Error()
		var we *natsd.WriteError
		if errors.As(st.Err, &we) {
			body["reason"] = "the store cannot write: " + we.Reason
		}
		body["since"] = st.Since.UTC().Format(time.RFC3339Nano)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// isLoopback reports whether a listen address only accepts local clients.
// An empty host (":4010") listens on every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
