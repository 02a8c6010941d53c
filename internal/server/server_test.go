package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/smithy-go"
	natsserver "github.com/nats-io/nats-server/v2/server"

	"github.com/switchyard-dev/switchyard/internal/server"
)

const credsFile = `# test credentials
AKIDALICE  alice-secret  111111111111
AKIDBOB    bob-secret    222222222222
AKIDTEMP   temp-secret   333333333333  session-token-xyz
`

// startServer runs a server in process on a random loopback port.
func startServer(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	cfg.Memory = true
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if _, ok := cfg.Endpoints["*"]; !ok {
		// Tests never reach real AWS: targets and dead letters meant for
		// made-up resources go to a port nothing listens on.
		cfg.Endpoints = maps.Clone(cfg.Endpoints)
		if cfg.Endpoints == nil {
			cfg.Endpoints = map[string]string{}
		}
		cfg.Endpoints["*"] = "http://127.0.0.1:1"
	}
	s, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func writeCreds(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "creds")
	if err := os.WriteFile(p, []byte(credsFile), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func client(s *server.Server, key, secret, token string) *eventbridge.Client {
	return eventbridge.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
	}, func(o *eventbridge.Options) {
		o.BaseEndpoint = aws.String("http://" + s.Addr().String())
		o.RetryMaxAttempts = 1
	})
}

func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return "non-API error: " + err.Error()
	}
	return ""
}

func TestSigV4AccountsAreIsolated(t *testing.T) {
	s := startServer(t, server.Config{Auth: server.AuthSigV4, CredentialsFile: writeCreds(t)})
	ctx := context.Background()
	alice := client(s, "AKIDALICE", "alice-secret", "")
	bob := client(s, "AKIDBOB", "bob-secret", "")
	out, err := alice.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("shared-name")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.EventBusArn); got != "arn:aws:events:us-east-1:111111111111:event-bus/shared-name" {
		t.Errorf("alice's bus ARN %s", got)
	}
	// The same name in another account is another bus.
	if _, err := bob.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("shared-name")}); err != nil {
		t.Fatalf("bob cannot create a bus of the same name: %v", err)
	}
	if _, err := alice.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("alice-only"), EventPattern: aws.String(`{"source":["a"]}`)}); err != nil {
		t.Fatal(err)
	}
	rules, err := bob.ListRules(ctx, &eventbridge.ListRulesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rules.Rules) != 0 {
		t.Errorf("bob sees alice's rules: %+v", rules.Rules)
	}
	_, err = bob.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("alice-only")})
	if errCode(err) != "ResourceNotFoundException" {
		t.Errorf("bob describing alice's rule: %v", err)
	}
	// An ARN naming alice's bus is not found for bob.
	_, err = bob.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("arn:aws:events:us-east-1:111111111111:event-bus/shared-name")})
	if errCode(err) != "ResourceNotFoundException" {
		t.Errorf("bob describing alice's bus by ARN: %v", err)
	}
	_, err = bob.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String("arn:aws:events:us-east-1:111111111111:rule/alice-only")})
	if errCode(err) != "ResourceNotFoundException" {
		t.Errorf("bob listing tags of alice's rule: %v", err)
	}
	// Temporary credentials work with their session token.
	temp := client(s, "AKIDTEMP", "temp-secret", "session-token-xyz")
	d, err := temp.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(aws.ToString(d.Arn), ":333333333333:") {
		t.Errorf("temporary credentials got %s", aws.ToString(d.Arn))
	}
}

func TestSigV4Refusals(t *testing.T) {
	s := startServer(t, server.Config{Auth: server.AuthSigV4, CredentialsFile: writeCreds(t)})
	ctx := context.Background()
	for _, c := range []struct {
		name, key, secret, token, code string
	}{
		{"wrong secret", "AKIDALICE", "not-alice-secret", "", "InvalidSignatureException"},
		{"unknown key", "AKIDMALLORY", "whatever", "", "UnrecognizedClientException"},
		{"missing session token", "AKIDTEMP", "temp-secret", "", "UnrecognizedClientException"},
		{"wrong session token", "AKIDTEMP", "temp-secret", "other", "UnrecognizedClientException"},
	} {
		_, err := client(s, c.key, c.secret, c.token).ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
		if errCode(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}

	url := "http://" + s.Addr().String() + "/"
	body := []byte(`{"Name":"default"}`)
	sign := func(r *http.Request, body []byte, at time.Time) {
		t.Helper()
		sum := sha256.Sum256(body)
		err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: "AKIDALICE", SecretAccessKey: "alice-secret"},
			r, hex.EncodeToString(sum[:]), "events", "us-east-1", at)
		if err != nil {
			t.Fatal(err)
		}
	}
	newReq := func(body []byte) *http.Request {
		r, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", "AWSEvents.DescribeEventBus")
		return r
	}
	send := func(r *http.Request) (int, map[string]string) {
		t.Helper()
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatalf("response is not JSON: %s", b)
		}
		m := map[string]string{}
		for k, v := range raw {
			if s, ok := v.(string); ok {
				m[k] = s
			}
		}
		if resp.Header.Get("Date") == "" || resp.Header.Get("X-Amzn-Requestid") == "" {
			t.Errorf("missing Date or request id headers: %v", resp.Header)
		}
		return resp.StatusCode, m
	}

	// A correctly signed raw request passes (the baseline for the ones below).
	r := newReq(body)
	sign(r, body, time.Now())
	if status, m := send(r); status != 200 {
		t.Fatalf("signed raw request refused: %d %v", status, m)
	}

	// Tampered body: signed for one body, sent with another.
	r = newReq([]byte(`{"Name":"defaulX"}`))
	sign(r, body, time.Now())
	if status, m := send(r); status != 400 || m["__type"] != "InvalidSignatureException" {
		t.Errorf("tampered body: %d %v", status, m)
	}

	// Expired: signed 20 minutes ago (the skew allowed is 15).
	r = newReq(body)
	sign(r, body, time.Now().Add(-20*time.Minute))
	if status, m := send(r); status != 400 || m["__type"] != "InvalidSignatureException" || !strings.HasPrefix(m["message"], "Signature expired") {
		t.Errorf("expired: %d %v", status, m)
	}

	// Host not signed: remove host from SignedHeaders (and the signature no
	// longer matters: the check comes first).
	r = newReq(body)
	sign(r, body, time.Now())
	auth := r.Header.Get("Authorization")
	unsignedHost := strings.Replace(auth, ";host;", ";", 1)
	if unsignedHost == auth {
		t.Fatalf("no host in signed headers: %s", auth)
	}
	r.Header.Set("Authorization", unsignedHost)
	if status, m := send(r); status < 400 || status > 403 || !strings.Contains(strings.ToLower(m["message"]), "host") {
		t.Errorf("unsigned host: %d %v", status, m)
	}

	// No Authorization at all.
	if status, m := send(newReq(body)); status != 403 || m["__type"] != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned request: %d %v", status, m)
	}
}

func TestOpenModeAccounts(t *testing.T) {
	s := startServer(t, server.Config{CredentialsFile: writeCreds(t), AccountID: "999999999999"})
	ctx := context.Background()
	for _, c := range []struct{ key, account string }{
		{"123456789012", "123456789012"}, // a 12-digit key is the account
		{"AKIDBOB", "222222222222"},      // a listed key gets its account, whatever the secret
		{"AKIDANYONE", "999999999999"},   // anything else: the default account
	} {
		d, err := client(s, c.key, "any-secret", "").DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{})
		if err != nil {
			t.Fatal(err)
		}
		if want := "arn:aws:events:us-east-1:" + c.account + ":event-bus/default"; aws.ToString(d.Arn) != want {
			t.Errorf("key %s: %s, want %s", c.key, aws.ToString(d.Arn), want)
		}
	}
	// The region comes from the signature's scope.
	eu := eventbridge.NewFromConfig(aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("123456789012", "x", "")},
		func(o *eventbridge.Options) { o.BaseEndpoint = aws.String("http://" + s.Addr().String()) })
	d, err := eu.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{})
	if err != nil || aws.ToString(d.Arn) != "arn:aws:events:eu-west-1:123456789012:event-bus/default" {
		t.Errorf("eu-west-1 client: %v %v", aws.ToString(d.Arn), err)
	}
}

func TestConfigChecks(t *testing.T) {
	creds := writeCreds(t)
	for _, c := range []struct {
		name string
		cfg  server.Config
		want string
	}{
		{"open on all interfaces", server.Config{Addr: ":4010", Auth: server.AuthOpen}, "--insecure"},
		{"open on a public address", server.Config{Addr: "192.0.2.1:4010", Auth: server.AuthOpen}, "--insecure"},
		{"sigv4 default off loopback needs credentials", server.Config{Addr: "0.0.0.0:4010"}, "--credentials"},
		{"unknown auth", server.Config{Addr: "127.0.0.1:0", Auth: "none"}, "unknown auth"},
		{"bad account", server.Config{Addr: "127.0.0.1:0", AccountID: "12"}, "12 digits"},
		{"memory and nats-url", server.Config{Addr: "127.0.0.1:0", Memory: true, NATSURL: "nats://127.0.0.1:1"}, "exclude"},
		{"missing credentials file", server.Config{Addr: "127.0.0.1:0", CredentialsFile: "/nonexistent/creds"}, "credentials"},
	} {
		if c.cfg.AccountID == "" {
			c.cfg.AccountID = "000000000000"
		}
		c.cfg.Region = "us-east-1"
		_, err := server.New(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want it to mention %q", c.name, err, c.want)
		}
	}
	ok := []server.Config{
		{Addr: "0.0.0.0:4010", Auth: server.AuthOpen, Insecure: true},
		{Addr: "0.0.0.0:4010", CredentialsFile: creds},
		{Addr: "localhost:4010"},
		{Addr: "[::1]:4010"},
	}
	for _, cfg := range ok {
		cfg.AccountID, cfg.Region = "000000000000", "us-east-1"
		if _, err := server.New(cfg); err != nil {
			t.Errorf("%+v refused: %v", cfg, err)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad")
	for _, content := range []string{"ONLYTWO fields\n", "K S 12345\n", "K S 111111111111\nK T 222222222222\n"} {
		_ = os.WriteFile(bad, []byte(content), 0o600)
		if _, err := server.New(server.Config{Addr: "127.0.0.1:0", AccountID: "000000000000", Region: "us-east-1", CredentialsFile: bad}); err == nil {
			t.Errorf("credentials %q accepted", content)
		}
	}
}

// TestOffLoopbackWithoutCredentials: a newcomer who only moves --addr off
// loopback gets sigv4 by default and no credentials; the refusal must name
// both ways out, SigV4 with a credentials file and open mode on a trusted
// network, and still refuse.
func TestOffLoopbackWithoutCredentials(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:4010", ":4010", "192.0.2.1:4010", "[::]:4010"} {
		_, err := server.New(server.Config{Addr: addr, AccountID: "000000000000", Region: "us-east-1"})
		if err == nil {
			t.Fatalf("%s without credentials accepted", addr)
		}
		for _, want := range []string{"--credentials FILE", "--auth open --insecure", addr} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not mention %q", addr, err, want)
			}
		}
	}
	// Asking for sigv4 explicitly: the message is about its credentials.
	_, err := server.New(server.Config{Addr: "127.0.0.1:4010", Auth: server.AuthSigV4, AccountID: "000000000000", Region: "us-east-1"})
	if err == nil || !strings.Contains(err.Error(), "--credentials FILE") {
		t.Errorf("explicit sigv4 without credentials: %v", err)
	}
	// Open mode off loopback says how to insist.
	_, err = server.New(server.Config{Addr: "0.0.0.0:4010", Auth: server.AuthOpen, AccountID: "000000000000", Region: "us-east-1"})
	if err == nil || !strings.Contains(err.Error(), "--auth open --insecure") || !strings.Contains(err.Error(), "--credentials FILE") {
		t.Errorf("open off loopback: %v", err)
	}
}

// TestHealth checks the health document of an embedded server.
func TestHealth(t *testing.T) {
	s := startServer(t, server.Config{Version: "v-test"})
	resp, err := http.Get("http://" + s.Addr().String() + "/_switchyard/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %d %v", resp.StatusCode, err)
	}
	if h["status"] != "ok" || h["version"] != "v-test" || h["auth"] != "open" {
		t.Errorf("health = %v", h)
	}
}

// TestTwoNodesShareExternalNATS runs two Switchyard nodes on one external
// NATS JetStream server (--nats-url): a change made through one node is seen
// by the very next request through the other.
func TestTwoNodesShareExternalNATS(t *testing.T) {
	ns, err := natsserver.NewServer(&natsserver.Options{
		Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	defer ns.Shutdown()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	newNode := func() *server.Server {
		s, err := server.New(server.Config{Addr: "127.0.0.1:0", AccountID: "000000000000", Region: "us-east-1", NATSURL: ns.ClientURL()})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close(context.Background()) })
		return s
	}
	a, b := client(newNode(), "123456789012", "x", ""), client(newNode(), "123456789012", "x", "")
	ctx := context.Background()
	for i := range 20 {
		name := aws.String("r" + string(rune('a'+i)))
		if _, err := a.PutRule(ctx, &eventbridge.PutRuleInput{Name: name, EventPattern: aws.String(`{"source":["s"]}`)}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: name}); err != nil {
			t.Fatalf("rule %s made on node A not visible on node B: %v", *name, err)
		}
		if _, err := b.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: name}); err != nil {
			t.Fatal(err)
		}
		d, err := a.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: name})
		if err != nil || d.State != "DISABLED" {
			t.Fatalf("change on node B not visible on node A: %v %v", d.State, err)
		}
	}
	list, err := b.ListRules(ctx, &eventbridge.ListRulesInput{})
	if err != nil || len(list.Rules) != 20 {
		t.Fatalf("node B lists %d rules, %v", len(list.Rules), err)
	}
}
