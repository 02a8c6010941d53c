// Package sagemaker delivers to Amazon SageMaker AI pipeline targets
// (arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>) through
// aws-sdk-go-v2 service/sagemaker: one StartPipelineExecution per event,
// PipelineName = <name>. Where SageMaker is, which credentials are used and
// how failures are classified is the target package's. Its Kind is the
// target.Kind of ARNs of service sagemaker; New makes it on the shared
// target.Clients. An ARN that names no pipeline (CheckARN refuses it) fails
// NO_RESOURCE without a call.
//
// SageMakerPipelineParameters.PipelineParameterList becomes
// PipelineParameters, in order. Each Value may be a dynamic path into the
// original event (a whole value starting with "$.": a string without its
// quotes, anything else as its JSON text, nothing found as ""); names are
// literal, since EventBridge's pattern for a name admits no "$". The event
// itself is not sent: EventBridge documents SageMaker pipelines as a target
// that treats the event as a trigger. Without parameters the execution uses
// the pipeline's defaults.
//
// Choices where AWS documents nothing more precise:
//
//   - ClientRequestToken is the SDK's random idempotency token: like
//     EventBridge, delivery is at least once.
//   - Classification is target.Classify's: a 2xx answer whose body the SDK
//     cannot read counts as started (a retry would start a second
//     execution); a missing pipeline is NO_RESOURCE, whether SageMaker says
//     so with its documented ResourceNotFound or with a ValidationException
//     saying it "could not find" it (as moto does); ResourceLimitExceeded
//     (too many running executions) is THROTTLING and retried.
//
// Tested against moto (CreatePipeline, StartPipelineExecution,
// ListPipelineExecutions, ListPipelineParametersForExecution) and, for the
// request on the wire and the answers moto does not give, a stand-in
// speaking awsJson1_1.
package sagemaker
