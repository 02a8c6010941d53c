// Package firehose delivers one event to an Amazon Data Firehose delivery
// stream target with PutRecord, through aws-sdk-go-v2 (client, credentials,
// role and error classification from the target package). Its Kind is the
// target.Kind of ARNs of service firehose; New makes it on the shared
// target.Clients. An ARN that names no delivery stream (CheckARN refuses
// it) fails NO_RESOURCE without a call.
//
// Mapping: DeliveryStreamName is the name in the target ARN
// (arn:<partition>:firehose:<region>:<account>:deliverystream/<name>,
// called in the ARN's region; PutRecord takes no ARN, so the stream's
// account is the one of the credentials or the target's role); Record.Data
// is the payload exactly (the event, or what Input, InputPath or
// InputTransformer made of it). No newline is appended: EventBridge does
// not append one either, so records of a stream buffered into one S3
// object run together unless the stream's own processing (or an
// InputTransformer template ending in a newline) adds a delimiter. Firehose
// has no parameters in an EventBridge target.
//
// Errors: the delivery stream not existing (ResourceNotFoundException) →
// NO_RESOURCE; AccessDenied and KMS errors → NO_PERMISSIONS;
// InvalidArgumentException (a record over 1,000 KiB) → INVALID_PARAMETER,
// none retried; ServiceUnavailableException (the stream's throughput
// exceeded), throttling, 5xx and connection failures are retried.
//
// Not verifiable here: buffering. moto writes one S3 object per PutRecord
// immediately (the tests rely on that to read the record back); real
// Firehose buffers by size and time and may put several records in one
// object. Also InvalidKMSResourceException and
// InvalidSourceException, which moto does not produce.
package firehose
