package apigateway

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to API Gateway REST API methods.
type Kind struct {
	c  *target.Clients
	hc *http.Client // shared by every API Gateway target
}

var _ target.Kind = (*Kind)(nil)

// New returns the API Gateway kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c, hc: target.NewHTTPClient(timeout)} }

// CheckARN accepts the ARN of a method of a stage:
// arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := methodOf(a)
	return err
}

// methodOf is the method an execute-api ARN names.
func methodOf(a arn.ARN) (method, error) {
	if !a.Of("execute-api") {
		return method{}, fmt.Errorf("apigateway: %q is not an execute-api ARN of a region and account", a)
	}
	return parseMethodARN(a.Resource)
}

// Deliver makes one attempt to deliver r to the API Gateway REST API
// method its ARN names: one signed HTTP request, classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	m, err := methodOf(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	hp := httpParams(r)
	u, err := requestURL(k.c.Endpoint("execute-api"), m, hp, r)
	if err != nil {
		return target.Fail(target.CodeInvalidParameter, err.Error())
	}
	req, err := http.NewRequestWithContext(ctx, m.httpMethod(), u, bytes.NewReader(r.Payload))
	if err != nil {
		return target.Fail(target.CodeInvalidParameter, "apigateway: cannot build the request: "+err.Error())
	}
	// Ours first, so that the target's own Content-Type wins; the headers
	// EventBridge forbids never come from the target.
	req.Header.Set("Content-Type", "application/json")
	if hp != nil {
		for k, v := range hp.HeaderParameters {
			if forbiddenHeader(k) {
				continue
			}
			v = r.Dynamic(v)
			if !target.ValidHeaderValue(v) {
				// Go would refuse to send it, and every retry the same.
				return target.Fail(target.CodeInvalidParameter, fmt.Sprintf("apigateway: header %s: its value has control characters", k))
			}
			req.Header.Set(k, v)
		}
	}
	if r.TraceHeader != "" {
		req.Header.Set("X-Amzn-Trace-Id", r.TraceHeader)
	}
	if res, ok := k.c.SignHTTP(ctx, req, r.Payload, "execute-api", r.ARN.Region, r.Role()); !ok {
		return res
	}
	// EventBridge judges an API Gateway answer by its status alone (its
	// user guide lists statuses only): the body is read just to quote it.
	res, _, _ := target.SendHTTP(ctx, k.hc, req, "API Gateway", 0)
	return res
}

// timeout is EventBridge's limit on an API Gateway request: the user
// guide's API Gateway target page says a request taking longer than 5
// seconds is timed out and retried.
const timeout = 5 * time.Second

// method is what the resource part of an execute-api ARN names:
// <api-id>/<stage>/<METHOD>/<path...>.
type method struct {
	api, stage, verb string
	path             []string // segments; "*" marks a path parameter
}

// httpMethod is the HTTP method to call with. An ARN may name any method
// ("*", or API Gateway's ANY): the event travels as the body, so POST.
func (m method) httpMethod() string {
	if m.verb == "*" || m.verb == "ANY" {
		return http.MethodPost
	}
	return m.verb
}

var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	"HEAD": true, "OPTIONS": true, "ANY": true, "*": true}

func parseMethodARN(resource string) (method, error) {
	parts := strings.Split(resource, "/")
	if len(parts) < 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return method{}, fmt.Errorf("apigateway: %q is not <api-id>/<stage>/<method>/<path>", resource)
	}
	m := method{api: parts[0], stage: parts[1], verb: strings.ToUpper(parts[2])}
	if !methods[m.verb] {
		return method{}, fmt.Errorf("apigateway: %q is not an HTTP method", parts[2])
	}
	for _, s := range parts[3:] {
		if s != "" { // "/" and a trailing slash name no segment
			m.path = append(m.path, s)
		}
	}
	return m, nil
}

// requestURL is the URL of the stage's resource in r.ARN's partition and
// region, its "*" segments filled in order from hp's PathParameterValues
// (each may be a JSONPath into r's event), with hp's query string; hp may
// be nil.
func requestURL(override string, m method, hp *catalog.HTTPTargetParameters, r target.Request) (string, error) {
	var values []string
	var query map[string]string
	if hp != nil {
		values, query = hp.PathParameterValues, hp.QueryStringParameters
	}
	var b strings.Builder
	if override != "" {
		b.WriteString(strings.TrimRight(override, "/"))
	} else {
		host := m.api + ".execute-api." + r.ARN.Region + ".amazonaws.com"
		if r.ARN.Partition == "aws-cn" {
			host += ".cn"
		}
		b.WriteString("https://" + host)
	}
	b.WriteString("/" + url.PathEscape(m.stage) + "/")
	n := 0
	for i, s := range m.path {
		if i > 0 {
			b.WriteByte('/')
		}
		if s != "*" {
			b.WriteString(s) // as the ARN spells it
			continue
		}
		if n >= len(values) {
			return "", fmt.Errorf("apigateway: the path has more \"*\" than the %d PathParameterValues", len(values))
		}
		v := r.Dynamic(values[n])
		if v == "" {
			return "", fmt.Errorf("apigateway: path parameter %d (%q) is empty", n+1, values[n])
		}
		// One value fills one segment: a "/" in it does not make two.
		b.WriteString(url.PathEscape(v))
		n++
	}
	if len(query) > 0 {
		q := url.Values{}
		for k, v := range query {
			q.Set(k, r.Dynamic(v))
		}
		b.WriteString("?" + q.Encode())
	}
	return b.String(), nil
}

func httpParams(r target.Request) *catalog.HTTPTargetParameters {
	if r.Target == nil {
		return nil
	}
	return r.Target.HTTP
}

// forbiddenHeader: the header keys EventBridge does not allow in
// HeaderParameters (the API Gateway target page of its user guide); they
// belong to the transport and the signature.
func forbiddenHeader(k string) bool {
	k = http.CanonicalHeaderKey(k)
	if strings.HasPrefix(k, "X-Amz") { // X-Amz-* and X-Amzn-*
		return true
	}
	switch k {
	case "Authorization", "Connection", "Content-Encoding", "Content-Length", "Host", "Max-Forwards", "Te",
		"Transfer-Encoding", "Trailer", "Upgrade", "Via", "Www-Authenticate", "X-Forwarded-For":
		return true
	}
	return false
}
