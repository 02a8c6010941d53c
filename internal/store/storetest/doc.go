// Package storetest is the conformance suite for store.Store: every
// implementation runs it from its own tests, so that all of them keep the
// contract written in package store.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return openEmpty(t) })
//	}
//
// RunShared runs the same suite with writes going through one Store and
// reads through another opened on the same backing storage, which checks the
// cross-node read-your-writes clause.
package storetest
