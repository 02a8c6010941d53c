package api

// API destinations name an HTTP endpoint, a method and a rate limit, and
// the connection that authorizes the calls. InvocationEndpoint must be an
// absolute URL: AWS requires https; Switchyard also accepts http, for
// endpoints on a local network. The state is ACTIVE when the connection is
// AUTHORIZED at the time of the Create or Update, INACTIVE otherwise, as AWS
// reports it (test_api_destinations_and_connection: INACTIVE on an OAuth
// connection that is not authorized).

import (
	"context"
	"errors"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// defaultInvocationRate is the InvocationRateLimitPerSecond of an API
// destination created without one (AWS's default).
const defaultInvocationRate = 300

func destinationState(conn *catalog.Connection) string {
	if conn != nil && conn.State == catalog.ConnectionAuthorized {
		return catalog.ApiDestinationActive
	}
	return catalog.ApiDestinationInactive
}

func (a *API) createApiDestination(ctx context.Context, c *call, in *wire.CreateApiDestinationRequest) (*wire.CreateApiDestinationResponse, error) {
	name := *in.Name
	if err := checkEndpoint("InvocationEndpoint", *in.InvocationEndpoint); err != nil {
		return nil, err
	}
	conn, err := a.cat.ConnectionByARN(ctx, c.scope, *in.ConnectionArn)
	if err != nil {
		return nil, err
	}
	exists := func() error {
		return Errorf(ResourceAlreadyExists, "An api-destination '%s' already exists.", name)
	}
	if _, err := a.cat.ApiDestination(ctx, c.scope, name); err == nil {
		return nil, exists()
	} else if !errors.Is(err, catalog.ErrNotFound) {
		return nil, err
	}
	existing, err := a.cat.ApiDestinations(ctx, c.scope)
	if err != nil {
		return nil, err
	}
	if len(existing) >= a.limits.ApiDestinationsPerScope {
		return nil, limitExceeded()
	}
	now := time.Now().UTC()
	d := &catalog.ApiDestination{
		Name: name, UUID: newRequestID(), Description: in.Description, ConnectionArn: *in.ConnectionArn,
		InvocationEndpoint: *in.InvocationEndpoint, HttpMethod: *in.HttpMethod,
		InvocationRateLimitPerSecond: defaultInvocationRate, State: destinationState(conn), Created: now, Modified: now,
	}
	if in.InvocationRateLimitPerSecond != nil {
		d.InvocationRateLimitPerSecond = *in.InvocationRateLimitPerSecond
	}
	if err := a.cat.PutApiDestination(ctx, c.scope, d); err != nil {
		return nil, err
	}
	all, err := a.cat.ApiDestinations(ctx, c.scope)
	if err := withinQuota(len(all), err, a.limits.ApiDestinationsPerScope, func() error { return a.cat.DeleteApiDestination(ctx, c.scope, name) }); err != nil {
		return nil, err
	}
	return &wire.CreateApiDestinationResponse{
		ApiDestinationArn: ptr(d.ARN(c.scope)), ApiDestinationState: ptr(d.State),
		CreationTime: ts(d.Created), LastModifiedTime: ts(d.Modified),
	}, nil
}

func (a *API) describeApiDestination(ctx context.Context, c *call, in *wire.DescribeApiDestinationRequest) (*wire.DescribeApiDestinationResponse, error) {
	d, err := a.cat.ApiDestination(ctx, c.scope, *in.Name)
	if err != nil {
		return nil, err
	}
	return &wire.DescribeApiDestinationResponse{
		ApiDestinationArn: ptr(d.ARN(c.scope)), Name: ptr(d.Name), Description: d.Description,
		ApiDestinationState: ptr(d.State), ConnectionArn: ptr(d.ConnectionArn),
		InvocationEndpoint: ptr(d.InvocationEndpoint), HttpMethod: ptr(d.HttpMethod),
		InvocationRateLimitPerSecond: ptr(d.InvocationRateLimitPerSecond),
		CreationTime:                 ts(d.Created), LastModifiedTime: ts(d.Modified),
	}, nil
}

func (a *API) updateApiDestination(ctx context.Context, c *call, in *wire.UpdateApiDestinationRequest) (*wire.UpdateApiDestinationResponse, error) {
	name := *in.Name
	if in.InvocationEndpoint != nil {
		if err := checkEndpoint("InvocationEndpoint", *in.InvocationEndpoint); err != nil {
			return nil, err
		}
	}
	cur, err := a.cat.ApiDestination(ctx, c.scope, name)
	if err != nil {
		return nil, err
	}
	connARN := cur.ConnectionArn
	if in.ConnectionArn != nil {
		connARN = *in.ConnectionArn
	}
	var conn *catalog.Connection
	if in.ConnectionArn != nil {
		if conn, err = a.cat.ConnectionByARN(ctx, c.scope, connARN); err != nil {
			return nil, err
		}
	} else if conn, err = a.cat.ConnectionByARN(ctx, c.scope, connARN); err != nil && !errors.Is(err, catalog.ErrNotFound) {
		return nil, err // a connection deleted since leaves the destination INACTIVE
	}
	now := time.Now().UTC()
	d, err := a.cat.UpdateApiDestination(ctx, c.scope, name, func(d *catalog.ApiDestination) error {
		if d.UUID != cur.UUID {
			return catalog.ErrNotFound // deleted and created again meanwhile
		}
		if in.Description != nil {
			d.Description = in.Description
			if *in.Description == "" {
				d.Description = nil
			}
		}
		d.ConnectionArn = connARN
		if in.InvocationEndpoint != nil {
			d.InvocationEndpoint = *in.InvocationEndpoint
		}
		if in.HttpMethod != nil {
			d.HttpMethod = *in.HttpMethod
		}
		if in.InvocationRateLimitPerSecond != nil {
			d.InvocationRateLimitPerSecond = *in.InvocationRateLimitPerSecond
		}
		d.State, d.Modified = destinationState(conn), now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &wire.UpdateApiDestinationResponse{
		ApiDestinationArn: ptr(d.ARN(c.scope)), ApiDestinationState: ptr(d.State),
		CreationTime: ts(d.Created), LastModifiedTime: ts(d.Modified),
	}, nil
}

func (a *API) deleteApiDestination(ctx context.Context, c *call, in *wire.DeleteApiDestinationRequest) (*empty, error) {
	return nil, a.cat.DeleteApiDestination(ctx, c.scope, *in.Name)
}

func (a *API) listApiDestinations(ctx context.Context, c *call, in *wire.ListApiDestinationsRequest) (*wire.ListApiDestinationsResponse, error) {
	ds, err := a.cat.ApiDestinations(ctx, c.scope)
	if err != nil {
		return nil, err
	}
	name := func(d *catalog.ApiDestination) string { return d.Name }
	ds = filterPrefix(ds, name, in.NamePrefix)
	if in.ConnectionArn != nil {
		kept := ds[:0:0]
		for _, d := range ds {
			if d.ConnectionArn == *in.ConnectionArn {
				kept = append(kept, d)
			}
		}
		ds = kept
	}
	pg, next, err := page(ds, name, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &wire.ListApiDestinationsResponse{ApiDestinations: make([]wire.ApiDestination, 0, len(pg)), NextToken: next}
	for _, d := range pg {
		out.ApiDestinations = append(out.ApiDestinations, wire.ApiDestination{
			ApiDestinationArn: ptr(d.ARN(c.scope)), Name: ptr(d.Name), ApiDestinationState: ptr(d.State),
			ConnectionArn: ptr(d.ConnectionArn), InvocationEndpoint: ptr(d.InvocationEndpoint),
			HttpMethod: ptr(d.HttpMethod), InvocationRateLimitPerSecond: ptr(d.InvocationRateLimitPerSecond),
			CreationTime: ts(d.Created), LastModifiedTime: ts(d.Modified),
		})
	}
	return out, nil
}
