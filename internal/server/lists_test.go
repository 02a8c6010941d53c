package server_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/switchyard-dev/switchyard/internal/server"
)

// TestConcurrentListsNeverFail: 2,000 List calls at once all succeed and
// see what was written before them. Every List used to open a JetStream
// consumer, and about half of such a burst failed with InternalException
// ("maximum consumers limit reached"); Lists now read the catalog's
// in-memory view behind the revision barrier.
func TestConcurrentListsNeverFail(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	const acct = "100000000090"
	eb := client(s, acct, "x", "")
	ctx := context.Background()
	for i := range 5 {
		if _, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(fmt.Sprintf("b%d", i))}); err != nil {
			t.Fatal(err)
		}
		rule(t, eb, "", fmt.Sprintf("r%d", i), `{"source":["x"]}`)
	}
	// One client with enough connections for the burst: each call is its
	// own request at the same moment.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2000, MaxConnsPerHost: 0}}
	burst := eventbridge.New(eventbridge.Options{Region: "us-east-1", Credentials: eb.Options().Credentials,
		BaseEndpoint: eb.Options().BaseEndpoint, HTTPClient: hc, RetryMaxAttempts: 1})
	const n = 2000
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			if i%2 == 0 {
				out, err := burst.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
				if err == nil && len(out.EventBuses) != 6 {
					err = fmt.Errorf("ListEventBuses saw %d buses, want 6", len(out.EventBuses))
				}
				errs <- err
				return
			}
			out, err := burst.ListRules(ctx, &eventbridge.ListRulesInput{})
			if err == nil && len(out.Rules) != 5 {
				err = fmt.Errorf("ListRules saw %d rules, want 5", len(out.Rules))
			}
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	failed := map[string]int{}
	for err := range errs {
		if err != nil {
			failed[errCode(err)]++
		}
	}
	if len(failed) > 0 {
		t.Errorf("of %d concurrent List calls, failures by code: %v", n, failed)
	}
}
