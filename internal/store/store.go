// Package store defines the small key-value interface the catalog is kept in,
// and the contract every implementation must honour.
//
// The catalog (buses, rules, targets, tags, policies, ...) is a set of JSON
// documents under string keys. The store knows nothing about what they mean:
// it offers optimistic concurrency through revisions, so that several nodes of
// a cluster can change the same catalog without corrupting it, and a List that
// reflects every write acknowledged before it started.
//
// Keys are dot-separated tokens of the characters [-/_=a-zA-Z0-9]; a token is
// never empty. Callers escape anything else (see catalog's key functions).
package store

import (
	"context"
	"errors"
	"fmt"
)

// Errors returned by every Store implementation. Callers compare with errors.Is.
var (
	// ErrNotFound: the key does not exist (or was deleted).
	ErrNotFound = errors.New("store: key not found")
	// ErrExists: Create found the key already present.
	ErrExists = errors.New("store: key already exists")
	// ErrConflict: the revision given to Update or Delete is not the key's
	// current revision; somebody else wrote in between. Re-read and retry.
	ErrConflict = errors.New("store: revision conflict")
	// ErrInvalidKey: the key is empty, has an empty token or a character
	// outside [-/_=a-zA-Z0-9.].
	ErrInvalidKey = errors.New("store: invalid key")
	// ErrUnavailable: the storage cannot take writes now (a write failed,
	// it is recovering, it cannot be reached); nothing was written. It is
	// temporary: try again later. Reads may still work.
	ErrUnavailable = errors.New("store: cannot write now")
	// ErrFull is the ErrUnavailable of a storage out of space: its disk is
	// full, or it holds as much as it is allowed to. errors.Is(ErrFull,
	// ErrUnavailable) holds.
	ErrFull = fmt.Errorf("%w: out of space", ErrUnavailable)
)

// Entry is one stored document.
type Entry struct {
	Key      string
	Value    []byte
	Revision uint64 // > 0; strictly increases with every write to the store
}

// Store is a durable map of keys to documents with revision checks.
//
// Contract (checked by storetest.Run and storetest.RunShared):
//   - Get returns ErrNotFound for a key never written or deleted.
//   - Create writes only if the key does not exist (a deleted key counts as
//     not existing) and returns the new revision, else ErrExists.
//   - Update writes only if rev is the key's current revision, else
//     ErrConflict; ErrNotFound if the key does not exist (also when rev is
//     the last revision it had before it was deleted). Revision 0 is never
//     current: Update with rev 0 is ErrConflict, or ErrNotFound.
//   - Delete with rev > 0 deletes only at that revision (ErrConflict
//     otherwise); with rev == 0 it deletes unconditionally. Deleting a key
//     that does not exist returns ErrNotFound, whatever rev. A delete is a
//     write: a later Create returns a greater revision.
//   - List returns every live key that starts with prefix (a whole-token
//     prefix like "a.b." or the empty string for all keys), sorted by key
//     (byte-wise), with its value and revision, and reflects every write that
//     was acknowledged before List was called. A prefix that is neither
//     empty nor whole tokens each followed by a dot ("a.b") is ErrInvalidKey
//     (see ValidatePrefix): "a.b." never matches "a.bc.x".
//   - Every method refuses an invalid key with ErrInvalidKey before touching
//     storage (see ValidateKey).
//   - A write the storage cannot take now (out of space, failed, recovering)
//     fails with an error wrapping ErrUnavailable (ErrFull when out of
//     space), promptly rather than when the caller's context ends, and
//     writes nothing.
//   - Revisions are > 0 and strictly increase with every write to the store
//     (Create, Update, Delete), across keys.
//   - A write acknowledged by one Store is seen by the next Get or List on any
//     other Store opened on the same backing storage (read-your-writes across
//     nodes).
//   - Values are copied: the Store keeps no reference to a value passed in,
//     and the caller may modify a value it got back. Empty values are valid.
//   - All methods are safe for concurrent use; Close, where an
//     implementation has one, releases resources and does not close a
//     connection the Store did not open.
type Store interface {
	Get(ctx context.Context, key string) (Entry, error)
	Create(ctx context.Context, key string, value []byte) (uint64, error)
	Update(ctx context.Context, key string, value []byte, rev uint64) (uint64, error)
	Delete(ctx context.Context, key string, rev uint64) error
	List(ctx context.Context, prefix string) ([]Entry, error)
}

// Change is a key's new value, or its deletion, as a Watcher reports it.
type Change struct {
	Key      string
	Value    []byte // nil when Deleted
	Revision uint64
	Deleted  bool
}

// Watcher is the optional ability of a Store to report changes, which lets a
// node keep an in-memory view of the catalog (the router's rule index).
//
// Contract: Watch calls fn with the current value of every key, then with
// every later change, in revision order, from one goroutine, until ctx ends
// (it then returns ctx.Err()) or the store fails. Revision returns the
// revision of the newest write; once fn has seen a change with at least that
// revision, the watcher's view includes every write acknowledged before the
// Revision call.
type Watcher interface {
	Watch(ctx context.Context, fn func(Change)) error
	Revision(ctx context.Context) (uint64, error)
}
