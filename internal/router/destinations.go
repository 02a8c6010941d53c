package router

import (
	"encoding/json"
	"errors"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/apidest"
	"github.com/switchyard-dev/switchyard/internal/store"
)

// applyConnection keeps connections by ARN; called with x.mu held.
func (x *Index) applyConnection(s catalog.Scope, name string, c store.Change) {
	if c.Deleted {
		for a, conn := range x.conns {
			if conn.scope == s && conn.doc.Name == name {
				delete(x.conns, a)
			}
		}
		return
	}
	var doc catalog.Connection
	if err := json.Unmarshal(c.Value, &doc); err != nil {
		x.log.Error("undecodable connection document", "key", c.Key, "err", err)
		return
	}
	x.conns[doc.ARN(s)] = scopedConn{scope: s, doc: &doc}
}

// applyAPIDestination keeps API destinations by ARN; called with x.mu held.
func (x *Index) applyAPIDestination(s catalog.Scope, name string, c store.Change) {
	if c.Deleted {
		for a, d := range x.dests {
			if d.scope == s && d.doc.Name == name {
				delete(x.dests, a)
			}
		}
		return
	}
	var doc catalog.ApiDestination
	if err := json.Unmarshal(c.Value, &doc); err != nil {
		x.log.Error("undecodable API destination document", "key", c.Key, "err", err)
		return
	}
	x.dests[doc.ARN(s)] = scopedDest{scope: s, doc: &doc}
}

type scopedConn struct {
	scope catalog.Scope
	doc   *catalog.Connection
}

type scopedDest struct {
	scope catalog.Scope
	doc   *catalog.ApiDestination
}

// Why APIDestination cannot give what an invocation needs.
var (
	ErrNoAPIDestination = errors.New("the API destination or its connection does not exist")
	// ErrConnectionNotAuthorized: the connection is DEAUTHORIZED (by
	// DeauthorizeConnection, which removes its secrets, or a failed OAuth
	// token request). EventBridge sends nothing through such a connection:
	// "You must update any API destinations ... that use the de-authorized
	// connection to use a different connection to successfully send
	// requests" (user guide, De-authorizing connections).
	ErrConnectionNotAuthorized = errors.New("the connection of the API destination is not authorized")
)

// APIDestination resolves an API destination ARN to what an HTTP call
// needs: the destination, and its authorized connection with its secrets.
func (x *Index) APIDestination(destARN string) (apidest.Destination, apidest.Connection, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	d, ok := x.dests[destARN]
	if !ok {
		return apidest.Destination{}, apidest.Connection{}, ErrNoAPIDestination
	}
	c, ok := x.conns[d.doc.ConnectionArn]
	if !ok {
		return apidest.Destination{}, apidest.Connection{}, ErrNoAPIDestination
	}
	if c.doc.State != wire.ConnectionStateAuthorized {
		return apidest.Destination{}, apidest.Connection{}, ErrConnectionNotAuthorized
	}
	dest := apidest.Destination{Key: destARN, Endpoint: d.doc.InvocationEndpoint, Method: d.doc.HttpMethod,
		RateLimitPerSecond: int(d.doc.InvocationRateLimitPerSecond)}
	return dest, apidest.Connection{Key: c.doc.TokenKey(c.scope), Auth: authOf(c.doc)}, nil
}

func authOf(c *catalog.Connection) apidest.Auth {
	a := apidest.Auth{Type: c.AuthorizationType, Invocation: params(c.Invocation)}
	if c.Basic != nil {
		a.Username, a.Password = c.Basic.Username, c.Basic.Password
	}
	if c.APIKey != nil {
		a.APIKeyName, a.APIKeyValue = c.APIKey.Name, c.APIKey.Value
	}
	if o := c.OAuth; o != nil {
		a.OAuth = &apidest.OAuth{Endpoint: o.Endpoint, Method: o.Method, ClientID: o.ClientID, ClientSecret: o.ClientSecret, Params: params(o.HTTP)}
	}
	return a
}

func params(p *catalog.HTTPParameters) apidest.Params {
	if p == nil {
		return apidest.Params{}
	}
	kv := func(ps []catalog.Parameter) []apidest.KV {
		out := make([]apidest.KV, len(ps))
		for i, x := range ps {
			out[i] = apidest.KV{Key: x.Key, Value: x.Value}
		}
		return out
	}
	return apidest.Params{Headers: kv(p.Headers), Query: kv(p.Query), Body: kv(p.Body)}
}
