// Package metrics exposes the event path's counters in Prometheus format,
// named after EventBridge's CloudWatch metrics (namespace AWS/Events) and
// labelled with the dimensions AWS gives them: the bus (with its account
// and region, since one Switchyard serves many) and the rule.
//
// What each counts, as the EventBridge user guide defines it:
//
//   - matched_events: events that matched at least one rule of the bus.
//   - triggered_rules: per rule, the events it matched.
//   - invocation_attempts: every call made to a target, first or retry.
//   - retry_invocation_attempts: the calls that were retries.
//   - invocations: invocations that ended, delivered or failed for good,
//     not counting those that went to a dead-letter queue or were never
//     made (below).
//   - failed_invocations: invocations that failed for good and had no
//     dead-letter queue to go to.
//   - dead_letter_invocations: times a target was not invoked at all in
//     response to an event: a loop between buses cut, an input that could
//     not be made (AWS: "includes invocations that would result in running
//     the same rule again, causing an infinite loop").
//   - invocations_sent_to_dlq / invocations_failed_to_be_sent_to_dlq: dead
//     letters sent to their SQS queue, and those whose first sending
//     failed (kept and sent again later).
//   - throttled_rules: attempts the target answered with throttling (AWS
//     counts the rules its own invocation quota throttles; Switchyard has
//     no such quota, and an API destination's rate limit delays without
//     failing).
//   - ingestion_to_invocation_start_latency_seconds: from PutEvents
//     accepting an event to the start of its first attempt at a target.
package metrics

import (
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/switchyard-dev/switchyard/internal/catalog"
)

const namespace = "switchyard"

var (
	busLabels  = []string{"account", "region", "event_bus"}
	ruleLabels = []string{"account", "region", "event_bus", "rule"}
)

// Registry holds the metrics of one server. Its methods are safe for
// concurrent use.
type Registry struct {
	reg *prometheus.Registry

	matched                                            *prometheus.CounterVec
	triggered, attempts, retries, invocations, failed  *prometheus.CounterVec
	deadLetter, sentToDLQ, failedToDLQ, throttledRules *prometheus.CounterVec
	latency                                            *prometheus.HistogramVec

	rules sync.Map // RuleKey → *Rule
	buses sync.Map // catalog.BusKey → prometheus.Counter
}

// RuleKey names a rule.
type RuleKey struct {
	Bus  catalog.BusKey
	Rule string
}

// Rule holds one rule's counters, looked up once and kept by the caller or
// the registry's cache.
type Rule struct {
	TriggeredRules, InvocationAttempts, RetryInvocationAttempts prometheus.Counter
	Invocations, FailedInvocations, DeadLetterInvocations       prometheus.Counter
	InvocationsSentToDlq, InvocationsFailedToBeSentToDlq        prometheus.Counter
	ThrottledRules                                              prometheus.Counter
	IngestionToInvocationStartLatency                           prometheus.Observer
}

// New returns a Registry with the Go runtime and process collectors.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry()}
	counter := func(name, help string, labels []string) *prometheus.CounterVec {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
		r.reg.MustRegister(v)
		return v
	}
	r.matched = counter("matched_events_total", "Events that matched at least one rule (EventBridge MatchedEvents).", busLabels)
	r.triggered = counter("triggered_rules_total", "Events each rule matched (EventBridge TriggeredRules).", ruleLabels)
	r.attempts = counter("invocation_attempts_total", "Calls made to targets, first attempts and retries (EventBridge InvocationAttempts).", ruleLabels)
	r.retries = counter("retry_invocation_attempts_total", "Calls made to targets that were retries (EventBridge RetryInvocationAttempts).", ruleLabels)
	r.invocations = counter("invocations_total", "Invocations that ended, delivered or failed for good, excluding dead-lettered ones (EventBridge Invocations).", ruleLabels)
	r.failed = counter("failed_invocations_total", "Invocations that failed for good without a dead-letter queue (EventBridge FailedInvocations).", ruleLabels)
	r.deadLetter = counter("dead_letter_invocations_total", "Times a target was not invoked in response to an event: loops cut, inputs not made (EventBridge DeadLetterInvocations).", ruleLabels)
	r.sentToDLQ = counter("invocations_sent_to_dlq_total", "Undeliverable events sent to their dead-letter queue (EventBridge InvocationsSentToDlq).", ruleLabels)
	r.failedToDLQ = counter("invocations_failed_to_be_sent_to_dlq_total", "Undeliverable events whose first sending to the dead-letter queue failed; they are kept and sent again (EventBridge InvocationsFailedToBeSentToDlq).", ruleLabels)
	r.throttledRules = counter("throttled_rules_total", "Attempts the target answered with throttling (EventBridge ThrottledRules).", ruleLabels)
	r.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "ingestion_to_invocation_start_latency_seconds",
		Help:    "Time from PutEvents accepting an event to the start of its first attempt at a target (EventBridge IngestionToInvocationStartLatency).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}}, ruleLabels)
	r.reg.MustRegister(r.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Rule returns the counters of a rule.
func (r *Registry) Rule(k RuleKey) *Rule {
	if v, ok := r.rules.Load(k); ok {
		return v.(*Rule)
	}
	l := []string{k.Bus.Account, k.Bus.Region, k.Bus.Name, k.Rule}
	m := &Rule{
		TriggeredRules: r.triggered.WithLabelValues(l...), InvocationAttempts: r.attempts.WithLabelValues(l...),
		RetryInvocationAttempts: r.retries.WithLabelValues(l...), Invocations: r.invocations.WithLabelValues(l...),
		FailedInvocations: r.failed.WithLabelValues(l...), DeadLetterInvocations: r.deadLetter.WithLabelValues(l...),
		InvocationsSentToDlq: r.sentToDLQ.WithLabelValues(l...), InvocationsFailedToBeSentToDlq: r.failedToDLQ.WithLabelValues(l...),
		ThrottledRules: r.throttledRules.WithLabelValues(l...), IngestionToInvocationStartLatency: r.latency.WithLabelValues(l...),
	}
	v, _ := r.rules.LoadOrStore(k, m)
	return v.(*Rule)
}

// MatchedEvents is the counter of events that matched a rule of bus k.
func (r *Registry) MatchedEvents(k catalog.BusKey) prometheus.Counter {
	if v, ok := r.buses.Load(k); ok {
		return v.(prometheus.Counter)
	}
	v, _ := r.buses.LoadOrStore(k, r.matched.WithLabelValues(k.Account, k.Region, k.Name))
	return v.(prometheus.Counter)
}

// Handler serves the metrics in Prometheus's text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{Registry: r.reg})
}
