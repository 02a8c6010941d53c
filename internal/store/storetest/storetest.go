package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/store"
)

// Run runs the conformance suite. open must return a new, empty Store each
// time it is called (it is called once per subtest) and register its own
// cleanup with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	run(t, func(t *testing.T) (store.Store, store.Store) {
		s := open(t)
		return s, s
	})
}

// RunShared runs the conformance suite on pairs of stores: open must return
// two Stores on the same new, empty backing storage (two nodes, two
// connections, ...). Subtests write through a and read through b, and the
// concurrent ones use both, so every check is also a check of read-your-writes
// across stores.
func RunShared(t *testing.T, open func(t *testing.T) (a, b store.Store)) {
	run(t, open)
}

// opener returns the store written to (w) and the one read from (r).
type opener func(t *testing.T) (w, r store.Store)

type test struct {
	name string
	fn   func(t *testing.T, w, r store.Store)
}

var tests = []test{
	{"GetNotFound", testGetNotFound},
	{"CreateGet", testCreateGet},
	{"CreateExists", testCreateExists},
	{"CreateAfterDelete", testCreateAfterDelete},
	{"EmptyValue", testEmptyValue},
	{"ValueNotAliased", testValueNotAliased},
	{"UpdateRevision", testUpdateRevision},
	{"UpdateStaleRevision", testUpdateStaleRevision},
	{"UpdateMissing", testUpdateMissing},
	{"DeleteConditional", testDeleteConditional},
	{"DeleteUnconditional", testDeleteUnconditional},
	{"DeleteMissing", testDeleteMissing},
	{"ListPrefix", testListPrefix},
	{"ListOrder", testListOrder},
	{"ListEntries", testListEntries},
	{"ListAfterDelete", testListAfterDelete},
	{"ListEmpty", testListEmpty},
	{"InvalidKeys", testInvalidKeys},
	{"RevisionsIncrease", testRevisionsIncrease},
	{"ReadYourWrites", testReadYourWrites},
	{"ConcurrentCreate", testConcurrentCreate},
	{"ConcurrentIncrements", testConcurrentIncrements},
	{"LargeValue", testLargeValue},
	{"ManyKeys", testManyKeys},
}

func run(t *testing.T, open opener) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, r := open(t)
			tc.fn(t, w, r)
		})
	}
}

// ctx bounds one subtest.
func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func mustCreate(t *testing.T, s store.Store, key, value string) uint64 {
	t.Helper()
	rev, err := s.Create(ctx(t), key, []byte(value))
	if err != nil {
		t.Fatalf("Create(%q): %v", key, err)
	}
	if rev == 0 {
		t.Fatalf("Create(%q) returned revision 0", key)
	}
	return rev
}

func mustUpdate(t *testing.T, s store.Store, key, value string, rev uint64) uint64 {
	t.Helper()
	newRev, err := s.Update(ctx(t), key, []byte(value), rev)
	if err != nil {
		t.Fatalf("Update(%q, rev %d): %v", key, rev, err)
	}
	if newRev <= rev {
		t.Fatalf("Update(%q, rev %d) returned revision %d, not greater", key, rev, newRev)
	}
	return newRev
}

func mustDelete(t *testing.T, s store.Store, key string, rev uint64) {
	t.Helper()
	if err := s.Delete(ctx(t), key, rev); err != nil {
		t.Fatalf("Delete(%q, rev %d): %v", key, rev, err)
	}
}

// wantEntry checks that Get returns exactly this value and revision.
func wantEntry(t *testing.T, s store.Store, key, value string, rev uint64) {
	t.Helper()
	e, err := s.Get(ctx(t), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if e.Key != key || string(e.Value) != value || e.Revision != rev {
		t.Fatalf("Get(%q) = {%q, %q, %d}, want {%q, %q, %d}", key, e.Key, e.Value, e.Revision, key, value, rev)
	}
}

func wantNotFound(t *testing.T, s store.Store, key string) {
	t.Helper()
	e, err := s.Get(ctx(t), key)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%q) = %+v, %v; want ErrNotFound", key, e, err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

func keysOf(entries []store.Entry) []string {
	keys := make([]string, len(entries))
	for i, e := range entries {
		keys[i] = e.Key
	}
	return keys
}

func mustList(t *testing.T, s store.Store, prefix string) []store.Entry {
	t.Helper()
	entries, err := s.List(ctx(t), prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return entries
}

func wantKeys(t *testing.T, s store.Store, prefix string, want ...string) {
	t.Helper()
	got := keysOf(mustList(t, s, prefix))
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("List(%q) keys = %q, want %q", prefix, got, want)
	}
}

func testGetNotFound(t *testing.T, w, r store.Store) {
	wantNotFound(t, r, "never.written")
	wantNotFound(t, r, "x")
}

func testCreateGet(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "bus.default", `{"name":"default"}`)
	wantEntry(t, r, "bus.default", `{"name":"default"}`, rev)
	// A key that is a token prefix of another is a separate key.
	rev2 := mustCreate(t, w, "bus", "b")
	wantEntry(t, r, "bus", "b", rev2)
	wantEntry(t, r, "bus.default", `{"name":"default"}`, rev)
}

func testCreateExists(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "a.b", "first")
	_, err := w.Create(ctx(t), "a.b", []byte("second"))
	wantErr(t, "Create on existing key", err, store.ErrExists)
	_, err = r.Create(ctx(t), "a.b", []byte("third"))
	wantErr(t, "Create on existing key via other store", err, store.ErrExists)
	wantEntry(t, r, "a.b", "first", rev)
	// Still exists after an update.
	rev = mustUpdate(t, w, "a.b", "updated", rev)
	_, err = w.Create(ctx(t), "a.b", []byte("fourth"))
	wantErr(t, "Create on updated key", err, store.ErrExists)
	wantEntry(t, r, "a.b", "updated", rev)
}

func testCreateAfterDelete(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "a.b", "first")
	mustDelete(t, w, "a.b", rev)
	wantNotFound(t, r, "a.b")
	rev2 := mustCreate(t, r, "a.b", "second")
	if rev2 <= rev {
		t.Fatalf("revision after re-create %d <= %d", rev2, rev)
	}
	wantEntry(t, w, "a.b", "second", rev2)
	// And once more, with an unconditional delete.
	mustDelete(t, r, "a.b", 0)
	rev3 := mustCreate(t, w, "a.b", "third")
	wantEntry(t, r, "a.b", "third", rev3)
}

func testEmptyValue(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "empty", "")
	wantEntry(t, r, "empty", "", rev)
	rev = mustUpdate(t, w, "empty", "now full", rev)
	rev = mustUpdate(t, w, "empty", "", rev)
	wantEntry(t, r, "empty", "", rev)
	entries := mustList(t, r, "")
	if len(entries) != 1 || len(entries[0].Value) != 0 || entries[0].Revision != rev {
		t.Fatalf("List = %+v, want the one empty entry at revision %d", entries, rev)
	}
}

func testValueNotAliased(t *testing.T, w, r store.Store) {
	value := []byte("original")
	rev, err := w.Create(ctx(t), "k", value)
	if err != nil {
		t.Fatal(err)
	}
	copy(value, "CHANGED!")
	wantEntry(t, r, "k", "original", rev)
	e, err := r.Get(ctx(t), "k")
	if err != nil {
		t.Fatal(err)
	}
	copy(e.Value, "CHANGED!")
	wantEntry(t, r, "k", "original", rev)
}

func testUpdateRevision(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "rule.r1", "v1")
	rev2 := mustUpdate(t, w, "rule.r1", "v2", rev)
	wantEntry(t, r, "rule.r1", "v2", rev2)
	// The other store may update with the revision it read.
	e, err := r.Get(ctx(t), "rule.r1")
	if err != nil {
		t.Fatal(err)
	}
	rev3 := mustUpdate(t, r, "rule.r1", "v3", e.Revision)
	wantEntry(t, w, "rule.r1", "v3", rev3)
}

func testUpdateStaleRevision(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "rule.r1", "v1")
	rev2 := mustUpdate(t, w, "rule.r1", "v2", rev)
	_, err := r.Update(ctx(t), "rule.r1", []byte("lost"), rev)
	wantErr(t, "Update with stale revision", err, store.ErrConflict)
	// A revision that was never the key's, in the past and in the future.
	other := mustCreate(t, w, "rule.other", "x")
	_, err = r.Update(ctx(t), "rule.r1", []byte("lost"), other)
	wantErr(t, "Update with another key's revision", err, store.ErrConflict)
	_, err = r.Update(ctx(t), "rule.r1", []byte("lost"), rev2+1000)
	wantErr(t, "Update with future revision", err, store.ErrConflict)
	_, err = r.Update(ctx(t), "rule.r1", []byte("lost"), 0)
	wantErr(t, "Update with revision 0", err, store.ErrConflict)
	wantEntry(t, r, "rule.r1", "v2", rev2)
}

func testUpdateMissing(t *testing.T, w, r store.Store) {
	_, err := w.Update(ctx(t), "missing", []byte("x"), 1)
	wantErr(t, "Update on never-written key", err, store.ErrNotFound)
	_, err = w.Update(ctx(t), "missing", []byte("x"), 0)
	wantErr(t, "Update with revision 0 on never-written key", err, store.ErrNotFound)
	wantNotFound(t, r, "missing")

	rev := mustCreate(t, w, "gone", "x")
	mustDelete(t, w, "gone", rev)
	_, err = r.Update(ctx(t), "gone", []byte("y"), rev)
	wantErr(t, "Update on deleted key with its last revision", err, store.ErrNotFound)
	wantNotFound(t, r, "gone")
}

func testDeleteConditional(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "target.t1", "v1")
	rev2 := mustUpdate(t, w, "target.t1", "v2", rev)
	err := r.Delete(ctx(t), "target.t1", rev)
	wantErr(t, "Delete with stale revision", err, store.ErrConflict)
	err = r.Delete(ctx(t), "target.t1", rev2+1000)
	wantErr(t, "Delete with future revision", err, store.ErrConflict)
	wantEntry(t, w, "target.t1", "v2", rev2)
	mustDelete(t, r, "target.t1", rev2)
	wantNotFound(t, w, "target.t1")
	wantNotFound(t, r, "target.t1")
}

func testDeleteUnconditional(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "target.t1", "v1")
	mustUpdate(t, w, "target.t1", "v2", rev)
	mustDelete(t, r, "target.t1", 0)
	wantNotFound(t, w, "target.t1")
	wantNotFound(t, r, "target.t1")
}

func testDeleteMissing(t *testing.T, w, r store.Store) {
	wantErr(t, "Delete(rev 0) of never-written key", w.Delete(ctx(t), "missing", 0), store.ErrNotFound)
	wantErr(t, "Delete(rev 1) of never-written key", w.Delete(ctx(t), "missing", 1), store.ErrNotFound)
	rev := mustCreate(t, w, "gone", "x")
	mustDelete(t, w, "gone", rev)
	wantErr(t, "second Delete(rev 0)", r.Delete(ctx(t), "gone", 0), store.ErrNotFound)
	wantErr(t, "second Delete(last rev)", r.Delete(ctx(t), "gone", rev), store.ErrNotFound)
	wantNotFound(t, r, "gone")
	// Deleting a missing key must not create anything.
	wantKeys(t, r, "")
}

func testListPrefix(t *testing.T, w, r store.Store) {
	for _, k := range []string{"a.b.c", "a.b.d", "a.bc.x", "a.b", "a.b.c.d", "b.x", "ab.c", "a", "a.b-c.e"} {
		mustCreate(t, w, k, "v:"+k)
	}
	wantKeys(t, r, "a.b.", "a.b.c", "a.b.c.d", "a.b.d")
	wantKeys(t, r, "a.b.c.", "a.b.c.d")
	wantKeys(t, r, "a.", "a.b", "a.b-c.e", "a.b.c", "a.b.c.d", "a.b.d", "a.bc.x")
	wantKeys(t, r, "ab.", "ab.c")
	wantKeys(t, r, "b.", "b.x")
	wantKeys(t, r, "c.")
	wantKeys(t, r, "a.b.c.d.")
	wantKeys(t, r, "", "a", "a.b", "a.b-c.e", "a.b.c", "a.b.c.d", "a.b.d", "a.bc.x", "ab.c", "b.x")
}

func testListOrder(t *testing.T, w, r store.Store) {
	keys := []string{
		"z", "A", "a", "0", "9", "-", "_", "=", "/", "a-b", "a/b", "a=b", "a_b", "aB", "ab",
		"Z.z", "a.a", "a.A", "a.0", "a0", "a.b.c", "a.b",
	}
	shuffled := slices.Clone(keys)
	mrand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, k := range shuffled {
		mustCreate(t, w, k, k)
	}
	want := slices.Clone(keys)
	slices.Sort(want) // byte-wise, as strings.Compare
	wantKeys(t, r, "", want...)
}

func testListEntries(t *testing.T, w, r store.Store) {
	revs := map[string]uint64{}
	for i := range 10 {
		k := fmt.Sprintf("rule.r%02d", i)
		revs[k] = mustCreate(t, w, k, "v1:"+k)
	}
	// Update half of them.
	for i := 0; i < 10; i += 2 {
		k := fmt.Sprintf("rule.r%02d", i)
		revs[k] = mustUpdate(t, w, k, "v2:"+k, revs[k])
	}
	entries := mustList(t, r, "rule.")
	if len(entries) != 10 {
		t.Fatalf("List returned %d entries, want 10", len(entries))
	}
	for i, e := range entries {
		k := fmt.Sprintf("rule.r%02d", i)
		v := "v1:" + k
		if i%2 == 0 {
			v = "v2:" + k
		}
		if e.Key != k || string(e.Value) != v || e.Revision != revs[k] {
			t.Errorf("entry %d = {%q, %q, %d}, want {%q, %q, %d}", i, e.Key, e.Value, e.Revision, k, v, revs[k])
		}
	}
}

func testListAfterDelete(t *testing.T, w, r store.Store) {
	revs := map[string]uint64{}
	for _, k := range []string{"p.a", "p.b", "p.c", "p.d"} {
		revs[k] = mustCreate(t, w, k, k)
	}
	mustDelete(t, w, "p.b", revs["p.b"])
	mustDelete(t, w, "p.d", 0)
	wantKeys(t, r, "p.", "p.a", "p.c")
	wantKeys(t, r, "", "p.a", "p.c")
	mustCreate(t, w, "p.b", "again")
	wantKeys(t, r, "p.", "p.a", "p.b", "p.c")
	mustDelete(t, w, "p.a", 0)
	mustDelete(t, w, "p.b", 0)
	mustDelete(t, w, "p.c", 0)
	wantKeys(t, r, "p.")
	wantKeys(t, r, "")
}

func testListEmpty(t *testing.T, w, r store.Store) {
	wantKeys(t, r, "")
	wantKeys(t, r, "a.")
}

// invalidKeys lists keys every method must refuse with ErrInvalidKey.
var invalidKeys = []string{
	"", ".", "a.", ".a", "a..b", "a b", "a*", "*", ">", "a.>", "a.*.b", "é", "a\x00", "a:b", "a\tb", "a\nb", "a,b",
}

// invalidPrefixes lists prefixes List must refuse with ErrInvalidKey: a
// prefix is empty or whole tokens followed by a dot.
var invalidPrefixes = []string{
	".", "a", "a.b", "a..", "..", "a.*.", "a.>.", ">", "*.", "a b.", "é.",
}

func testInvalidKeys(t *testing.T, w, r store.Store) {
	for _, k := range invalidKeys {
		_, err := r.Get(ctx(t), k)
		wantErr(t, fmt.Sprintf("Get(%q)", k), err, store.ErrInvalidKey)
		_, err = w.Create(ctx(t), k, []byte("x"))
		wantErr(t, fmt.Sprintf("Create(%q)", k), err, store.ErrInvalidKey)
		_, err = w.Update(ctx(t), k, []byte("x"), 1)
		wantErr(t, fmt.Sprintf("Update(%q)", k), err, store.ErrInvalidKey)
		err = w.Delete(ctx(t), k, 0)
		wantErr(t, fmt.Sprintf("Delete(%q)", k), err, store.ErrInvalidKey)
	}
	for _, p := range invalidPrefixes {
		_, err := r.List(ctx(t), p)
		wantErr(t, fmt.Sprintf("List(%q)", p), err, store.ErrInvalidKey)
	}
	// Nothing was written.
	wantKeys(t, r, "")
}

func testRevisionsIncrease(t *testing.T, w, r store.Store) {
	var last uint64
	check := func(op string, rev uint64) {
		t.Helper()
		if rev <= last {
			t.Fatalf("%s: revision %d not greater than previous write's %d", op, rev, last)
		}
		last = rev
	}
	keys := []string{"k.a", "k.b", "k.c"}
	revs := map[string]uint64{}
	for _, k := range keys {
		revs[k] = mustCreate(t, w, k, "0")
		check("Create "+k, revs[k])
	}
	for i := range 5 {
		for _, k := range keys {
			s := w
			if i%2 == 1 {
				s = r // both stores write to the same revision sequence
			}
			revs[k] = mustUpdate(t, s, k, fmt.Sprint(i), revs[k])
			check("Update "+k, revs[k])
		}
	}
	// A delete is a write too: a re-create comes after it.
	mustDelete(t, w, "k.a", 0)
	check("Create after Delete", mustCreate(t, r, "k.a", "again"))
	// List reports the revisions Get does.
	for _, e := range mustList(t, r, "k.") {
		wantEntry(t, r, e.Key, string(e.Value), e.Revision)
	}
}

func testReadYourWrites(t *testing.T, w, r store.Store) {
	rev := mustCreate(t, w, "ryw.k", "0")
	for i := 1; i <= 50; i++ {
		v := fmt.Sprint(i)
		rev = mustUpdate(t, w, "ryw.k", v, rev)
		// The very next read on the other store sees it.
		wantEntry(t, r, "ryw.k", v, rev)
		entries := mustList(t, r, "ryw.")
		if len(entries) != 1 || string(entries[0].Value) != v || entries[0].Revision != rev {
			t.Fatalf("List after write %d = %+v, want value %q at revision %d", i, entries, v, rev)
		}
		// And a write on the other store is seen back here.
		created := mustCreate(t, r, "ryw.n"+v, v)
		wantEntry(t, w, "ryw.n"+v, v, created)
		mustDelete(t, r, "ryw.n"+v, created)
		wantNotFound(t, w, "ryw.n"+v)
	}
}

func testConcurrentCreate(t *testing.T, w, r store.Store) {
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	revs := make([]uint64, n)
	for i := range n {
		s := w
		if i%2 == 1 {
			s = r
		}
		wg.Go(func() { revs[i], errs[i] = s.Create(ctx(t), "race", []byte(fmt.Sprint(i))) })
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Fatalf("Create succeeded twice: goroutines %d and %d", winner, i)
			}
			winner = i
		case !errors.Is(err, store.ErrExists):
			t.Fatalf("goroutine %d: Create: %v, want nil or ErrExists", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no Create succeeded")
	}
	wantEntry(t, r, "race", fmt.Sprint(winner), revs[winner])
}

// ConcurrentIncrements: incGoroutines goroutines each add one incEach times.
const (
	incGoroutines = 8
	incEach       = 25
)

func testConcurrentIncrements(t *testing.T, w, r store.Store) {
	mustCreate(t, w, "counter", "0")
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conflicts int
	errc := make(chan error, incGoroutines)
	for g := range incGoroutines {
		s := w
		if g%2 == 1 {
			s = r
		}
		wg.Go(func() {
			for range incEach {
				for {
					e, err := s.Get(ctx(t), "counter")
					if err != nil {
						errc <- fmt.Errorf("Get: %w", err)
						return
					}
					var n int
					if _, err := fmt.Sscan(string(e.Value), &n); err != nil {
						errc <- fmt.Errorf("bad counter %q: %w", e.Value, err)
						return
					}
					_, err = s.Update(ctx(t), "counter", []byte(fmt.Sprint(n+1)), e.Revision)
					if err == nil {
						break
					}
					if !errors.Is(err, store.ErrConflict) {
						errc <- fmt.Errorf("Update: %w", err)
						return
					}
					mu.Lock()
					conflicts++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	e, err := r.Get(ctx(t), "counter")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint(incGoroutines * incEach); string(e.Value) != want {
		t.Fatalf("counter = %s, want %s (lost updates)", e.Value, want)
	}
	t.Logf("%d increments by %d goroutines, %d conflicts retried", incGoroutines*incEach, incGoroutines, conflicts)
}

// largeValueSize is the size of the value LargeValue stores.
const largeValueSize = 256 << 10

func testLargeValue(t *testing.T, w, r store.Store) {
	value := make([]byte, largeValueSize)
	_, _ = rand.Read(value)
	rev := mustCreate(t, w, "big", string(value))
	e, err := r.Get(ctx(t), "big")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.Value, value) || e.Revision != rev {
		t.Fatalf("Get returned %d bytes at revision %d, want %d bytes at %d", len(e.Value), e.Revision, len(value), rev)
	}
	entries := mustList(t, r, "")
	if len(entries) != 1 || !bytes.Equal(entries[0].Value, value) {
		t.Fatalf("List returned %d entries, first %d bytes", len(entries), len(entries[0].Value))
	}
	value[0]++
	rev = mustUpdate(t, w, "big", string(value), rev)
	if e, err = r.Get(ctx(t), "big"); err != nil || !bytes.Equal(e.Value, value) || e.Revision != rev {
		t.Fatalf("Get after update: %d bytes at %d, %v", len(e.Value), e.Revision, err)
	}
}

// manyKeysCount is the number of keys ManyKeys writes.
const manyKeysCount = 2000

func testManyKeys(t *testing.T, w, r store.Store) {
	var want, wantSub []string
	var wg sync.WaitGroup
	errc := make(chan error, 4)
	const writers = 4
	for i := range manyKeysCount {
		k := fmt.Sprintf("acct.%d.rule.r%04d", i%3, i)
		want = append(want, k)
		if i%3 == 1 {
			wantSub = append(wantSub, k)
		}
	}
	// A few writers at once: many keys quickly, and writes from several
	// goroutines racing into the same List.
	for g := range writers {
		s := w
		if g%2 == 1 {
			s = r
		}
		wg.Go(func() {
			for i := g; i < manyKeysCount; i += writers {
				if _, err := s.Create(ctx(t), want[i], []byte(want[i])); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	slices.Sort(want)
	slices.Sort(wantSub)
	start := time.Now()
	entries := mustList(t, r, "")
	t.Logf("List of %d keys took %v", len(entries), time.Since(start))
	got := keysOf(entries)
	if !slices.Equal(got, want) {
		t.Fatalf("List returned %d keys, want %d (first difference: %s)", len(got), len(want), firstDiff(got, want))
	}
	for _, e := range entries {
		if string(e.Value) != e.Key {
			t.Fatalf("entry %q has value %q", e.Key, e.Value)
		}
	}
	if got := keysOf(mustList(t, r, "acct.1.")); !slices.Equal(got, wantSub) {
		t.Fatalf("List(acct.1.) returned %d keys, want %d (first difference: %s)", len(got), len(wantSub), firstDiff(got, wantSub))
	}
}

func firstDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("index %d: got %q, want %q", i, g, w)
		}
	}
	return "none"
}
