// Package ingest makes accepted events durable: PutEvents hands it records,
// and it answers once they are stored in the events stream of JetStream.
//
// Storing one message per event would cost one JetStream round trip (and,
// with fsync on, one fsync) per event. The Writer does group commit instead:
// concurrent callers queue their records, and each writer goroutine takes
// everything queued, stores it as one batch message, and wakes all its
// callers when JetStream acknowledges it. While one batch is on its way the
// next one fills up, so the cost of a write is shared by every event that
// arrived meanwhile.
//
// A batch message also carries the catalog revision current when it was
// written, so the router can wait until its view of the rules includes every
// change acknowledged before the events were accepted.
package ingest
