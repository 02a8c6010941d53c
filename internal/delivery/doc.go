// Package delivery carries routed events to their targets: a bounded pool of
// workers makes each first attempt; a failure that may succeed later goes to
// the retry stream with its next attempt time, so the RetryPolicy survives a
// restart; an event that cannot be delivered goes to the dead-letter record.
//
// Target kinds are chosen by the target ARN: an event bus (the event is
// ingested again on that bus), an API destination (an HTTP call through
// package apidest) or an SQS queue (package sqs). Other AWS services arrive
// with their own subpackages. Every kind but a bus receives the event or its
// transformed input (Input, InputPath, InputTransformer).
//
// Dead letters are recorded in a JetStream stream first, then sent to their
// SQS queue by a durable consumer of that stream (deadletter.go), so that an
// unreachable DLQ loses nothing.
package delivery
