package natskv

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store"
	"github.com/switchyard-dev/switchyard/internal/store/storetest"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// testContext bounds a test's store calls. It guards against a hang, not
// for speed: 20 s (the bound before) ran out for TestListUnderWritesNoLeak's
// 300 creates and 30 Lists under -race on a busy machine, where alone it
// takes 5 s.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func openNode(t *testing.T, cfg natsd.Config) *natsd.Node {
	t.Helper()
	n, err := natsd.Open(testContext(t), cfg)
	if err != nil {
		t.Fatalf("natsd.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := n.Close(context.Background()); err != nil {
			t.Errorf("natsd Close: %v", err)
		}
	})
	return n
}

func openStore(t *testing.T, js jetstream.JetStream, bucket string, st jetstream.StorageType) *Store {
	t.Helper()
	s, err := Open(testContext(t), js, bucket, st)
	if err != nil {
		t.Fatalf("natskv.Open(%q): %v", bucket, err)
	}
	return s
}

// bucketNamer hands out a new bucket name per call, so that every subtest of
// the conformance suite starts from an empty store on a shared server.
func bucketNamer() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("conf%d", n.Add(1)) }
}

func TestConformanceFile(t *testing.T) {
	n := openNode(t, natsd.Config{DataDir: t.TempDir()})
	next := bucketNamer()
	storetest.Run(t, func(t *testing.T) store.Store {
		return openStore(t, n.JetStream(), next(), n.StorageType())
	})
}

func TestConformanceMemory(t *testing.T) {
	n := openNode(t, natsd.Config{Memory: true})
	next := bucketNamer()
	storetest.Run(t, func(t *testing.T) store.Store {
		return openStore(t, n.JetStream(), next(), n.StorageType())
	})
}

// Two Stores on the same bucket through two connections: writes go through
// one, reads through the other.
func TestConformanceShared(t *testing.T) {
	n := openNode(t, natsd.Config{DataDir: t.TempDir()})
	nc2, err := n.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc2.Close)
	js2, err := jetstream.New(nc2)
	if err != nil {
		t.Fatal(err)
	}
	next := bucketNamer()
	storetest.RunShared(t, func(t *testing.T) (store.Store, store.Store) {
		bucket := next()
		return openStore(t, n.JetStream(), bucket, n.StorageType()), openStore(t, js2, bucket, n.StorageType())
	})
}

// The same, with two TCP connections to an external server, as two nodes of
// a deployment would have.
func TestConformanceSharedExternal(t *testing.T) {
	srv, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, NoSigs: true, NoLog: true,
		JetStream: true, StoreDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	a := openNode(t, natsd.Config{URL: srv.ClientURL()})
	b := openNode(t, natsd.Config{URL: srv.ClientURL()})
	next := bucketNamer()
	storetest.RunShared(t, func(t *testing.T) (store.Store, store.Store) {
		bucket := next()
		return openStore(t, a.JetStream(), bucket, a.StorageType()), openStore(t, b.JetStream(), bucket, b.StorageType())
	})
}

func TestOpenBucketConfig(t *testing.T) {
	n := openNode(t, natsd.Config{Memory: true})
	ctx := testContext(t)
	s := openStore(t, n.JetStream(), "catalog", n.StorageType())
	kv, err := n.JetStream().KeyValue(ctx, "catalog")
	if err != nil {
		t.Fatal(err)
	}
	st, err := kv.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	info := st.(*jetstream.KeyValueBucketStatus).StreamInfo()
	if info.Config.MaxMsgsPerSubject != 1 || info.Config.Storage != jetstream.MemoryStorage || info.Config.Replicas != 1 {
		t.Fatalf("bucket stream config: history %d, storage %v, replicas %d",
			info.Config.MaxMsgsPerSubject, info.Config.Storage, info.Config.Replicas)
	}
	if !info.Config.AllowDirect {
		t.Log("bucket stream does not allow direct get")
	}
	rev, err := s.Create(ctx, "k", []byte("v"))
	if err != nil {
		t.Fatal(err)
	}
	// Opening again binds to the same bucket and sees its data.
	s2 := openStore(t, n.JetStream(), "catalog", n.StorageType())
	if e, err := s2.Get(ctx, "k"); err != nil || e.Revision != rev {
		t.Fatalf("second Open: Get = %+v, %v", e, err)
	}
	// A bucket created with another configuration is bound as it is.
	if _, err := n.JetStream().CreateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: "other", History: 5, Storage: jetstream.MemoryStorage,
	}); err != nil {
		t.Fatal(err)
	}
	s3 := openStore(t, n.JetStream(), "other", n.StorageType())
	if s3.Bucket() != "other" {
		t.Fatalf("bucket %q", s3.Bucket())
	}
	if _, err := Open(ctx, n.JetStream(), "bad name", n.StorageType()); err == nil {
		t.Fatal("Open with an invalid bucket name succeeded")
	}
}

// The nats.go behaviours the error mapping relies on: a refused expected
// last sequence is API error 10071 whichever call made it.
func TestNATSErrorCodes(t *testing.T) {
	n := openNode(t, natsd.Config{Memory: true})
	ctx := testContext(t)
	kv, err := n.JetStream().CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "codes", Storage: jetstream.MemoryStorage})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := kv.Create(ctx, "k", []byte("1"))
	if err != nil {
		t.Fatal(err)
	}
	code := func(err error) jetstream.ErrorCode {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) {
			return apiErr.ErrorCode
		}
		return 0
	}
	_, err = kv.Create(ctx, "k", []byte("2"))
	t.Logf("Create on existing key: %v", err)
	if code(err) != jetstream.JSErrCodeStreamWrongLastSequence || !errors.Is(err, jetstream.ErrKeyExists) {
		t.Errorf("Create on existing key: code %d, %v", code(err), err)
	}
	_, err = kv.Update(ctx, "k", []byte("2"), rev+10)
	t.Logf("Update with stale revision: %v", err)
	if code(err) != jetstream.JSErrCodeStreamWrongLastSequence || !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		t.Errorf("Update with stale revision: code %d, %v", code(err), err)
	}
	// Note: ErrKeyExists matches any 10071, stale Updates included.
	if !errors.Is(err, jetstream.ErrKeyExists) {
		t.Log("nats.go no longer reports a stale Update as ErrKeyExists")
	}
	err = kv.Delete(ctx, "k", jetstream.LastRevision(rev+10))
	t.Logf("Delete with stale revision: %v", err)
	if code(err) != jetstream.JSErrCodeStreamWrongLastSequence {
		t.Errorf("Delete with stale revision: code %d, %v", code(err), err)
	}
	// nats.go's Create on a deleted key succeeds (it retries at the delete
	// marker's revision).
	if err := kv.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Create(ctx, "k", []byte("3")); err != nil {
		t.Errorf("Create after Delete: %v", err)
	}
	// And its Delete of a key that never existed writes a marker and
	// succeeds: the reason Store.Delete reads first.
	if err := kv.Delete(ctx, "never"); err != nil {
		t.Errorf("kv.Delete of missing key: %v", err)
	}
	// Update with revision 0 is "must not exist": a create.
	if _, err := kv.Update(ctx, "fresh", []byte("x"), 0); err != nil {
		t.Errorf("kv.Update(rev 0) of missing key: %v", err)
	}
}

// A stale revision on a deleted key is ErrNotFound, not ErrConflict. (The
// delete marker's own revision would pass the server's check and bring the
// key back; the Store API never reveals that number: Delete returns none and
// revisions are unique across keys.)
func TestUpdateDeletedKey(t *testing.T) {
	n := openNode(t, natsd.Config{Memory: true})
	ctx := testContext(t)
	s := openStore(t, n.JetStream(), "del", n.StorageType())
	rev, err := s.Create(ctx, "k", []byte("v"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "k", rev); err != nil {
		t.Fatal(err)
	}
	for _, r := range []uint64{0, rev, rev + 2, rev + 100} {
		if _, err := s.Update(ctx, "k", []byte("x"), r); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Update(rev %d) of deleted key: %v, want ErrNotFound", r, err)
		}
		if err := s.Delete(ctx, "k", r); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete(rev %d) of deleted key: %v, want ErrNotFound", r, err)
		}
	}
}

// List is complete while writes keep landing under the prefix (every key
// rewritten in the middle of a List must still be listed), and it leaves no
// goroutine or consumer behind.
func TestListUnderWritesNoLeak(t *testing.T) {
	n := openNode(t, natsd.Config{Memory: true})
	ctx := testContext(t)
	s := openStore(t, n.JetStream(), "busy", n.StorageType())
	for i := range 300 {
		if _, err := s.Create(ctx, fmt.Sprintf("p.k%03d", i), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	before := runtime.NumGoroutine()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// Overwrites keep the key count constant.
			e, err := s.Get(ctx, fmt.Sprintf("p.k%03d", i%300))
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := s.Update(ctx, e.Key, []byte(fmt.Sprint(i)), e.Revision); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range 30 {
		entries, err := s.List(ctx, "p.")
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 300 {
			t.Fatalf("List returned %d entries, want 300", len(entries))
		}
	}
	close(stop)
	wg.Wait()
	stream, err := n.JetStream().Stream(ctx, "KV_busy")
	if err != nil {
		t.Fatal(err)
	}
	if info, err := stream.Info(ctx); err != nil || info.State.Consumers != 0 {
		t.Fatalf("%d consumers left on the bucket's stream (%v)", info.State.Consumers, err)
	}
	// Goroutines that are ending still count for a moment; wait while
	// their number reaches new lows (the client's own goroutines may come
	// and go), and show the stacks of any that stay.
	low := runtime.NumGoroutine()
	testwait.For(t, "the goroutines of the Lists to end", func() testwait.Status {
		got := runtime.NumGoroutine()
		if got <= before+2 {
			return testwait.Status{Done: true}
		}
		low = min(low, got)
		buf := make([]byte, 1<<16)
		return testwait.Status{Progress: int64(low), Missing: fmt.Sprintf("%d goroutines after Lists, %d before\n%s", got, before, buf[:runtime.Stack(buf, true)])}
	})
}

// Writes through one connection are visible to the next read on another
// without delay, many times in a row, with both doing Create, Update and
// Delete.
func TestReadAfterWriteTwoConnections(t *testing.T) {
	n := openNode(t, natsd.Config{DataDir: t.TempDir()})
	nc2, err := n.Connect(nats.Name("second"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc2.Close()
	js2, err := jetstream.New(nc2)
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	a := openStore(t, n.JetStream(), "ryw", n.StorageType())
	b := openStore(t, js2, "ryw", n.StorageType())
	stores := [2]*Store{a, b}
	var rev uint64
	for i := range 200 {
		w, r := stores[i%2], stores[(i+1)%2]
		var err error
		if rev == 0 {
			rev, err = w.Create(ctx, "k", []byte(fmt.Sprint(i)))
		} else {
			rev, err = w.Update(ctx, "k", []byte(fmt.Sprint(i)), rev)
		}
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		e, err := r.Get(ctx, "k")
		if err != nil || e.Revision != rev || string(e.Value) != fmt.Sprint(i) {
			t.Fatalf("read %d on the other connection: %+v, %v; want revision %d", i, e, err, rev)
		}
		if i%10 == 9 {
			if err := w.Delete(ctx, "k", rev); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Get(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("Get after Delete on the other connection: %v", err)
			}
			if l, err := r.List(ctx, ""); err != nil || len(l) != 0 {
				t.Fatalf("List after Delete on the other connection: %v, %v", l, err)
			}
			rev = 0
		}
	}
}

// Messages counted when List's consumer was created can vanish before they
// are delivered (an operator purges the bucket): List must still end.
func TestListAfterPurgeUnderneath(t *testing.T) {
	n := openNode(t, natsd.Config{Memory: true})
	ctx := testContext(t)
	s := openStore(t, n.JetStream(), "purged", n.StorageType())
	for i := range 10 {
		if _, err := s.Create(ctx, fmt.Sprintf("p.k%d", i), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	cons, err := s.js.OrderedConsumer(ctx, s.stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{s.subjectPrefix + "p.>"},
		DeliverPolicy:  jetstream.DeliverLastPerSubjectPolicy,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.deleteConsumer(cons)
	if p := cons.CachedInfo().NumPending; p != 10 {
		t.Fatalf("NumPending %d, want 10", p)
	}
	stream, err := n.JetStream().Stream(ctx, s.stream)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	latest := map[string]store.Entry{}
	start := time.Now()
	if err := s.readUntilCaughtUp(ctx, cons, latest); err != nil {
		t.Fatal(err)
	}
	if len(latest) != 0 {
		t.Fatalf("read %d entries from a purged bucket", len(latest))
	}
	t.Logf("ended after %v", time.Since(start))
	if entries, err := s.List(ctx, ""); err != nil || len(entries) != 0 {
		t.Fatalf("List after purge: %v, %v", entries, err)
	}
}
