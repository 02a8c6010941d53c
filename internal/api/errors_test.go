package api

import (
	"errors"
	"fmt"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// TestToWire: every catalog error becomes AWS's answer in one place, with
// the message of the operation's resource; errors without an answer of
// their own are internal faults, reported as such.
func TestToWire(t *testing.T) {
	s := catalog.Scope{Account: "123456789012", Region: "us-east-1"}
	e := func(kind, bus, name string, err error) error {
		return fmt.Errorf("wrapped: %w", &catalog.Error{Kind: kind, Scope: s, Bus: bus, Name: name, Err: err})
	}
	for _, tc := range []struct {
		op   string
		err  error
		code ErrorCode
		msg  string
	}{
		{"DescribeEventBus", e(catalog.KindBus, "", "b", catalog.ErrNotFound), ResourceNotFound, "Event bus b does not exist."},
		{"CreateEventBus", e(catalog.KindBus, "", "b", catalog.ErrExists), ResourceAlreadyExists, "Event bus b already exists."},
		{"DeleteEventBus", e(catalog.KindBus, "", "b", catalog.ErrBusHasRules), Validation, "EventBus can't be deleted since it has rules."},
		{"PutTargets", e(catalog.KindRule, "b", "r", catalog.ErrNotFound), ResourceNotFound, "Rule r does not exist on EventBus b."},
		{"DeauthorizeConnection", e(catalog.KindConnection, "", "c", catalog.ErrNotFound), ResourceNotFound,
			"Failed to deauthorize the connection(s). Connection 'c' does not exist."},
		{"CreateApiDestination", e(catalog.KindConnection, "", "c", catalog.ErrNotFound), ResourceNotFound, "Connection 'c' does not exist."},
		{"CreateConnection", e(catalog.KindConnection, "", "c", catalog.ErrExists), ResourceAlreadyExists, "Connection 'c' already exists."},
		{"UpdateApiDestination", e(catalog.KindAPIDestination, "", "d", catalog.ErrNotFound), ResourceNotFound,
			"Failed to update the api-destination(s). An api-destination 'd' does not exist."},
		{"CreateApiDestination", e(catalog.KindAPIDestination, "", "d", catalog.ErrExists), ResourceAlreadyExists, "An api-destination 'd' already exists."},
		{"PutTargets", e(catalog.KindRule, "b", "r", catalog.ErrContention), ConcurrentModification, ""},
		{"RemovePermission", catalog.ErrStatementNotFound, ResourceNotFound, "Statement with the provided id does not exist."},
		{"PutRule", Errorf(ManagedRule, "mine"), ManagedRule, "mine"},
	} {
		got, known := toWire(tc.op, tc.err)
		if !known || got.Code != tc.code || tc.msg != "" && got.Message != tc.msg {
			t.Errorf("%s %v: %v %v; want %s %q", tc.op, tc.err, got, known, tc.code, tc.msg)
		}
	}
	// A store failure under a catalog error, and anything unknown, is an
	// internal fault: no internals in the message, and logged by the caller.
	for _, err := range []error{e(catalog.KindBus, "", "b", errors.New("nats: timeout")), errors.New("boom")} {
		got, known := toWire("CreateEventBus", err)
		if known || got.Code != Internal || got.Message != "An internal error occurred." {
			t.Errorf("%v: %v %v", err, got, known)
		}
	}
}
