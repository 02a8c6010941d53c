// Package sns delivers one event to an Amazon SNS topic target with
// Publish, through aws-sdk-go-v2 (client, credentials, role and error
// classification from the target package). Its Kind is the target.Kind of
// ARNs of service sns; New makes it on the shared target.Clients.
//
// Mapping: TopicArn is the target ARN (arn:<partition>:sns:<region>:<account>:<topic>,
// called in the ARN's region); Message is the payload as it is (the event,
// or what Input, InputPath or InputTransformer made of it). No Subject, no
// MessageStructure, no message attributes: EventBridge documents none.
//
// Choices, each where AWS documents nothing more precise:
//
//   - FIFO topics (name ending in .fifo): MessageGroupId comes from the
//     target's SqsParameters.MessageGroupId, the parameter EventBridge uses
//     for SNS FIFO targets as well as SQS FIFO queues. Without one the
//     event fails INVALID_PARAMETER (not retried) and SNS is not called.
//     MessageDeduplicationId is the event id: EventBridge does not say what
//     it sends, and the event id makes a retry of the same event (after a
//     timeout whose publish did in fact succeed) a duplicate SNS drops
//     within its five-minute deduplication window, and works on topics with
//     and without content-based deduplication. The consequence: the same
//     event delivered twice within five minutes (a replay of a recent
//     archive) reaches the subscribers once.
//   - Standard topics get no MessageGroupId even when SqsParameters has one.
//   - Trace header: Publish has no AWSTraceHeader system attribute (the
//     SDK's PublishInput has no MessageSystemAttributes), and SNS documents
//     that it takes the publisher's X-Ray context from the request's
//     X-Amzn-Trace-Id header; the event's trace header is sent there.
//   - An ARN that does not name a topic (CheckARN refuses it) fails
//     NO_RESOURCE without a call.
//   - An empty payload (an Input of "") fails INVALID_PARAMETER without a
//     call: SNS refuses an empty message ("Invalid parameter: Empty
//     message"); moto would take it.
//
// Errors: the topic not existing (NotFound) → NO_RESOURCE; authorization
// errors → NO_PERMISSIONS; InvalidParameter (an empty or oversized
// message, a FIFO topic without deduplication) → INVALID_PARAMETER, none
// retried; throttling, 5xx and connection failures are retried.
//
// Not verifiable here: that real SNS links the X-Amzn-Trace-Id header into
// its trace (moto ignores it; the tests only check the header is sent),
// and the authorization errors of a real topic policy.
package sns
