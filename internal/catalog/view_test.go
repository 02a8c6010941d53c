package catalog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/store"
)

// TestListSeesEveryAcknowledgedWrite: a List right after a write shows it,
// for every kind: Lists read the View behind the revision barrier.
func TestListSeesEveryAcknowledgedWrite(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	for i := range 20 {
		name := fmt.Sprintf("r%02d", i)
		if _, err := testCatalog.PutRule(ctx, s, DefaultBus, name, func(*Rule) (*Rule, error) {
			return &Rule{Bus: DefaultBus, Name: name, State: RuleEnabled}, nil
		}); err != nil {
			t.Fatal(err)
		}
		rs, err := testCatalog.Rules(ctx, s, DefaultBus)
		if err != nil || len(rs) != i+1 || rs[i].Name != name {
			t.Fatalf("after writing %s: %d rules, %v", name, len(rs), err)
		}
		if err := testCatalog.PutConnection(ctx, s, &Connection{Name: name, UUID: "u"}); err != nil {
			t.Fatal(err)
		}
		if cs, err := testCatalog.Connections(ctx, s); err != nil || len(cs) != i+1 {
			t.Fatalf("after connection %s: %d, %v", name, len(cs), err)
		}
	}
	if err := testCatalog.DeleteRule(ctx, s, DefaultBus, "r00", nil); err != nil {
		t.Fatal(err)
	}
	if rs, _ := testCatalog.Rules(ctx, s, DefaultBus); len(rs) != 19 || rs[0].Name != "r01" {
		t.Errorf("after a delete: %d rules", len(rs))
	}
}

// TestObserverSeesChanges: an observer gets what the View holds when it
// registers, then every change in order, deletions with the last document.
func TestObserverSeesChanges(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	put := func(name, state string) {
		t.Helper()
		if _, err := testCatalog.PutRule(ctx, s, DefaultBus, name, func(*Rule) (*Rule, error) {
			return &Rule{Bus: DefaultBus, Name: name, State: state}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	put("before", RuleEnabled)
	if err := testCatalog.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	testCatalog.View().Observe(func(c Change) {
		if c.Scope != s || c.Rule == nil {
			return
		}
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s/%s/%v", c.Rule.Name, c.Rule.State, c.Deleted))
		mu.Unlock()
	})
	put("after", RuleDisabled)
	if err := testCatalog.DeleteRule(ctx, s, DefaultBus, "before", nil); err != nil {
		t.Fatal(err)
	}
	if err := testCatalog.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := "[before/ENABLED/false after/DISABLED/false before/ENABLED/true]"; fmt.Sprint(seen) != want {
		t.Errorf("observer saw %v, want %s", seen, want)
	}
}

// TestErrorsNameTheResource: every error about a resource says which one,
// so that the API answers it in one place.
func TestErrorsNameTheResource(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	var ce *Error
	_, err := testCatalog.Rule(ctx, s, "b.x", "r")
	if !errors.As(err, &ce) || !errors.Is(err, ErrNotFound) || ce.Kind != KindRule || ce.Bus != "b.x" || ce.Name != "r" || ce.Scope != s {
		t.Errorf("missing rule: %#v", err)
	}
	_, err = testCatalog.UpdateConnection(ctx, s, "c", func(*Connection) error { return nil })
	if !errors.As(err, &ce) || !errors.Is(err, ErrNotFound) || ce.Kind != KindConnection || ce.Name != "c" {
		t.Errorf("missing connection: %#v", err)
	}
	if err := testCatalog.CreateBus(ctx, s, &Bus{Name: "dup"}); err != nil {
		t.Fatal(err)
	}
	err = testCatalog.CreateBus(ctx, s, &Bus{Name: "dup"})
	if !errors.As(err, &ce) || !errors.Is(err, ErrExists) || ce.Kind != KindBus || ce.Name != "dup" {
		t.Errorf("duplicate bus: %#v", err)
	}
	// A caller's function saying "not the one I meant" with a bare sentinel
	// gets it back about the document; its own errors come back as they are.
	_, err = testCatalog.UpdateBus(ctx, s, "dup", func(*Bus) error { return ErrNotFound })
	if !errors.As(err, &ce) || !errors.Is(err, ErrNotFound) || ce.Name != "dup" {
		t.Errorf("sentinel from fn: %#v", err)
	}
	mine := errors.New("mine")
	if _, err = testCatalog.UpdateBus(ctx, s, "dup", func(*Bus) error { return mine }); err != mine {
		t.Errorf("own error from fn: %#v", err)
	}
}

// interleaver is the real store with a second writer that always gets in
// between: after every Get of key it writes the key again, as a busy
// concurrent client would, so that the compare-and-set that follows fails.
type interleaver struct {
	Store
	key    string
	writes atomic.Int64
}

func (s *interleaver) Get(ctx context.Context, key string) (store.Entry, error) {
	e, err := s.Store.Get(ctx, key)
	if err == nil && key == s.key {
		if _, werr := s.Store.Update(ctx, key, e.Value, e.Revision); werr == nil {
			s.writes.Add(1)
		}
	}
	return e, err
}

// TestContention: a document that changes under every read-modify-write
// ends in ErrContention about that document after the retry budget, not in
// a store error.
func TestContention(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	if err := testCatalog.CreateBus(ctx, s, &Bus{Name: "hot"}); err != nil {
		t.Fatal(err)
	}
	il := &interleaver{Store: testCatalog.st.(Store), key: busRef(s, "hot").key()}
	c := &Catalog{st: il, view: testCatalog.view}
	_, err := c.UpdateBus(ctx, s, "hot", func(b *Bus) error { b.Description = new(string); return nil })
	var ce *Error
	if !errors.Is(err, ErrContention) || !errors.As(err, &ce) || ce.Kind != KindBus || ce.Name != "hot" {
		t.Fatalf("update under contention: %v", err)
	}
	if n := il.writes.Load(); n != maxCASAttempts {
		t.Errorf("%d interleaved writes, want one per attempt (%d)", n, maxCASAttempts)
	}
}

// TestGateSharesRequests: many concurrent barriers cost few store
// requests, and each gets a revision read after it arrived.
func TestGateSharesRequests(t *testing.T) {
	var g gate
	var calls, running atomic.Int64
	var rev atomic.Uint64
	fetch := func(context.Context) (uint64, error) {
		if running.Add(1) != 1 {
			t.Error("two requests at once")
		}
		calls.Add(1)
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		return rev.Load(), nil
	}
	var wg sync.WaitGroup
	for i := range 500 {
		wg.Go(func() {
			want := rev.Add(0)
			if i%50 == 0 {
				want = rev.Add(1) // a write acknowledged before this caller's barrier
			}
			got, err := g.do(context.Background(), fetch)
			if err != nil || got < want {
				t.Errorf("caller %d: revision %d, want at least %d (%v)", i, got, want, err)
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n > 100 {
		t.Errorf("%d store requests for 500 callers", n)
	}
	t.Logf("%d store requests for 500 concurrent callers", calls.Load())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.do(ctx, fetch); !errors.Is(err, context.Canceled) {
		// A cancelled caller may still win the race for the slot and run
		// the request: either answer is right, but not a hang.
		t.Logf("cancelled caller: %v", err)
	}
}

// TestUndecodableDocument: a document that does not decode (another
// version's, or damage) is not in the View, and its observers see the
// document it replaced deleted; the rest of the catalog still serves.
func TestUndecodableDocument(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	for _, name := range []string{"good", "spoiled"} {
		if _, err := testCatalog.PutRule(ctx, s, DefaultBus, name, func(*Rule) (*Rule, error) {
			return &Rule{Bus: DefaultBus, Name: name, State: RuleEnabled}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var seen []string
	testCatalog.View().Observe(func(c Change) {
		if c.Scope == s && c.Rule != nil && c.Deleted {
			mu.Lock()
			seen = append(seen, c.Rule.Name)
			mu.Unlock()
		}
	})
	e, err := testCatalog.st.Get(ctx, ruleRef(s, DefaultBus, "spoiled").key())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testCatalog.st.Update(ctx, e.Key, []byte("not json"), e.Revision); err != nil {
		t.Fatal(err)
	}
	rs, err := testCatalog.Rules(ctx, s, DefaultBus)
	if err != nil || len(rs) != 1 || rs[0].Name != "good" {
		t.Errorf("rules after one spoiled: %v %v", rs, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(seen) != "[spoiled]" {
		t.Errorf("observer saw deletions %v, want [spoiled]", seen)
	}
}
