package catalog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func testConnection(name string) *Connection {
	now := time.Now().UTC().Truncate(time.Millisecond)
	return &Connection{
		Name: name, UUID: "0f1e2d3c-4b5a-4697-8877-665544332211", SecretID: "s-abcdef", AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
		OAuth: &OAuthAuth{Endpoint: "https://auth.example.com/token", Method: "POST", ClientID: "id", ClientSecret: "secret",
			HTTP: &HTTPParameters{Body: []Parameter{{Key: "aud", Value: "x", Secret: true}}}},
		Invocation: &HTTPParameters{Headers: []Parameter{}},
		State:      "AUTHORIZED", Created: now, Modified: now, LastAuthorized: &now,
	}
}

func TestConnectionDocuments(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	c := testConnection("a.b")
	if err := testCatalog.PutConnection(ctx, s, c); err != nil {
		t.Fatal(err)
	}
	if err := testCatalog.PutConnection(ctx, s, testConnection("a.b")); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate: %v", err)
	}
	got, err := testCatalog.Connection(ctx, s, "a.b")
	if err != nil {
		t.Fatal(err)
	}
	// Everything delivery needs survives the round trip, secrets included,
	// and an empty list stays apart from an absent one.
	if fmt.Sprint(got.OAuth.HTTP.Body) != "[{aud x true}]" || got.OAuth.ClientSecret != "secret" ||
		got.Invocation.Headers == nil || got.Invocation.Query != nil || !got.LastAuthorized.Equal(*c.LastAuthorized) {
		t.Errorf("round trip: %+v %+v %+v", got, got.OAuth, got.Invocation)
	}
	want := "arn:aws:events:us-east-1:" + s.Account + ":connection/a.b/0f1e2d3c-4b5a-4697-8877-665544332211"
	if got.ARN(s) != want {
		t.Errorf("ARN = %s", got.ARN(s))
	}
	if !strings.HasPrefix(got.TokenKey(s), want+"@") {
		t.Errorf("TokenKey = %s", got.TokenKey(s))
	}
	if byARN, err := testCatalog.ConnectionByARN(ctx, s, want); err != nil || byARN.Name != "a.b" {
		t.Errorf("by ARN: %v %v", byARN, err)
	}
	for _, bad := range []string{
		strings.Replace(want, "-665544332211", "-000000000000", 1), // another incarnation
		strings.Replace(want, s.Account, "123456789012", 1),        // another account
		strings.Replace(want, "us-east-1", "eu-west-1", 1),         // another region
		strings.Replace(want, "connection/", "api-destination/", 1),
		"arn:aws:events:us-east-1:" + s.Account + ":connection/a.b",
		"not an arn",
	} {
		if _, err := testCatalog.ConnectionByARN(ctx, s, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("ConnectionByARN(%s) = %v, want ErrNotFound", bad, err)
		}
	}

	// An update works on a copy: the function's changes land, a refused
	// update leaves the document alone.
	up, err := testCatalog.UpdateConnection(ctx, s, "a.b", func(v *Connection) error {
		v.OAuth.HTTP.Body[0].Value = "y"
		v.State = "DEAUTHORIZED"
		return nil
	})
	if err != nil || up.OAuth.HTTP.Body[0].Value != "y" || got.OAuth.HTTP.Body[0].Value != "x" {
		t.Fatalf("update: %v %v", up, err)
	}
	refuse := errors.New("no")
	if _, err := testCatalog.UpdateConnection(ctx, s, "a.b", func(v *Connection) error {
		v.OAuth.HTTP.Body[0].Value = "z"
		return refuse
	}); !errors.Is(err, refuse) {
		t.Errorf("refused update: %v", err)
	}
	if v, _ := testCatalog.Connection(ctx, s, "a.b"); v.OAuth.HTTP.Body[0].Value != "y" || v.State != "DEAUTHORIZED" {
		t.Errorf("after a refused update: %+v", v.OAuth.HTTP)
	}
	if _, err := testCatalog.UpdateConnection(ctx, s, "nope", func(*Connection) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing connection: %v", err)
	}

	for _, n := range []string{"c", "a", "b"} {
		if err := testCatalog.PutConnection(ctx, s, testConnection(n)); err != nil {
			t.Fatal(err)
		}
	}
	list, err := testCatalog.Connections(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range list {
		names = append(names, v.Name)
	}
	if strings.Join(names, " ") != "a a.b b c" {
		t.Errorf("Connections = %v", names)
	}
	gone, err := testCatalog.DeleteConnection(ctx, s, "a.b")
	if err != nil || gone.Name != "a.b" || gone.State != "DEAUTHORIZED" {
		t.Errorf("delete: %+v %v", gone, err)
	}
	if _, err := testCatalog.DeleteConnection(ctx, s, "a.b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := testCatalog.ConnectionByARN(ctx, s, want); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted by ARN: %v", err)
	}
}

func TestApiDestinationDocuments(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	now := time.Now().UTC()
	d := &ApiDestination{
		Name: "d", UUID: "11111111-2222-4333-8444-555555555555", ConnectionArn: "arn:aws:events:us-east-1:" + s.Account + ":connection/c/x",
		InvocationEndpoint: "https://example.com/*", HttpMethod: "POST", InvocationRateLimitPerSecond: 300, State: "ACTIVE", Created: now, Modified: now,
	}
	if err := testCatalog.PutApiDestination(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	if err := testCatalog.PutApiDestination(ctx, s, d); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate: %v", err)
	}
	want := "arn:aws:events:us-east-1:" + s.Account + ":api-destination/d/11111111-2222-4333-8444-555555555555"
	if d.ARN(s) != want {
		t.Errorf("ARN = %s", d.ARN(s))
	}
	if err := testCatalog.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	v := testCatalog.View()
	got, gs, ok := v.ApiDestinationByARN(want)
	if !ok || gs != s || got.ConnectionArn != d.ConnectionArn || got.InvocationRateLimitPerSecond != 300 || got.InvocationEndpoint != d.InvocationEndpoint {
		t.Errorf("by ARN: %+v %v %v", got, gs, ok)
	}
	if _, _, ok := v.ApiDestinationByARN(strings.Replace(want, "555555555555", "000000000000", 1)); ok {
		t.Error("another incarnation found")
	}
	if _, _, ok := v.ApiDestinationByARN(strings.Replace(want, s.Account, scope(t).Account, 1)); ok {
		t.Error("another account's found")
	}
	if up, err := testCatalog.UpdateApiDestination(ctx, s, "d", func(v *ApiDestination) error {
		v.HttpMethod = "PUT"
		return nil
	}); err != nil || up.HttpMethod != "PUT" {
		t.Errorf("update: %+v %v", up, err)
	}
	if err := testCatalog.PutApiDestination(ctx, s, &ApiDestination{Name: "a", UUID: "u"}); err != nil {
		t.Fatal(err)
	}
	list, err := testCatalog.ApiDestinations(ctx, s)
	if err != nil || len(list) != 2 || list[0].Name != "a" || list[1].HttpMethod != "PUT" {
		t.Errorf("list: %v %v", list, err)
	}
	if err := testCatalog.DeleteApiDestination(ctx, s, "d"); err != nil {
		t.Fatal(err)
	}
	if err := testCatalog.DeleteApiDestination(ctx, s, "d"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	// Connections and destinations live apart.
	if cs, err := testCatalog.Connections(ctx, s); err != nil || len(cs) != 0 {
		t.Errorf("connections of a scope with only destinations: %v %v", cs, err)
	}
}
