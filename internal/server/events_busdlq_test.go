package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/server"
)

// TestBusDeadLetterQueue: an event its bus cannot process (AWS's case is a
// KMS failure; Switchyard's is a stored event that does not parse, written
// here straight into the events stream of an external NATS, since
// PutEvents never accepts one) goes to the bus's DeadLetterConfig queue
// with ERROR_CODE and ERROR_MESSAGE; on a bus without one it is dropped and
// the next event is still routed.
func TestBusDeadLetterQueue(t *testing.T) {
	t.Parallel()
	moto := sqstest.StartMoto(t)
	mc := sqstest.Client(moto)
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	defer ns.Shutdown()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	const acct = "100000000095"
	s, err := server.New(server.Config{Addr: "127.0.0.1:0", AccountID: "000000000000", Region: "us-east-1", NATSURL: ns.ClientURL(),
		Endpoints: map[string]string{"*": moto}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	eb := client(s, acct, "x", "")
	ctx := context.Background()
	dlq := newQueue(t, mc, acct, "bus-dlq", nil)
	ok := newQueue(t, mc, acct, "bus-ok", nil)
	for _, bus := range []string{"with-dlq", "without"} {
		in := &eventbridge.CreateEventBusInput{Name: aws.String(bus)}
		if bus == "with-dlq" {
			in.DeadLetterConfig = &types.DeadLetterConfig{Arn: aws.String(dlq.arn)}
		}
		if _, err := eb.CreateEventBus(ctx, in); err != nil {
			t.Fatal(err)
		}
		rule(t, eb, bus, "all", `{"source":["s"]}`, target("ok", ok.arn))
	}

	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	for _, bus := range []string{"with-dlq", "without"} {
		bad := ingest.Record{Bus: catalog.BusKey{Account: acct, Region: "us-east-1", Name: bus}, Ingested: time.Now(), Event: []byte(`not an event`)}
		if _, err := js.Publish(ctx, ingest.Subject, ingest.AppendBatch(nil, []ingest.Record{bad})); err != nil {
			t.Fatal(err)
		}
	}
	m := receive(t, mc, dlq.url, 1)[0]
	a := attrs(m)
	if aws.ToString(m.Body) != "not an event" || a["ERROR_CODE"] != "String:INVALID_EVENT" || !strings.HasPrefix(a["ERROR_MESSAGE"], "String:") ||
		a["RULE_ARN"] != "" || a["TARGET_ARN"] != "" {
		t.Errorf("bus DLQ got %q with %v", aws.ToString(m.Body), a)
	}
	// Both buses still route what PutEvents accepts; only one bad event
	// reached a queue.
	for _, bus := range []string{"with-dlq", "without"} {
		put1(t, eb, entry(bus, "s", "d", `{}`))
	}
	if got := receive(t, mc, ok.url, 2); len(got) != 2 {
		t.Errorf("routed %d events", len(got))
	}
	waitFor(t, "the dead letter counted", func() bool { return stats(t, s)["invocations_sent_to_dlq"] == 1 })
	if st := stats(t, s); st["dead_lettered"] != 1 {
		t.Errorf("stats %v", st)
	}
}
