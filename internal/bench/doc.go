// Package bench is the load generator behind `switchyard bench`.
//
// A run has four parts. Setup creates a bus, rules whose patterns match the
// generated events or deliberately do not, and, with an HTTP target, a
// Connection and an ApiDestination that point at a receiver the bench serves
// itself on loopback. Senders (one goroutine per client, all sharing one
// eventbridge client) call PutEvents in a loop, optionally paced to a target
// rate. The receiver decodes a token that every event's Detail carries (run id,
// sequence number, send time) to measure end-to-end latency and to count
// duplicate and missing deliveries. Teardown removes what setup created.
//
// Everything a run accumulates has a fixed size, so a long run keeps a flat
// memory profile: latencies go into log-bucketed histograms (Histogram), and
// delivery bookkeeping (tracker) keeps one bit per event and rule only for
// blocks of sequence numbers that still wait for a delivery.
//
// Against moto (5.x): setup works (CreateEventBus, PutRule, PutTargets,
// CreateConnection, CreateApiDestination), but moto calls API destinations
// only when started with MOTO_EVENTS_INVOKE_HTTP=true, synchronously inside
// PutEvents, and without the event as body nor the Connection's API key. The
// bench then counts those deliveries as unattributed: e2e latency, duplicates
// and missing are not measured for them, and the report says so.
package bench
