package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of a run. Counts cover the measured phase only:
// warmup events are sent and delivered but not counted.
type Report struct {
	RunID   string  `json:"run_id"`
	Config  Config  `json:"config"`
	Command string  `json:"command"`
	Seconds float64 `json:"seconds"` // length of the measured phase

	Requests      uint64            `json:"requests"`
	Sent          uint64            `json:"events_sent"`
	Accepted      uint64            `json:"events_accepted"`
	FailedEntries uint64            `json:"failed_entries"` // FailedEntryCount summed
	FailedByCode  map[string]uint64 `json:"failed_entries_by_code,omitempty"`
	RequestErrors map[string]uint64 `json:"request_errors,omitempty"` // requests, by error code
	ErrorEvents   uint64            `json:"events_in_failed_requests"`
	Messages      map[string]string `json:"messages,omitempty"` // first message per code
	EventsPerSec  float64           `json:"events_per_second"`  // accepted events
	Request       Latency           `json:"request_latency"`    // successful PutEvents calls

	Delivery *Delivery `json:"delivery,omitempty"` // nil without a target
	Aborted  *Abort    `json:"aborted,omitempty"`
	Notes    []string  `json:"notes,omitempty"`
}

// Delivery is what the HTTP target saw.
type Delivery struct {
	Expected   uint64 `json:"expected"` // accepted events x matching rules
	Received   uint64 `json:"received"` // requests, warmup deliveries excluded
	Unique     uint64 `json:"unique"`
	Duplicates uint64 `json:"duplicates"`
	Missing    uint64 `json:"missing"`
	// Deliveries without this run's token in their body: e2e latency,
	// duplicates and missing cannot be told for them.
	Unattributed uint64 `json:"unattributed,omitempty"`
	// Deliveries of events whose PutEvents entry failed, and deliveries
	// that arrived after their block of events was given up on.
	Unexpected uint64  `json:"unexpected,omitempty"`
	Late       uint64  `json:"late,omitempty"`
	NoAPIKey   uint64  `json:"without_api_key,omitempty"`
	NoRule     uint64  `json:"without_rule_header,omitempty"`
	DrainSec   float64 `json:"drain_seconds"`
	E2E        Latency `json:"e2e_latency"`
}

func (r *runner) report(elapsed, drained time.Duration) *Report {
	st := r.stats[1]
	rep := &Report{
		RunID:         r.runID,
		Config:        *r.cfg,
		Command:       r.cfg.Flags(),
		Seconds:       elapsed.Seconds(),
		Requests:      st.requests.Load(),
		Sent:          st.sent.Load(),
		Accepted:      st.accepted.Load(),
		FailedEntries: st.failed.Load(),
		ErrorEvents:   st.errored.Load(),
		Request:       st.latency.Summary(),
		Aborted:       r.aborted,
	}
	if elapsed > 0 {
		rep.EventsPerSec = float64(rep.Accepted) / elapsed.Seconds()
	}
	st.mu.Lock()
	if len(st.entryCodes) > 0 {
		rep.FailedByCode = maps.Clone(st.entryCodes)
	}
	if len(st.errCodes) > 0 {
		rep.RequestErrors = maps.Clone(st.errCodes)
	}
	if len(st.messages) > 0 {
		rep.Messages = maps.Clone(st.messages)
	}
	st.mu.Unlock()

	if r.tracker != nil {
		c := r.tracker.Counts()
		rc := r.rc
		d := &Delivery{
			Expected:     c.Accepted * uint64(r.cfg.MatchingRules),
			Received:     rc.received.Load() - rc.warmup.Load(),
			Unique:       c.Unique - c.Unexpected,
			Duplicates:   c.Duplicates,
			Missing:      c.Missing,
			Unattributed: rc.noToken.Load(),
			Unexpected:   c.Unexpected,
			Late:         c.Late,
			NoAPIKey:     rc.noAPIKey.Load(),
			NoRule:       rc.noRule.Load(),
			DrainSec:     drained.Seconds(),
			E2E:          rc.e2e.Summary(),
		}
		rep.Delivery = d
		switch {
		case d.Received == 0 && d.Expected > 0:
			rep.Notes = append(rep.Notes, fmt.Sprintf("no deliveries within the %s drain: the endpoint may not deliver to API destinations (moto does only with MOTO_EVENTS_INVOKE_HTTP=true)", r.cfg.Drain))
		case d.Unattributed > 0:
			// moto sends API destination requests with no body.
			d.Missing = 0
			rep.Notes = append(rep.Notes, fmt.Sprintf("%d deliveries carried no event of this run (no body?): they are counted, but e2e latency, duplicates and missing are not measured for them", d.Unattributed))
		}
		if d.NoRule > 0 && r.cfg.MatchingRules > 1 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%d deliveries lacked the %s header the targets set: they were all counted as rule 0's, so duplicates may be overcounted", d.NoRule, ruleHeader))
		}
		if d.NoAPIKey > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%d deliveries lacked the Connection's API key header %s", d.NoAPIKey, apiKeyHeader))
		}
	}
	return rep
}

// WriteJSON writes the report as indented JSON.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteText writes the report as an aligned table.
func (rep *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, format string, args ...any) { fmt.Fprintf(tw, "%s\t"+format+"\n", append([]any{k}, args...)...) }
	row("run", "%s  %s", rep.RunID, rep.Command)
	row("duration", "%.2fs", rep.Seconds)
	row("requests", "%d", rep.Requests)
	row("events sent", "%d", rep.Sent)
	row("events accepted", "%d", rep.Accepted)
	row("failed entries", "%d%s", rep.FailedEntries, byCode(rep.FailedByCode))
	row("request errors", "%d%s  (%d events)", sum(rep.RequestErrors), byCode(rep.RequestErrors), rep.ErrorEvents)
	row("events/s", "%.0f", rep.EventsPerSec)
	row("request latency", "%s", fmtLatency(rep.Request))
	if d := rep.Delivery; d != nil {
		row("deliveries", "%d received, %d expected, %d unique", d.Received, d.Expected, d.Unique)
		row("duplicates", "%d", d.Duplicates)
		row("missing", "%d  (after %.1fs of drain)", d.Missing, d.DrainSec)
		if d.Unattributed > 0 {
			row("unattributed", "%d", d.Unattributed)
		}
		if d.Unexpected > 0 || d.Late > 0 {
			row("unexpected, late", "%d, %d", d.Unexpected, d.Late)
		}
		row("e2e latency", "%s", fmtLatency(d.E2E))
	} else if rep.Config.Target == "http" {
		row("deliveries", "not measured: the HTTP target could not be set up (see notes)")
	} else {
		row("deliveries", "not measured (--target none)")
	}
	if a := rep.Aborted; a != nil {
		row("ABORTED", "%s: %s: %s", a.Code, a.Reason, a.Message)
	}
	for _, code := range slices.Sorted(maps.Keys(rep.Messages)) {
		row("message", "%s: %s", code, rep.Messages[code])
	}
	for _, n := range rep.Notes {
		row("note", "%s", n)
	}
	return tw.Flush()
}

func fmtLatency(l Latency) string {
	if l.Count == 0 {
		return "no samples"
	}
	return fmt.Sprintf("p50 %s  p90 %s  p99 %s  max %s  (%d samples)", fmtMs(l.P50), fmtMs(l.P90), fmtMs(l.P99), fmtMs(l.Max), l.Count)
}

// fmtMs prints milliseconds with three significant digits.
func fmtMs(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0fms", v)
	case v >= 10:
		return fmt.Sprintf("%.1fms", v)
	default:
		return fmt.Sprintf("%.2fms", v)
	}
}

func byCode(m map[string]uint64) string {
	if len(m) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("  (")
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %d", k, m[k])
	}
	b.WriteString(")")
	return b.String()
}

func sum(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}
