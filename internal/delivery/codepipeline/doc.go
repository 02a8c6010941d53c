// Package codepipeline starts an execution of an AWS CodePipeline target:
// one StartPipelineExecution call through aws-sdk-go-v2 for the pipeline
// of the target ARN (arn:<partition>:codepipeline:<region>:<account>:<name>),
// in that region, as the target's role. Where CodePipeline is, credentials
// and the classification of failed calls are the target package's. Its
// Kind is the target.Kind of ARNs of service codepipeline; New makes it on
// the shared target.Clients.
//
// The request: name is the pipeline's name, the resource of the target
// ARN. Nothing else: the event, or the target's own input, is not part of
// the request (EventBridge documents no mapping of the input to a
// pipeline's variables or source revisions, so none is made up).
//
// Choices, where AWS documents nothing more precise:
//
//   - A pipeline busy with a previous request (ConflictException) and the
//     limit of concurrent executions
//     (ConcurrentPipelineExecutionsLimitExceededException) are retried
//     like throttling; PipelineNotFoundException is NO_RESOURCE.
//   - An ARN whose resource is not a pipeline name (1 to 100 letters,
//     digits and . @ - _; CheckARN refuses it) goes to the DLQ as
//     NO_RESOURCE without a call.
//   - The client request token is the one the SDK makes, fresh for each
//     call: a retry after an answer that was lost may start a second
//     execution.
//
// Not verifiable here: moto 5.2.1 does not implement
// StartPipelineExecution or GetPipelineState, so the tests use a stand-in
// CodePipeline endpoint (awsJson1_1) that checks the request and answers
// as CodePipeline documents, including PipelineNotFoundException.
package codepipeline
