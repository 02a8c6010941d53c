package catalog

import (
	"errors"
	"strings"
)

// Sentinel errors; callers compare with errors.Is. Every error the catalog
// returns about a resource is an *Error wrapping one of them, which names
// the resource, so that the API turns it into AWS's message in one place.
var (
	ErrNotFound = errors.New("catalog: not found")
	ErrExists   = errors.New("catalog: already exists")
	// ErrContention means a document kept changing under a read-modify-write
	// for longer than the retry budget; the API answers it as
	// ConcurrentModificationException.
	ErrContention = errors.New("catalog: too much concurrent modification")
	// ErrBusHasRules: DeleteBus refuses a bus that still has rules, as AWS
	// does.
	ErrBusHasRules = errors.New("catalog: event bus has rules")
	// ErrStatementNotFound: RemovePermission named a Sid the policy lacks.
	ErrStatementNotFound = errors.New("catalog: statement not found")
	// ErrPolicyMalformed: a stored or given policy is not a JSON object with
	// a Statement list.
	ErrPolicyMalformed = errors.New("catalog: malformed policy")
)

// Error is a failure about one resource: which one, and why (Err, one of
// the sentinels above, or the store's error).
type Error struct {
	Kind  string // KindBus, KindRule, KindConnection or KindAPIDestination
	Scope Scope
	Bus   string // the rule's bus, for KindRule
	Name  string
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("catalog: ")
	b.WriteString(e.Kind)
	b.WriteByte(' ')
	if e.Bus != "" {
		b.WriteString(e.Bus)
		b.WriteByte('/')
	}
	b.WriteString(e.Name)
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "catalog: "))
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
