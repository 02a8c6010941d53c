package ecs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// maxStartedBy is the length limit of RunTask's startedBy.
const maxStartedBy = 128

// Kind delivers to ECS clusters: it runs the target's task.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the ECS kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotCluster = errors.New("ecs: the ARN does not name a cluster (arn:<partition>:ecs:<region>:<account>:cluster/<name>)")

// CheckARN accepts the ARN of a cluster.
func (k *Kind) CheckARN(a arn.ARN) error {
	name, ok := strings.CutPrefix(a.Resource, "cluster/")
	if !a.Of("ecs") || !ok || name == "" || strings.Contains(name, "/") {
		return errNotCluster
	}
	return nil
}

// Deliver runs the task of an ECS target on its cluster: one RunTask call,
// classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	if err := k.CheckARN(r.ARN); err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	in, res := runTaskInput(r)
	if res.Err != nil {
		return res
	}
	cl := target.Client(k.c, "ecs", r.ARN.Region, r.Role(), awsecs.NewFromConfig)
	out, err := cl.RunTask(ctx, in)
	if err != nil {
		return target.Classify(ctx, err)
	}
	if len(out.Tasks) == 0 {
		return failures(out.Failures)
	}
	// Some tasks started and some not: a retry would start the started ones
	// again, so the attempt counts as delivered.
	return target.OK
}

// runTaskInput is the RunTask request of r, or a Result that is not
// retried when the target's parameters or input make none.
func runTaskInput(r target.Request) (*awsecs.RunTaskInput, target.Result) {
	var p catalog.ECSParameters
	if r.Target != nil && r.Target.ECS != nil {
		p = *r.Target.ECS
	}
	if aws.ToString(p.TaskDefinitionArn) == "" {
		return nil, target.Fail(target.CodeInvalidParameter, "The ECS target has no EcsParameters.TaskDefinitionArn.")
	}
	in := &awsecs.RunTaskInput{
		Cluster:              aws.String(r.ARN.String()),
		TaskDefinition:       p.TaskDefinitionArn,
		Count:                aws.Int32(1),
		LaunchType:           types.LaunchType(aws.ToString(p.LaunchType)),
		PlatformVersion:      p.PlatformVersion,
		Group:                p.Group,
		EnableECSManagedTags: aws.ToBool(p.EnableECSManagedTags),
		EnableExecuteCommand: aws.ToBool(p.EnableExecuteCommand),
		PropagateTags:        types.PropagateTags(aws.ToString(p.PropagateTags)),
		ReferenceId:          p.ReferenceId,
		StartedBy:            startedBy(r.RuleName),
	}
	if p.TaskCount != nil {
		in.Count = p.TaskCount
	}
	if n := p.NetworkConfiguration; n != nil && n.AwsvpcConfiguration != nil {
		v := n.AwsvpcConfiguration
		in.NetworkConfiguration = &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets:        v.Subnets,
			SecurityGroups: v.SecurityGroups,
			AssignPublicIp: types.AssignPublicIp(aws.ToString(v.AssignPublicIp)),
		}}
	}
	for _, s := range p.CapacityProviderStrategy {
		in.CapacityProviderStrategy = append(in.CapacityProviderStrategy, types.CapacityProviderStrategyItem{
			CapacityProvider: s.CapacityProvider, Weight: aws.ToInt32(s.Weight), Base: aws.ToInt32(s.Base)})
	}
	for _, pc := range p.PlacementConstraints {
		in.PlacementConstraints = append(in.PlacementConstraints, types.PlacementConstraint{
			Type: types.PlacementConstraintType(aws.ToString(pc.Type)), Expression: pc.Expression})
	}
	for _, ps := range p.PlacementStrategy {
		in.PlacementStrategy = append(in.PlacementStrategy, types.PlacementStrategy{
			Type: types.PlacementStrategyType(aws.ToString(ps.Type)), Field: ps.Field})
	}
	for _, t := range p.Tags {
		in.Tags = append(in.Tags, types.Tag{Key: t.Key, Value: t.Value})
	}
	if r.Custom() {
		o, err := overrides(r.Payload)
		if err != nil {
			return nil, target.Fail(target.CodeInvalidInput, err.Error())
		}
		in.Overrides = o
	}
	return in, target.OK
}

// overrides reads the target's input as RunTask's overrides. The SDK's
// TaskOverride has the API's member names as its Go field names, and
// encoding/json matches object keys to field names without regard to case,
// so the API's JSON ("containerOverrides", "taskRoleArn", "sizeInGiB", ...)
// decodes into it as it is. Members the API does not have are ignored;
// a value of the wrong JSON type is not.
func overrides(payload []byte) (*types.TaskOverride, error) {
	b := bytes.TrimSpace(payload)
	if len(b) == 0 || b[0] != '{' {
		return nil, errors.New("ecs: the target's input must be a JSON object of task overrides (containerOverrides, cpu, memory, taskRoleArn, ...)")
	}
	var o types.TaskOverride
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("ecs: the target's input is not valid task overrides: %v", err)
	}
	return &o, nil
}

// startedBy marks the tasks as started by the rule, the way EventBridge
// marks them ("events-rule/<rule name>"), within RunTask's limit.
func startedBy(rule string) *string {
	if rule == "" {
		return nil
	}
	s := "events-rule/" + rule
	if len(s) > maxStartedBy {
		s = s[:maxStartedBy]
	}
	return aws.String(s)
}

// failures is the Result of a RunTask that started no task. ECS names the
// reason of each failure: a lack of capacity on the cluster (RESOURCE:CPU,
// RESOURCE:MEMORY, RESOURCE:PORTS, RESOURCE:ENI, ..., Fargate's "Capacity is
// unavailable at this time") or an agent that is momentarily disconnected
// (AGENT) may pass, so they are retried like throttling; a container
// instance that does not exist or is no longer active (MISSING, INACTIVE)
// is a missing resource; anything else (placement constraints no instance
// meets, ATTRIBUTE, ...) depends on the target's configuration and is not
// retried.
func failures(fs []types.Failure) target.Result {
	if len(fs) == 0 {
		return target.Fail(target.CodeSDKClientError, "ecs: RunTask started no task and reported no failure")
	}
	msgs := make([]string, 0, len(fs))
	retryable, missing := true, true
	for _, f := range fs {
		reason := aws.ToString(f.Reason)
		m := reason
		if d := aws.ToString(f.Detail); d != "" {
			m += " (" + d + ")"
		}
		if a := aws.ToString(f.Arn); a != "" {
			m += " " + a
		}
		msgs = append(msgs, m)
		up := strings.ToUpper(reason)
		if !strings.HasPrefix(up, "RESOURCE:") && up != "AGENT" && !strings.Contains(up, "CAPACITY IS UNAVAILABLE") {
			retryable = false
		}
		if up != "MISSING" && up != "INACTIVE" {
			missing = false
		}
	}
	err := errors.New("ecs: RunTask started no task: " + strings.Join(msgs, "; "))
	switch {
	case retryable:
		return target.Result{Retryable: true, Code: target.CodeThrottling, Err: err}
	case missing:
		return target.Result{Code: target.CodeNoResource, Err: err}
	}
	return target.Result{Code: target.CodeSDKClientError, Err: err}
}
