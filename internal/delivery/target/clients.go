package target

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
)

// Options configures Clients.
type Options struct {
	// Endpoints overrides service endpoints, keyed by the service name of
	// the target ARNs ("sqs", "sns", "lambda", "kinesis", "firehose",
	// "logs", "states", "execute-api", "appsync", "sts", ...); the key "*"
	// applies to every service without its own entry.
	Endpoints map[string]string
	// AssumeRoles calls targets that have a RoleArn as that role, through
	// STS; otherwise with the base credentials.
	AssumeRoles bool
	Log         *slog.Logger
}

// Clients makes and caches the SDK clients of every target kind, per
// service, region and role. It is safe for concurrent use.
type Clients struct {
	base        aws.Config
	endpoints   map[string]string
	assumeRoles bool
	log         *slog.Logger

	mu      sync.Mutex
	clients map[clientKey]any
	roles   map[string]aws.CredentialsProvider // by role ARN
}

type clientKey struct{ service, region, role string }

// New loads the SDK's standard configuration and returns Clients on it.
func New(ctx context.Context, o Options) (*Clients, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithLogger(logging.Nop{}))
	if err != nil {
		return nil, fmt.Errorf("target: AWS configuration: %w", err)
	}
	return NewFromConfig(cfg, o), nil
}

// NewFromConfig returns Clients on cfg. With any endpoint override, a
// credential chain that yields nothing falls back to static test
// credentials.
func NewFromConfig(cfg aws.Config, o Options) *Clients {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	eps := make(map[string]string, len(o.Endpoints))
	for k, v := range o.Endpoints {
		if v != "" {
			eps[k] = v
		}
	}
	if len(eps) > 0 {
		cfg.Credentials = &fallbackCredentials{primary: cfg.Credentials, log: o.Log}
	}
	// Every call is one attempt: the target's RetryPolicy decides about the
	// next.
	cfg.RetryMaxAttempts = 1
	cfg.Retryer = nil
	return &Clients{base: cfg, endpoints: eps, assumeRoles: o.AssumeRoles, log: o.Log,
		clients: map[clientKey]any{}, roles: map[string]aws.CredentialsProvider{}}
}

// Endpoint is the endpoint override of service, or "".
func (c *Clients) Endpoint(service string) string {
	if e, ok := c.endpoints[service]; ok {
		return e
	}
	return c.endpoints["*"]
}

// Config is the SDK configuration for calls to service in region as role
// ("" or with role assumption off: the base credentials).
func (c *Clients) Config(service, region, role string) aws.Config {
	cfg := c.base.Copy()
	cfg.Region = region
	if e := c.Endpoint(service); e != "" {
		cfg.BaseEndpoint = aws.String(e)
	}
	if role != "" && c.assumeRoles {
		cfg.Credentials = c.roleCredentials(role)
	}
	return cfg
}

// Client returns the cached client of service in region for role, making
// it with mk (a service package's NewFromConfig) the first time.
func Client[T, O any](c *Clients, service, region, role string, mk func(aws.Config, ...func(*O)) T) T {
	if !c.assumeRoles {
		role = ""
	}
	k := clientKey{service, region, role}
	c.mu.Lock()
	cl, ok := c.clients[k]
	c.mu.Unlock()
	if ok {
		return cl.(T)
	}
	made := mk(c.Config(service, region, role))
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.clients[k]; ok {
		return cl.(T)
	}
	c.clients[k] = made
	return made
}

// roleCredentials are role's credentials from STS, cached until a minute
// before they expire. STS is called in the role's region when the ARN has
// one (IAM role ARNs have none: then the base region, or us-east-1).
func (c *Clients) roleCredentials(role string) aws.CredentialsProvider {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.roles[role]; ok {
		return p
	}
	region := c.base.Region
	if region == "" {
		region = "us-east-1"
	}
	cfg := c.base.Copy()
	cfg.Region = region
	if e := c.Endpoint("sts"); e != "" {
		cfg.BaseEndpoint = aws.String(e)
	}
	p := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "switchyard"
		o.Duration = time.Hour
	}), func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = time.Minute })
	c.roles[role] = p
	return p
}

// fallbackCredentials tries the SDK's chain once; if it yields nothing, it
// uses static test credentials from then on (only with an endpoint
// override: local emulators accept any credentials).
type fallbackCredentials struct {
	primary aws.CredentialsProvider
	log     *slog.Logger

	mu       sync.Mutex
	worked   bool // the chain yielded credentials once: its failures are real
	fallback bool // the chain yielded nothing at first: test credentials from now on
}

var testCredentials = credentials.NewStaticCredentialsProvider("test", "test", "")

func (f *fallbackCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	f.mu.Lock()
	fallback := f.fallback
	f.mu.Unlock()
	if fallback || f.primary == nil {
		return testCredentials.Retrieve(ctx)
	}
	cr, err := f.primary.Retrieve(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case err == nil:
		f.worked = true
		return cr, nil
	case f.worked: // a transient failure of a chain that works
		return aws.Credentials{}, err
	}
	if !f.fallback {
		f.fallback = true
		f.log.Info("no AWS credentials configured: using static test credentials for the endpoint overrides", "err", err)
	}
	return testCredentials.Retrieve(ctx)
}
