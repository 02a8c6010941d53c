// Package catalog is the control-plane state of Switchyard: event buses and
// the rules on them (with their targets, tags and the bus policy), kept as
// JSON documents in a store.Store so that every node of a cluster sees the
// same state.
//
// Every resource is one document under a key that starts with its account and
// region, so accounts never see each other's resources. A rule document holds
// its targets and tags, and a bus document its tags and policy: each API call
// changes exactly one document with a compare-and-set on its revision, which
// keeps concurrent writers (goroutines or nodes) from losing each other's
// updates and makes limits such as "5 targets per rule" hold under races.
//
// The catalog knows nothing of the wire: it returns sentinel errors and the
// api package turns them into AWS's messages.
package catalog
