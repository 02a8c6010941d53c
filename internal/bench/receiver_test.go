package bench

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDetailSizeAndToken(t *testing.T) {
	runID := newRunID()
	for _, size := range []int{minEventSize, 100, 1024, 4096} {
		db := newDetailBuilder(runID, size)
		sent := time.Now().UnixNano()
		d := db.Detail(false, 123456, sent)
		if len(d) != size {
			t.Errorf("size %d: detail has %d bytes", size, len(d))
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(d), &v); err != nil || v["kind"] != "load" {
			t.Errorf("size %d: detail %q is not the JSON rules match: %v", size, d, err)
		}
		tok, ok := findToken([]byte(d), []byte(tokenPrefix(runID)))
		if !ok || tok != (token{seq: 123456, sent: sent}) {
			t.Errorf("token %+v %v, want seq 123456 sent %d", tok, ok, sent)
		}
	}
	if _, ok := findToken([]byte(newDetailBuilder("aaaaaaaaaaaa", 200).Detail(true, 1, 1)), []byte(tokenPrefix(runID))); ok {
		t.Error("token of another run accepted")
	}
	if _, ok := parseToken([]byte("m00000000001x:0000000000000000001")); ok {
		t.Error("malformed token accepted")
	}
}

// TestReceiver posts deliveries to a real receiver, shaped as EventBridge
// delivers to an API destination: the whole event, Detail as an object.
func TestReceiver(t *testing.T) {
	runID := newRunID()
	tr := newTracker(2)
	rc := newReceiver(runID, "key", tr, 2)
	if err := rc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close(t.Context()) })
	db := newDetailBuilder(runID, 1024)

	post := func(rule, key string, body string) {
		t.Helper()
		req, _ := http.NewRequest("POST", rc.URL(), strings.NewReader(body))
		if rule != "" {
			req.Header.Set(ruleHeader, rule)
		}
		if key != "" {
			req.Header.Set(apiKeyHeader, key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	envelope := func(warmup bool, seq uint64) string {
		detail := db.Detail(warmup, seq, time.Now().Add(-5*time.Millisecond).UnixNano())
		return `{"version":"0","id":"x","detail-type":"switchyard bench event","source":"switchyard.bench","detail":` + detail + `}`
	}
	tr.Resolved(0, true)
	tr.Resolved(1, true)
	post("0", "key", envelope(false, 0))
	post("1", "key", envelope(false, 0)) // the other rule: not a duplicate
	post("0", "key", envelope(false, 1))
	post("0", "key", envelope(false, 1)) // duplicate
	post("0", "", envelope(true, 9))     // warmup, without the API key
	post("0", "key", "")                 // no body, as moto sends
	post("", "key", envelope(false, 2))  // no rule header

	if got := rc.received.Load(); got != 7 {
		t.Errorf("received %d, want 7", got)
	}
	if rc.warmup.Load() != 1 || rc.noToken.Load() != 1 || rc.noAPIKey.Load() != 1 || rc.noRule.Load() != 1 {
		t.Errorf("warmup %d, no token %d, no key %d, no rule %d; want 1 each",
			rc.warmup.Load(), rc.noToken.Load(), rc.noAPIKey.Load(), rc.noRule.Load())
	}
	c := tr.Counts()
	if c.Unique != 4 || c.Duplicates != 1 {
		t.Errorf("tracker %+v, want 4 unique, 1 duplicate", c)
	}
	s := rc.e2e.Summary()
	if s.Count != 4 || s.P50 < 5 || s.P50 > 1000 {
		t.Errorf("e2e %+v, want 4 samples of at least 5ms", s)
	}
}
