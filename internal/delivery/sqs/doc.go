// Package sqs sends one event to an Amazon SQS queue, as an EventBridge
// target or as a dead-letter queue, through aws-sdk-go-v2. Where SQS is,
// which credentials are used and how failures are classified is the
// target package's (shared by every AWS target kind).
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
//     deduplication enabled, i.e. SQS deduplicates on the body. A FIFO
//     queue without it refuses the message (INVALID_PARAMETER, not retried).
//   - The event's trace header goes in the AWSTraceHeader message system
//     attribute.
package sqs
