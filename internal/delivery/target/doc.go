// Package target holds what every AWS service target shares: where the
// services are (endpoints, credentials, roles assumed through STS), one
// delivery's request and result, and EventBridge's classification of a
// failed call into "retry under the RetryPolicy" or "straight to the
// dead-letter queue", with the DLQ's ERROR_CODE.
//
// Each target kind lives in its own small package under internal/delivery
// (sqs, sns, lambda, kinesis, ..., apidest, bus) with one type that
// implements Kind:
//
//	type Kind struct{ ... }                 // the clients it needs, built once
//	func New(c *target.Clients) *Kind       // the AWS kinds; apidest and bus take their own
//	func (k *Kind) CheckARN(a arn.ARN) error
//	func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result
//
// CheckARN says, without a call, whether an ARN names a resource of the
// kind; Deliver refuses the same ARNs (NO_RESOURCE, no call) and otherwise
// makes exactly one attempt: retrying is the dispatcher's job, so every SDK
// client is built with its own retries off. Every kind's outcome is a
// Result, with its DLQ code from the one table in codes.go. A kind whose
// targets have a rate limit also implements Paced (API destinations).
//
// Every kind passes the conformance suite of package targettest
// (targettest.Run), run from its own tests: the input arrives as sent, the
// trace header goes where the kind sends it, failures are classified as
// EventBridge classifies them, and malformed ARNs are refused without a
// call or a panic.
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
