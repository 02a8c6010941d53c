package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// TestRetriesSurviveRestart: an event whose first attempt failed is waiting
// in the retry stream when the server is killed with SIGKILL; after the
// restart it is retried and delivered.
func TestRetriesSurviveRestart(t *testing.T) {
	var (
		healthy  atomic.Bool
		attempts atomic.Int64
		mu       sync.Mutex
		got      []string
	)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		b, _ := io.ReadAll(r.Body)
		if !healthy.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		var ev struct{ ID string }
		_ = json.Unmarshal(b, &ev)
		mu.Lock()
		got = append(got, ev.ID)
		mu.Unlock()
	}))
	defer hs.Close()

	dataDir := t.TempDir()
	p := start(t, "--data-dir", dataDir)
	ctx := context.Background()
	eb := p.client(t)
	conn, err := eb.CreateConnection(ctx, &eventbridge.CreateConnectionInput{
		Name: aws.String("c"), AuthorizationType: types.ConnectionAuthorizationTypeBasic,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{BasicAuthParameters: &types.CreateConnectionBasicAuthRequestParameters{
			Username: aws.String("u"), Password: aws.String("p")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	dest, err := eb.CreateApiDestination(ctx, &eventbridge.CreateApiDestinationInput{
		Name: aws.String("d"), ConnectionArn: conn.ConnectionArn, InvocationEndpoint: aws.String(hs.URL),
		HttpMethod: types.ApiDestinationHttpMethodPost,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":["retry.test"]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []types.Target{{
		Id: aws.String("t"), Arn: dest.ApiDestinationArn,
		RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(20), MaximumEventAgeInSeconds: aws.Int32(600)},
	}}}); err != nil {
		t.Fatal(err)
	}
	out, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{{
		Source: aws.String("retry.test"), DetailType: aws.String("d"), Detail: aws.String(`{}`)}}})
	if err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("PutEvents: %v %+v", err, out)
	}
	id := aws.ToString(out.Entries[0].EventId)

	// Wait until the first attempt has failed and the retry is stored.
	testwait.Cond(t, "a failed attempt scheduled for retry", func() bool {
		return attempts.Load() >= 1 && stat(t, p.addr, "retried") >= 1
	})
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.wait(t)
	healthy.Store(true)

	start(t, "--data-dir", dataDir)
	// Attempts that still fail count as progress: the retry is alive.
	testwait.For(t, "the retried event delivered after the restart", func() testwait.Status {
		mu.Lock()
		defer mu.Unlock()
		return testwait.Status{Done: len(got) > 0, Progress: attempts.Load(), Missing: "event " + id}
	})
	mu.Lock()
	defer mu.Unlock()
	if got[0] != id {
		t.Errorf("delivered event %s, want %s", got[0], id)
	}
}

// stat reads one counter of /_switchyard/stats.
func stat(t *testing.T, addr, name string) int64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/_switchyard/stats")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var m map[string]int64
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return -1
	}
	return m[name]
}
