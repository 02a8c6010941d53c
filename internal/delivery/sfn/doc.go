// Package sfn delivers an event to a Step Functions state machine target
// (arn:<partition>:states:<region>:<account>:stateMachine:<name>, with an
// optional version or alias suffix that is kept) through aws-sdk-go-v2's
// sfn client, in the ARN's region, as the target's role. Its Kind is the
// target.Kind of ARNs of service states; New makes it on the shared
// target.Clients. An ARN that names no state machine (CheckARN refuses it)
// fails NO_RESOURCE without a call.
//
// What it calls: StartExecution with stateMachineArn = the target ARN,
// input = the payload (the event, or what Input/InputPath/InputTransformer
// made of it) and traceHeader = the X-Ray trace header PutEvents carried,
// when there is one. No execution name is given: Step Functions makes a
// unique one, so a retried attempt after a lost answer may start a second
// execution (at-least-once, as EventBridge delivers).
//
// Standard and Express workflows are started alike, asynchronously:
// StartExecution. Rule targets (PutTargets' Target) have no parameter that
// asks for a synchronous start, and no page found says EventBridge rules
// ever call StartSyncExecution. The EventBridge user guide's page "Step
// Functions state machine target" (eb-custom-bus-target-sfn) describes a
// different target configuration, with TargetArn and StepFunctionsParameters
// (InvocationType EVENT → StartExecution, REQUEST_RESPONSE →
// StartSyncExecution, Name, TraceHeader, batching); the rule target API this
// server implements has none of those fields, so it always uses EVENT's
// call.
//
// Errors (target.Classify): StateMachineDoesNotExist and StateMachineDeleting
// → NO_RESOURCE, ExecutionAlreadyExists → RESOURCE_ALREADY_EXISTS,
// InvalidExecutionInput (an input that is not JSON) → INVALID_PARAMETER, none
// retried; ExecutionLimitExceeded and throttling → THROTTLING, 5xx → retried.
//
// Not verifiable here: moto accepts traceHeader but does not keep it, so the
// tests check it on the request (a stand-in speaking Step Functions'
// awsJson1_0 protocol, and a proxy in front of moto).
package sfn
