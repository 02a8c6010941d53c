package catalog

import (
	"context"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
)

// Connection is a connection of API destinations: how to authorize HTTP
// requests to an endpoint. Unlike AWS, which keeps the credentials in a
// Secrets Manager secret, Switchyard keeps them in the connection document
// itself: the catalog is the server's own store. The api package never
// returns the secret members (Password, ApiKeyValue, ClientSecret and the
// values of parameters marked secret) and nothing logs them.
type Connection struct {
	Name              string
	UUID              string          // the last segment of the ARN: connection/<name>/<uuid>
	SecretID          string          // "<uuid>-<6 chars>", the end of the SecretArn; "" once deauthorized
	Description       *string         `json:",omitempty"`
	AuthorizationType string          // BASIC, API_KEY or OAUTH_CLIENT_CREDENTIALS
	Basic             *BasicAuth      `json:",omitempty"`
	APIKey            *APIKeyAuth     `json:",omitempty"`
	OAuth             *OAuthAuth      `json:",omitempty"`
	Invocation        *HTTPParameters `json:",omitempty"` // InvocationHttpParameters, sent with every request
	// ResourceConfigurationArn of InvocationConnectivityParameters (private
	// APIs); kept and returned, not used for routing.
	ResourceConfigurationArn *string `json:",omitempty"`
	KmsKeyIdentifier         *string `json:",omitempty"`
	State                    string  // AUTHORIZED or DEAUTHORIZED once a request has settled
	StateReason              *string `json:",omitempty"`
	Created                  time.Time
	Modified                 time.Time
	LastAuthorized           *time.Time `json:",omitempty"`
}

// BasicAuth is BasicAuthParameters. Password is secret.
type BasicAuth struct {
	Username string
	Password string
}

// APIKeyAuth is ApiKeyAuthParameters: the header name and its (secret) value.
type APIKeyAuth struct {
	Name  string
	Value string
}

// OAuthAuth is OAuthParameters of the client-credentials flow. ClientSecret
// is secret.
type OAuthAuth struct {
	Endpoint     string // AuthorizationEndpoint
	Method       string // GET, POST or PUT
	ClientID     string
	ClientSecret string
	HTTP         *HTTPParameters `json:",omitempty"` // OAuthHttpParameters, sent to the token endpoint
}

// HTTPParameters are the header, query string and body parameters of a
// connection. A nil list was not given; an empty one was given empty (AWS
// returns the two differently).
type HTTPParameters struct {
	Headers []Parameter
	Query   []Parameter
	Body    []Parameter
}

// Parameter is one key and value; Secret marks a value given with
// IsValueSecret=true, which is never returned.
type Parameter struct {
	Key    string
	Value  string
	Secret bool
}

// ARN is the connection's ARN in scope s.
func (c *Connection) ARN(s Scope) string {
	return arn.Events(s.Region, s.Account, "connection/"+c.Name+"/"+c.UUID).String()
}

// TokenKey names the connection's OAuth token in a token cache
// (apidest.Connection.Key): the ARN and the modification time, so that a
// token obtained with credentials an update replaced is never used again.
// The API caches the token it obtains under this key, and delivery finds it
// there.
func (c *Connection) TokenKey(s Scope) string {
	return c.ARN(s) + "@" + c.Modified.UTC().Format(time.RFC3339Nano)
}

// States of a connection.
const (
	ConnectionAuthorized   = "AUTHORIZED"
	ConnectionDeauthorized = "DEAUTHORIZED"
)

func connRef(s Scope, name string) ref { return ref{kind: KindConnection, scope: s, name: name} }

// Connection returns the named connection.
func (c *Catalog) Connection(ctx context.Context, s Scope, name string) (*Connection, error) {
	v, _, err := get[Connection](ctx, c.st, connRef(s, name))
	return v, err
}

// ConnectionByARN returns the connection an ARN names. An ARN of another
// account or region, of another kind of resource, or whose uuid is not the
// current connection's (a connection deleted and created again) names no
// connection: ErrNotFound.
func (c *Catalog) ConnectionByARN(ctx context.Context, s Scope, connARN string) (*Connection, error) {
	name, id, ok := resourceOf(s, connARN, "connection/")
	if !ok {
		// Not a connection of this scope: the error names what the ARN
		// says, the connection's name when it has one.
		name = connARN
		if a, err := arn.Parse(connARN); err == nil {
			if rest, ok := strings.CutPrefix(a.Resource, "connection/"); ok {
				name, _, _ = strings.Cut(rest, "/")
			}
		}
		return nil, connRef(s, name).fail(ErrNotFound)
	}
	v, err := c.Connection(ctx, s, name)
	if err != nil {
		return nil, err
	}
	if v.UUID != id {
		return nil, connRef(s, name).fail(ErrNotFound)
	}
	return v, nil
}

// ConnectionByARN returns the connection an ARN names, if the View holds
// it (see Catalog.ConnectionByARN).
func (v *View) ConnectionByARN(connARN string) (*Connection, Scope, bool) {
	s, name, id, ok := scopedResourceOf(connARN, "connection/")
	if !ok {
		return nil, Scope{}, false
	}
	c, ok := v.Connection(s, name)
	if !ok || c.UUID != id {
		return nil, Scope{}, false
	}
	return c, s, true
}

// resourceOf splits an events ARN of scope s whose resource is
// <kind><name>/<uuid>.
func resourceOf(s Scope, v, kind string) (name, id string, ok bool) {
	as, name, id, ok := scopedResourceOf(v, kind)
	if !ok || as != s {
		return "", "", false
	}
	return name, id, true
}

// scopedResourceOf splits an events ARN whose resource is
// <kind><name>/<uuid>, in the partition of its region.
func scopedResourceOf(v, kind string) (s Scope, name, id string, ok bool) {
	a, err := arn.Parse(v)
	if err != nil || !a.IsEvents() || a.Partition != arn.Partition(a.Region) {
		return Scope{}, "", "", false
	}
	rest, found := strings.CutPrefix(a.Resource, kind)
	if !found {
		return Scope{}, "", "", false
	}
	name, id, found = strings.Cut(rest, "/")
	if !found || name == "" || id == "" || strings.Contains(id, "/") {
		return Scope{}, "", "", false
	}
	return Scope{Account: a.Account, Region: a.Region}, name, id, true
}

// PutConnection stores a new connection; ErrExists if the name is taken.
func (c *Catalog) PutConnection(ctx context.Context, s Scope, v *Connection) error {
	return create(ctx, c.st, connRef(s, v.Name), v)
}

// UpdateConnection changes an existing connection; ErrNotFound if there is
// none. fn's error aborts the update.
func (c *Catalog) UpdateConnection(ctx context.Context, s Scope, name string, fn func(*Connection) error) (*Connection, error) {
	return update(ctx, c.st, connRef(s, name), (*Connection).clone, fn)
}

// DeleteConnection removes a connection and returns it as it was.
func (c *Catalog) DeleteConnection(ctx context.Context, s Scope, name string) (*Connection, error) {
	return remove[Connection](ctx, c.st, connRef(s, name), nil)
}

// Connections lists the connections of a scope by name, as of the call
// (see Sync).
func (c *Catalog) Connections(ctx context.Context, s Scope) ([]*Connection, error) {
	if err := c.Sync(ctx); err != nil {
		return nil, err
	}
	return c.view.Connections(s), nil
}

// clone copies a connection deeply enough that changing the copy leaves the
// original alone.
func (c *Connection) clone() *Connection {
	n := *c
	if c.Basic != nil {
		b := *c.Basic
		n.Basic = &b
	}
	if c.APIKey != nil {
		k := *c.APIKey
		n.APIKey = &k
	}
	if c.OAuth != nil {
		o := *c.OAuth
		o.HTTP = o.HTTP.Clone()
		n.OAuth = &o
	}
	n.Invocation = c.Invocation.Clone()
	return &n
}

// Clone copies the parameters (nil stays nil, empty lists stay empty).
func (p *HTTPParameters) Clone() *HTTPParameters {
	if p == nil {
		return nil
	}
	cp := func(ps []Parameter) []Parameter {
		if ps == nil {
			return nil
		}
		return append(make([]Parameter, 0, len(ps)), ps...)
	}
	return &HTTPParameters{Headers: cp(p.Headers), Query: cp(p.Query), Body: cp(p.Body)}
}
