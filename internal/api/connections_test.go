package api_test

// Connections and API destinations, driven by the SDK against the real
// handler. OAuth authorization runs against httptest token endpoints through
// the real apidest client, on a second server (oauthEnv) that has one; it
// also has small quotas for the limit tests.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/api"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/apidest"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

var (
	connARNRe   = regexp.MustCompile(`^arn:aws:events:us-east-1:(\d{12}):connection/([\.\-_A-Za-z0-9]+)/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	destARNRe   = regexp.MustCompile(`^arn:aws:events:us-east-1:(\d{12}):api-destination/([\.\-_A-Za-z0-9]+)/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	secretARNRe = regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:(\d{12}):secret:events!connection/([\.\-_A-Za-z0-9]+)/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[A-Za-z0-9]{6}$`)
)

var (
	oauthOnce sync.Once
	oauthURL  string
	oauthErr  error
)

// oauthLimits are the quotas of the OAuth server.
var oauthLimits = api.Limits{ConnectionsPerScope: 2, ApiDestinationsPerScope: 2}

// oauthEnv is newEnv on a server whose API has an OAuth authorizer (the
// real apidest client) and oauthLimits. It has a node and store of its own;
// they live as long as the test binary.
func oauthEnv(t *testing.T) *env {
	t.Helper()
	oauthOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		node, err := natsd.Open(ctx, natsd.Config{Memory: true})
		if err != nil {
			oauthErr = err
			return
		}
		st, err := natskv.Open(ctx, node.JetStream(), "apitest-oauth", node.StorageType())
		if err != nil {
			oauthErr = err
			return
		}
		cat, err := catalog.Open(ctx, st, nil)
		if err != nil {
			oauthErr = err
			return
		}
		srv := httptest.NewServer(api.New(api.Config{
			Catalog: cat, Auth: &api.OpenAuth{DefaultAccount: defaultAccount, DefaultRegion: region},
			Limits: oauthLimits, OAuth: apidest.New(apidest.Options{Timeout: 2 * time.Second}),
		}))
		oauthURL = srv.URL
	})
	if oauthErr != nil {
		fmt.Fprintln(os.Stderr, oauthErr)
		t.Fatal(oauthErr)
	}
	e := newEnv(t)
	e.c = newClientAt(oauthURL, e.acct)
	return e
}

// tokenServer is an OAuth token endpoint; answer writes each response.
type tokenServer struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []*http.Request
	forms []string
}

func newTokenServer(t *testing.T, answer func(w http.ResponseWriter)) *tokenServer {
	ts := &tokenServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		ts.mu.Lock()
		ts.reqs = append(ts.reqs, r)
		ts.forms = append(ts.forms, r.Form.Encode())
		ts.mu.Unlock()
		answer(w)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// seen returns the requests received so far and their forms.
func (ts *tokenServer) seen() ([]*http.Request, []string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]*http.Request(nil), ts.reqs...), append([]string(nil), ts.forms...)
}

func goodToken(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"access_token":"tok-123","token_type":"bearer","expires_in":3600}`))
}

func basicConn(name string) *eventbridge.CreateConnectionInput {
	return &eventbridge.CreateConnectionInput{
		Name: aws.String(name), AuthorizationType: types.ConnectionAuthorizationTypeBasic,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{
			BasicAuthParameters:      &types.CreateConnectionBasicAuthRequestParameters{Username: aws.String("user"), Password: aws.String("pass")},
			InvocationHttpParameters: &types.ConnectionHttpParameters{},
		},
	}
}

func oauthConn(name, endpoint, secret string) *eventbridge.CreateConnectionInput {
	return &eventbridge.CreateConnectionInput{
		Name: aws.String(name), AuthorizationType: types.ConnectionAuthorizationTypeOauthClientCredentials,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{
			OAuthParameters: &types.CreateConnectionOAuthRequestParameters{
				AuthorizationEndpoint: aws.String(endpoint), HttpMethod: types.ConnectionOAuthHttpMethodPost,
				ClientParameters: &types.CreateConnectionOAuthClientRequestParameters{ClientID: aws.String("client_id"), ClientSecret: aws.String(secret)},
				OAuthHttpParameters: &types.ConnectionHttpParameters{
					BodyParameters:        []types.ConnectionBodyParameter{{Key: aws.String("audience"), Value: aws.String("aud-secret-1"), IsValueSecret: true}},
					HeaderParameters:      []types.ConnectionHeaderParameter{{Key: aws.String("x-tenant"), Value: aws.String("t1"), IsValueSecret: false}},
					QueryStringParameters: []types.ConnectionQueryStringParameter{{Key: aws.String("scope"), Value: aws.String("events")}},
				},
			},
		},
	}
}

func wantState(t *testing.T, got types.ConnectionState, want types.ConnectionState) {
	t.Helper()
	if got != want {
		t.Errorf("ConnectionState = %s, want %s", got, want)
	}
}

func TestConnectionBasicLifecycle(t *testing.T) {
	e := newEnv(t)
	before := time.Now().Add(-time.Second)
	out := must(e.c.CreateConnection(e.ctx, basicConn("conn.1")))(t)
	wantState(t, out.ConnectionState, types.ConnectionStateAuthorized)
	m := connARNRe.FindStringSubmatch(aws.ToString(out.ConnectionArn))
	if m == nil || m[1] != e.acct || m[2] != "conn.1" {
		t.Fatalf("ConnectionArn = %s", aws.ToString(out.ConnectionArn))
	}
	if out.CreationTime == nil || out.CreationTime.Before(before) || !out.CreationTime.Equal(*out.LastModifiedTime) {
		t.Errorf("times: %v %v", out.CreationTime, out.LastModifiedTime)
	}

	// The describe shape recorded by AWS (test_update_connection).
	r := rawCall(t, e.acct, "DescribeConnection", `{"Name":"conn.1"}`)
	if r.status != 200 || strings.Contains(string(r.body), "pass") {
		t.Fatalf("describe: %d %s", r.status, r.body)
	}
	d := r.object(t)
	if got, _ := json.Marshal(d["AuthParameters"]); string(got) != `{"BasicAuthParameters":{"Username":"user"},"InvocationHttpParameters":{}}` {
		t.Errorf("AuthParameters = %s", got)
	}
	for _, k := range []string{"CreationTime", "LastModifiedTime", "LastAuthorizedTime"} {
		if _, ok := d[k].(float64); !ok {
			t.Errorf("%s = %v, want an epoch number", k, d[k])
		}
	}
	if d["ConnectionArn"] != aws.ToString(out.ConnectionArn) || d["Name"] != "conn.1" || d["AuthorizationType"] != "BASIC" || d["ConnectionState"] != "AUTHORIZED" {
		t.Errorf("describe = %v", d)
	}
	if _, ok := d["StateReason"]; ok {
		t.Errorf("StateReason on an authorized connection: %v", d["StateReason"])
	}
	sm := secretARNRe.FindStringSubmatch(fmt.Sprint(d["SecretArn"]))
	if sm == nil || sm[1] != e.acct || sm[2] != "conn.1" {
		t.Errorf("SecretArn = %v", d["SecretArn"])
	}

	// Update: only the given members change (recorded: AUTHORIZED with
	// LastAuthorizedTime).
	up := must(e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{
		Name: aws.String("conn.1"), AuthorizationType: types.ConnectionAuthorizationTypeBasic,
		AuthParameters: &types.UpdateConnectionAuthRequestParameters{
			BasicAuthParameters: &types.UpdateConnectionBasicAuthRequestParameters{Username: aws.String("new_user"), Password: aws.String("new_pass")},
		},
		Description: aws.String("described"),
	}))(t)
	wantState(t, up.ConnectionState, types.ConnectionStateAuthorized)
	if up.LastAuthorizedTime == nil || aws.ToString(up.ConnectionArn) != aws.ToString(out.ConnectionArn) {
		t.Errorf("update = %+v", up)
	}
	got := must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("conn.1")}))(t)
	if aws.ToString(got.AuthParameters.BasicAuthParameters.Username) != "new_user" || aws.ToString(got.Description) != "described" ||
		got.AuthParameters.InvocationHttpParameters == nil || aws.ToString(got.SecretArn) != d["SecretArn"] {
		t.Errorf("after update: %+v", got)
	}
	must(e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{Name: aws.String("conn.1"), Description: aws.String("")}))(t)
	got = must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("conn.1")}))(t)
	if got.Description != nil || aws.ToString(got.AuthParameters.BasicAuthParameters.Username) != "new_user" {
		t.Errorf("after clearing the description: %+v", got)
	}

	del := must(e.c.DeleteConnection(e.ctx, &eventbridge.DeleteConnectionInput{Name: aws.String("conn.1")}))(t)
	wantState(t, del.ConnectionState, types.ConnectionStateDeleting)
	if del.LastAuthorizedTime == nil || aws.ToString(del.ConnectionArn) != aws.ToString(out.ConnectionArn) {
		t.Errorf("delete = %+v", del)
	}
	_, err := e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("conn.1")})
	wantErr(t, err, "ResourceNotFoundException", "Failed to describe the connection(s). Connection 'conn.1' does not exist.")

	// Created again, it is a new connection with a new ARN.
	again := must(e.c.CreateConnection(e.ctx, basicConn("conn.1")))(t)
	if aws.ToString(again.ConnectionArn) == aws.ToString(out.ConnectionArn) {
		t.Error("a recreated connection kept its ARN")
	}
}

func TestConnectionErrors(t *testing.T) {
	e := newEnv(t)
	must(e.c.CreateConnection(e.ctx, basicConn("c")))(t)
	_, err := e.c.CreateConnection(e.ctx, basicConn("c"))
	wantErr(t, err, "ResourceAlreadyExistsException", "Connection 'c' already exists.")

	// Recorded: test_create_connection_invalid_parameters and
	// test_create_connection_name_validation.
	r := rawCall(t, e.acct, "CreateConnection", `{"Name":"x","AuthorizationType":"INVALID_AUTH_TYPE","AuthParameters":{}}`)
	if want := `{"__type":"ValidationException","message":"1 validation error detected: Value 'INVALID_AUTH_TYPE' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]"}`; r.status != 400 || string(r.body) != want {
		t.Errorf("invalid auth type: %d %s", r.status, r.body)
	}
	in := basicConn("Invalid Name With Spaces!")
	_, err = e.c.CreateConnection(e.ctx, in)
	wantErr(t, err, "ValidationException", validation("Invalid Name With Spaces!", "name", `Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`))
	r = rawCall(t, e.acct, "CreateConnection", `{"Name":"x","AuthorizationType":"BASIC"}`)
	if !strings.Contains(string(r.body), "Value null at 'authParameters' failed to satisfy constraint: Member must not be null") {
		t.Errorf("missing AuthParameters: %s", r.body)
	}
	// A sensitive value is not echoed.
	r = rawCall(t, e.acct, "CreateConnection", `{"Name":"x","AuthorizationType":"BASIC","AuthParameters":{"BasicAuthParameters":{"Username":"u","Password":"bad\u0001secret"}}}`)
	if r.status != 400 || strings.Contains(string(r.body), "secret") || !strings.Contains(string(r.body), "Value at 'authParameters.basicAuthParameters.password'") {
		t.Errorf("invalid password: %s", r.body)
	}

	// The AuthParameters block must be the one of the AuthorizationType.
	_, err = e.c.CreateConnection(e.ctx, &eventbridge.CreateConnectionInput{
		Name: aws.String("x"), AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{
			BasicAuthParameters: &types.CreateConnectionBasicAuthRequestParameters{Username: aws.String("u"), Password: aws.String("p")},
		},
	})
	wantErr(t, err, "ValidationException", "Parameter AuthParameters is not valid. Reason: BasicAuthParameters cannot be used with AuthorizationType API_KEY.")
	_, err = e.c.CreateConnection(e.ctx, &eventbridge.CreateConnectionInput{
		Name: aws.String("x"), AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{InvocationHttpParameters: &types.ConnectionHttpParameters{}},
	})
	wantErr(t, err, "ValidationException", "Parameter AuthParameters is not valid. Reason: ApiKeyAuthParameters is required for AuthorizationType API_KEY.")
	_, err = e.c.CreateConnection(e.ctx, oauthConn("x", "ftp://example.com/token", "s"))
	wantErr(t, err, "ValidationException", "Parameter AuthorizationEndpoint is not valid. Reason: ftp://example.com/token is not an https:// URL (Switchyard also accepts http:// URLs).")

	// Update: a type change needs the whole new block.
	_, err = e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{Name: aws.String("c"), AuthorizationType: types.ConnectionAuthorizationTypeApiKey})
	wantErr(t, err, "ValidationException", "Parameter AuthParameters is not valid. Reason: ApiKeyAuthParameters is required for AuthorizationType API_KEY.")
	_, err = e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{
		Name: aws.String("c"), AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &types.UpdateConnectionAuthRequestParameters{ApiKeyAuthParameters: &types.UpdateConnectionApiKeyAuthRequestParameters{ApiKeyName: aws.String("k")}},
	})
	wantErr(t, err, "ValidationException", "Parameter AuthParameters is not valid. Reason: ApiKeyAuthParameters.ApiKeyName and ApiKeyValue is required when AuthorizationType changes to API_KEY.")
	_, err = e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{
		Name:           aws.String("c"),
		AuthParameters: &types.UpdateConnectionAuthRequestParameters{ApiKeyAuthParameters: &types.UpdateConnectionApiKeyAuthRequestParameters{ApiKeyName: aws.String("k")}},
	})
	wantErr(t, err, "ValidationException", "Parameter AuthParameters is not valid. Reason: ApiKeyAuthParameters cannot be used with AuthorizationType BASIC.")
	up := must(e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{
		Name: aws.String("c"), AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &types.UpdateConnectionAuthRequestParameters{ApiKeyAuthParameters: &types.UpdateConnectionApiKeyAuthRequestParameters{ApiKeyName: aws.String("k"), ApiKeyValue: aws.String("v")}},
	}))(t)
	wantState(t, up.ConnectionState, types.ConnectionStateAuthorized)
	got := must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("c")}))(t)
	if got.AuthorizationType != types.ConnectionAuthorizationTypeApiKey || got.AuthParameters.BasicAuthParameters != nil ||
		aws.ToString(got.AuthParameters.ApiKeyAuthParameters.ApiKeyName) != "k" {
		t.Errorf("after a type change: %+v", got.AuthParameters)
	}

	for op, msg := range map[string]string{
		"DescribeConnection":    "Failed to describe the connection(s). Connection 'nope' does not exist.",
		"UpdateConnection":      "Failed to update the connection(s). Connection 'nope' does not exist.",
		"DeleteConnection":      "Failed to delete the connection(s). Connection 'nope' does not exist.",
		"DeauthorizeConnection": "Failed to deauthorize the connection(s). Connection 'nope' does not exist.",
	} {
		r := rawCall(t, e.acct, op, `{"Name":"nope"}`)
		if want := `{"__type":"ResourceNotFoundException","message":"` + msg + `"}`; r.status != 400 || string(r.body) != want {
			t.Errorf("%s: %d %s", op, r.status, r.body)
		}
	}
	// Another account does not see the connection.
	_, err = newClient(newAccount()).DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("c")})
	wantErr(t, err, "ResourceNotFoundException", "Failed to describe the connection(s). Connection 'c' does not exist.")
}

// TestConnectionSecretsNeverReturned sends secrets of every kind and checks
// every raw response body for them.
func TestConnectionSecretsNeverReturned(t *testing.T) {
	e := newEnv(t)
	secrets := []string{"pw-SECRET", "key-SECRET", "hdr-SECRET", "qry-SECRET", "body-SECRET", "pw2-SECRET"}
	check := func(op string, r rawResponse) {
		t.Helper()
		if r.status != 200 {
			t.Fatalf("%s: %d %s", op, r.status, r.body)
		}
		for _, s := range secrets {
			if strings.Contains(string(r.body), s) {
				t.Errorf("%s returned secret %q: %s", op, s, r.body)
			}
		}
	}
	params := `"InvocationHttpParameters":{
		"HeaderParameters":[{"Key":"x-secret","Value":"hdr-SECRET","IsValueSecret":true},{"Key":"x-plain","Value":"plain-h","IsValueSecret":false}],
		"QueryStringParameters":[{"Key":"q","Value":"qry-SECRET","IsValueSecret":true}],
		"BodyParameters":[{"Key":"b","Value":"body-SECRET","IsValueSecret":true},{"Key":"b2","Value":"plain-b"}]}`
	check("CreateConnection", rawCall(t, e.acct, "CreateConnection", `{"Name":"k","AuthorizationType":"API_KEY",
		"AuthParameters":{"ApiKeyAuthParameters":{"ApiKeyName":"x-api-key","ApiKeyValue":"key-SECRET"},`+params+`}}`))
	check("CreateConnection", rawCall(t, e.acct, "CreateConnection", `{"Name":"b","AuthorizationType":"BASIC",
		"AuthParameters":{"BasicAuthParameters":{"Username":"u","Password":"pw-SECRET"}}}`))
	r := rawCall(t, e.acct, "DescribeConnection", `{"Name":"k"}`)
	check("DescribeConnection", r)
	var d struct {
		AuthParameters struct {
			ApiKeyAuthParameters     map[string]any
			InvocationHttpParameters map[string][]map[string]any
		}
	}
	if err := json.Unmarshal(r.body, &d); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(d.AuthParameters.ApiKeyAuthParameters) != "map[ApiKeyName:x-api-key]" {
		t.Errorf("ApiKeyAuthParameters = %v", d.AuthParameters.ApiKeyAuthParameters)
	}
	hp := d.AuthParameters.InvocationHttpParameters
	if fmt.Sprint(hp["HeaderParameters"]) != "[map[IsValueSecret:true Key:x-secret] map[IsValueSecret:false Key:x-plain Value:plain-h]]" ||
		fmt.Sprint(hp["QueryStringParameters"]) != "[map[IsValueSecret:true Key:q]]" ||
		fmt.Sprint(hp["BodyParameters"]) != "[map[IsValueSecret:true Key:b] map[IsValueSecret:false Key:b2 Value:plain-b]]" {
		t.Errorf("InvocationHttpParameters = %v", hp)
	}
	check("DescribeConnection", rawCall(t, e.acct, "DescribeConnection", `{"Name":"b"}`))
	check("ListConnections", rawCall(t, e.acct, "ListConnections", `{}`))
	check("UpdateConnection", rawCall(t, e.acct, "UpdateConnection", `{"Name":"b","AuthParameters":{"BasicAuthParameters":{"Password":"pw2-SECRET"}}}`))
	check("DescribeConnection", rawCall(t, e.acct, "DescribeConnection", `{"Name":"b"}`))
	check("DeauthorizeConnection", rawCall(t, e.acct, "DeauthorizeConnection", `{"Name":"k"}`))
	check("DescribeConnection", rawCall(t, e.acct, "DescribeConnection", `{"Name":"k"}`))
	check("DeleteConnection", rawCall(t, e.acct, "DeleteConnection", `{"Name":"b"}`))
}

func TestDeauthorizeConnection(t *testing.T) {
	e := newEnv(t)
	must(e.c.CreateConnection(e.ctx, basicConn("c")))(t)
	first := must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("c")}))(t)
	out := must(e.c.DeauthorizeConnection(e.ctx, &eventbridge.DeauthorizeConnectionInput{Name: aws.String("c")}))(t)
	wantState(t, out.ConnectionState, types.ConnectionStateDeauthorizing)
	if out.LastAuthorizedTime == nil || aws.ToString(out.ConnectionArn) != aws.ToString(first.ConnectionArn) {
		t.Errorf("deauthorize = %+v", out)
	}
	got := must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("c")}))(t)
	wantState(t, got.ConnectionState, types.ConnectionStateDeauthorized)
	if got.SecretArn != nil || aws.ToString(got.AuthParameters.BasicAuthParameters.Username) != "user" {
		t.Errorf("deauthorized connection: secret %v, auth %+v", aws.ToString(got.SecretArn), got.AuthParameters)
	}
	// An update without the password keeps it deauthorized, with a reason.
	up := must(e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{Name: aws.String("c"), Description: aws.String("d")}))(t)
	wantState(t, up.ConnectionState, types.ConnectionStateDeauthorized)
	got = must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("c")}))(t)
	if !strings.Contains(aws.ToString(got.StateReason), "no credentials") {
		t.Errorf("StateReason = %q", aws.ToString(got.StateReason))
	}
	// Giving the password again authorizes it, with a new secret.
	up = must(e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{
		Name:           aws.String("c"),
		AuthParameters: &types.UpdateConnectionAuthRequestParameters{BasicAuthParameters: &types.UpdateConnectionBasicAuthRequestParameters{Password: aws.String("p2")}},
	}))(t)
	wantState(t, up.ConnectionState, types.ConnectionStateAuthorized)
	got = must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("c")}))(t)
	if got.StateReason != nil || got.SecretArn == nil || aws.ToString(got.SecretArn) == aws.ToString(first.SecretArn) {
		t.Errorf("reauthorized: reason %q, secret %q (first %q)", aws.ToString(got.StateReason), aws.ToString(got.SecretArn), aws.ToString(first.SecretArn))
	}
}

func TestListConnections(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"b-2", "a-1", "a-3", "a-2", "c"} {
		must(e.c.CreateConnection(e.ctx, basicConn(n)))(t)
	}
	must(e.c.DeauthorizeConnection(e.ctx, &eventbridge.DeauthorizeConnectionInput{Name: aws.String("a-2")}))(t)
	names := func(cs []types.Connection) string {
		var out []string
		for _, c := range cs {
			out = append(out, aws.ToString(c.Name))
		}
		return strings.Join(out, ",")
	}
	all := must(e.c.ListConnections(e.ctx, &eventbridge.ListConnectionsInput{}))(t)
	if names(all.Connections) != "a-1,a-2,a-3,b-2,c" || all.NextToken != nil {
		t.Fatalf("list = %s", names(all.Connections))
	}
	// The item shape recorded by AWS (test_list_connections).
	c := all.Connections[0]
	if c.AuthorizationType != types.ConnectionAuthorizationTypeBasic || c.ConnectionState != types.ConnectionStateAuthorized ||
		c.CreationTime == nil || c.LastModifiedTime == nil || c.LastAuthorizedTime == nil || !connARNRe.MatchString(aws.ToString(c.ConnectionArn)) {
		t.Errorf("item = %+v", c)
	}
	pre := must(e.c.ListConnections(e.ctx, &eventbridge.ListConnectionsInput{NamePrefix: aws.String("a-")}))(t)
	if names(pre.Connections) != "a-1,a-2,a-3" {
		t.Errorf("NamePrefix a-: %s", names(pre.Connections))
	}
	st := must(e.c.ListConnections(e.ctx, &eventbridge.ListConnectionsInput{ConnectionState: types.ConnectionStateDeauthorized}))(t)
	if names(st.Connections) != "a-2" {
		t.Errorf("DEAUTHORIZED: %s", names(st.Connections))
	}
	var pages []string
	var tok *string
	for {
		p := must(e.c.ListConnections(e.ctx, &eventbridge.ListConnectionsInput{Limit: aws.Int32(2), NextToken: tok}))(t)
		pages = append(pages, names(p.Connections))
		if tok = p.NextToken; tok == nil {
			break
		}
	}
	if strings.Join(pages, "|") != "a-1,a-2|a-3,b-2|c" {
		t.Errorf("pages = %v", pages)
	}
	_, err := e.c.ListConnections(e.ctx, &eventbridge.ListConnectionsInput{NextToken: aws.String("bogus")})
	wantErr(t, err, "ValidationException", "The NextToken provided is invalid.")
	r := rawCall(t, e.acct, "ListConnections", `{"ConnectionState":"NOPE"}`)
	if !strings.Contains(string(r.body), "Value 'NOPE' at 'connectionState' failed to satisfy constraint: Member must satisfy enum value set: [CREATING, UPDATING, DELETING, AUTHORIZED, DEAUTHORIZED, AUTHORIZING, DEAUTHORIZING, ACTIVE, FAILED_CONNECTIVITY]") {
		t.Errorf("bad state filter: %s", r.body)
	}
	empty := rawCall(t, newAccount(), "ListConnections", `{}`)
	if string(empty.body) != `{"Connections":[]}` {
		t.Errorf("empty list: %s", empty.body)
	}
}

func TestOAuthConnectionAuthorized(t *testing.T) {
	e := oauthEnv(t)
	ts := newTokenServer(t, goodToken)
	out := must(e.c.CreateConnection(e.ctx, oauthConn("o", ts.URL+"/token", "client-SECRET")))(t)
	// AWS answers AUTHORIZING (recorded); the token was fetched meanwhile.
	wantState(t, out.ConnectionState, types.ConnectionStateAuthorizing)
	got := must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("o")}))(t)
	wantState(t, got.ConnectionState, types.ConnectionStateAuthorized)
	if got.LastAuthorizedTime == nil || got.StateReason != nil {
		t.Errorf("authorized: %v %q", got.LastAuthorizedTime, aws.ToString(got.StateReason))
	}
	o := got.AuthParameters.OAuthParameters
	if aws.ToString(o.AuthorizationEndpoint) != ts.URL+"/token" || o.HttpMethod != types.ConnectionOAuthHttpMethodPost ||
		aws.ToString(o.ClientParameters.ClientID) != "client_id" || o.OAuthHttpParameters.BodyParameters[0].Value != nil ||
		aws.ToString(o.OAuthHttpParameters.HeaderParameters[0].Value) != "t1" {
		t.Errorf("OAuthParameters = %+v", o)
	}
	reqs, forms := ts.seen()
	if len(reqs) != 1 {
		t.Fatalf("%d token requests", len(reqs))
	}
	req := reqs[0]
	if id, secret, ok := req.BasicAuth(); !ok || id != "client_id" || secret != "client-SECRET" || req.Method != http.MethodPost ||
		req.Header.Get("x-tenant") != "t1" || req.URL.Query().Get("scope") != "events" ||
		!strings.Contains(forms[0], "audience=aud-secret-1") || !strings.Contains(forms[0], "grant_type=client_credentials") {
		t.Errorf("token request: %s %s %v form %s", req.Method, req.URL, req.Header, forms[0])
	}
	raw := rawCallAt(t, oauthURL, e.acct, "DescribeConnection", `{"Name":"o"}`)
	for _, s := range []string{"client-SECRET", "aud-secret-1", "tok-123"} {
		if strings.Contains(string(raw.body), s) {
			t.Errorf("describe returned %q: %s", s, raw.body)
		}
	}

	// Update with a new secret: AUTHORIZING again, a new token request.
	up := must(e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{
		Name: aws.String("o"),
		AuthParameters: &types.UpdateConnectionAuthRequestParameters{OAuthParameters: &types.UpdateConnectionOAuthRequestParameters{
			ClientParameters: &types.UpdateConnectionOAuthClientRequestParameters{ClientSecret: aws.String("client-SECRET-2")},
		}},
	}))(t)
	wantState(t, up.ConnectionState, types.ConnectionStateAuthorizing)
	reqs, forms = ts.seen()
	if _, secret, _ := reqs[len(reqs)-1].BasicAuth(); len(reqs) != 2 || secret != "client-SECRET-2" ||
		!strings.Contains(forms[1], "audience=aud-secret-1") {
		t.Errorf("token requests after update: %d, last secret %q, form %s", len(reqs), secret, forms[len(forms)-1])
	}
	got = must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("o")}))(t)
	wantState(t, got.ConnectionState, types.ConnectionStateAuthorized)

	// Deauthorize, then a description-only update cannot authorize it.
	must(e.c.DeauthorizeConnection(e.ctx, &eventbridge.DeauthorizeConnectionInput{Name: aws.String("o")}))(t)
	up = must(e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{Name: aws.String("o"), Description: aws.String("x")}))(t)
	wantState(t, up.ConnectionState, types.ConnectionStateDeauthorized)
	if reqs, _ = ts.seen(); len(reqs) != 2 {
		t.Errorf("a connection without a secret asked for a token")
	}
	del := must(e.c.DeleteConnection(e.ctx, &eventbridge.DeleteConnectionInput{Name: aws.String("o")}))(t)
	wantState(t, del.ConnectionState, types.ConnectionStateDeleting)
}

func TestOAuthConnectionDeauthorized(t *testing.T) {
	e := oauthEnv(t)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	cases := map[string]struct {
		endpoint string
		reason   string
	}{
		"401":     {newTokenServer(t, func(w http.ResponseWriter) { http.Error(w, "client-SECRET is wrong", http.StatusUnauthorized) }).URL, "401"},
		"garbage": {newTokenServer(t, func(w http.ResponseWriter) { _, _ = w.Write([]byte("<html>client-SECRET</html>")) }).URL, "token"},
		"down":    {downURL, "Failed to obtain an OAuth token"},
	}
	for name, tc := range cases {
		out := must(e.c.CreateConnection(e.ctx, oauthConn(name, tc.endpoint+"/token", "client-SECRET")))(t)
		wantState(t, out.ConnectionState, types.ConnectionStateAuthorizing)
		got := must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String(name)}))(t)
		reason := aws.ToString(got.StateReason)
		t.Logf("%s: StateReason %q", name, reason)
		if got.ConnectionState != types.ConnectionStateDeauthorized || !strings.Contains(reason, tc.reason) ||
			strings.Contains(reason, "client-SECRET") || got.LastAuthorizedTime != nil {
			t.Errorf("%s: state %s, reason %q, last authorized %v", name, got.ConnectionState, reason, got.LastAuthorizedTime)
		}
		list := must(e.c.ListConnections(e.ctx, &eventbridge.ListConnectionsInput{NamePrefix: aws.String(name)}))(t)
		if len(list.Connections) != 1 || aws.ToString(list.Connections[0].StateReason) != reason {
			t.Errorf("%s: list = %+v", name, list.Connections)
		}
		must(e.c.DeleteConnection(e.ctx, &eventbridge.DeleteConnectionInput{Name: aws.String(name)}))(t)
	}
	// Fixing the endpoint with an update authorizes the connection.
	must(e.c.CreateConnection(e.ctx, oauthConn("fix", downURL+"/token", "s")))(t)
	ok := newTokenServer(t, goodToken)
	must(e.c.UpdateConnection(e.ctx, &eventbridge.UpdateConnectionInput{
		Name: aws.String("fix"),
		AuthParameters: &types.UpdateConnectionAuthRequestParameters{OAuthParameters: &types.UpdateConnectionOAuthRequestParameters{
			AuthorizationEndpoint: aws.String(ok.URL + "/token"),
		}},
	}))(t)
	got := must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("fix")}))(t)
	if got.ConnectionState != types.ConnectionStateAuthorized || got.StateReason != nil || got.LastAuthorizedTime == nil {
		t.Errorf("after fixing the endpoint: %s %q", got.ConnectionState, aws.ToString(got.StateReason))
	}
}

// Without an authorizer, an OAuth connection ends DEAUTHORIZED at once.
func TestOAuthWithoutAuthorizer(t *testing.T) {
	e := newEnv(t)
	out := must(e.c.CreateConnection(e.ctx, oauthConn("o", "https://example.com/oauth", "s")))(t)
	wantState(t, out.ConnectionState, types.ConnectionStateAuthorizing)
	got := must(e.c.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("o")}))(t)
	if got.ConnectionState != types.ConnectionStateDeauthorized || got.StateReason == nil {
		t.Errorf("state %s reason %q", got.ConnectionState, aws.ToString(got.StateReason))
	}
}

func TestConnectionAndDestinationLimits(t *testing.T) {
	e := oauthEnv(t)
	a := must(e.c.CreateConnection(e.ctx, basicConn("a")))(t)
	must(e.c.CreateConnection(e.ctx, basicConn("b")))(t)
	_, err := e.c.CreateConnection(e.ctx, basicConn("c"))
	wantErr(t, err, "LimitExceededException", limitExceeded)
	for _, n := range []string{"d1", "d2"} {
		must(e.c.CreateApiDestination(e.ctx, destIn(n, aws.ToString(a.ConnectionArn))))(t)
	}
	_, err = e.c.CreateApiDestination(e.ctx, destIn("d3", aws.ToString(a.ConnectionArn)))
	wantErr(t, err, "LimitExceededException", limitExceeded)
	must(e.c.DeleteApiDestination(e.ctx, &eventbridge.DeleteApiDestinationInput{Name: aws.String("d1")}))(t)
	must(e.c.CreateApiDestination(e.ctx, destIn("d3", aws.ToString(a.ConnectionArn))))(t)
}

func destIn(name, connARN string) *eventbridge.CreateApiDestinationInput {
	return &eventbridge.CreateApiDestinationInput{
		Name: aws.String(name), ConnectionArn: aws.String(connARN), HttpMethod: types.ApiDestinationHttpMethodPost,
		InvocationEndpoint: aws.String("https://example.com/api"), Description: aws.String("Test API destination"),
	}
}

// TestApiDestinationLifecycle follows test_api_destinations of the AWS
// recordings.
func TestApiDestinationLifecycle(t *testing.T) {
	e := newEnv(t)
	conn := aws.ToString(must(e.c.CreateConnection(e.ctx, basicConn("c")))(t).ConnectionArn)
	out := must(e.c.CreateApiDestination(e.ctx, destIn("dest.1", conn)))(t)
	if out.ApiDestinationState != types.ApiDestinationStateActive || out.CreationTime == nil || out.LastModifiedTime == nil {
		t.Errorf("create = %+v", out)
	}
	destARN := aws.ToString(out.ApiDestinationArn)
	if m := destARNRe.FindStringSubmatch(destARN); m == nil || m[1] != e.acct || m[2] != "dest.1" {
		t.Fatalf("ApiDestinationArn = %s", destARN)
	}
	r := rawCall(t, e.acct, "DescribeApiDestination", `{"Name":"dest.1"}`)
	d := r.object(t)
	delete(d, "CreationTime")
	delete(d, "LastModifiedTime")
	want := map[string]any{
		"ApiDestinationArn": destARN, "ApiDestinationState": "ACTIVE", "ConnectionArn": conn, "Description": "Test API destination",
		"HttpMethod": "POST", "InvocationEndpoint": "https://example.com/api", "InvocationRateLimitPerSecond": float64(300), "Name": "dest.1",
	}
	if fmt.Sprint(d) != fmt.Sprint(want) {
		t.Errorf("describe:\n got  %v\n want %v", d, want)
	}
	list := rawCall(t, e.acct, "ListApiDestinations", `{"NamePrefix":"dest"}`).object(t)
	items, _ := list["ApiDestinations"].([]any)
	if len(items) != 1 {
		t.Fatalf("list = %v", list)
	}
	item := items[0].(map[string]any)
	delete(item, "CreationTime")
	delete(item, "LastModifiedTime")
	delete(want, "Description") // list items have none (recorded)
	if fmt.Sprint(item) != fmt.Sprint(want) {
		t.Errorf("list item:\n got  %v\n want %v", item, want)
	}
	up := must(e.c.UpdateApiDestination(e.ctx, &eventbridge.UpdateApiDestinationInput{
		Name: aws.String("dest.1"), ConnectionArn: aws.String(conn), HttpMethod: types.ApiDestinationHttpMethodPut,
		InvocationEndpoint: aws.String("https://example.com/api/v2"), Description: aws.String("Updated API destination"),
	}))(t)
	if up.ApiDestinationState != types.ApiDestinationStateActive || aws.ToString(up.ApiDestinationArn) != destARN {
		t.Errorf("update = %+v", up)
	}
	got := must(e.c.DescribeApiDestination(e.ctx, &eventbridge.DescribeApiDestinationInput{Name: aws.String("dest.1")}))(t)
	if got.HttpMethod != types.ApiDestinationHttpMethodPut || aws.ToString(got.InvocationEndpoint) != "https://example.com/api/v2" ||
		aws.ToString(got.Description) != "Updated API destination" || aws.ToInt32(got.InvocationRateLimitPerSecond) != 300 {
		t.Errorf("after update: %+v", got)
	}
	must(e.c.UpdateApiDestination(e.ctx, &eventbridge.UpdateApiDestinationInput{Name: aws.String("dest.1"), InvocationRateLimitPerSecond: aws.Int32(7)}))(t)
	got = must(e.c.DescribeApiDestination(e.ctx, &eventbridge.DescribeApiDestinationInput{Name: aws.String("dest.1")}))(t)
	if aws.ToInt32(got.InvocationRateLimitPerSecond) != 7 || got.HttpMethod != types.ApiDestinationHttpMethodPut {
		t.Errorf("after a partial update: %+v", got)
	}
	if r := rawCall(t, e.acct, "DeleteApiDestination", `{"Name":"dest.1"}`); r.status != 200 || string(r.body) != `{}` {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
	_, err := e.c.DescribeApiDestination(e.ctx, &eventbridge.DescribeApiDestinationInput{Name: aws.String("dest.1")})
	wantErr(t, err, "ResourceNotFoundException", "Failed to describe the api-destination(s). An api-destination 'dest.1' does not exist.")
}

func TestApiDestinationErrors(t *testing.T) {
	e := newEnv(t)
	conn := aws.ToString(must(e.c.CreateConnection(e.ctx, basicConn("c")))(t).ConnectionArn)
	must(e.c.CreateApiDestination(e.ctx, destIn("d", conn)))(t)
	_, err := e.c.CreateApiDestination(e.ctx, destIn("d", conn))
	wantErr(t, err, "ResourceAlreadyExistsException", "An api-destination 'd' already exists.")

	// Recorded: test_create_api_destination_invalid_parameters (2 errors)
	// and test_create_api_destination_name_validation (1 error).
	const arnPattern = `Member must satisfy regular expression pattern: ^arn:aws([a-z]|\-)*:events:([a-z]|\d|\-)*:([0-9]{12})?:connection\/[\.\-_A-Za-z0-9]+\/[\-A-Za-z0-9]+$`
	const methods = `Member must satisfy enum value set: [HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS]`
	r := rawCall(t, e.acct, "CreateApiDestination", `{"Name":"x","ConnectionArn":"invalid-connection-arn","HttpMethod":"INVALID_METHOD","InvocationEndpoint":"invalid-endpoint"}`)
	if want := `{"__type":"ValidationException","message":"2 validation errors detected: Value 'invalid-connection-arn' at 'connectionArn' failed to satisfy constraint: ` +
		strings.ReplaceAll(arnPattern, `\`, `\\`) + `; Value 'INVALID_METHOD' at 'httpMethod' failed to satisfy constraint: ` + methods + `"}`; string(r.body) != want {
		t.Errorf("invalid parameters:\n got  %s\n want %s", r.body, want)
	}
	in := destIn("Invalid Name With Spaces!", conn)
	_, err = e.c.CreateApiDestination(e.ctx, in)
	wantErr(t, err, "ValidationException", validation("Invalid Name With Spaces!", "name", namePattern))
	_, err = e.c.CreateApiDestination(e.ctx, &eventbridge.CreateApiDestinationInput{
		Name: aws.String("Invalid Name With Spaces!"), ConnectionArn: aws.String("invalid-connection-arn"),
		HttpMethod: "INVALID_METHOD", InvocationEndpoint: aws.String("https://example.com"),
	})
	wantErr(t, err, "ValidationException", "3 validation errors detected: "+
		"Value 'Invalid Name With Spaces!' at 'name' failed to satisfy constraint: "+namePattern+
		"; Value 'invalid-connection-arn' at 'connectionArn' failed to satisfy constraint: "+arnPattern+
		"; Value 'INVALID_METHOD' at 'httpMethod' failed to satisfy constraint: "+methods)

	// Endpoints: https, and http for local setups; nothing else.
	for ep, ok := range map[string]bool{"http://localhost:8080/hook": true, "https://example.com/*/x": true, "invalid-endpoint": false, "ftp://example.com/x": false} {
		in := destIn("ep", conn)
		in.InvocationEndpoint = aws.String(ep)
		_, err := e.c.CreateApiDestination(e.ctx, in)
		if ok {
			must(0, err)(t)
			must(e.c.DeleteApiDestination(e.ctx, &eventbridge.DeleteApiDestinationInput{Name: aws.String("ep")}))(t)
		} else {
			wantErr(t, err, "ValidationException", "Parameter InvocationEndpoint is not valid. Reason: "+ep+" is not an https:// URL (Switchyard also accepts http:// URLs).")
		}
	}

	// The connection must exist, in this account and region.
	missing := strings.Replace(conn, ":connection/c/", ":connection/gone/", 1)
	_, err = e.c.CreateApiDestination(e.ctx, destIn("x", missing))
	wantErr(t, err, "ResourceNotFoundException", "Connection 'gone' does not exist.")
	otherUUID := conn[:len(conn)-4] + "ffff"
	_, err = e.c.CreateApiDestination(e.ctx, destIn("x", otherUUID))
	wantErr(t, err, "ResourceNotFoundException", "Connection 'c' does not exist.")
	otherAcct := strings.Replace(conn, e.acct, "123456789012", 1)
	_, err = e.c.CreateApiDestination(e.ctx, destIn("x", otherAcct))
	wantErr(t, err, "ResourceNotFoundException", "Connection 'c' does not exist.")
	_, err = e.c.UpdateApiDestination(e.ctx, &eventbridge.UpdateApiDestinationInput{Name: aws.String("d"), ConnectionArn: aws.String(missing)})
	wantErr(t, err, "ResourceNotFoundException", "Connection 'gone' does not exist.")

	for op, msg := range map[string]string{
		"DescribeApiDestination": "Failed to describe the api-destination(s). An api-destination 'nope' does not exist.",
		"UpdateApiDestination":   "Failed to update the api-destination(s). An api-destination 'nope' does not exist.",
		"DeleteApiDestination":   "Failed to delete the api-destination(s). An api-destination 'nope' does not exist.",
	} {
		r := rawCall(t, e.acct, op, `{"Name":"nope"}`)
		if want := `{"__type":"ResourceNotFoundException","message":"` + msg + `"}`; string(r.body) != want {
			t.Errorf("%s: %s", op, r.body)
		}
	}
	r = rawCall(t, e.acct, "CreateApiDestination", `{"Name":"z","ConnectionArn":"`+conn+`","HttpMethod":"POST","InvocationEndpoint":"https://e.com","InvocationRateLimitPerSecond":0}`)
	if !strings.Contains(string(r.body), "Value '0' at 'invocationRateLimitPerSecond' failed to satisfy constraint: Member must have value greater than or equal to 1") {
		t.Errorf("rate 0: %s", r.body)
	}
}

// A destination is ACTIVE on an authorized connection and INACTIVE
// otherwise (recorded: INACTIVE on an OAuth connection not authorized).
func TestApiDestinationState(t *testing.T) {
	e := newEnv(t)
	basic := aws.ToString(must(e.c.CreateConnection(e.ctx, basicConn("basic")))(t).ConnectionArn)
	oauth := aws.ToString(must(e.c.CreateConnection(e.ctx, oauthConn("oauth", "https://example.com/oauth", "s")))(t).ConnectionArn)
	out := must(e.c.CreateApiDestination(e.ctx, destIn("d", oauth)))(t)
	if out.ApiDestinationState != types.ApiDestinationStateInactive {
		t.Errorf("on an unauthorized connection: %s", out.ApiDestinationState)
	}
	up := must(e.c.UpdateApiDestination(e.ctx, &eventbridge.UpdateApiDestinationInput{Name: aws.String("d"), ConnectionArn: aws.String(basic)}))(t)
	if up.ApiDestinationState != types.ApiDestinationStateActive {
		t.Errorf("moved to an authorized connection: %s", up.ApiDestinationState)
	}
	// Deleting a connection in use is allowed (AWS declares no error for
	// it); the destination turns INACTIVE at its next update.
	must(e.c.DeleteConnection(e.ctx, &eventbridge.DeleteConnectionInput{Name: aws.String("basic")}))(t)
	up = must(e.c.UpdateApiDestination(e.ctx, &eventbridge.UpdateApiDestinationInput{Name: aws.String("d"), Description: aws.String("x")}))(t)
	if up.ApiDestinationState != types.ApiDestinationStateInactive {
		t.Errorf("on a deleted connection: %s", up.ApiDestinationState)
	}
}

func TestListApiDestinations(t *testing.T) {
	e := newEnv(t)
	c1 := aws.ToString(must(e.c.CreateConnection(e.ctx, basicConn("c1")))(t).ConnectionArn)
	c2 := aws.ToString(must(e.c.CreateConnection(e.ctx, basicConn("c2")))(t).ConnectionArn)
	for _, d := range []struct{ name, conn string }{{"b", c2}, {"a2", c1}, {"a1", c1}, {"a3", c2}, {"c", c1}} {
		must(e.c.CreateApiDestination(e.ctx, destIn(d.name, d.conn)))(t)
	}
	names := func(ds []types.ApiDestination) string {
		var out []string
		for _, d := range ds {
			out = append(out, aws.ToString(d.Name))
		}
		return strings.Join(out, ",")
	}
	list := func(in *eventbridge.ListApiDestinationsInput) string {
		t.Helper()
		return names(must(e.c.ListApiDestinations(e.ctx, in))(t).ApiDestinations)
	}
	if got := list(&eventbridge.ListApiDestinationsInput{}); got != "a1,a2,a3,b,c" {
		t.Errorf("all: %s", got)
	}
	if got := list(&eventbridge.ListApiDestinationsInput{NamePrefix: aws.String("a")}); got != "a1,a2,a3" {
		t.Errorf("prefix a: %s", got)
	}
	if got := list(&eventbridge.ListApiDestinationsInput{ConnectionArn: aws.String(c1)}); got != "a1,a2,c" {
		t.Errorf("connection c1: %s", got)
	}
	if got := list(&eventbridge.ListApiDestinationsInput{ConnectionArn: aws.String(c2), NamePrefix: aws.String("a")}); got != "a3" {
		t.Errorf("c2 and prefix a: %s", got)
	}
	var pages []string
	var tok *string
	for {
		p := must(e.c.ListApiDestinations(e.ctx, &eventbridge.ListApiDestinationsInput{Limit: aws.Int32(2), NextToken: tok}))(t)
		pages = append(pages, names(p.ApiDestinations))
		if tok = p.NextToken; tok == nil {
			break
		}
	}
	if strings.Join(pages, "|") != "a1,a2|a3,b|c" {
		t.Errorf("pages = %v", pages)
	}
	_, err := e.c.ListApiDestinations(e.ctx, &eventbridge.ListApiDestinationsInput{NextToken: aws.String("bogus")})
	wantErr(t, err, "ValidationException", "The NextToken provided is invalid.")
	if r := rawCall(t, newAccount(), "ListApiDestinations", `{}`); string(r.body) != `{"ApiDestinations":[]}` {
		t.Errorf("empty: %s", r.body)
	}
}

// rawCallAt is rawCall against another server of the test binary.
func rawCallAt(t *testing.T, url, account, op, body string) rawResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSEvents."+op)
	req.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+account+"/"+now.Format("20060102")+"/"+region+
		"/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="+strings.Repeat("0", 64))
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: b}
}
