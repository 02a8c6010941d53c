package api

import (
	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// The catalog's Target and the wire's differ only in who owns them: these
// functions copy one into the other, member by member, so that a member
// added to either side without the other fails to compile here rather than
// being dropped silently (TestTargetShapeRoundTrip fills every member).

func targetIn(t *wire.Target) catalog.Target {
	out := catalog.Target{
		ID: str(t.Id), ARN: str(t.Arn), RoleARN: t.RoleArn,
		Input: t.Input, InputPath: t.InputPath,
	}
	if it := t.InputTransformer; it != nil {
		out.InputTransformer = &catalog.InputTransformer{PathsMap: it.InputPathsMap, Template: it.InputTemplate}
	}
	if d := t.DeadLetterConfig; d != nil {
		out.DeadLetter = &catalog.DeadLetter{ARN: d.Arn}
	}
	if p := t.RetryPolicy; p != nil {
		out.RetryPolicy = &catalog.RetryPolicy{MaximumRetryAttempts: p.MaximumRetryAttempts, MaximumEventAgeInSeconds: p.MaximumEventAgeInSeconds}
	}
	if p := t.KinesisParameters; p != nil {
		out.Kinesis = &catalog.KinesisParameters{PartitionKeyPath: p.PartitionKeyPath}
	}
	if p := t.RunCommandParameters; p != nil {
		out.RunCommand = &catalog.RunCommandParameters{RunCommandTargets: convertSlice(p.RunCommandTargets, func(x wire.RunCommandTarget) catalog.RunCommandTarget {
			return catalog.RunCommandTarget{Key: x.Key, Values: x.Values}
		})}
	}
	if p := t.EcsParameters; p != nil {
		out.ECS = &catalog.ECSParameters{
			TaskDefinitionArn: p.TaskDefinitionArn, TaskCount: p.TaskCount, LaunchType: p.LaunchType,
			PlatformVersion: p.PlatformVersion, Group: p.Group, EnableECSManagedTags: p.EnableECSManagedTags,
			EnableExecuteCommand: p.EnableExecuteCommand, PropagateTags: p.PropagateTags, ReferenceId: p.ReferenceId,
			CapacityProviderStrategy: convertSlice(p.CapacityProviderStrategy, func(x wire.CapacityProviderStrategyItem) catalog.CapacityProviderStrategyItem {
				return catalog.CapacityProviderStrategyItem{CapacityProvider: x.CapacityProvider, Weight: x.Weight, Base: x.Base}
			}),
			PlacementConstraints: convertSlice(p.PlacementConstraints, func(x wire.PlacementConstraint) catalog.PlacementConstraint {
				return catalog.PlacementConstraint{Type: x.Type, Expression: x.Expression}
			}),
			PlacementStrategy: convertSlice(p.PlacementStrategy, func(x wire.PlacementStrategy) catalog.PlacementStrategy {
				return catalog.PlacementStrategy{Type: x.Type, Field: x.Field}
			}),
			Tags: convertSlice(p.Tags, func(x wire.Tag) catalog.TaskTag { return catalog.TaskTag{Key: x.Key, Value: x.Value} }),
		}
		if n := p.NetworkConfiguration; n != nil {
			out.ECS.NetworkConfiguration = &catalog.NetworkConfiguration{}
			if v := n.AwsvpcConfiguration; v != nil {
				out.ECS.NetworkConfiguration.AwsvpcConfiguration = &catalog.AwsVpcConfiguration{
					Subnets: v.Subnets, SecurityGroups: v.SecurityGroups, AssignPublicIp: v.AssignPublicIp}
			}
		}
	}
	if p := t.BatchParameters; p != nil {
		out.Batch = &catalog.BatchParameters{JobDefinition: p.JobDefinition, JobName: p.JobName}
		if a := p.ArrayProperties; a != nil {
			out.Batch.ArrayProperties = &catalog.BatchArrayProperties{Size: a.Size}
		}
		if r := p.RetryStrategy; r != nil {
			out.Batch.RetryStrategy = &catalog.BatchRetryStrategy{Attempts: r.Attempts}
		}
	}
	if p := t.SqsParameters; p != nil {
		out.SQS = &catalog.SQSParameters{MessageGroupId: p.MessageGroupId}
	}
	if p := t.HttpParameters; p != nil {
		out.HTTP = &catalog.HTTPTargetParameters{PathParameterValues: p.PathParameterValues,
			HeaderParameters: p.HeaderParameters, QueryStringParameters: p.QueryStringParameters}
	}
	if p := t.RedshiftDataParameters; p != nil {
		out.RedshiftData = &catalog.RedshiftDataParameters{SecretManagerArn: p.SecretManagerArn, Database: p.Database,
			DbUser: p.DbUser, Sql: p.Sql, StatementName: p.StatementName, WithEvent: p.WithEvent, Sqls: p.Sqls}
	}
	if p := t.SageMakerPipelineParameters; p != nil {
		out.SageMaker = &catalog.SageMakerParameters{PipelineParameterList: convertSlice(p.PipelineParameterList,
			func(x wire.SageMakerPipelineParameter) catalog.SageMakerPipelineParameter {
				return catalog.SageMakerPipelineParameter{Name: x.Name, Value: x.Value}
			})}
	}
	if p := t.AppSyncParameters; p != nil {
		out.AppSync = &catalog.AppSyncParameters{GraphQLOperation: p.GraphQLOperation}
	}
	return out
}

func targetOut(t *catalog.Target) wire.Target {
	out := wire.Target{
		Id: ptr(t.ID), Arn: ptr(t.ARN), RoleArn: t.RoleARN,
		Input: t.Input, InputPath: t.InputPath,
	}
	if it := t.InputTransformer; it != nil {
		out.InputTransformer = &wire.InputTransformer{InputPathsMap: it.PathsMap, InputTemplate: it.Template}
	}
	if d := t.DeadLetter; d != nil {
		out.DeadLetterConfig = &wire.DeadLetterConfig{Arn: d.ARN}
	}
	if p := t.RetryPolicy; p != nil {
		out.RetryPolicy = &wire.RetryPolicy{MaximumRetryAttempts: p.MaximumRetryAttempts, MaximumEventAgeInSeconds: p.MaximumEventAgeInSeconds}
	}
	if p := t.Kinesis; p != nil {
		out.KinesisParameters = &wire.KinesisParameters{PartitionKeyPath: p.PartitionKeyPath}
	}
	if p := t.RunCommand; p != nil {
		out.RunCommandParameters = &wire.RunCommandParameters{RunCommandTargets: convertSlice(p.RunCommandTargets, func(x catalog.RunCommandTarget) wire.RunCommandTarget {
			return wire.RunCommandTarget{Key: x.Key, Values: x.Values}
		})}
	}
	if p := t.ECS; p != nil {
		out.EcsParameters = &wire.EcsParameters{
			TaskDefinitionArn: p.TaskDefinitionArn, TaskCount: p.TaskCount, LaunchType: p.LaunchType,
			PlatformVersion: p.PlatformVersion, Group: p.Group, EnableECSManagedTags: p.EnableECSManagedTags,
			EnableExecuteCommand: p.EnableExecuteCommand, PropagateTags: p.PropagateTags, ReferenceId: p.ReferenceId,
			CapacityProviderStrategy: convertSlice(p.CapacityProviderStrategy, func(x catalog.CapacityProviderStrategyItem) wire.CapacityProviderStrategyItem {
				return wire.CapacityProviderStrategyItem{CapacityProvider: x.CapacityProvider, Weight: x.Weight, Base: x.Base}
			}),
			PlacementConstraints: convertSlice(p.PlacementConstraints, func(x catalog.PlacementConstraint) wire.PlacementConstraint {
				return wire.PlacementConstraint{Type: x.Type, Expression: x.Expression}
			}),
			PlacementStrategy: convertSlice(p.PlacementStrategy, func(x catalog.PlacementStrategy) wire.PlacementStrategy {
				return wire.PlacementStrategy{Type: x.Type, Field: x.Field}
			}),
			Tags: convertSlice(p.Tags, func(x catalog.TaskTag) wire.Tag { return wire.Tag{Key: x.Key, Value: x.Value} }),
		}
		if n := p.NetworkConfiguration; n != nil {
			out.EcsParameters.NetworkConfiguration = &wire.NetworkConfiguration{}
			if v := n.AwsvpcConfiguration; v != nil {
				out.EcsParameters.NetworkConfiguration.AwsvpcConfiguration = &wire.AwsVpcConfiguration{
					Subnets: v.Subnets, SecurityGroups: v.SecurityGroups, AssignPublicIp: v.AssignPublicIp}
			}
		}
	}
	if p := t.Batch; p != nil {
		out.BatchParameters = &wire.BatchParameters{JobDefinition: p.JobDefinition, JobName: p.JobName}
		if a := p.ArrayProperties; a != nil {
			out.BatchParameters.ArrayProperties = &wire.BatchArrayProperties{Size: a.Size}
		}
		if r := p.RetryStrategy; r != nil {
			out.BatchParameters.RetryStrategy = &wire.BatchRetryStrategy{Attempts: r.Attempts}
		}
	}
	if p := t.SQS; p != nil {
		out.SqsParameters = &wire.SqsParameters{MessageGroupId: p.MessageGroupId}
	}
	if p := t.HTTP; p != nil {
		out.HttpParameters = &wire.HttpParameters{PathParameterValues: p.PathParameterValues,
			HeaderParameters: p.HeaderParameters, QueryStringParameters: p.QueryStringParameters}
	}
	if p := t.RedshiftData; p != nil {
		out.RedshiftDataParameters = &wire.RedshiftDataParameters{SecretManagerArn: p.SecretManagerArn, Database: p.Database,
			DbUser: p.DbUser, Sql: p.Sql, StatementName: p.StatementName, WithEvent: p.WithEvent, Sqls: p.Sqls}
	}
	if p := t.SageMaker; p != nil {
		out.SageMakerPipelineParameters = &wire.SageMakerPipelineParameters{PipelineParameterList: convertSlice(p.PipelineParameterList,
			func(x catalog.SageMakerPipelineParameter) wire.SageMakerPipelineParameter {
				return wire.SageMakerPipelineParameter{Name: x.Name, Value: x.Value}
			})}
	}
	if p := t.AppSync; p != nil {
		out.AppSyncParameters = &wire.AppSyncParameters{GraphQLOperation: p.GraphQLOperation}
	}
	return out
}

// convertSlice maps a list member by member; nil stays nil and empty stays
// empty, as ListTargetsByRule must return what PutTargets was given.
func convertSlice[A, B any](in []A, f func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}
