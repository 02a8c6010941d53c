// Package sqs sends one event to an Amazon SQS queue, as an EventBridge
// target or as a dead-letter queue, through aws-sdk-go-v2, and classifies
// the outcome the way EventBridge does for its retry policy and DLQ
// ERROR_CODE. Retrying is the caller's job; a Client only says whether a
// retry makes sense (Result.Retryable).
//
// Where SQS is: the SDK's standard configuration (config.LoadDefaultConfig:
// AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SQS, shared config profiles, the
// credential chain), with Options.Endpoint (switchyard's --endpoint-sqs)
// overriding the endpoint of every region. The region of each call is the
// queue ARN's region. When an endpoint override is set and the credential
// chain yields nothing, static test credentials ("test"/"test") are used:
// local emulators (moto, ElasticMQ, LocalStack) accept any.
//
// Choices, each where AWS documents nothing more precise:
//
//   - The queue URL is resolved once per ARN with GetQueueUrl (QueueName and
//     QueueOwnerAWSAccountId from the ARN) and cached; a queue that stops
//     existing is resolved again. When GetQueueUrl itself is denied (a
//     policy granting only sqs:SendMessage, which is all EventBridge
//     needs), the URL is built from the ARN as SQS spells it.
//   - FIFO queues (name ending in .fifo) get MessageGroupId from the
//     target's SqsParameters and no MessageDeduplicationId: EventBridge
//     documents that a FIFO target queue must have content-based
//     deduplication enabled, i.e. SQS deduplicates on the body.
//   - The event's trace header goes in the AWSTraceHeader message system
//     attribute.
//   - The SDK's own retries are off: every call is one attempt, and the
//     target's RetryPolicy decides about the next.
//   - ERROR_CODE values come from the list in the EventBridge DLQ docs:
//     NO_RESOURCE (queue does not exist), NO_PERMISSIONS (access denied,
//     KMS access denied, no or invalid credentials), THROTTLING, TIMEOUT,
//     CONNECTION_FAILURE, INVALID_PARAMETER (the request is not valid for
//     the queue: a FIFO queue without content-based deduplication, a body
//     too large, ...) and SDK_CLIENT_ERROR (anything else). Throttling,
//     timeouts, connection failures and 5xx answers are retried; the rest
//     are not.
package sqs
