package apidest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// refreshMargin: EventBridge refreshes a token during an invocation "if the
// token expires within 60 seconds" (user guide, OAuth considerations).
const refreshMargin = 60 * time.Second

// maxTokenResponse bounds a token endpoint's answer.
const maxTokenResponse = 64 << 10

// tokenCache holds one token per connection key. At most one fetch per key
// runs at a time, in the goroutine of the caller that started it; the others
// wait for its result or their own ctx.
type tokenCache struct {
	mu        sync.Mutex
	m         map[string]*tokenEntry
	lastSweep time.Time
}

type tokenEntry struct {
	token     string
	expiry    time.Time // zero: the endpoint gave no expires_in
	refreshAt time.Time // zero: keep until a 401/407
	flight    *flight
}

type flight struct {
	done   chan struct{}
	token  string
	expiry time.Time
	err    error
}

func (e *tokenEntry) set(tok string, expiry, now time.Time) {
	e.token, e.expiry, e.refreshAt = tok, expiry, time.Time{}
	if !expiry.IsZero() {
		// Short-lived tokens get half their life, not a margin longer than it.
		e.refreshAt = expiry.Add(-min(refreshMargin, expiry.Sub(now)/2))
	}
}

func (t *tokenCache) invalidate(key, tok string) {
	t.mu.Lock()
	if e := t.m[key]; e != nil && e.token == tok {
		e.token = ""
	}
	t.mu.Unlock()
}

func (t *tokenCache) forget(key string) {
	t.mu.Lock()
	delete(t.m, key)
	t.mu.Unlock()
}

func (t *tokenCache) store(key, tok string, expiry, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.m[key]
	if e == nil {
		e = &tokenEntry{}
		t.m[key] = e
	}
	e.set(tok, expiry, now)
}

// sweepLocked drops entries holding no usable token and no fetch.
func (t *tokenCache) sweepLocked(now time.Time) {
	if now.Sub(t.lastSweep) < sweepEvery {
		return
	}
	t.lastSweep = now
	for k, e := range t.m {
		if e.flight == nil && (e.token == "" || (!e.expiry.IsZero() && !now.Before(e.expiry))) {
			delete(t.m, k)
		}
	}
}

// token returns a cached token for key or fetches one.
func (c *Client) token(ctx context.Context, key string, o OAuth) (string, error) {
	t := &c.tokens
	for {
		now := time.Now()
		t.mu.Lock()
		t.sweepLocked(now)
		e := t.m[key]
		if e != nil && e.token != "" && (e.refreshAt.IsZero() || now.Before(e.refreshAt)) {
			tok := e.token
			t.mu.Unlock()
			return tok, nil
		}
		if e != nil && e.flight != nil {
			f := e.flight
			t.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return "", ctx.Err()
			}
			if f.err == nil {
				return f.token, nil
			}
			if isContextErr(f.err) && ctx.Err() == nil {
				continue // the fetching caller gave up, not the endpoint
			}
			return "", f.err
		}
		if e == nil {
			e = &tokenEntry{}
			t.m[key] = e
		}
		f := &flight{done: make(chan struct{})}
		e.flight = f
		t.mu.Unlock()

		f.token, f.expiry, f.err = c.fetchToken(ctx, o)
		t.mu.Lock()
		if t.m[key] == e { // not forgotten meanwhile
			e.flight = nil
			if f.err == nil {
				e.set(f.token, f.expiry, time.Now())
			}
		}
		t.mu.Unlock()
		close(f.done)
		return f.token, f.err
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// FetchToken gets a token from the authorization endpoint with the client
// credentials grant and, when connKey is not empty, caches it for Invoke.
// The connection API calls it to move an OAuth connection from AUTHORIZING
// to AUTHORIZED, or to DEAUTHORIZED with the error as StateReason; the error
// never holds the client secret. expiry is zero when the endpoint gave no
// expires_in: the token is then kept until the destination answers 401/407.
//
// The request: the OAuth Method (default POST); "Authorization: Basic
// base64(client_id:client_secret)"; OAuthHttpParameters headers as headers,
// query parameters in the query, body parameters in an
// application/x-www-form-urlencoded body (in the query for GET), with
// grant_type=client_credentials unless a body parameter sets grant_type.
// The answer must be 2xx JSON with a string access_token.
func (c *Client) FetchToken(ctx context.Context, connKey string, o OAuth) (token string, expiry time.Time, err error) {
	token, expiry, err = c.fetchToken(ctx, o)
	if err == nil && connKey != "" {
		c.tokens.store(connKey, token, expiry, time.Now())
	}
	return token, expiry, err
}

func (c *Client) fetchToken(ctx context.Context, o OAuth) (string, time.Time, error) {
	method := strings.ToUpper(o.Method)
	if method == "" {
		method = http.MethodPost
	}
	u, err := url.Parse(o.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", time.Time{}, &tokenError{err: &Error{Op: "fetch token", Err: errorf("invalid authorization endpoint")}, code: target.CodeInvalidParameter}
	}
	safe := *u
	safe.RawQuery, safe.User, safe.Fragment = "", nil, ""
	fail := func(retryable bool, code string, status int, err error) (string, time.Time, error) {
		return "", time.Time{}, &tokenError{err: &Error{Op: "fetch token", URL: safe.String(), Status: status, Err: err}, retryable: retryable, code: code}
	}
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut:
	default:
		return fail(false, target.CodeInvalidParameter, 0, errorf("invalid OAuth HTTP method"))
	}

	form := url.Values{}
	for _, kv := range o.Params.Body {
		form.Add(kv.Key, kv.Value)
	}
	if !form.Has("grant_type") {
		form.Set("grant_type", "client_credentials")
	}
	q := u.Query()
	for _, kv := range o.Params.Query {
		q.Add(kv.Key, kv.Value)
	}
	var body io.Reader = http.NoBody
	if method == http.MethodGet {
		for k, vs := range form {
			q[k] = append(q[k], vs...)
		}
	} else {
		body = strings.NewReader(form.Encode())
	}
	u.RawQuery = q.Encode()

	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, method, u.String(), body)
	if err != nil {
		return fail(false, target.CodeInvalidParameter, 0, errorf("cannot build token request"))
	}
	for _, kv := range o.Params.Headers {
		if err := setParam(req.Header, kv.Key, kv.Value); err != nil {
			return fail(false, target.CodeInvalidParameter, 0, err)
		}
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.SetBasicAuth(o.ClientID, o.ClientSecret)
	c.connectionPolicy(req)

	resp, err := c.hc.Do(req)
	if err != nil {
		r := transportFailure(ctx, "fetch token", safe.String(), err)
		return "", time.Time{}, &tokenError{err: r.Err.(*Error), retryable: r.Retryable, code: r.Code}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponse))
	resp.Body.Close()
	if r := statusResult("fetch token", safe.String(), resp.StatusCode); r.Err != nil {
		return "", time.Time{}, &tokenError{err: r.Err.(*Error), retryable: r.Retryable, code: r.Code}
	}
	if err != nil {
		r := transportFailure(ctx, "fetch token", safe.String(), err)
		return "", time.Time{}, &tokenError{err: r.Err.(*Error), retryable: r.Retryable, code: r.Code}
	}
	tok, life, err := parseTokenResponse(data)
	if err != nil {
		// A 2xx the client cannot use will not improve by asking again.
		return fail(false, target.CodeSDKClientError, resp.StatusCode, err)
	}
	var expiry time.Time
	if life > 0 {
		expiry = time.Now().Add(life)
	}
	return tok, expiry, nil
}

// maxTokenLife caps expires_in so that adding it to a time cannot overflow.
const maxTokenLife = 10 * 365 * 24 * time.Hour

// parseTokenResponse reads an RFC 6749 section 5.1 answer. expires_in may be
// a number or, as some servers send it, a numeric string; absent, zero,
// negative or unreadable means unknown (0).
func parseTokenResponse(data []byte) (token string, life time.Duration, err error) {
	var v struct {
		AccessToken any             `json:"access_token"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return "", 0, ErrTokenResponse
	}
	token, _ = v.AccessToken.(string)
	if token == "" || !target.ValidHeaderValue(token) {
		return "", 0, ErrTokenResponse
	}
	raw := strings.Trim(string(v.ExpiresIn), `"`)
	if f, err := strconv.ParseFloat(raw, 64); err == nil && f > 0 && !math.IsInf(f, 0) {
		if f >= maxTokenLife.Seconds() {
			return token, maxTokenLife, nil
		}
		life = time.Duration(f * float64(time.Second))
	}
	return token, life, nil
}
