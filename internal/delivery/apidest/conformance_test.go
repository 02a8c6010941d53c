package apidest_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/apidest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
	"github.com/switchyard-dev/switchyard/internal/event"
)

// TestConformance: API destinations of the real catalog (an embedded NATS
// in memory), invoking a stand-in endpoint that keeps each request's body
// and X-Amzn-Trace-Id header.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		ctx := context.Background()
		s := targettest.OpenStorage(t)
		scope := catalog.Scope{Account: "123456789012", Region: "us-east-1"}
		now := time.Now().UTC()
		connection := func(name, state string) string {
			c := &catalog.Connection{Name: name, UUID: event.NewID(), AuthorizationType: apidest.AuthAPIKey,
				APIKey: &catalog.APIKeyAuth{Name: "X-Api-Key", Value: "conformance-key"}, State: state, Created: now, Modified: now}
			if err := s.Catalog.PutConnection(ctx, scope, c); err != nil {
				t.Fatalf("PutConnection: %v", err)
			}
			return c.ARN(scope)
		}
		authorized := connection("conformance", catalog.ConnectionAuthorized)
		deauthorized := connection("deauthorized", catalog.ConnectionDeauthorized)
		var n atomic.Int32
		// destination puts a new API destination invoking endpoint through
		// conn, and returns its ARN once the View holds it.
		destination := func(t *testing.T, endpoint, conn string) string {
			d := &catalog.ApiDestination{Name: fmt.Sprint("conformance-", n.Add(1)), UUID: event.NewID(), ConnectionArn: conn,
				InvocationEndpoint: endpoint, HttpMethod: "POST", State: catalog.ApiDestinationActive, Created: now, Modified: now}
			if err := s.Catalog.PutApiDestination(ctx, scope, d); err != nil {
				t.Fatalf("PutApiDestination: %v", err)
			}
			s.Sync(t)
			return d.ARN(scope)
		}
		endpoint := targettest.NewStandIn(t, nil)
		kind := apidest.NewKind(apidest.New(apidest.Options{}), s.Catalog.View())
		return targettest.Fixture{
			Kind: kind,
			ARN:  destination(t, endpoint.URL, authorized),
			Received: func(t *testing.T) []targettest.Delivery {
				for _, r := range endpoint.Requests() {
					if k := r.Header.Get("X-Api-Key"); k != "conformance-key" {
						t.Errorf("the connection's API key did not come with the request: %q", k)
					}
				}
				return endpoint.Deliveries()
			},
			At: func(t *testing.T, url string) targettest.Case {
				return targettest.Case{ARN: destination(t, url, authorized)}
			},
			Errors: targettest.Errors{Protocol: targettest.Plain},
			// An endpoint's 404 and 403 are not the target missing or
			// refused: API destinations send any 4xx but 429 to the
			// dead-letter queue as SDK_CLIENT_ERROR (see classify.go). A
			// missing API destination is one the catalog does not have; a
			// refused one, one whose connection is deauthorized.
			Provoke: map[targettest.Class]func(t *testing.T) targettest.Case{
				targettest.NoResource: func(*testing.T) targettest.Case {
					return targettest.Case{ARN: arn.Events(scope.Region, scope.Account, "api-destination/missing/"+event.NewID()).String()}
				},
				targettest.NoPermissions: func(t *testing.T) targettest.Case {
					return targettest.Case{ARN: destination(t, endpoint.URL, deauthorized)}
				},
			},
			Malformed: []string{
				"arn:aws:events:us-east-1:123456789012:api-destination/conformance",
				"arn:aws:events:us-east-1:123456789012:api-destination/conformance/",
				"arn:aws:events:us-east-1:123456789012:api-destination//" + event.NewID(),
				"arn:aws:events:us-east-1:123456789012:connection/conformance/" + event.NewID(),
				"arn:aws:events:us-east-1:123456789012:event-bus/default",
			},
		}
	})
}
