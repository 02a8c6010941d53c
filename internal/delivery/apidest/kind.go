package apidest

import (
	"context"
	"errors"
	"strings"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Destinations is where the Kind finds API destinations and their
// connections: the catalog's in-memory View.
type Destinations interface {
	ApiDestinationByARN(destARN string) (*catalog.ApiDestination, catalog.Scope, bool)
	ConnectionByARN(connARN string) (*catalog.Connection, catalog.Scope, bool)
}

// Kind delivers to API destinations (target.Kind), resolving each target's
// ARN through the catalog at every attempt, so that a destination or
// connection changed or deauthorized since the event was routed is used as
// it is now.
type Kind struct {
	c    *Client
	dsts Destinations
}

var (
	_ target.Kind  = (*Kind)(nil)
	_ target.Paced = (*Kind)(nil)
)

// NewKind returns the API destination kind on the client c.
func NewKind(c *Client, d Destinations) *Kind { return &Kind{c: c, dsts: d} }

var errNotDestination = errors.New("apidest: the ARN does not name an API destination")

// CheckARN accepts arn:<partition>:events:<region>:<account>:api-destination/<name>/<uuid>.
func (k *Kind) CheckARN(a arn.ARN) error {
	rest, ok := strings.CutPrefix(a.Resource, "api-destination/")
	name, id, ok2 := strings.Cut(rest, "/")
	if !a.Of("events") || !ok || !ok2 || name == "" || id == "" || strings.Contains(id, "/") {
		return errNotDestination
	}
	return nil
}

// Why resolve cannot give what an invocation needs.
var (
	errNoDestination = errors.New("the API destination or its connection does not exist")
	// errNotAuthorized: the connection is DEAUTHORIZED (by
	// DeauthorizeConnection, which removes its secrets, or a failed OAuth
	// token request). EventBridge sends nothing through such a connection:
	// "You must update any API destinations ... that use the de-authorized
	// connection to use a different connection to successfully send
	// requests" (user guide, De-authorizing connections).
	errNotAuthorized = errors.New("the connection of the API destination is not authorized")
)

// resolve finds the destination and its authorized connection.
func (k *Kind) resolve(destARN string) (Destination, Connection, target.Result) {
	d, _, ok := k.dsts.ApiDestinationByARN(destARN)
	if !ok {
		return Destination{}, Connection{}, target.Fail(target.CodeNoResource, errNoDestination.Error())
	}
	conn, s, ok := k.dsts.ConnectionByARN(d.ConnectionArn)
	if !ok {
		return Destination{}, Connection{}, target.Fail(target.CodeNoResource, errNoDestination.Error())
	}
	if conn.State != catalog.ConnectionAuthorized {
		return Destination{}, Connection{}, target.Fail(target.CodeNoPermissions, errNotAuthorized.Error())
	}
	return destinationOf(destARN, d), Connection{Key: conn.TokenKey(s), Auth: AuthOf(conn)}, target.OK
}

func destinationOf(destARN string, d *catalog.ApiDestination) Destination {
	return Destination{Key: destARN, Endpoint: d.InvocationEndpoint, Method: d.HttpMethod, RateLimitPerSecond: int(d.InvocationRateLimitPerSecond)}
}

// Pace waits for the destination's rate limit. The dispatcher calls it
// with a context only shutdown ends: a backlog waits as long as the rate
// requires, not the attempt's time limit (a wait cut short would lose its
// slot, and a long backlog would never be delivered).
// Only the destination is looked up: its connection is Deliver's.
func (k *Kind) Pace(ctx context.Context, r target.Request) error {
	destARN := r.ARN.String()
	d, _, ok := k.dsts.ApiDestinationByARN(destARN)
	if !ok {
		return nil // Deliver reports it
	}
	return k.c.Wait(ctx, destinationOf(destARN, d))
}

// Deliver makes one invocation: the transformed input as the body, the
// target's HttpParameters (dynamic values read from the original event)
// merged with the connection's.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	dest, conn, res := k.resolve(r.ARN.String())
	if res.Err != nil {
		return res
	}
	var tp TargetParams
	if r.Target != nil && r.Target.HTTP != nil {
		hp := r.Target.HTTP
		tp.PathParameterValues = make([]string, len(hp.PathParameterValues))
		for i, v := range hp.PathParameterValues {
			tp.PathParameterValues[i] = r.Dynamic(v)
		}
		tp.Headers = dynamicMap(r, hp.HeaderParameters)
		tp.Query = dynamicMap(r, hp.QueryStringParameters)
	}
	return k.c.InvokeNow(ctx, Request{Conn: conn, Dest: dest, Target: tp, Body: r.Payload, TraceHeader: r.TraceHeader})
}

func dynamicMap(r target.Request, m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = r.Dynamic(v)
	}
	return out
}

// AuthOf is the authorization of a catalog connection, as a Client sends
// it.
func AuthOf(c *catalog.Connection) Auth {
	a := Auth{Type: c.AuthorizationType, Invocation: paramsOf(c.Invocation)}
	if c.Basic != nil {
		a.Username, a.Password = c.Basic.Username, c.Basic.Password
	}
	if c.APIKey != nil {
		a.APIKeyName, a.APIKeyValue = c.APIKey.Name, c.APIKey.Value
	}
	if o := c.OAuth; o != nil {
		a.OAuth = &OAuth{Endpoint: o.Endpoint, Method: o.Method, ClientID: o.ClientID, ClientSecret: o.ClientSecret, Params: paramsOf(o.HTTP)}
	}
	return a
}

func paramsOf(p *catalog.HTTPParameters) Params {
	if p == nil {
		return Params{}
	}
	kv := func(ps []catalog.Parameter) []KV {
		if len(ps) == 0 {
			return nil
		}
		out := make([]KV, len(ps))
		for i, x := range ps {
			out[i] = KV{Key: x.Key, Value: x.Value}
		}
		return out
	}
	return Params{Headers: kv(p.Headers), Query: kv(p.Query), Body: kv(p.Body)}
}

// Authorize obtains a token for an OAuth connection of scope s and caches
// it under the connection's TokenKey, for the API's Create and Update
// Connection (api.OAuthAuthorizer).
func (c *Client) Authorize(ctx context.Context, s catalog.Scope, v *catalog.Connection) error {
	a := AuthOf(v)
	if a.OAuth == nil {
		return errorf("OAuth connection without OAuth parameters")
	}
	_, _, err := c.FetchToken(ctx, v.TokenKey(s), *a.OAuth)
	return err
}
