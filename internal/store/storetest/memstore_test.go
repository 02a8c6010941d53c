package storetest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/store"
)

// memStore is the simplest Store that keeps the contract. It checks the
// suite itself: a failure here is a bug in the suite, not in a backend.
type memStore struct {
	mu   sync.Mutex
	rev  uint64
	data map[string]store.Entry
}

var _ store.Store = (*memStore)(nil)

func newMemStore() *memStore { return &memStore{data: map[string]store.Entry{}} }

func (m *memStore) Get(_ context.Context, key string) (store.Entry, error) {
	if err := store.ValidateKey(key); err != nil {
		return store.Entry{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.data[key]
	if !ok {
		return store.Entry{}, store.ErrNotFound
	}
	e.Value = slices.Clone(e.Value)
	return e, nil
}

func (m *memStore) put(key string, value []byte) uint64 {
	m.rev++
	m.data[key] = store.Entry{Key: key, Value: slices.Clone(value), Revision: m.rev}
	return m.rev
}

func (m *memStore) Create(_ context.Context, key string, value []byte) (uint64, error) {
	if err := store.ValidateKey(key); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.data[key]; ok {
		return 0, store.ErrExists
	}
	return m.put(key, value), nil
}

func (m *memStore) Update(_ context.Context, key string, value []byte, rev uint64) (uint64, error) {
	if err := store.ValidateKey(key); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.data[key]
	switch {
	case !ok:
		return 0, store.ErrNotFound
	case e.Revision != rev:
		return 0, store.ErrConflict
	}
	return m.put(key, value), nil
}

func (m *memStore) Delete(_ context.Context, key string, rev uint64) error {
	if err := store.ValidateKey(key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.data[key]
	switch {
	case !ok:
		return store.ErrNotFound
	case rev != 0 && e.Revision != rev:
		return store.ErrConflict
	}
	m.rev++ // a delete is a write
	delete(m.data, key)
	return nil
}

func (m *memStore) List(_ context.Context, prefix string) ([]store.Entry, error) {
	if err := store.ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Entry
	for k, e := range m.data {
		if strings.HasPrefix(k, prefix) {
			e.Value = slices.Clone(e.Value)
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b store.Entry) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

func TestMemStore(t *testing.T) {
	Run(t, func(t *testing.T) store.Store { return newMemStore() })
}

func TestMemStoreShared(t *testing.T) {
	RunShared(t, func(t *testing.T) (store.Store, store.Store) {
		s := newMemStore()
		return s, s
	})
}
