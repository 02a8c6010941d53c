package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/switchyard-dev/switchyard/internal/store"
)

// Sentinel errors; callers compare with errors.Is.
var (
	ErrNotFound = errors.New("catalog: not found")
	ErrExists   = errors.New("catalog: already exists")
	// ErrContention means a document kept changing under a read-modify-write
	// for longer than the retry budget; the API answers it as
	// ConcurrentModificationException.
	ErrContention = errors.New("catalog: too much concurrent modification")
)

// Scope is the account and region every resource lives in.
type Scope struct {
	Account string
	Region  string
}

// Catalog reads and changes resources in a store.
type Catalog struct {
	st store.Store
}

// New returns a Catalog over st. It holds no state of its own.
func New(st store.Store) *Catalog { return &Catalog{st: st} }

// maxCASAttempts bounds the retries of one read-modify-write under contention.
const maxCASAttempts = 50

// escape makes a resource name usable as one key token: store keys use '.' as
// the token separator, and names of buses and rules may contain dots.
func escape(name string) string {
	if !strings.ContainsAny(name, ".=") {
		return name
	}
	return strings.NewReplacer("=", "=3D", ".", "=2E").Replace(name)
}

func unescape(tok string) string {
	if !strings.Contains(tok, "=") {
		return tok
	}
	return strings.NewReplacer("=2E", ".", "=3D", "=").Replace(tok)
}

// prefix is the key prefix of every resource of kind in the scope.
func (s Scope) prefix(kind string) string {
	return "a." + s.Account + "." + s.Region + "." + kind + "."
}

func (s Scope) key(kind string, names ...string) string {
	var b strings.Builder
	b.WriteString(s.prefix(kind))
	for i, n := range names {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(escape(n))
	}
	return b.String()
}

// get reads and decodes one document.
func get[T any](ctx context.Context, st store.Store, key string) (*T, uint64, error) {
	e, err := st.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidKey) {
		// A key no resource can have names one that does not exist.
		return nil, 0, ErrNotFound
	}
	if err != nil {
		return nil, 0, err
	}
	v := new(T)
	if err := json.Unmarshal(e.Value, v); err != nil {
		return nil, 0, fmt.Errorf("catalog: decode %s: %w", key, err)
	}
	return v, e.Revision, nil
}

// list reads and decodes every document under prefix, in key order.
func list[T any](ctx context.Context, st store.Store, prefix string) ([]*T, error) {
	es, err := st.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(es))
	for _, e := range es {
		v := new(T)
		if err := json.Unmarshal(e.Value, v); err != nil {
			return nil, fmt.Errorf("catalog: decode %s: %w", e.Key, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// create writes a new document; ErrExists if the key is taken.
func create[T any](ctx context.Context, st store.Store, key string, v *T) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = st.Create(ctx, key, b)
	if errors.Is(err, store.ErrExists) {
		return ErrExists
	}
	return err
}

// mutate runs a read-modify-write on one document until it lands without a
// conflicting write in between. fn receives the current value (nil when the
// document does not exist) and returns the value to store; an error from fn
// aborts without writing. If fn returns nil for an existing document, nothing
// is written.
func mutate[T any](ctx context.Context, st store.Store, key string, fn func(cur *T) (*T, error)) (*T, error) {
	for range maxCASAttempts {
		cur, rev, err := get[T](ctx, st, key)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		next, err := fn(cur)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return cur, nil
		}
		b, err := json.Marshal(next)
		if err != nil {
			return nil, err
		}
		if cur == nil {
			_, err = st.Create(ctx, key, b)
		} else {
			_, err = st.Update(ctx, key, b, rev)
		}
		switch {
		case err == nil:
			return next, nil
		case errors.Is(err, store.ErrExists), errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound):
			continue // somebody else wrote first: read again
		default:
			return nil, err
		}
	}
	return nil, ErrContention
}

// remove deletes one document after check approves its current value.
func remove[T any](ctx context.Context, st store.Store, key string, check func(cur *T) error) error {
	for range maxCASAttempts {
		cur, rev, err := get[T](ctx, st, key)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(cur); err != nil {
				return err
			}
		}
		err = st.Delete(ctx, key, rev)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, store.ErrNotFound):
			return ErrNotFound
		case errors.Is(err, store.ErrConflict):
			continue
		default:
			return err
		}
	}
	return ErrContention
}

// sortByName sorts resources by the name the List operations order by.
func sortByName[T any](vs []*T, name func(*T) string) {
	sort.Slice(vs, func(i, j int) bool { return name(vs[i]) < name(vs[j]) })
}

// Kinds of catalog documents, the third token of their keys.
const (
	KindBus            = "bus"
	KindRule           = "rule"
	KindConnection     = "connection"
	KindAPIDestination = "apidest"
)

// ParseKey splits a catalog key into its scope, kind and (unescaped) names,
// for readers of the raw store such as a watcher.
func ParseKey(key string) (s Scope, kind string, names []string, ok bool) {
	toks := strings.Split(key, ".")
	if len(toks) < 5 || toks[0] != "a" {
		return Scope{}, "", nil, false
	}
	names = make([]string, len(toks)-4)
	for i, t := range toks[4:] {
		names[i] = unescape(t)
	}
	return Scope{Account: toks[1], Region: toks[2]}, toks[3], names, true
}
