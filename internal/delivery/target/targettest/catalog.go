package targettest

import (
	"context"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

// Storage is Switchyard's own storage, for the kinds that read their
// targets from it (API destinations) or deliver into it (bus targets): an
// embedded NATS server with JetStream in memory, and the catalog on it, as
// the server opens them.
type Storage struct {
	Node    *natsd.Node
	Catalog *catalog.Catalog
}

// OpenStorage opens the storage; t.Cleanup closes it.
func OpenStorage(t testing.TB) *Storage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	node, err := natsd.Open(ctx, natsd.Config{Memory: true})
	if err != nil {
		t.Fatalf("natsd: %v", err)
	}
	t.Cleanup(func() { _ = node.Close(context.Background()) })
	st, err := natskv.Open(ctx, node.JetStream(), "catalog", node.StorageType())
	if err != nil {
		t.Fatalf("natskv: %v", err)
	}
	cat, err := catalog.Open(ctx, st, nil)
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	t.Cleanup(cat.Close)
	return &Storage{Node: node, Catalog: cat}
}

// Sync waits until the catalog's View holds every change made so far.
func (s *Storage) Sync(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Catalog.Sync(ctx); err != nil {
		t.Fatalf("catalog sync: %v", err)
	}
}
