package bus_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/bus"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/natsd"
)

const (
	account = "123456789012" // the account of the suite's events
	region  = "us-east-1"
)

// openWriter opens the ingest writer on node, as the server does; it is
// closed at the end of the test, bounded: a writer whose JetStream is gone
// may wait for it.
func openWriter(t *testing.T, node *natsd.Node) *ingest.Writer {
	t.Helper()
	w, err := ingest.Open(context.Background(), node.JetStream(), ingest.Config{Storage: node.StorageType()})
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = w.Close(ctx)
	})
	return w
}

// records are the records stored in node's events stream so far.
func records(t *testing.T, node *natsd.Node) []ingest.Record {
	t.Helper()
	ctx := context.Background()
	st, err := node.JetStream().Stream(ctx, ingest.StreamName)
	if err != nil {
		t.Fatalf("events stream: %v", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []ingest.Record
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && seq > 0; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("message %d: %v", seq, err)
		}
		recs, err := ingest.DecodeBatch(m.Data)
		if err != nil {
			t.Fatalf("message %d: %v", seq, err)
		}
		out = append(out, recs...)
	}
	return out
}

// unanswered is a writer whose JetStream stops answering once it is open:
// its NATS server, a real one listening on loopback, is shut down, and the
// connection waits to reconnect.
func unanswered(t *testing.T) *ingest.Writer {
	t.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	node, err := natsd.Open(context.Background(), natsd.Config{URL: srv.ClientURL(), Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = node.Close(ctx)
	})
	w := openWriter(t, node)
	srv.Shutdown()
	srv.WaitForShutdown()
	return w
}

// TestConformance: bus targets store the event on Switchyard's own events
// stream (an embedded NATS in memory), read back from the stream.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		s := targettest.OpenStorage(t)
		if err := s.Catalog.CreateBus(context.Background(), catalog.Scope{Account: account, Region: region}, &catalog.Bus{Name: "conformance"}); err != nil {
			t.Fatal(err)
		}
		s.Sync(t)
		view := s.Catalog.View()
		return targettest.Fixture{
			Kind:      bus.New(openWriter(t, s.Node), view),
			ARN:       arn.Bus(region, account, "conformance"),
			Source:    targettest.FromEvent,
			SourceWhy: "bus targets forward the event whole: Input, InputPath and InputTransformer do not apply to them",
			Received: func(t *testing.T) []targettest.Delivery {
				var out []targettest.Delivery
				for _, r := range records(t, s.Node) {
					var ev struct {
						Detail json.RawMessage `json:"detail"`
					}
					_ = json.Unmarshal(r.Event, &ev) // a record without one (the suite's empty request) has no document
					out = append(out, targettest.Delivery{Doc: string(ev.Detail), Trace: r.TraceHeader})
				}
				return out
			},
			Provoke: map[targettest.Class]func(t *testing.T) targettest.Case{
				// The events stream is gone: its node closed.
				targettest.ServerError: func(t *testing.T) targettest.Case {
					other := targettest.OpenStorage(t)
					w := openWriter(t, other.Node)
					if err := other.Node.Close(context.Background()); err != nil {
						t.Fatal(err)
					}
					return targettest.Case{Kind: bus.New(w, view)}
				},
				// The events stream does not answer before the attempt's
				// deadline.
				targettest.Timeout: func(t *testing.T) targettest.Case {
					return targettest.Case{Kind: bus.New(unanswered(t), view)}
				},
				// A bus of another account whose policy does not let this
				// account put events (it has none).
				targettest.NoPermissions: func(*testing.T) targettest.Case {
					return targettest.Case{ARN: arn.Bus(region, "210987654321", "other")}
				},
				// A bus of this account that does not exist (nor ever did).
				targettest.NoResource: func(*testing.T) targettest.Case {
					return targettest.Case{ARN: arn.Bus(region, account, "never-created")}
				},
			},
			Without: map[string]string{
				targettest.FailureRow(targettest.Throttled):       "the events stream is Switchyard's own, with no rate limit",
				targettest.FailureRow(targettest.TooManyRequests): "the events stream is reached in process, not over HTTP",
				targettest.FailureRow(targettest.Unavailable):     "the events stream is reached in process, not over HTTP: a stream that is gone is the 500 row",
				targettest.FailureRow(targettest.Refused):         "the events stream is reached through the node's open connection: there is nothing to connect to per delivery",
			},
			Malformed: []string{
				"arn:aws:events:us-east-1:123456789012:event-bus/",
				"arn:aws:events:us-east-1:123456789012:rule/conformance",
				"arn:aws:events:us-east-1:123456789012:api-destination/conformance/" + "6bc10267-4596-4a46-85b7-0138129608aa",
			},
		}
	})
}
