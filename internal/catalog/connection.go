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

// Connection returns the named connection.
func (c *Catalog) Connection(ctx context.Context, s Scope, name string) (*Connection, error) {
	v, _, err := get[Connection](ctx, c.st, s.key(KindConnection, name))
	return v, err
}

// ConnectionByARN returns the connection an ARN names. An ARN of another
// account or region, of another kind of resource, or whose uuid is not the
// current connection's (a connection deleted and created again) names no
// connection: ErrNotFound.
func (c *Catalog) ConnectionByARN(ctx context.Context, s Scope, connARN string) (*Connection, error) {
	name, id, ok := resourceOf(s, connARN, "connection/")
	if !ok {
		return nil, ErrNotFound
	}
	v, err := c.Connection(ctx, s, name)
	if err != nil {
		return nil, err
	}
	if v.UUID != id {
		return nil, ErrNotFound
	}
	return v, nil
}

// resourceOf splits an events ARN of scope s whose resource is
// <kind><name>/<uuid>.
func resourceOf(s Scope, v, kind string) (name, id string, ok bool) {
	a, err := arn.Parse(v)
	if err != nil || !a.IsEvents() || a.Account != s.Account || a.Region != s.Region || a.Partition != arn.Partition(s.Region) {
		return "", "", false
	}
	rest, found := strings.CutPrefix(a.Resource, kind)
	if !found {
		return "", "", false
	}
	name, id, found = strings.Cut(rest, "/")
	if !found || name == "" || id == "" || strings.Contains(id, "/") {
		return "", "", false
	}
	return name, id, true
}

// PutConnection stores a new connection; ErrExists if the name is taken.
func (c *Catalog) PutConnection(ctx context.Context, s Scope, v *Connection) error {
	return create(ctx, c.st, s.key(KindConnection, v.Name), v)
}

// UpdateConnection changes an existing connection; ErrNotFound if there is
// none. fn's error aborts the update.
func (c *Catalog) UpdateConnection(ctx context.Context, s Scope, name string, fn func(*Connection) error) (*Connection, error) {
	return mutate(ctx, c.st, s.key(KindConnection, name), func(cur *Connection) (*Connection, error) {
		if cur == nil {
			return nil, ErrNotFound
		}
		next := cur.clone()
		if err := fn(next); err != nil {
			return nil, err
		}
		return next, nil
	})
}

// DeleteConnection removes a connection and returns it as it was.
func (c *Catalog) DeleteConnection(ctx context.Context, s Scope, name string) (*Connection, error) {
	var last *Connection
	err := remove(ctx, c.st, s.key(KindConnection, name), func(cur *Connection) error {
		last = cur
		return nil
	})
	if err != nil {
		return nil, err
	}
	return last, nil
}

// Connections lists the connections of a scope by name.
func (c *Catalog) Connections(ctx context.Context, s Scope) ([]*Connection, error) {
	vs, err := list[Connection](ctx, c.st, s.prefix(KindConnection))
	if err != nil {
		return nil, err
	}
	sortByName(vs, func(v *Connection) string { return v.Name })
	return vs, nil
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

// ApiDestination is an HTTP endpoint that rules can target, called with the
// authorization of a connection.
type ApiDestination struct {
	Name                         string
	UUID                         string  // the last segment of the ARN: api-destination/<name>/<uuid>
	Description                  *string `json:",omitempty"`
	ConnectionArn                string
	InvocationEndpoint           string // may hold '*' wildcards, filled from a target's PathParameterValues
	HttpMethod                   string
	InvocationRateLimitPerSecond int32
	State                        string // ACTIVE or INACTIVE
	Created                      time.Time
	Modified                     time.Time
}

// ARN is the API destination's ARN in scope s.
func (d *ApiDestination) ARN(s Scope) string {
	return arn.Events(s.Region, s.Account, "api-destination/"+d.Name+"/"+d.UUID).String()
}

// ApiDestination returns the named API destination.
func (c *Catalog) ApiDestination(ctx context.Context, s Scope, name string) (*ApiDestination, error) {
	v, _, err := get[ApiDestination](ctx, c.st, s.key(KindAPIDestination, name))
	return v, err
}

// ApiDestinationByARN returns the API destination an ARN names (a target's
// Arn); ErrNotFound as for ConnectionByARN.
func (c *Catalog) ApiDestinationByARN(ctx context.Context, s Scope, destARN string) (*ApiDestination, error) {
	name, id, ok := resourceOf(s, destARN, "api-destination/")
	if !ok {
		return nil, ErrNotFound
	}
	v, err := c.ApiDestination(ctx, s, name)
	if err != nil {
		return nil, err
	}
	if v.UUID != id {
		return nil, ErrNotFound
	}
	return v, nil
}

// PutApiDestination stores a new API destination; ErrExists if the name is
// taken.
func (c *Catalog) PutApiDestination(ctx context.Context, s Scope, d *ApiDestination) error {
	return create(ctx, c.st, s.key(KindAPIDestination, d.Name), d)
}

// UpdateApiDestination changes an existing API destination; ErrNotFound if
// there is none.
func (c *Catalog) UpdateApiDestination(ctx context.Context, s Scope, name string, fn func(*ApiDestination) error) (*ApiDestination, error) {
	return mutate(ctx, c.st, s.key(KindAPIDestination, name), func(cur *ApiDestination) (*ApiDestination, error) {
		if cur == nil {
			return nil, ErrNotFound
		}
		next := *cur
		if err := fn(&next); err != nil {
			return nil, err
		}
		return &next, nil
	})
}

// DeleteApiDestination removes an API destination.
func (c *Catalog) DeleteApiDestination(ctx context.Context, s Scope, name string) error {
	return remove[ApiDestination](ctx, c.st, s.key(KindAPIDestination, name), nil)
}

// ApiDestinations lists the API destinations of a scope by name.
func (c *Catalog) ApiDestinations(ctx context.Context, s Scope) ([]*ApiDestination, error) {
	vs, err := list[ApiDestination](ctx, c.st, s.prefix(KindAPIDestination))
	if err != nil {
		return nil, err
	}
	sortByName(vs, func(v *ApiDestination) string { return v.Name })
	return vs, nil
}
