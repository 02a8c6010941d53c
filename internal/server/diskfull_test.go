package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/server"
	"github.com/switchyard-dev/switchyard/internal/smallfs"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// The full-disk tests put the server's data directory on a small
// filesystem of its own (package smallfs), fill it with a file until writes
// fail, and free it again: the failures are the real ones, from the
// kernel through nats-server.

// openOnDisk runs a server in process with its store under dataDir.
func openOnDisk(t *testing.T, dataDir string) *server.Server {
	t.Helper()
	s, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: dataDir, AccountID: "000000000000", Region: "us-east-1",
		Endpoints: map[string]string{"*": "http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(context.Background()); err != nil {
		t.Fatalf("Open on %s: %v", dataDir, err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = s.Close(ctx)
		}
	})
	return s
}

// health reads GET /_switchyard/health.
func health(t *testing.T, s *server.Server) (int, map[string]string) {
	t.Helper()
	resp, err := http.Get("http://" + s.Addr().String() + "/_switchyard/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	h := map[string]string{}
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &h)
	return resp.StatusCode, h
}

// blockBytes adds up the message block files of one stream of the store.
func blockBytes(dataDir, stream string) int64 {
	var n int64
	_ = filepath.WalkDir(filepath.Join(dataDir, "jetstream", "$G", "streams", stream, "msgs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".blk") {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// delivered is the set of event ids an endpoint accepted.
type delivered struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (d *delivered) add(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ids[id] = true
}

func (d *delivered) missing(ids []string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, id := range ids {
		if !d.ids[id] {
			n++
		}
	}
	return n
}

// TestFullDisk runs a server whose disk fills while it has work in hand
// (events waiting in the retry stream for a target that is down), then is
// freed:
//
//   - while it is full, PutEvents fails within seconds (not after the 30 s
//     write timeout) with InternalFailure saying the store is out of space,
//     other writes fail with a 5xx, and the health check answers 503;
//   - the work in hand is still delivered once the target is back;
//   - once space is freed, without restarting the server, the health check
//     answers 200 and a new event is accepted and delivered;
//   - the retry stream gives back the space of the retries delivered;
//   - the server starts again on the same directory afterwards.
func TestFullDisk(t *testing.T) {
	small := smallfs.Mount(t, 64<<20)
	dataDir := filepath.Join(small.Dir, "data")
	var up atomic.Bool
	got := &delivered{ids: map[string]bool{}}
	var rc *receiver
	rc = newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if !up.Load() {
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
			return
		}
		var ev struct{ ID string }
		if json.Unmarshal(rc.Hits()[n-1].Body, &ev) == nil {
			got.add(ev.ID)
		}
		w.WriteHeader(http.StatusOK)
	})
	s := openOnDisk(t, dataDir)
	eb := client(s, "AKIDEXAMPLE", "secret", "")
	ctx := context.Background()
	dest := apiDest(t, eb, "hook", rc.URL(), 0, nil)
	rule(t, eb, "", "r", `{"source":["full.test"]}`, types.Target{Id: aws.String("hook"), Arn: aws.String(dest),
		RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(185), MaximumEventAgeInSeconds: aws.Int32(3600)}})

	// Work in hand: events whose first attempts failed, in the retry stream.
	detail := `{"pad":"` + strings.Repeat("x", 20<<10) + `"}`
	var ids []string
	for range 30 {
		entries := make([]types.PutEventsRequestEntry, 10)
		for i := range entries {
			entries[i] = entry("", "full.test", "work", detail)
		}
		out := put(t, eb, entries...)
		for _, e := range out.Entries {
			if e.EventId == nil {
				t.Fatalf("event refused before the disk filled: %s", aws.ToString(e.ErrorMessage))
			}
			ids = append(ids, *e.EventId)
		}
	}
	waitCount(t, "every event in the retry stream", len(ids), func() int { return int(stats(t, s)["retried"]) })
	t.Logf("%d events waiting for their target; retry stream blocks: %d bytes", len(ids), blockBytes(dataDir, "switchyard-retries"))

	small.Fill(t)
	t.Logf("disk filled: %d bytes free", small.Available())

	// Larger than what may be left in a block file's last page: small writes
	// can still fit on a filesystem with nothing free.
	big := `{"pad":"` + strings.Repeat("y", 200<<10) + `"}`
	start := time.Now()
	out, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{entry("", "full.test", "new", big)}})
	took := time.Since(start)
	switch {
	case err != nil:
		t.Errorf("PutEvents on a full disk: request failed after %v: %v", took, err)
	case out.FailedEntryCount != 1 || aws.ToString(out.Entries[0].ErrorCode) != "InternalFailure":
		t.Errorf("PutEvents on a full disk answered after %v: %d failed, entry %+v", took, out.FailedEntryCount, out.Entries[0])
	default:
		msg := aws.ToString(out.Entries[0].ErrorMessage)
		t.Logf("PutEvents on a full disk: %s after %v", msg, took)
		if !strings.Contains(msg, "out of space") {
			t.Errorf("PutEvents entry message %q does not say the store is out of space", msg)
		}
	}
	// Bounded loosely for a slow machine: the point is not the 30 s of a
	// write nats-server never answers.
	if took > 5*time.Second {
		t.Errorf("PutEvents on a full disk took %v", took)
	}

	code, h := health(t, s)
	t.Logf("health on a full disk: %d %v", code, h)
	if code != http.StatusServiceUnavailable || h["status"] == "ok" || !strings.Contains(h["reason"], "full") {
		t.Errorf("health on a full disk: %d %v", code, h)
	}

	start = time.Now()
	longPattern := `{"source":["x"],"detail":{"pad":["` + strings.Repeat("z", 3500) + `"]}}`
	_, err = eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("while-full"), EventPattern: aws.String(longPattern)})
	took = time.Since(start)
	var re *smithyHTTPError
	switch {
	case err == nil:
		t.Errorf("PutRule on a full disk succeeded")
	case !asHTTPError(err, &re) || re.status != http.StatusServiceUnavailable || errCode(err) != "ServiceUnavailableException" ||
		!strings.Contains(err.Error(), "out of space"):
		t.Errorf("PutRule on a full disk: %v after %v, want 503 ServiceUnavailableException saying the store is out of space", err, took)
	default:
		t.Logf("PutRule on a full disk: HTTP %d %s after %v", re.status, errCode(err), took)
	}
	if took > 5*time.Second {
		t.Errorf("PutRule on a full disk took %v", took)
	}

	// The target comes back while the disk is still full: the work in hand
	// is delivered.
	up.Store(true)
	waitCount(t, "the events in hand delivered", len(ids), func() int { return len(ids) - got.missing(ids) })

	small.Free(t)
	t.Logf("disk freed: %d bytes free", small.Available())
	waitFor(t, "health 200 after the space was freed", func() bool {
		code, _ := health(t, s)
		return code == http.StatusOK
	})
	start = time.Now()
	out = put(t, eb, entry("", "full.test", "after", `{}`))
	if e := out.Entries[0]; e.EventId == nil {
		t.Errorf("PutEvents after the space was freed: %s %s after %v", aws.ToString(e.ErrorCode), aws.ToString(e.ErrorMessage), time.Since(start))
	} else {
		waitFor(t, "the event put after the space was freed delivered", func() bool { return got.missing([]string{*e.EventId}) == 0 })
	}
	if _, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("after-full"), EventPattern: aws.String(`{"source":["x"]}`)}); err != nil {
		t.Errorf("PutRule after the space was freed: %v", err)
	}
	t.Logf("the same server after the space was freed; stats: %v", stats(t, s))

	// Finished work takes no space: the delivered retries leave the disk.
	// Reclaimed every 30 s: the wait goes on while the space shrinks.
	testwait.For(t, "the delivered retries' space given back", func() testwait.Status {
		n := blockBytes(dataDir, "switchyard-retries")
		return testwait.Status{Done: n < 1<<20, Progress: -n, Missing: fmt.Sprintf("the retry stream's blocks hold %d bytes", n)}
	})

	// And the server starts again on the same directory.
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.Close(cctx); err != nil {
		t.Errorf("close: %v", err)
	}
	s2 := openOnDisk(t, dataDir)
	if code, h := health(t, s2); code != http.StatusOK {
		t.Errorf("health after the restart: %d %v", code, h)
	}
	retried, events := blockBytes(dataDir, "switchyard-retries"), blockBytes(dataDir, "switchyard-events")
	t.Logf("after the restart: retry stream blocks %d bytes, events stream blocks %d bytes", retried, events)
	if retried+events > 1<<20 {
		t.Errorf("after the restart the store still holds %d bytes of delivered work", retried+events)
	}
	id := put1(t, client(s2, "AKIDEXAMPLE", "secret", ""), entry("", "full.test", "after restart", `{}`))
	waitFor(t, "the event put after the restart delivered", func() bool { return got.missing([]string{id}) == 0 })
}

// smithyHTTPError is an error answer's HTTP status.
type smithyHTTPError struct{ status int }

// asHTTPError finds the HTTP status of an SDK error.
func asHTTPError(err error, out **smithyHTTPError) bool {
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) {
		return false
	}
	*out = &smithyHTTPError{status: re.HTTPStatusCode()}
	return true
}

// TestMaxStoreReached: past --max-store PutEvents fails at once with "out
// of space"; every event accepted before is still delivered once its
// target takes it, which makes room, and then events are accepted again,
// without a restart.
func TestMaxStoreReached(t *testing.T) {
	var up atomic.Bool
	got := &delivered{ids: map[string]bool{}}
	var rc *receiver
	rc = newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if !up.Load() {
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
			return
		}
		var ev struct{ ID string }
		if json.Unmarshal(rc.Hits()[n-1].Body, &ev) == nil {
			got.add(ev.ID)
		}
		w.WriteHeader(http.StatusOK)
	})
	s, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), MaxStore: "4MiB",
		AccountID: "000000000000", Region: "us-east-1", Endpoints: map[string]string{"*": "http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	eb := client(s, "AKIDEXAMPLE", "secret", "")
	dest := apiDest(t, eb, "hook", rc.URL(), 0, nil)
	rule(t, eb, "", "r", `{"source":["max.test"]}`, types.Target{Id: aws.String("hook"), Arn: aws.String(dest),
		RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(185), MaximumEventAgeInSeconds: aws.Int32(3600)}})

	detail := `{"pad":"` + strings.Repeat("x", 100<<10) + `"}`
	var accepted []string
	refused := ""
	for i := 0; i < 400 && refused == ""; i++ {
		start := time.Now()
		out := put(t, eb, entry("", "max.test", "work", detail))
		if e := out.Entries[0]; e.EventId != nil {
			accepted = append(accepted, *e.EventId)
			continue
		}
		took := time.Since(start)
		refused = aws.ToString(out.Entries[0].ErrorMessage)
		t.Logf("event %d refused after %v: %s: %s", i, took, aws.ToString(out.Entries[0].ErrorCode), refused)
		if took > 5*time.Second {
			t.Errorf("refusal took %v", took)
		}
	}
	if !strings.Contains(refused, "out of space") {
		t.Fatalf("%d events of 100 KiB accepted under a 4 MiB max store; last refusal %q", len(accepted), refused)
	}
	// The health check answers 503 while JetStream holds its max store;
	// here that passes as soon as the last events accepted are routed
	// (their batches leave the store), so it is only logged.
	code, h := health(t, s)
	t.Logf("health right after the refusal: %d %v", code, h)

	up.Store(true)
	waitCount(t, "every accepted event delivered", len(accepted), func() int { return len(accepted) - got.missing(accepted) })
	waitFor(t, "health 200 once deliveries made room", func() bool {
		code, _ := health(t, s)
		return code == http.StatusOK
	})
	id := put1(t, eb, entry("", "max.test", "after", `{}`))
	waitFor(t, "the event put after room was made delivered", func() bool { return got.missing([]string{id}) == 0 })
	t.Logf("%d events accepted before the limit, all delivered; stats %v", len(accepted), stats(t, s))
}
