package bench

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func sampleReport() *Report {
	cfg := Defaults()
	cfg.Validate()
	cfg.Target = "http"
	cfg.Rules = 100
	return &Report{
		RunID:         "0123456789ab",
		Config:        cfg,
		Command:       cfg.Flags(),
		Seconds:       30,
		Requests:      3000,
		Sent:          30000,
		Accepted:      29990,
		FailedEntries: 10,
		FailedByCode:  map[string]uint64{"ThrottlingException": 10},
		RequestErrors: map[string]uint64{"Timeout": 1, "InternalException": 2},
		ErrorEvents:   30,
		Messages:      map[string]string{"ThrottlingException": "Rate exceeded"},
		EventsPerSec:  999.6666,
		Request:       Latency{Count: 2997, Mean: 1.5, P50: 1.234, P90: 3.21, P99: 12.345, Max: 123.4},
		Delivery: &Delivery{
			Expected: 29990, Received: 29991, Unique: 29985, Duplicates: 1, Missing: 5,
			DrainSec: 10, E2E: Latency{Count: 29985, P50: 2.5, P90: 4, P99: 25, Max: 250},
		},
		Notes: []string{"a note"},
	}
}

func TestReportText(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `run              0123456789ab  switchyard bench --endpoint=http://127.0.0.1:4010 --region=us-east-1 --clients=16 --batch=10 --event-size=1024 --rules=100 --matching-rules=1 --rate=0 --duration=30s --events=0 --warmup=0s --drain=10s --target=http --bus=switchyard-bench --request-timeout=10s
duration         30.00s
requests         3000
events sent      30000
events accepted  29990
failed entries   10  (ThrottlingException: 10)
request errors   3  (InternalException: 2, Timeout: 1)  (30 events)
events/s         1000
request latency  p50 1.23ms  p90 3.21ms  p99 12.3ms  max 123ms  (2997 samples)
deliveries       29991 received, 29990 expected, 29985 unique
duplicates       1
missing          5  (after 10.0s of drain)
e2e latency      p50 2.50ms  p90 4.00ms  p99 25.0ms  max 250ms  (29985 samples)
message          ThrottlingException: Rate exceeded
note             a note
`
	if got := b.String(); got != want {
		t.Errorf("text report:\n%s\nwant:\n%s", got, want)
	}
}

func TestReportTextWithoutTarget(t *testing.T) {
	rep := sampleReport()
	rep.Delivery = nil
	rep.Config.Target = "none"
	rep.Aborted = &Abort{Code: "NotImplementedException", Reason: fatalCodes["NotImplementedException"], Message: "Operation PutEvents is not implemented yet in Switchyard."}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"deliveries       not measured (--target none)\n",
		"ABORTED          NotImplementedException: the endpoint does not implement PutEvents: Operation PutEvents is not implemented yet in Switchyard.\n",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("report lacks %q:\n%s", line, b.String())
		}
	}
}

func TestReportJSON(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Config struct {
			Duration  string `json:"duration"`
			Drain     string `json:"drain"`
			Rules     int    `json:"rules"`
			SecretKey string `json:"secret_key"`
		} `json:"config"`
		Accepted uint64 `json:"events_accepted"`
		Request  struct {
			P99 float64 `json:"p99_ms"`
		} `json:"request_latency"`
		Delivery struct {
			Missing uint64 `json:"missing"`
			E2E     struct {
				P50 float64 `json:"p50_ms"`
			} `json:"e2e_latency"`
		} `json:"delivery"`
		RequestErrors map[string]uint64 `json:"request_errors"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if got.Config.Duration != "30s" || got.Config.Drain != "10s" || got.Config.Rules != 100 {
		t.Errorf("config %+v", got.Config)
	}
	if strings.Contains(b.String(), `"test"`+"\n") && got.Config.SecretKey != "" {
		t.Error("the secret key is in the report")
	}
	if got.Accepted != 29990 || got.Request.P99 != 12.345 || got.Delivery.Missing != 5 || got.Delivery.E2E.P50 != 2.5 || got.RequestErrors["Timeout"] != 1 {
		t.Errorf("decoded %+v", got)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string // substring of the error, "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"batch 11", func(c *Config) { c.Batch = 11 }, "batch must be 1 to 10"},
		{"matching > rules", func(c *Config) { c.MatchingRules = 20 }, "matching-rules"},
		{"no stop", func(c *Config) { c.Duration = 0 }, "give a duration"},
		{"events only", func(c *Config) { c.Duration, c.Events = 0, 100 }, ""},
		{"http target without matching rule", func(c *Config) { c.Target, c.MatchingRules = "http", 0 }, "at least one matching rule"},
		{"bad target", func(c *Config) { c.Target = "sqs" }, "none or http"},
		{"tiny event", func(c *Config) { c.EventSize = 10 }, "event-size"},
		{"bad endpoint", func(c *Config) { c.Endpoint = "127.0.0.1:4010" }, "endpoint"},
		{"bad bus", func(c *Config) { c.Bus = "a b" }, "bus"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Defaults()
			tc.edit(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one about %q", err, tc.want)
			}
		})
	}
}
