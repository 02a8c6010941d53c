package apidest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// prepared is a request built once and sent once or twice (after an OAuth
// refresh); it holds no auth so the token can change between attempts.
type prepared struct {
	method  string
	url     string
	safeURL string // without query: query parameters may be secret
	header  http.Header
	body    []byte // nil: no body
}

// framing reports headers that belong to the transport; parameters setting
// them are ignored, since a wrong Content-Length or Host breaks the request.
func framing(canonical string) bool {
	switch canonical {
	case "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Te", "Trailer":
		return true
	}
	return false
}

func (c *Client) prepare(r Request) (*prepared, error) {
	method := strings.ToUpper(r.Dest.Method)
	if method == "" {
		method = http.MethodPost
	}
	if !validToken(method) {
		return nil, errorf("invalid HTTP method")
	}
	raw, err := fillWildcards(r.Dest.Endpoint, r.Target.PathParameterValues)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errorf("invalid endpoint")
	}
	mergeQuery(u, r.Target.Query, r.Conn.Auth.Invocation.Query)

	h := http.Header{}
	h.Set("User-Agent", c.userAgent)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Range", "bytes=0-1048575")
	h.Set("Accept-Encoding", "gzip,deflate")
	// Target first, then the connection, which wins on conflict.
	for k, v := range r.Target.Headers {
		if err := setParam(h, k, v); err != nil {
			return nil, err
		}
	}
	for _, kv := range r.Conn.Auth.Invocation.Headers {
		if err := setParam(h, kv.Key, kv.Value); err != nil {
			return nil, err
		}
	}
	if r.TraceHeader != "" {
		if !target.ValidHeaderValue(r.TraceHeader) {
			return nil, errorf("invalid trace header")
		}
		h.Set("X-Amzn-Trace-Id", r.TraceHeader)
	}
	if err := checkAuth(r.Conn.Auth); err != nil {
		return nil, err
	}

	p := &prepared{method: method, url: u.String(), header: h}
	safe := *u
	safe.RawQuery, safe.User, safe.Fragment = "", nil, ""
	p.safeURL = safe.String()
	// GET and HEAD carry no body: servers may reject or ignore one.
	if method != http.MethodGet && method != http.MethodHead {
		p.body = mergeBody(r.Body, r.Conn.Auth.Invocation.Body)
		if p.body == nil {
			p.body = []byte{}
		}
	}
	return p, nil
}

// fillWildcards replaces each * of the endpoint, in order, with the next
// path parameter value, path-escaped. Extra values are ignored; too few is an
// error, since a literal * would reach the wrong resource.
func fillWildcards(endpoint string, values []string) (string, error) {
	n := strings.Count(endpoint, "*")
	if n == 0 {
		return endpoint, nil
	}
	if n > len(values) {
		return "", errorf("endpoint has more * wildcards than path parameter values")
	}
	var b strings.Builder
	i := 0
	for {
		j := strings.IndexByte(endpoint, '*')
		if j < 0 {
			b.WriteString(endpoint)
			return b.String(), nil
		}
		b.WriteString(endpoint[:j])
		b.WriteString(url.PathEscape(values[i]))
		i++
		endpoint = endpoint[j+1:]
	}
}

// mergeQuery adds target then connection query parameters to the endpoint's
// own; a connection key replaces every value the target gave it.
func mergeQuery(u *url.URL, target map[string]string, conn []KV) {
	if len(target) == 0 && len(conn) == 0 {
		return
	}
	q := u.Query()
	for k, v := range target {
		q.Set(k, v)
	}
	for _, kv := range conn {
		q.Del(kv.Key)
	}
	for _, kv := range conn {
		q.Add(kv.Key, kv.Value)
	}
	u.RawQuery = q.Encode()
}

func setParam(h http.Header, k, v string) error {
	if !validToken(k) || !target.ValidHeaderValue(v) {
		return errorf("invalid header parameter")
	}
	if framing(http.CanonicalHeaderKey(k)) {
		return nil
	}
	h.Set(k, v)
	return nil
}

func checkAuth(a Auth) error {
	switch a.Type {
	case AuthBasic:
		if strings.ContainsRune(a.Username, ':') {
			return errorf("basic auth username contains ':'")
		}
	case AuthAPIKey:
		if !validToken(a.APIKeyName) || !target.ValidHeaderValue(a.APIKeyValue) {
			return errorf("invalid API key header")
		}
	case AuthOAuth:
	default:
		return errorf("unknown authorization type")
	}
	return nil
}

// applyAuth sets the auth header last, so no parameter can replace it.
func applyAuth(h http.Header, a Auth, token string) {
	switch a.Type {
	case AuthBasic:
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)))
	case AuthAPIKey:
		h.Set(a.APIKeyName, a.APIKeyValue)
	case AuthOAuth:
		h.Set("Authorization", "Bearer "+token)
	}
}

// mergeBody adds connection body parameters to a JSON object body as
// top-level string members, replacing members of the same name. An empty
// body becomes an object of the parameters; any other body (array, string,
// not JSON) is returned unchanged, as there is nowhere to put them. Member
// values of the event are kept byte for byte.
func mergeBody(body []byte, params []KV) []byte {
	if len(params) == 0 {
		return body
	}
	trimmed := bytes.TrimSpace(body)
	var members []member
	if len(trimmed) > 0 {
		var ok bool
		if members, ok = objectMembers(trimmed); !ok {
			return body
		}
	}
	override := make(map[string]bool, len(params))
	for _, kv := range params {
		override[kv.Key] = true
	}
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	write := func(k []byte, v []byte) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	for _, m := range members {
		if !override[m.key] {
			write(m.rawKey, m.value)
		}
	}
	// A key given twice is written once, with its last value.
	last := make(map[string]string, len(params))
	for _, kv := range params {
		last[kv.Key] = kv.Value
	}
	for _, kv := range params {
		v, ok := last[kv.Key]
		if !ok {
			continue
		}
		delete(last, kv.Key)
		kb, _ := json.Marshal(kv.Key)
		vb, _ := json.Marshal(v)
		write(kb, vb)
	}
	b.WriteByte('}')
	return b.Bytes()
}

type member struct {
	key    string
	rawKey []byte
	value  json.RawMessage
}

// objectMembers splits a JSON object into its members, in order, keeping
// each value's bytes; ok is false when data is not exactly one object.
func objectMembers(data []byte) (ms []member, ok bool) {
	if data[0] != '{' || !json.Valid(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // {
		return nil, false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		rk, _ := json.Marshal(k)
		ms = append(ms, member{key: k, rawKey: rk, value: v})
	}
	return ms, true
}

// validToken reports whether s is an RFC 9110 token (header name, method).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
