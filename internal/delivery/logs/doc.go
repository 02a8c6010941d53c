// Package logs delivers an event to a CloudWatch Logs log group target
// (arn:<partition>:logs:<region>:<account>:log-group:<name>, optionally
// ending in ":*", which is dropped) through aws-sdk-go-v2's cloudwatchlogs
// client, in the ARN's region, as the target's role.
//
// What it calls: PutLogEvents(logGroupName, logStreamName, [one event]).
// When CloudWatch Logs answers ResourceNotFoundException, the stream is
// created with CreateLogStream and PutLogEvents is sent once more, within
// the same attempt; if CreateLogStream itself answers
// ResourceNotFoundException the log group is missing: NO_RESOURCE, not
// retried. ResourceAlreadyExistsException from CreateLogStream (another
// attempt made the stream meanwhile) is not a failure.
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
//   - Log stream name: the event's id, so each event gets its own stream,
//     created on first use. No AWS page found (EventBridge user guide, API
//     reference, CDK, issue trackers) says how EventBridge names the streams
//     it creates for rule targets; the event id is our choice and was not
//     verified against AWS. (EventBridge Pipes' log target has a
//     LogStreamName parameter; rule targets have none.)
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
// timestamps in rejectedLogEventsInfo as AWS does.
package logs
