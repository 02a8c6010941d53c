// Package batch submits the job of an AWS Batch target: one SubmitJob call
// through aws-sdk-go-v2 to the job queue of the target ARN
// (arn:<partition>:batch:<region>:<account>:job-queue/<name>), in that
// region, as the target's role. Where Batch is, credentials and the
// classification of failed calls are the target package's. Its Kind is the
// target.Kind of ARNs of service batch; New makes it on the shared
// target.Clients. An ARN that names no job queue (CheckARN refuses it)
// fails NO_RESOURCE without a call.
//
// The request: jobQueue is the target ARN; from the target's
// BatchParameters, jobDefinition (JobDefinition, a name, name:revision or
// ARN; required: without it the event goes to the DLQ as
// INVALID_PARAMETER, nothing is sent), jobName (JobName; required as
// well: PutTargets requires it but accepts "", and an empty one is
// INVALID_PARAMETER, nothing sent), arrayProperties
// (ArrayProperties.Size) and retryStrategy (RetryStrategy.Attempts).
//
// The input: the AWS Batch user guide's EventBridge examples give a job its
// input through the target's input transformer as a JSON object with
// "Parameters" (the job's parameter substitutions, Ref::name in the job
// definition's command) and "ContainerOverrides" (Command, Environment
// [{Name, Value}], ResourceRequirements [{Type, Value}], InstanceType,
// ...). A target with its own Input, InputPath or InputTransformer has
// those two members passed to SubmitJob; any other member is ignored.
// A target without one submits the job as its definition says: nothing of
// the event goes to Batch (an event has no "Parameters" or
// "ContainerOverrides" of its own).
//
// Choices, where AWS documents nothing more precise:
//
//   - Member names are matched without regard to case (encoding/json), so
//     "parameters"/"containerOverrides"/"command", the spelling of the
//     Batch API itself, work as well as the user guide's capitalised one.
//   - A parameter value that is a JSON number or boolean (an input
//     transformer puts such event values in unquoted) is passed as its
//     JSON text; an object, array or null is INVALID_INPUT. An input that
//     is not a JSON object, or whose ContainerOverrides has members of the
//     wrong JSON type, is INVALID_INPUT. Neither is sent.
//   - Batch answers a job queue or job definition that does not exist with
//     its catch-all ClientException ("Job queue ... does not exist");
//     such an answer is NO_RESOURCE, not retried. Any other
//     ClientException stays INVALID_PARAMETER.
//
// Not verifiable here: moto keeps no retry strategy of a submitted job, so
// the tests check it in the request a stand-in Batch endpoint (restJson1,
// POST /v1/submitjob) receives; the tests run moto's Batch without Docker,
// which submits and describes jobs like the Docker one without running
// them.
package batch
