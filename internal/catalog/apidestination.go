package catalog

import (
	"context"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
)

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

// States of an API destination.
const (
	ApiDestinationActive   = "ACTIVE"
	ApiDestinationInactive = "INACTIVE"
)

func destRef(s Scope, name string) ref { return ref{kind: KindAPIDestination, scope: s, name: name} }

// ApiDestination returns the named API destination.
func (c *Catalog) ApiDestination(ctx context.Context, s Scope, name string) (*ApiDestination, error) {
	v, _, err := get[ApiDestination](ctx, c.st, destRef(s, name))
	return v, err
}

// ApiDestinationByARN returns the API destination an ARN names (a target's
// Arn), if the View holds it, with its scope: an ARN of another kind of
// resource, or whose uuid is not the current destination's (deleted and
// created again), names none.
func (v *View) ApiDestinationByARN(destARN string) (*ApiDestination, Scope, bool) {
	s, name, id, ok := scopedResourceOf(destARN, "api-destination/")
	if !ok {
		return nil, Scope{}, false
	}
	d, ok := v.ApiDestination(s, name)
	if !ok || d.UUID != id {
		return nil, Scope{}, false
	}
	return d, s, true
}

// PutApiDestination stores a new API destination; ErrExists if the name is
// taken.
func (c *Catalog) PutApiDestination(ctx context.Context, s Scope, d *ApiDestination) error {
	return create(ctx, c.st, destRef(s, d.Name), d)
}

// UpdateApiDestination changes an existing API destination; ErrNotFound if
// there is none.
func (c *Catalog) UpdateApiDestination(ctx context.Context, s Scope, name string, fn func(*ApiDestination) error) (*ApiDestination, error) {
	return update(ctx, c.st, destRef(s, name), func(d *ApiDestination) *ApiDestination { n := *d; return &n }, fn)
}

// DeleteApiDestination removes an API destination.
func (c *Catalog) DeleteApiDestination(ctx context.Context, s Scope, name string) error {
	_, err := remove[ApiDestination](ctx, c.st, destRef(s, name), nil)
	return err
}

// ApiDestinations lists the API destinations of a scope by name, as of the
// call (see Sync).
func (c *Catalog) ApiDestinations(ctx context.Context, s Scope) ([]*ApiDestination, error) {
	if err := c.Sync(ctx); err != nil {
		return nil, err
	}
	return c.view.ApiDestinations(s), nil
}
