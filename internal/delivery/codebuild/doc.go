// Package codebuild starts a build of an AWS CodeBuild target: one
// StartBuild call through aws-sdk-go-v2 for the project of the target ARN
// (arn:<partition>:codebuild:<region>:<account>:project/<name>), in that
// region, as the target's role. Where CodeBuild is, credentials and the
// classification of failed calls are the target package's. Its Kind is the
// target.Kind of ARNs of service codebuild; New makes it on the shared
// target.Clients. An ARN that names no project (CheckARN refuses it) fails
// NO_RESOURCE without a call.
//
// The request: projectName is the project's name from the target ARN.
//
// The input: EventBridge makes the target's input the body of the
// StartBuild request (the AWS CDK documents a CodeBuild target's event as
// "the payload for the StartBuild API"). A target with its own Input,
// InputPath or InputTransformer has its input read as StartBuild
// overrides: a JSON object with StartBuild's members spelt as in the
// CodeBuild API (environmentVariablesOverride [{name, value, type}],
// sourceVersion, buildspecOverride, timeoutInMinutesOverride,
// queuedTimeoutInMinutesOverride, imageOverride, computeTypeOverride,
// privilegedModeOverride, artifactsOverride, sourceLocationOverride,
// gitCloneDepthOverride, ... every member of StartBuildInput). The event
// itself, without an input of the target's, has no member StartBuild
// knows, so such a target starts a build as the project says.
//
// Choices, where AWS documents nothing more precise:
//
//   - The input is decoded straight into the SDK's StartBuildInput, whose
//     Go field names are the API's member names; encoding/json matches
//     them without regard to case. Members StartBuild does not have are
//     ignored. projectName in the input is ignored: the target ARN names
//     the project.
//   - An input that is not a JSON object, or has a member of the wrong
//     JSON type, is INVALID_INPUT; a request the SDK refuses before
//     sending (an environment variable without a value, ...) is
//     INVALID_PARAMETER. Neither is sent nor retried.
//   - AccountLimitExceededException (the account's concurrent builds) is
//     retried like throttling: it passes as builds end.
//   - No idempotency token is sent: a retry after an answer that was lost
//     may start a second build.
//
// Not verifiable here: moto keeps only the source version of a build, so
// the tests check the other overrides in the request a stand-in CodeBuild
// endpoint (awsJson1_1) receives; moto's build times are text where the
// API has epoch seconds, so the moto test reads through a proxy that
// corrects them (see moto_fix_test.go).
package codebuild
