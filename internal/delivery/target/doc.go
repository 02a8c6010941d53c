// Package target holds what every AWS service target shares: where the
// services are (endpoints, credentials, roles assumed through STS), one
// delivery's request and result, and EventBridge's classification of a
// failed call into "retry under the RetryPolicy" or "straight to the
// dead-letter queue", with the DLQ's ERROR_CODE.
//
// Each target kind lives in its own small package under internal/delivery
// (sqs, sns, lambda, kinesis, ...) with one function of the shape
//
//	func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result
//
// that makes exactly one attempt: retrying is the dispatcher's job, so every
// SDK client is built with its own retries off.
//
// Where the services are: the SDK's standard configuration
// (config.LoadDefaultConfig: AWS_REGION, AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_<SERVICE>, shared config profiles, the credential chain).
// Options.Endpoints overrides the endpoint of one service (by the service
// name its ARNs use: "sqs", "lambda", "states", "logs", ...) or of all ("*"),
// for a laptop that runs SQS on ElasticMQ and Lambda on a local runtime.
// With an override and a credential chain that yields nothing, static test
// credentials ("test"/"test") are used: local emulators accept any. The
// region of each call is the target ARN's region.
//
// Roles: with Options.AssumeRoles, a target with a RoleArn is called with
// that role's credentials, obtained from STS AssumeRole with the base
// credentials and cached until a minute before they expire, as EventBridge
// itself acts as the target's role. Without it the base credentials are
// used and RoleArn is only stored.
package target
