// Package event holds what EventBridge does to a PutEvents entry before it
// is stored: the per-entry checks and their AWS error codes, AWS's way of
// counting an entry's size, the event id, and the envelope that rules match
// and targets receive, rendered with AWS's key order.
package event
