package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/switchyard-dev/switchyard/internal/delivery"
	"github.com/switchyard-dev/switchyard/internal/delivery/apidest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/metrics"
	"github.com/switchyard-dev/switchyard/internal/router"
)

// openEventPath opens the event path in dependency order: the ingest
// writer, the rule index, the delivery dispatcher, the router. Routing
// starts last, once everything it hands events to is running.
func (s *Server) openEventPath(ctx context.Context, apic *apidest.Client, awsc *target.Clients) (err error) {
	js := s.node.JetStream()
	s.metrics = metrics.New()
	if err := s.step("ingest"); err != nil {
		return err
	}
	if s.writer, err = ingest.Open(ctx, js, ingest.Config{Storage: s.node.StorageType(), Revision: s.cat.Revision, Guard: s.node}); err != nil {
		return err
	}
	s.index = router.NewIndex(s.cat.View(), s.log.With("component", "index"))
	if err := s.step("delivery"); err != nil {
		return err
	}
	s.disp, err = delivery.Open(ctx, delivery.Config{
		JS: js, Storage: s.node.StorageType(), Index: s.index, View: s.cat.View(), Ingest: s.writer,
		APIDest: apic, AWS: awsc, Metrics: s.metrics, Guard: s.node, Log: s.log.With("component", "delivery"),
	})
	if err != nil {
		return err
	}
	if err := s.step("router"); err != nil {
		return err
	}
	s.router, err = router.Open(ctx, router.Config{JS: js, View: s.cat.View(), Index: s.index, Deliverer: s.disp,
		Metrics: s.metrics, Log: s.log.With("component", "router")})
	return err
}

// closeEventPath stops routing, lets the deliveries in hand finish, and
// stores what is queued for ingest: the reverse of openEventPath, for
// whatever of it was opened.
func (s *Server) closeEventPath(ctx context.Context) error {
	var errs []error
	if s.router != nil {
		s.router.Stop()
	}
	if s.disp != nil {
		// Settles every delivery it holds, and so the router's batches.
		errs = append(errs, s.disp.Close(ctx))
	}
	if s.router != nil {
		s.router.Close()
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close(ctx))
	}
	return errors.Join(errs...)
}

// serveStats answers the event path's counters as JSON.
func (s *Server) serveStats(w http.ResponseWriter, _ *http.Request) {
	rs, ds := s.router.Stats(), s.disp.Stats()
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
		// Restarts of the embedded NATS server after a store failure.
		"store_recoveries": int64(s.node.Status().Recoveries),
	})
}

// serveDeadLetters lists the newest events recorded for dead-letter queues
// (?limit=N, default 100), newest first, with their AWS attributes.
func (s *Server) serveDeadLetters(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && v > 0 && v <= 1000 {
		limit = v
	}
	ctx := r.Context()
	out := []map[string]any{}
	st, err := s.node.JetStream().Stream(ctx, delivery.DeadLetterStream)
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
