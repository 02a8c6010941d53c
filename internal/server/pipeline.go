package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/delivery"
	"github.com/switchyard-dev/switchyard/internal/delivery/apidest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/metrics"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/router"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

// pipeline is the event path: the ingest writer, the rule index, the router
// and the delivery dispatcher, opened in dependency order and closed in
// reverse.
type pipeline struct {
	js      jetstream.JetStream
	writer  *ingest.Writer
	index   *router.Index
	router  *router.Router
	disp    *delivery.Dispatcher
	metrics *metrics.Registry

	stopIndex context.CancelFunc
	indexDone sync.WaitGroup
}

func openPipeline(ctx context.Context, node *natsd.Node, st *natskv.Store, apic *apidest.Client, awsc *target.Clients, log *slog.Logger) (*pipeline, error) {
	p := &pipeline{js: node.JetStream(), metrics: metrics.New()}
	var err error
	p.writer, err = ingest.Open(ctx, node.JetStream(), ingest.Config{Storage: node.StorageType(), Revision: st.Revision})
	if err != nil {
		return nil, err
	}
	p.index = router.NewIndex(log.With("component", "index"))
	idxCtx, cancel := context.WithCancel(context.Background())
	p.stopIndex = cancel
	p.indexDone.Go(func() {
		if err := p.index.Run(idxCtx, st); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("rule index stopped", "err", err)
		}
	})
	// Route nothing before the index holds the catalog as it is now.
	rev, err := st.Revision(ctx)
	if err == nil {
		err = p.index.WaitApplied(ctx, rev)
	}
	if err != nil {
		p.closeIndex()
		return nil, fmt.Errorf("rule index: %w", err)
	}
	p.disp, err = delivery.Open(ctx, delivery.Config{
		JS: node.JetStream(), Storage: node.StorageType(), Index: p.index, Ingest: p.writer,
		APIDest: apic, Dests: p.index, AWS: awsc, Metrics: p.metrics, Log: log.With("component", "delivery"),
	})
	if err != nil {
		p.closeIndex()
		return nil, err
	}
	p.router, err = router.Open(ctx, router.Config{JS: node.JetStream(), Index: p.index, Deliverer: p.disp, Metrics: p.metrics, Log: log.With("component", "router")})
	if err != nil {
		_ = p.disp.Close(ctx)
		p.closeIndex()
		return nil, err
	}
	return p, nil
}

func (p *pipeline) closeIndex() {
	p.stopIndex()
	p.indexDone.Wait()
}

// Close stops routing, lets the deliveries in hand finish, stores what is
// queued for ingest, and stops the index.
func (p *pipeline) Close(ctx context.Context) error {
	p.router.Close()
	errs := []error{p.disp.Close(ctx), p.writer.Close(ctx)}
	p.closeIndex()
	return errors.Join(errs...)
}

// serveStats answers the event path's counters as JSON.
func (p *pipeline) serveStats(w http.ResponseWriter, _ *http.Request) {
	rs, ds := p.router.Stats(), p.disp.Stats()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int64{
		"events_routed":  rs.Events.Load(),
		"matched_events": rs.MatchedEvents.Load(),
		"deliveries":     rs.Deliveries.Load(),
		"invocations":    ds.Invocations.Load(),
		"delivered":      ds.Delivered.Load(),
		"failed":         ds.Failed.Load(),
		"retried":        ds.Retried.Load(),
		"dead_lettered":  ds.DeadLettered.Load(),
		"dropped":        ds.Dropped.Load(),
		"abandoned":      ds.Abandoned.Load(),
		// EventBridge's InvocationsSentToDlq and InvocationsFailedToBeSentToDlq.
		"invocations_sent_to_dlq":              ds.SentToDLQ.Load(),
		"invocations_failed_to_be_sent_to_dlq": ds.FailedToDLQ.Load(),
	})
}

// serveDeadLetters lists the newest events recorded for dead-letter queues
// (?limit=N, default 100), newest first, with their AWS attributes.
func (p *pipeline) serveDeadLetters(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && v > 0 && v <= 1000 {
		limit = v
	}
	ctx := r.Context()
	out := []map[string]any{}
	st, err := p.js.Stream(ctx, delivery.DeadLetterStream)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	info := st.CachedInfo().State
	for seq := info.LastSeq; seq >= info.FirstSeq && seq > 0 && len(out) < limit; seq-- {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			continue // removed by age
		}
		attrs := map[string]string{}
		for k, v := range m.Header {
			if len(v) > 0 {
				attrs[k] = v[0]
			}
		}
		out = append(out, map[string]any{"time": m.Time, "attributes": attrs, "event": json.RawMessage(m.Data)})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"dead_letters": out})
}
