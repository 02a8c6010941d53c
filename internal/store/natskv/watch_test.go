package natskv

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// TestWatch: Watch reports the existing keys, then every change in order, and
// once it has seen Revision() it has seen every earlier write, also one made
// through another Store on the same bucket.
func TestWatch(t *testing.T) {
	ctx := context.Background()
	node, err := natsd.Open(ctx, natsd.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close(ctx)
	a, err := Open(ctx, node.JetStream(), "watch-test", node.StorageType())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Create(ctx, "k.before", []byte("1")); err != nil {
		t.Fatal(err)
	}

	var (
		mu      sync.Mutex
		seen    = map[string]string{}
		lastRev uint64
		ordered = true
	)
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- a.Watch(wctx, func(c store.Change) {
			mu.Lock()
			defer mu.Unlock()
			if c.Revision <= lastRev {
				ordered = false
			}
			lastRev = c.Revision
			if c.Deleted {
				delete(seen, c.Key)
			} else {
				seen[c.Key] = string(c.Value)
			}
		})
	}()

	b, err := Open(ctx, node.JetStream(), "watch-test", node.StorageType())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		key := fmt.Sprintf("k.n%d", i)
		if _, err := b.Create(ctx, key, []byte("v")); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			if err := b.Delete(ctx, key, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	rev, err := b.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testwait.For(t, fmt.Sprintf("the watch to reach revision %d", rev), func() testwait.Status {
		mu.Lock()
		defer mu.Unlock()
		return testwait.Status{Done: lastRev >= rev, Progress: int64(lastRev), Missing: fmt.Sprintf("revisions %d to %d", lastRev+1, rev)}
	})
	mu.Lock()
	if len(seen) != 46 || seen["k.before"] != "1" || !ordered {
		t.Errorf("watch saw %d keys (want 46), before=%q, ordered=%v", len(seen), seen["k.before"], ordered)
	}
	if _, ok := seen["k.n10"]; ok {
		t.Error("deleted key still seen")
	}
	mu.Unlock()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Watch returned %v after cancel", err)
	}
}
