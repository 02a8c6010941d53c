// Package ecs runs the task of an Amazon ECS target: one RunTask call
// through aws-sdk-go-v2 on the cluster of the target ARN
// (arn:<partition>:ecs:<region>:<account>:cluster/<name>), in that region,
// as the target's role. Where ECS is, credentials and the classification
// of failed calls are the target package's. Its Kind is the target.Kind of
// ARNs of service ecs; New makes it on the shared target.Clients. An ARN
// that names no cluster (CheckARN refuses it) fails NO_RESOURCE without a
// call.
//
// The request: cluster is the target ARN; from the target's EcsParameters,
// TaskDefinitionArn (required: without it the event goes to the DLQ as
// INVALID_PARAMETER, nothing is sent), TaskCount (default 1), LaunchType,
// NetworkConfiguration.awsvpcConfiguration (subnets, securityGroups,
// assignPublicIp), PlatformVersion, Group, CapacityProviderStrategy,
// EnableECSManagedTags, EnableExecuteCommand, PlacementConstraints,
// PlacementStrategy, PropagateTags, ReferenceId and Tags, each passed as
// given; ECS itself judges combinations (a launch type together with a
// capacity provider strategy, ...).
//
// The input: EventBridge gives an ECS task nothing of the event by default,
// so a target without Input, InputPath or InputTransformer runs the task
// with no overrides. A target with one of them has its input read as the
// task's overrides, as the EventBridge user guide describes for ECS
// targets: a JSON object with the members of the ECS API's TaskOverride,
// spelt as in the ECS API (containerOverrides with name, command,
// environment, environmentFiles, cpu, memory, memoryReservation,
// resourceRequirements; cpu; memory; taskRoleArn; executionRoleArn;
// ephemeralStorage.sizeInGiB; inferenceAcceleratorOverrides). Members ECS
// does not have are ignored. An input that is not such an object (not
// JSON, a JSON string, a member of the wrong JSON type) goes to the DLQ as
// INVALID_INPUT without a call.
//
// Choices, where AWS documents nothing more precise:
//
//   - startedBy is "events-rule/<rule name>" (cut to RunTask's 128
//     characters), the mark tasks started by EventBridge carry.
//   - RunTask answers 200 with a list of failures when it cannot place
//     tasks. With no task started, the attempt fails: a lack of capacity
//     (reasons RESOURCE:*, Fargate's "Capacity is unavailable ...") or a
//     disconnected agent (AGENT) is retried as THROTTLING, since it may
//     pass; a missing or inactive container instance (MISSING, INACTIVE)
//     is NO_RESOURCE; any other reason (placement constraints no instance
//     meets, ...) is SDK_CLIENT_ERROR, not retried, as it depends on the
//     target's configuration. The reasons go into the error message. With
//     some tasks started, the attempt counts as delivered: a retry would
//     start those again.
//   - A request the SDK refuses before sending (a required member missing,
//     such as a capacity provider strategy item without a provider) is
//     INVALID_PARAMETER, not retried.
//   - No client token is chosen: the SDK makes a fresh one per call, so a
//     retry after an answer that was lost may start the task twice, as
//     with any target that is not idempotent.
//
// Not verifiable here: moto keeps only part of a RunTask request (not the
// capacity provider strategy, placement, managed tags, execute command,
// tag propagation or reference id), so the tests check those in the
// request a stand-in ECS endpoint receives; the failure reasons are
// ECS's documented ones, answered by the stand-in, not observed on AWS.
package ecs
