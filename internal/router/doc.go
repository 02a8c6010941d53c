// Package router turns stored events into deliveries.
//
// The Index is each node's in-memory view of the catalog, kept current by
// watching the store: per bus, one pattern.Matcher holding every enabled
// rule, and the compiled targets of each rule. The Router reads batches of
// events from the events stream through a durable consumer that all nodes
// share (each batch goes to one node), matches every event once against its
// bus's matcher, and hands one delivery per (matching rule, target) to the
// Deliverer. It acknowledges a batch once every delivery of it has been
// delivered or durably handed to the retry path, so a crash in between means
// the batch is routed again: at least once, never lost.
package router
