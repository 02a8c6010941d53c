package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/server"
)

func runServe(ctx context.Context, args []string) error {
	fs := newFlagSet("serve", " [flags]")
	var (
		cfg       server.Config
		logLevel  string
		logFormat string
	)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:4010", "listen address")
	fs.StringVar(&cfg.DataDir, "data-dir", "./switchyard-data", "directory of the embedded store")
	fs.BoolVar(&cfg.Memory, "memory", false, "keep everything in memory; nothing is written to disk")
	fs.StringVar(&cfg.AccountID, "account-id", "000000000000", "account of requests whose access key names no account")
	fs.StringVar(&cfg.Region, "region", "us-east-1", "region of requests that carry no signing region (with --auth open also of those signed for a made-up region such as local)")
	fs.StringVar(&cfg.NATSURL, "nats-url", "", "use this external NATS JetStream instead of the embedded server")
	fs.StringVar(&cfg.Auth, "auth", "", "open or sigv4 (default: open on a loopback address, sigv4 otherwise)")
	fs.StringVar(&cfg.CredentialsFile, "credentials", "", "credentials file: lines of ACCESS_KEY_ID SECRET ACCOUNT_ID [SESSION_TOKEN]")
	fs.BoolVar(&cfg.Insecure, "insecure", false, "allow --auth=open on a non-loopback address")
	fs.DurationVar(&cfg.MaxSkew, "max-clock-skew", 15*time.Minute, "SigV4: how far a request's date may be from the server's clock")
	fs.StringVar(&cfg.Sync, "sync", "always", "always: accepted events are fsynced before PutEvents answers; interval: fsync every second (faster; a power loss can lose the last second)")
	fs.IntVar(&cfg.PutEventsSize, "put-events-limit", 1<<20, "total entry size allowed in one PutEvents request, counted as AWS counts it (262144 for AWS's limit before 2026)")
	fs.BoolVar(&cfg.ConnectionClose, "api-destination-connection-close", false, "send \"Connection: close\" on API destination calls and open a connection per call, as AWS does (slower)")
	fs.StringVar(&cfg.EndpointSQS, "endpoint-sqs", "", "send to SQS targets and dead-letter queues at this endpoint (e.g. a local ElasticMQ or moto): the same as --aws-endpoint sqs=URL")
	endpoints := endpointsFlag{}
	fs.Var(endpoints, "aws-endpoint", "SERVICE=URL: call this AWS service's targets at URL (e.g. lambda=http://127.0.0.1:9001); SERVICE is the service name of the target ARNs (sqs, sns, lambda, kinesis, firehose, logs, states, execute-api, ecs, batch, redshift-data, sagemaker, ssm, codebuild, codepipeline, inspector, appsync, sts); repeat it, or separate pairs with commas")
	var endpointAll string
	fs.StringVar(&endpointAll, "aws-endpoint-url", "", "call every AWS service target at this endpoint (e.g. moto or LocalStack) unless --aws-endpoint names the service; without AWS credentials, test credentials are used")
	fs.BoolVar(&cfg.AssumeRoles, "assume-roles", false, "call targets that have a RoleArn as that role, with credentials from STS AssumeRole (cached until near expiry)")
	fs.IntVar(&cfg.MaxConnections, "max-connections", server.DefaultMaxConnections, "client connections open at once; a client over the cap is answered 503 ServiceUnavailableException, which SDKs retry")
	fs.DurationVar(&cfg.ReadTimeout, "read-timeout", server.DefaultReadTimeout, "longest time to read one request, header and body")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "close a keep-alive connection idle this long")
	fs.StringVar(&cfg.MaxStore, "max-store", "", "most the embedded JetStream may store, on disk (in memory with --memory): a size (10GiB, 500MB) or a share of the space available at start (default 75%); past it PutEvents fails at once until delivered events make room")
	fs.BoolVar(&cfg.Pprof, "pprof", false, "serve Go's profiler at /debug/pprof/")
	fs.StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&logFormat, "log-format", "text", "text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	hopts := &slog.HandlerOptions{Level: level}
	switch logFormat {
	case "text":
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, hopts))
	case "json":
		cfg.Logger = slog.New(slog.NewJSONHandler(os.Stderr, hopts))
	default:
		return fmt.Errorf("--log-format must be text or json, not %q", logFormat)
	}
	cfg.Version = version
	cfg.Endpoints = endpoints
	if endpointAll != "" {
		cfg.Endpoints["*"] = endpointAll
	}

	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	if err := srv.Open(ctx); err != nil {
		return err
	}
	var serveErr error
	select {
	case <-ctx.Done():
		cfg.Logger.Info("shutting down")
	case serveErr = <-srv.Done():
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Close(stopCtx); err != nil {
		return err
	}
	return serveErr
}

// parseFlags reads each flag from the command line, else from the
// environment variable SWITCHYARD_<FLAG> (upper case, dashes as
// underscores), else its default. Help asked for (-h, --help) is printed on
// standard output rather than the flag set's (standard error), since it is
// the answer and not a complaint; a misused flag is printed with the flags
// on the flag set's output and returned as a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	var msg bytes.Buffer
	fs.SetOutput(&msg)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if errors.Is(err, flag.ErrHelp) && out == os.Stderr {
		out = os.Stdout
	}
	_, _ = out.Write(msg.Bytes())
	switch {
	case errors.Is(err, flag.ErrHelp):
		return err
	case err != nil:
		return &usageError{err: err, reported: true}
	case fs.NArg() > 0:
		return &usageError{err: fmt.Errorf("unexpected argument %q (switchyard %s --help lists the flags)", fs.Arg(0), fs.Name())}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := "SWITCHYARD_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
		}
	})
	return err
}

// endpointsFlag collects SERVICE=URL pairs of --aws-endpoint, from repeated
// flags or one comma-separated list (as SWITCHYARD_AWS_ENDPOINT gives it).
type endpointsFlag map[string]string

func (e endpointsFlag) String() string {
	var parts []string
	for k, v := range e {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func (e endpointsFlag) Set(v string) error {
	for pair := range strings.SplitSeq(v, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		svc, url, ok := strings.Cut(pair, "=")
		if !ok || svc == "" || url == "" {
			return fmt.Errorf("%q is not SERVICE=URL", pair)
		}
		if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
			return fmt.Errorf("%q: the endpoint must be an http:// or https:// URL", pair)
		}
		e[svc] = url
	}
	return nil
}
