package apidest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"time"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Defaults for Options.
const (
	DefaultTimeout   = 5 * time.Second
	DefaultUserAgent = "Amazon/EventBridge/ApiDestinations"
)

// Authorization types of a connection.
const (
	AuthBasic  = "BASIC"
	AuthAPIKey = "API_KEY"
	AuthOAuth  = "OAUTH_CLIENT_CREDENTIALS"
)

// maxResponseBody bounds how much of a response is read before the
// connection is dropped; it matches the "Range: bytes=0-1048575" EventBridge
// asks for.
const maxResponseBody = 1 << 20

// KV is one connection parameter.
type KV struct{ Key, Value string }

// Params are a connection's InvocationHttpParameters or OAuthHttpParameters.
type Params struct{ Headers, Query, Body []KV }

// OAuth holds a connection's OAuth client-credentials settings.
type OAuth struct {
	Endpoint, Method       string
	ClientID, ClientSecret string
	Params                 Params
}

// Auth is a connection's authorization and its invocation parameters.
type Auth struct {
	Type                    string // AuthBasic, AuthAPIKey or AuthOAuth
	Username, Password      string
	APIKeyName, APIKeyValue string
	OAuth                   *OAuth
	// Invocation parameters are merged into every request; they win over the
	// target's HttpParameters.
	Invocation Params
}

// Connection is what a Client needs of a connection.
type Connection struct {
	// Key names the cached OAuth token; it should change whenever the
	// connection does (e.g. ARN plus modification time).
	Key  string
	Auth Auth
}

// Destination is what a Client needs of an API destination.
type Destination struct {
	Key                string // rate-limit bucket, e.g. the ARN
	Endpoint           string // may hold * wildcards
	Method             string
	RateLimitPerSecond int // 0 means unlimited
}

// TargetParams are the target's HttpParameters, dynamic paths resolved.
type TargetParams struct {
	PathParameterValues []string
	Headers, Query      map[string]string
}

// Request is one invocation.
type Request struct {
	Conn        Connection
	Dest        Destination
	Target      TargetParams
	Body        []byte
	TraceHeader string // X-Amzn-Trace-Id, sent when not empty
}

// Options configure a Client.
type Options struct {
	HTTPClient *http.Client  // its CheckRedirect is replaced: redirects are not followed
	Timeout    time.Duration // per attempt, connect to end of response; default 5 s
	UserAgent  string        // default "Amazon/EventBridge/ApiDestinations"
	// KeepAlive omits "Connection: close" and reuses connections.
	KeepAlive bool
}

// Client invokes API destinations. It is safe for concurrent use. Its two
// mutexes (tokens.mu, limits.mu) are never held together, nor across I/O or
// a wait.
type Client struct {
	hc        *http.Client
	timeout   time.Duration
	userAgent string
	keepAlive bool
	tokens    tokenCache
	limits    limiters
}

// New returns a Client.
func New(o Options) *Client {
	c := &Client{timeout: o.Timeout, userAgent: o.UserAgent, keepAlive: o.KeepAlive}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	var hc http.Client
	if o.HTTPClient != nil {
		hc = *o.HTTPClient
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		hc.Transport = tr
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.hc = &hc
	c.tokens.m = make(map[string]*tokenEntry)
	c.limits.m = make(map[string]*bucket)
	return c
}

// Invoke waits for the destination's rate limit (ctx cancels the wait), sends
// the request with the connection's auth and classifies the outcome. With
// OAuth, a 401 or 407 from the destination drops the token, fetches a new one
// and sends once more.
func (c *Client) Invoke(ctx context.Context, r Request) target.Result {
	if err := c.Wait(ctx, r.Dest); err != nil {
		return target.Result{Retryable: true, Err: err} // the caller's ctx ended: no verdict
	}
	return c.InvokeNow(ctx, r)
}

// Wait waits for the destination's rate limit and takes one invocation's
// slot (ctx cancels the wait).
func (c *Client) Wait(ctx context.Context, d Destination) error {
	return c.limits.wait(ctx, d.Key, d.RateLimitPerSecond)
}

// InvokeNow is Invoke without the wait for the rate limit: for a caller
// that took the slot with Wait.
func (c *Client) InvokeNow(ctx context.Context, r Request) target.Result {
	p, err := c.prepare(r)
	if err != nil {
		return invalid(err)
	}
	a := r.Conn.Auth
	if a.Type != AuthOAuth {
		return c.send(ctx, p, a, "")
	}
	if a.OAuth == nil {
		return invalid(errorf("OAuth connection without OAuth parameters"))
	}
	tok, err := c.token(ctx, r.Conn.Key, *a.OAuth)
	if err != nil {
		return tokenFailure(err)
	}
	res := c.send(ctx, p, a, tok)
	if res.Status != http.StatusUnauthorized && res.Status != http.StatusProxyAuthRequired {
		return res
	}
	c.tokens.invalidate(r.Conn.Key, tok)
	if tok, err = c.token(ctx, r.Conn.Key, *a.OAuth); err != nil {
		return tokenFailure(err)
	}
	return c.send(ctx, p, a, tok)
}

// Forget drops the cached OAuth token of a connection.
func (c *Client) Forget(connKey string) { c.tokens.forget(connKey) }

// send makes one attempt.
func (c *Client) send(ctx context.Context, p *prepared, a Auth, token string) target.Result {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader = http.NoBody
	if p.body != nil {
		body = bytes.NewReader(p.body)
	}
	req, err := http.NewRequestWithContext(actx, p.method, p.url, body)
	if err != nil {
		return invalid(errorf("cannot build request"))
	}
	req.Header = p.header.Clone()
	applyAuth(req.Header, a, token)
	c.connectionPolicy(req)
	resp, err := c.hc.Do(req)
	if err != nil {
		return transportFailure(ctx, "invoke", p.safeURL, err)
	}
	// Read what AWS would read, so a keep-alive connection can be reused,
	// but never an unbounded stream.
	_, _ = io.CopyN(io.Discard, resp.Body, maxResponseBody)
	resp.Body.Close()
	res := statusResult("invoke", p.safeURL, resp.StatusCode)
	if v := resp.Header.Get("Retry-After"); v != "" {
		res.RetryAfter, _ = parseRetryAfter(v, time.Now())
	}
	return res
}

func (c *Client) connectionPolicy(req *http.Request) {
	if !c.keepAlive {
		req.Close = true
		req.Header.Set("Connection", "close")
	}
}
