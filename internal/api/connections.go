package api

// Connections hold the credentials API destinations call their endpoints
// with. AWS keeps the secrets in Secrets Manager; Switchyard keeps them in
// the catalog document and reports a SecretArn of AWS's form
// (arn:<partition>:secretsmanager:<region>:<acct>:secret:events!connection/<name>/<uuid>-<6 chars>)
// that names no real secret. Secret members (Password, ApiKeyValue,
// ClientSecret, parameter values marked IsValueSecret) are never returned and
// never logged.
//
// States, as AWS reports them (test_api_destinations_and_connection):
// BASIC and API_KEY connections are AUTHORIZED at once. An
// OAUTH_CLIENT_CREDENTIALS connection answers AUTHORIZING from Create and
// Update, as AWS does, but the token is fetched inside the request (bounded
// by oauthTimeout), so the stored and described state is already AUTHORIZED
// or DEAUTHORIZED with a StateReason: Terraform's two-minute waiter ends at
// its first DescribeConnection. DeauthorizeConnection answers DEAUTHORIZING
// and leaves DEAUTHORIZED; DeleteConnection answers DELETING and the
// connection is gone.

import (
	"context"
	"crypto/rand"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// OAuthAuthorizer fetches a client-credentials token; implemented by
// apidest.Client.
type OAuthAuthorizer interface {
	// Authorize obtains a token from the authorization endpoint of an OAuth
	// connection of scope s and caches it under the connection's TokenKey.
	Authorize(ctx context.Context, s catalog.Scope, v *catalog.Connection) error
	// Forget drops what is cached for connKey.
	Forget(connKey string)
}

// oauthTimeout bounds the token request a Create or Update makes.
const oauthTimeout = 10 * time.Second

// maxStateReason bounds the StateReason kept from a failed authorization.
const maxStateReason = 512

func authParamsInvalid(format string, args ...any) *Error {
	return Errorf(Validation, "Parameter AuthParameters is not valid. Reason: "+format, args...)
}

// authBlock is the AuthParameters member each authorization type needs.
var authBlock = map[string]string{
	wire.ConnectionAuthorizationTypeBasic:                  "BasicAuthParameters",
	wire.ConnectionAuthorizationTypeApiKey:                 "ApiKeyAuthParameters",
	wire.ConnectionAuthorizationTypeOauthClientCredentials: "OAuthParameters",
}

// checkBlocks enforces that AuthParameters holds the block of the
// authorization type and no other. required is false for an update that
// keeps its type: it may leave the block out.
func checkBlocks(authType string, basic, apiKey, oauth, required bool) error {
	given := map[string]bool{
		wire.ConnectionAuthorizationTypeBasic:                  basic,
		wire.ConnectionAuthorizationTypeApiKey:                 apiKey,
		wire.ConnectionAuthorizationTypeOauthClientCredentials: oauth,
	}
	for _, t := range wire.ConnectionAuthorizationTypeValues {
		if t != authType && given[t] {
			return authParamsInvalid("%s cannot be used with AuthorizationType %s.", authBlock[t], authType)
		}
	}
	if required && !given[authType] {
		return authParamsInvalid("%s is required for AuthorizationType %s.", authBlock[authType], authType)
	}
	return nil
}

// checkEndpoint accepts absolute http(s) URLs. AWS requires https;
// Switchyard also takes http so that local endpoints can be used.
func checkEndpoint(member, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Errorf(Validation, "Parameter %s is not valid. Reason: %s is not an https:// URL (Switchyard also accepts http:// URLs).", member, v)
	}
	return nil
}

// paramsIn converts request parameters. A secret parameter given without a
// value keeps the value it had under the same list and key in old, so that
// an update need not repeat secrets it does not change.
func paramsIn(in *wire.ConnectionHttpParameters, old *catalog.HTTPParameters) *catalog.HTTPParameters {
	if in == nil {
		return nil
	}
	var oh, oq, ob []catalog.Parameter
	if old != nil {
		oh, oq, ob = old.Headers, old.Query, old.Body
	}
	conv := func(n int, at func(int) (key, value *string, secret *bool), prev []catalog.Parameter) []catalog.Parameter {
		if n == 0 {
			return nil
		}
		out := make([]catalog.Parameter, 0, n)
		for i := range n {
			k, v, s := at(i)
			p := catalog.Parameter{Key: str(k), Value: str(v), Secret: s != nil && *s}
			if v == nil && p.Secret {
				for _, o := range prev {
					if o.Key == p.Key && o.Secret {
						p.Value = o.Value
					}
				}
			}
			out = append(out, p)
		}
		return out
	}
	out := &catalog.HTTPParameters{
		Headers: conv(len(in.HeaderParameters), func(i int) (*string, *string, *bool) {
			p := in.HeaderParameters[i]
			return p.Key, p.Value, p.IsValueSecret
		}, oh),
		Query: conv(len(in.QueryStringParameters), func(i int) (*string, *string, *bool) {
			p := in.QueryStringParameters[i]
			return p.Key, p.Value, p.IsValueSecret
		}, oq),
		Body: conv(len(in.BodyParameters), func(i int) (*string, *string, *bool) {
			p := in.BodyParameters[i]
			return p.Key, p.Value, p.IsValueSecret
		}, ob),
	}
	// Keep "given empty" apart from "not given": AWS returns the first as [].
	if in.HeaderParameters != nil && out.Headers == nil {
		out.Headers = []catalog.Parameter{}
	}
	if in.QueryStringParameters != nil && out.Query == nil {
		out.Query = []catalog.Parameter{}
	}
	if in.BodyParameters != nil && out.Body == nil {
		out.Body = []catalog.Parameter{}
	}
	return out
}

// paramsOut renders stored parameters without their secret values.
func paramsOut(p *catalog.HTTPParameters) *wire.ConnectionHttpParameters {
	if p == nil {
		return nil
	}
	value := func(q catalog.Parameter) *string {
		if q.Secret {
			return nil
		}
		return ptr(q.Value)
	}
	out := &wire.ConnectionHttpParameters{}
	if p.Headers != nil {
		out.HeaderParameters = make([]wire.ConnectionHeaderParameter, 0, len(p.Headers))
		for _, q := range p.Headers {
			out.HeaderParameters = append(out.HeaderParameters, wire.ConnectionHeaderParameter{Key: ptr(q.Key), Value: value(q), IsValueSecret: ptr(q.Secret)})
		}
	}
	if p.Query != nil {
		out.QueryStringParameters = make([]wire.ConnectionQueryStringParameter, 0, len(p.Query))
		for _, q := range p.Query {
			out.QueryStringParameters = append(out.QueryStringParameters, wire.ConnectionQueryStringParameter{Key: ptr(q.Key), Value: value(q), IsValueSecret: ptr(q.Secret)})
		}
	}
	if p.Body != nil {
		out.BodyParameters = make([]wire.ConnectionBodyParameter, 0, len(p.Body))
		for _, q := range p.Body {
			out.BodyParameters = append(out.BodyParameters, wire.ConnectionBodyParameter{Key: ptr(q.Key), Value: value(q), IsValueSecret: ptr(q.Secret)})
		}
	}
	return out
}

// clearSecrets drops every secret value of parameters.
func clearSecrets(p *catalog.HTTPParameters) {
	if p == nil {
		return
	}
	for _, l := range [][]catalog.Parameter{p.Headers, p.Query, p.Body} {
		for i := range l {
			if l[i].Secret {
				l[i].Value = ""
			}
		}
	}
}

// secretValues lists the secret values of a connection, to scrub them from
// error texts.
func secretValues(v *catalog.Connection) []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	params := func(p *catalog.HTTPParameters) {
		if p == nil {
			return
		}
		for _, l := range [][]catalog.Parameter{p.Headers, p.Query, p.Body} {
			for _, q := range l {
				if q.Secret {
					add(q.Value)
				}
			}
		}
	}
	if v.Basic != nil {
		add(v.Basic.Password)
	}
	if v.APIKey != nil {
		add(v.APIKey.Value)
	}
	if v.OAuth != nil {
		add(v.OAuth.ClientSecret)
		params(v.OAuth.HTTP)
	}
	params(v.Invocation)
	return out
}

// newSecretID returns "<uuid>-<6 chars>", the end of a SecretArn: Secrets
// Manager appends six random characters to a secret's name.
func newSecretID() string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var b [6]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return newRequestID() + "-" + string(b[:])
}

func secretARN(c *call, v *catalog.Connection) *string {
	if v.SecretID == "" {
		return nil
	}
	s := "arn:" + arn.Partition(c.scope.Region) + ":secretsmanager:" + c.scope.Region + ":" + c.scope.Account +
		":secret:events!connection/" + v.Name + "/" + v.SecretID
	return &s
}

// authComplete reports whether the connection holds every credential its
// authorization type needs (not so after DeauthorizeConnection).
func authComplete(v *catalog.Connection) bool {
	switch v.AuthorizationType {
	case wire.ConnectionAuthorizationTypeBasic:
		return v.Basic != nil && v.Basic.Password != ""
	case wire.ConnectionAuthorizationTypeApiKey:
		return v.APIKey != nil && v.APIKey.Value != ""
	case wire.ConnectionAuthorizationTypeOauthClientCredentials:
		return v.OAuth != nil && v.OAuth.ClientSecret != ""
	}
	return false
}

// authorize settles the state of v: AUTHORIZED when its credentials are
// complete (and, for OAuth, a token was obtained), DEAUTHORIZED with a
// StateReason otherwise. The token request runs inside the API request,
// bounded by oauthTimeout, and is not cut short by a client that hangs up:
// its outcome is what gets stored.
func (a *API) authorize(ctx context.Context, c *call, v *catalog.Connection, now time.Time) {
	deauthorized := func(reason string) {
		v.State, v.StateReason = catalog.ConnectionDeauthorized, &reason
	}
	if !authComplete(v) {
		deauthorized("The connection has no credentials: update it with its authorization parameters to authorize it.")
		return
	}
	if v.AuthorizationType == wire.ConnectionAuthorizationTypeOauthClientCredentials {
		if a.oauth == nil {
			deauthorized("OAuth authorization is not available on this server.")
			return
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), oauthTimeout)
		err := a.oauth.Authorize(fctx, c.scope, v)
		cancel()
		if err != nil {
			deauthorized(scrub("Failed to obtain an OAuth token from the authorization endpoint: "+err.Error(), secretValues(v)))
			return
		}
	}
	v.State, v.StateReason, v.LastAuthorized = catalog.ConnectionAuthorized, nil, &now
	if v.SecretID == "" {
		v.SecretID = newSecretID()
	}
}

// scrub removes secrets from a text and bounds its length. apidest's
// errors never hold the client secret; this is a second guard, also for
// secret parameter values. Values shorter than minScrub are left alone:
// replacing every "s" of a message would garble it and hide nothing.
func scrub(s string, secrets []string) string {
	const minScrub = 4
	for _, v := range secrets {
		if len(v) >= minScrub {
			s = strings.ReplaceAll(s, v, "***")
		}
	}
	if len(s) > maxStateReason {
		s = s[:maxStateReason-3] + "..."
	}
	return s
}

// responseState is the ConnectionState Create and Update answer: AWS
// reports an OAuth connection as AUTHORIZING while it fetches the token.
func responseState(v *catalog.Connection) *string {
	if v.AuthorizationType == wire.ConnectionAuthorizationTypeOauthClientCredentials && authComplete(v) {
		return ptr(wire.ConnectionStateAuthorizing)
	}
	return ptr(v.State)
}

func (a *API) createConnection(ctx context.Context, c *call, in *wire.CreateConnectionRequest) (*wire.CreateConnectionResponse, error) {
	name, authType, ap := *in.Name, *in.AuthorizationType, in.AuthParameters
	if err := checkBlocks(authType, ap.BasicAuthParameters != nil, ap.ApiKeyAuthParameters != nil, ap.OAuthParameters != nil, true); err != nil {
		return nil, err
	}
	v := &catalog.Connection{
		Name: name, UUID: newRequestID(), Description: in.Description, AuthorizationType: authType,
		Invocation: paramsIn(ap.InvocationHttpParameters, nil), KmsKeyIdentifier: in.KmsKeyIdentifier,
	}
	switch {
	case ap.BasicAuthParameters != nil:
		v.Basic = &catalog.BasicAuth{Username: *ap.BasicAuthParameters.Username, Password: *ap.BasicAuthParameters.Password}
	case ap.ApiKeyAuthParameters != nil:
		v.APIKey = &catalog.APIKeyAuth{Name: *ap.ApiKeyAuthParameters.ApiKeyName, Value: *ap.ApiKeyAuthParameters.ApiKeyValue}
	case ap.OAuthParameters != nil:
		o := ap.OAuthParameters
		if err := checkEndpoint("AuthorizationEndpoint", *o.AuthorizationEndpoint); err != nil {
			return nil, err
		}
		v.OAuth = &catalog.OAuthAuth{
			Endpoint: *o.AuthorizationEndpoint, Method: *o.HttpMethod,
			ClientID: *o.ClientParameters.ClientID, ClientSecret: *o.ClientParameters.ClientSecret,
			HTTP: paramsIn(o.OAuthHttpParameters, nil),
		}
	}
	if p := in.InvocationConnectivityParameters; p != nil && p.ResourceParameters != nil {
		v.ResourceConfigurationArn = p.ResourceParameters.ResourceConfigurationArn
	}
	if _, err := a.cat.Connection(ctx, c.scope, name); err == nil {
		return nil, Errorf(ResourceAlreadyExists, "Connection '%s' already exists.", name)
	} else if !errors.Is(err, catalog.ErrNotFound) {
		return nil, err
	}
	existing, err := a.cat.Connections(ctx, c.scope)
	if err != nil {
		return nil, err
	}
	if len(existing) >= a.limits.ConnectionsPerScope {
		return nil, limitExceeded()
	}
	now := time.Now().UTC()
	v.Created, v.Modified = now, now
	a.authorize(ctx, c, v, now)
	if err := a.cat.PutConnection(ctx, c.scope, v); err != nil {
		a.forget(c, v)
		return nil, err
	}
	all, err := a.cat.Connections(ctx, c.scope)
	if err := withinQuota(len(all), err, a.limits.ConnectionsPerScope, func() error {
		_, err := a.cat.DeleteConnection(ctx, c.scope, name)
		a.forget(c, v)
		return err
	}); err != nil {
		return nil, err
	}
	return &wire.CreateConnectionResponse{
		ConnectionArn: ptr(v.ARN(c.scope)), ConnectionState: responseState(v),
		CreationTime: ts(v.Created), LastModifiedTime: ts(v.Modified),
	}, nil
}

// forget drops what the authorizer caches for a connection (its type may
// have been OAuth before an update).
func (a *API) forget(c *call, v *catalog.Connection) {
	if a.oauth != nil {
		a.oauth.Forget(v.TokenKey(c.scope))
	}
}

func tsp(t *time.Time) *wire.Timestamp {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func (a *API) describeConnection(ctx context.Context, c *call, in *wire.DescribeConnectionRequest) (*wire.DescribeConnectionResponse, error) {
	v, err := a.cat.Connection(ctx, c.scope, *in.Name)
	if err != nil {
		return nil, err
	}
	ap := &wire.ConnectionAuthResponseParameters{InvocationHttpParameters: paramsOut(v.Invocation)}
	if v.Basic != nil {
		ap.BasicAuthParameters = &wire.ConnectionBasicAuthResponseParameters{Username: ptr(v.Basic.Username)}
	}
	if v.APIKey != nil {
		ap.ApiKeyAuthParameters = &wire.ConnectionApiKeyAuthResponseParameters{ApiKeyName: ptr(v.APIKey.Name)}
	}
	if o := v.OAuth; o != nil {
		ap.OAuthParameters = &wire.ConnectionOAuthResponseParameters{
			ClientParameters:      &wire.ConnectionOAuthClientResponseParameters{ClientID: ptr(o.ClientID)},
			AuthorizationEndpoint: ptr(o.Endpoint), HttpMethod: ptr(o.Method), OAuthHttpParameters: paramsOut(o.HTTP),
		}
	}
	out := &wire.DescribeConnectionResponse{
		ConnectionArn: ptr(v.ARN(c.scope)), Name: ptr(v.Name), Description: v.Description,
		ConnectionState: ptr(v.State), StateReason: v.StateReason, AuthorizationType: ptr(v.AuthorizationType),
		SecretArn: secretARN(c, v), KmsKeyIdentifier: v.KmsKeyIdentifier, AuthParameters: ap,
		CreationTime: ts(v.Created), LastModifiedTime: ts(v.Modified), LastAuthorizedTime: tsp(v.LastAuthorized),
	}
	if v.ResourceConfigurationArn != nil {
		out.InvocationConnectivityParameters = &wire.DescribeConnectionConnectivityParameters{
			ResourceParameters: &wire.DescribeConnectionResourceParameters{ResourceConfigurationArn: v.ResourceConfigurationArn},
		}
	}
	return out, nil
}

// applyUpdate changes v as UpdateConnection asks: every member given
// replaces the stored one, members left out are kept. Changing the
// authorization type needs the whole block of the new type and drops the
// old block.
func applyUpdate(v *catalog.Connection, in *wire.UpdateConnectionRequest) error {
	authType := v.AuthorizationType
	changed := in.AuthorizationType != nil && *in.AuthorizationType != authType
	if in.AuthorizationType != nil {
		authType = *in.AuthorizationType
	}
	ap := in.AuthParameters
	if ap == nil {
		ap = &wire.UpdateConnectionAuthRequestParameters{}
	}
	if err := checkBlocks(authType, ap.BasicAuthParameters != nil, ap.ApiKeyAuthParameters != nil, ap.OAuthParameters != nil, changed); err != nil {
		return err
	}
	if changed {
		v.AuthorizationType, v.Basic, v.APIKey, v.OAuth = authType, nil, nil, nil
	}
	missing := func(member string) error {
		return authParamsInvalid("%s is required when AuthorizationType changes to %s.", member, authType)
	}
	if b := ap.BasicAuthParameters; b != nil {
		if v.Basic == nil {
			if b.Username == nil || b.Password == nil {
				return missing("BasicAuthParameters.Username and Password")
			}
			v.Basic = &catalog.BasicAuth{}
		}
		if b.Username != nil {
			v.Basic.Username = *b.Username
		}
		if b.Password != nil {
			v.Basic.Password = *b.Password
		}
	}
	if k := ap.ApiKeyAuthParameters; k != nil {
		if v.APIKey == nil {
			if k.ApiKeyName == nil || k.ApiKeyValue == nil {
				return missing("ApiKeyAuthParameters.ApiKeyName and ApiKeyValue")
			}
			v.APIKey = &catalog.APIKeyAuth{}
		}
		if k.ApiKeyName != nil {
			v.APIKey.Name = *k.ApiKeyName
		}
		if k.ApiKeyValue != nil {
			v.APIKey.Value = *k.ApiKeyValue
		}
	}
	if o := ap.OAuthParameters; o != nil {
		if v.OAuth == nil {
			if o.AuthorizationEndpoint == nil || o.HttpMethod == nil || o.ClientParameters == nil ||
				o.ClientParameters.ClientID == nil || o.ClientParameters.ClientSecret == nil {
				return missing("OAuthParameters.AuthorizationEndpoint, HttpMethod and ClientParameters")
			}
			v.OAuth = &catalog.OAuthAuth{}
		}
		if o.AuthorizationEndpoint != nil {
			if err := checkEndpoint("AuthorizationEndpoint", *o.AuthorizationEndpoint); err != nil {
				return err
			}
			v.OAuth.Endpoint = *o.AuthorizationEndpoint
		}
		if o.HttpMethod != nil {
			v.OAuth.Method = *o.HttpMethod
		}
		if cp := o.ClientParameters; cp != nil {
			if cp.ClientID != nil {
				v.OAuth.ClientID = *cp.ClientID
			}
			if cp.ClientSecret != nil {
				v.OAuth.ClientSecret = *cp.ClientSecret
			}
		}
		if o.OAuthHttpParameters != nil {
			v.OAuth.HTTP = paramsIn(o.OAuthHttpParameters, v.OAuth.HTTP)
		}
	}
	if ap.InvocationHttpParameters != nil {
		v.Invocation = paramsIn(ap.InvocationHttpParameters, v.Invocation)
	}
	if in.Description != nil {
		v.Description = in.Description
		if *in.Description == "" {
			v.Description = nil
		}
	}
	if in.KmsKeyIdentifier != nil {
		v.KmsKeyIdentifier = in.KmsKeyIdentifier
		if *in.KmsKeyIdentifier == "" {
			v.KmsKeyIdentifier = nil
		}
	}
	if p := in.InvocationConnectivityParameters; p != nil && p.ResourceParameters != nil {
		v.ResourceConfigurationArn = p.ResourceParameters.ResourceConfigurationArn
	}
	return nil
}

func (a *API) updateConnection(ctx context.Context, c *call, in *wire.UpdateConnectionRequest) (*wire.UpdateConnectionResponse, error) {
	name := *in.Name
	cur, err := a.cat.Connection(ctx, c.scope, name)
	if err != nil {
		return nil, err
	}
	// Authorize the connection as the update leaves it, then store the
	// update with that outcome. The update is applied again to the latest
	// document, so that a concurrent change of other members is not lost.
	if err := applyUpdate(cur, in); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	a.forget(c, cur) // the token of the old credentials
	cur.Modified = now
	a.authorize(ctx, c, cur, now)
	v, err := a.cat.UpdateConnection(ctx, c.scope, name, func(v *catalog.Connection) error {
		if v.UUID != cur.UUID {
			return catalog.ErrNotFound // deleted and created again meanwhile
		}
		if err := applyUpdate(v, in); err != nil {
			return err
		}
		v.State, v.StateReason, v.LastAuthorized, v.SecretID, v.Modified = cur.State, cur.StateReason, cur.LastAuthorized, cur.SecretID, now
		if v.State == catalog.ConnectionAuthorized && !authComplete(v) {
			// Deauthorized meanwhile: the credentials authorized above are gone.
			a.authorize(ctx, c, v, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &wire.UpdateConnectionResponse{
		ConnectionArn: ptr(v.ARN(c.scope)), ConnectionState: responseState(v),
		CreationTime: ts(v.Created), LastModifiedTime: ts(v.Modified), LastAuthorizedTime: tsp(v.LastAuthorized),
	}, nil
}

func (a *API) deauthorizeConnection(ctx context.Context, c *call, in *wire.DeauthorizeConnectionRequest) (*wire.DeauthorizeConnectionResponse, error) {
	now := time.Now().UTC()
	var oldKey string
	v, err := a.cat.UpdateConnection(ctx, c.scope, *in.Name, func(v *catalog.Connection) error {
		oldKey = v.TokenKey(c.scope) // the key changes with Modified
		if v.Basic != nil {
			v.Basic.Password = ""
		}
		if v.APIKey != nil {
			v.APIKey.Value = ""
		}
		if v.OAuth != nil {
			v.OAuth.ClientSecret = ""
			clearSecrets(v.OAuth.HTTP)
		}
		clearSecrets(v.Invocation)
		v.SecretID = ""
		v.State, v.StateReason, v.Modified = catalog.ConnectionDeauthorized, nil, now
		return nil
	})
	if err != nil {
		return nil, err
	}
	if a.oauth != nil {
		a.oauth.Forget(oldKey)
	}
	return &wire.DeauthorizeConnectionResponse{
		ConnectionArn: ptr(v.ARN(c.scope)), ConnectionState: ptr(wire.ConnectionStateDeauthorizing),
		CreationTime: ts(v.Created), LastModifiedTime: ts(v.Modified), LastAuthorizedTime: tsp(v.LastAuthorized),
	}, nil
}

// deleteConnection removes a connection. AWS declares no error for a
// connection that API destinations still use (the model lists only
// ConcurrentModification, ResourceNotFound and Internal), so neither does
// Switchyard: those destinations stay, and their deliveries fail until
// they are updated to another connection.
func (a *API) deleteConnection(ctx context.Context, c *call, in *wire.DeleteConnectionRequest) (*wire.DeleteConnectionResponse, error) {
	v, err := a.cat.DeleteConnection(ctx, c.scope, *in.Name)
	if err != nil {
		return nil, err
	}
	a.forget(c, v)
	return &wire.DeleteConnectionResponse{
		ConnectionArn: ptr(v.ARN(c.scope)), ConnectionState: ptr(wire.ConnectionStateDeleting),
		CreationTime: ts(v.Created), LastModifiedTime: ts(v.Modified), LastAuthorizedTime: tsp(v.LastAuthorized),
	}, nil
}

func (a *API) listConnections(ctx context.Context, c *call, in *wire.ListConnectionsRequest) (*wire.ListConnectionsResponse, error) {
	vs, err := a.cat.Connections(ctx, c.scope)
	if err != nil {
		return nil, err
	}
	name := func(v *catalog.Connection) string { return v.Name }
	vs = filterPrefix(vs, name, in.NamePrefix)
	if in.ConnectionState != nil {
		kept := vs[:0:0]
		for _, v := range vs {
			if v.State == *in.ConnectionState {
				kept = append(kept, v)
			}
		}
		vs = kept
	}
	pg, next, err := page(vs, name, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &wire.ListConnectionsResponse{Connections: make([]wire.Connection, 0, len(pg)), NextToken: next}
	for _, v := range pg {
		out.Connections = append(out.Connections, wire.Connection{
			ConnectionArn: ptr(v.ARN(c.scope)), Name: ptr(v.Name), ConnectionState: ptr(v.State),
			StateReason: v.StateReason, AuthorizationType: ptr(v.AuthorizationType),
			CreationTime: ts(v.Created), LastModifiedTime: ts(v.Modified), LastAuthorizedTime: tsp(v.LastAuthorized),
		})
	}
	return out, nil
}
