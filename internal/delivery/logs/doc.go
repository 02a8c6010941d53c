// Package logs delivers an event to a CloudWatch Logs log group target
// (arn:<partition>:logs:<region>:<account>:log-group:<name>, optionally
// ending in ":*", which is dropped) through aws-sdk-go-v2's cloudwatchlogs
// client, in the ARN's region, as the target's role. Its Kind is the
// target.Kind of ARNs of service logs; New makes it on the shared
// target.Clients. An ARN that names no log group (CheckARN refuses it)
// fails NO_RESOURCE without a call.
//
// What it calls, in one attempt: CreateLogStream(logGroupName,
// logStreamName), then PutLogEvents(logGroupName, logStreamName, [one
// event]). Each event has its own stream (see below), so the stream is
// created first rather than after a PutLogEvents that fails not-found: two
// calls instead of three. ResourceAlreadyExistsException from
// CreateLogStream (an earlier attempt of the same event made the stream)
// is not a failure. ResourceNotFoundException from CreateLogStream means
// the log group is missing: NO_RESOURCE, not retried, and PutLogEvents is
// not called. Any other failure of either call is classified as for every
// target (throttling and 5xx retried).
//
// How the input maps:
//
//   - message: the payload (the event, or what Input/InputPath/
//     InputTransformer made of it), as text.
//   - timestamp: the event's "time" (RFC 3339) in milliseconds; the time of
//     the attempt when the event has none.
//   - When the target has its own input configuration and its output is a
//     JSON object with a "message" member and at most a "timestamp" member
//     besides, those two are used: the message (a string as it is, anything
//     else as its JSON text) and the timestamp (milliseconds as a number or
//     a string of digits, or an RFC 3339 time such as <aws.events.event.
//     ingestion-time> or $.time gives; the event's time when absent or
//     unreadable). This is the form {"timestamp": ..., "message": ...} that
//     EventBridge requires of an InputTemplate for a log group target: AWS
//     states it only in a note of the PutTargets API reference, as quoted by
//     aws/aws-cdk#20748 (CDK's LogGroupTargetInput builds exactly this
//     object, with $.time and a string message by default). Any other
//     output is written whole as the message.
//
// Choices where AWS documents nothing more precise:
//
//   - Log stream name: the event's id (always set: PutEvents assigns one),
//     so each event gets its own stream, created by its delivery. No AWS
//     page found (EventBridge user guide, API reference, CDK, issue
//     trackers) says how EventBridge names the streams it creates for rule
//     targets; the event id is our choice and was not verified against AWS.
//     (EventBridge Pipes' log target has a LogStreamName parameter; rule
//     targets have none.)
//   - An event CloudWatch Logs rejects for its timestamp (older than 14 days
//     or than the group's retention, more than 2 hours ahead: PutLogEvents
//     answers 200 with rejectedLogEventsInfo and stores nothing) fails with
//     INVALID_PARAMETER, not retried: a new attempt carries the same time.
//   - An empty message (CloudWatch Logs needs at least one character) fails
//     with INVALID_INPUT without a call.
//
// Not verifiable here: the stream naming and the exact rules AWS applies to
// the {"timestamp", "message"} template (what it does with a template of
// another shape) could not be checked against AWS. The tests run against
// moto, which stores and returns the log events, and reports old
// timestamps in rejectedLogEventsInfo as AWS does; a stand-in speaking
// CloudWatch Logs' JSON 1.1 protocol checks the order of the calls and
// answers the errors moto does not give.
package logs
