package server_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/delivery/sqs/sqstest"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
	"github.com/switchyard-dev/switchyard/internal/server"
)

// metricsOf reads GET /metrics and returns the samples of the series whose
// labels include all of want, by metric name (histograms: their _count).
func metricsOf(t *testing.T, s *server.Server, want map[string]string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + s.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q", ct)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		name, rest, ok := strings.Cut(line, "{")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		labels, value, ok := strings.Cut(rest, "} ")
		if !ok {
			continue
		}
		match := true
		for k, v := range want {
			if !strings.Contains(","+labels+",", fmt.Sprintf(",%s=%q,", k, v)) {
				match = false
			}
		}
		if match {
			f, err := strconv.ParseFloat(value, 64)
			if err != nil {
				t.Fatalf("metric line %q: %v", line, err)
			}
			out[name] += f
		}
	}
	return out
}

// TestMetricsMove: one event matched by a rule with five targets — one
// delivered, one missing (dead-lettered), one refusing connections
// (retried once, then failed without a dead-letter queue), one whose input
// cannot be made (never invoked), one whose dead-letter queue does not
// exist — moves each EventBridge metric by what AWS's definitions say.
func TestMetricsMove(t *testing.T) {
	t.Parallel()
	moto := sqstest.StartMoto(t)
	mc := sqstest.Client(moto)
	refused := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	const acct = "100000000090"
	s := startServer(t, server.Config{Endpoints: map[string]string{"*": moto, "lambda": refused}})
	eb := client(s, acct, "x", "")
	ok := newQueue(t, mc, acct, "metrics-ok", nil)
	dlq := newQueue(t, mc, acct, "metrics-dlq", nil)
	withDLQ := func(tg types.Target, arn string) types.Target {
		tg.DeadLetterConfig = &types.DeadLetterConfig{Arn: aws.String(arn)}
		return tg
	}
	refusing := target("refused", "arn:aws:lambda:us-east-1:"+acct+":function:f")
	refusing.RetryPolicy = &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(1), MaximumEventAgeInSeconds: aws.Int32(60)}
	badInput := target("bad-input", ok.arn)
	// A placeholder inside a quoted string that holds an object: not JSON.
	badInput.InputTransformer = &types.InputTransformer{InputPathsMap: map[string]string{"d": "$.detail"}, InputTemplate: aws.String(`{"x": "<d>"}`)}
	rule(t, eb, "", "metered", `{"source":["metrics"]}`,
		target("ok", ok.arn),
		withDLQ(target("missing", queueARN(acct, "metrics-missing")), dlq.arn),
		refusing,
		badInput,
		withDLQ(target("missing-dlq", queueARN(acct, "metrics-missing-2")), queueARN(acct, "metrics-no-such-dlq")),
	)
	put1(t, eb, entry("", "metrics", "m", `{"a":1}`))
	put1(t, eb, entry("", "other", "m", `{"a":1}`)) // matches nothing

	labels := map[string]string{"account": acct, "region": "us-east-1", "event_bus": "default", "rule": "metered"}
	want := map[string]float64{
		"switchyard_triggered_rules_total":                               1,
		"switchyard_invocation_attempts_total":                           5, // ok, missing, refused ×2, missing-dlq
		"switchyard_retry_invocation_attempts_total":                     1,
		"switchyard_invocations_total":                                   2, // ok delivered, refused failed for good
		"switchyard_failed_invocations_total":                            1,
		"switchyard_dead_letter_invocations_total":                       1, // bad-input, never invoked
		"switchyard_invocations_sent_to_dlq_total":                       1,
		"switchyard_invocations_failed_to_be_sent_to_dlq_total":          1,
		"switchyard_throttled_rules_total":                               0,
		"switchyard_ingestion_to_invocation_start_latency_seconds_count": 5,
	}
	var got map[string]float64
	waitFor(t, "the metrics to settle", func() bool {
		got = metricsOf(t, s, labels)
		for k, v := range want {
			if got[k] != v {
				return false
			}
		}
		return true
	})
	if m := metricsOf(t, s, map[string]string{"account": acct, "event_bus": "default"}); m["switchyard_matched_events_total"] != 1 {
		t.Errorf("matched events %v, want 1 (the second event matched nothing)", m["switchyard_matched_events_total"])
	}
	// The DLQ got the missing queue's event; the delivered one arrived.
	receive(t, mc, dlq.url, 1)
	receive(t, mc, ok.url, 1)
}

// TestThrottledRulesMetric: a target answering 429 (a stand-in speaking
// Lambda's REST API, which moto cannot invoke without Docker) counts in
// throttled_rules, is retried, and the retry's success is the invocation.
func TestThrottledRulesMetric(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	lambda := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"Type":"User","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","message":"Rate Exceeded."}`))
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer lambda.Close()
	const acct = "100000000091"
	s := startServer(t, server.Config{Endpoints: map[string]string{"lambda": lambda.URL}})
	eb := client(s, acct, "x", "")
	rule(t, eb, "", "throttled", `{"source":["throttle"]}`, target("fn", "arn:aws:lambda:us-east-1:"+acct+":function:busy"))
	put1(t, eb, entry("", "throttle", "d", `{}`))
	want := map[string]float64{"switchyard_throttled_rules_total": 1, "switchyard_invocation_attempts_total": 2,
		"switchyard_retry_invocation_attempts_total": 1, "switchyard_invocations_total": 1, "switchyard_failed_invocations_total": 0}
	waitFor(t, "the retry counted", func() bool {
		got := metricsOf(t, s, map[string]string{"account": acct, "rule": "throttled"})
		for k, v := range want {
			if got[k] != v {
				return false
			}
		}
		return true
	})
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2", calls.Load())
	}
}
