// Package kinesis delivers one event to an Amazon Kinesis Data Streams
// target with PutRecord, through aws-sdk-go-v2 (client, credentials, role
// and error classification from the target package). Its Kind is the
// target.Kind of ARNs of service kinesis; New makes it on the shared
// target.Clients. An ARN that names no stream (CheckARN refuses it) fails
// NO_RESOURCE without a call.
//
// Mapping: StreamARN is the target ARN
// (arn:<partition>:kinesis:<region>:<account>:stream/<name>, called in the
// ARN's region; AWS recommends the ARN over StreamName, and it carries the
// stream's account); Data is the payload as it is (the event, or what
// Input, InputPath or InputTransformer made of it), with nothing appended;
// PartitionKey is described below. No ExplicitHashKey and no
// SequenceNumberForOrdering: EventBridge documents neither.
//
// Partition key: the target's KinesisParameters.PartitionKeyPath, which
// EventBridge documents as a JSONPath into the event, is resolved in the
// original event (a string without its quotes, any other value as its JSON
// text); a value that does not start with "$." is used literally. Without
// a PartitionKeyPath the key is the event id, as EventBridge documents.
// Choices where AWS says nothing more precise: a path that finds nothing,
// or an empty string, would be a key Kinesis refuses (keys are 1 to 256
// Unicode characters), so the event id is used instead; a key longer than
// 256 characters is cut to its first 256 (by characters, not bytes),
// rather than failing an event whose key is still a stable function of it.
//
// Errors: the stream not existing (ResourceNotFoundException) →
// NO_RESOURCE; AccessDenied and KMS errors → NO_PERMISSIONS;
// InvalidArgumentException → INVALID_PARAMETER (not retried);
// ProvisionedThroughputExceededException and throttling, 5xx and
// connection failures are retried.
//
// Not verifiable here: what real Kinesis answers for a stream of another
// account without a resource policy, and KMS-encrypted streams (moto does
// not enforce either).
package kinesis
