package api_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

func (e *env) putTargets(t *testing.T, bus, rule string, targets ...types.Target) {
	t.Helper()
	out := must(e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String(rule), EventBusName: busArg(bus), Targets: targets}))(t)
	if out.FailedEntryCount != 0 || out.FailedEntries == nil || len(out.FailedEntries) != 0 {
		t.Fatalf("PutTargets: FailedEntryCount %d, FailedEntries %#v; want 0 and []", out.FailedEntryCount, out.FailedEntries)
	}
}

func (e *env) listTargets(t *testing.T, bus, rule string) []types.Target {
	t.Helper()
	out := must(e.c.ListTargetsByRule(e.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(rule), EventBusName: busArg(bus)}))(t)
	if out.Targets == nil {
		t.Fatalf("ListTargetsByRule: Targets is nil, want a list")
	}
	return out.Targets
}

func busArg(bus string) *string {
	if bus == "" {
		return nil
	}
	return aws.String(bus)
}

func target(id, arn string) types.Target {
	return types.Target{Id: aws.String(id), Arn: aws.String(arn)}
}

func targetIDs(ts []types.Target) string {
	var ids []string
	for _, t := range ts {
		ids = append(ids, aws.ToString(t.Id)+"="+aws.ToString(t.Arn))
	}
	return strings.Join(ids, " ")
}

func TestPutListRemoveTargets(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "tb")
	for _, bus := range []string{"", "tb"} {
		t.Run("bus "+bus, func(t *testing.T) {
			e.putRule(t, bus, "r")
			q := sqsARN(e, "q")
			e.putTargets(t, bus, "r", target("t1", q))
			got := e.listTargets(t, bus, "r")
			if !reflect.DeepEqual(got, []types.Target{target("t1", q)}) {
				t.Errorf("targets = %s", jsonOf(got))
			}
			out := must(e.c.RemoveTargets(e.ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("r"), EventBusName: busArg(bus), Ids: []string{"t1"}}))(t)
			if out.FailedEntryCount != 0 || out.FailedEntries == nil || len(out.FailedEntries) != 0 {
				t.Errorf("RemoveTargets: %d %#v, want 0 and []", out.FailedEntryCount, out.FailedEntries)
			}
			if got := e.listTargets(t, bus, "r"); len(got) != 0 {
				t.Errorf("targets after remove = %s", jsonOf(got))
			}
		})
	}
	t.Run("bus by ARN", func(t *testing.T) {
		e.putTargets(t, e.busARN("tb"), "r", target("viaarn", sqsARN(e, "q")))
		if got := targetIDs(e.listTargets(t, "tb", "r")); got != "viaarn="+sqsARN(e, "q") {
			t.Errorf("targets = %s", got)
		}
	})
	t.Run("wire form", func(t *testing.T) {
		e.putRule(t, "", "wire")
		put := rawCall(t, e.acct, "PutTargets", `{"Rule":"wire","Targets":[{"Id":"a","Arn":"arn:aws:sqs:us-east-1:1:q"}]}`)
		if put.status != 200 || string(put.body) != `{"FailedEntryCount":0,"FailedEntries":[]}` {
			t.Errorf("PutTargets answered %d %s", put.status, put.body)
		}
		rm := rawCall(t, e.acct, "RemoveTargets", `{"Rule":"wire","Ids":["a"]}`)
		if rm.status != 200 || string(rm.body) != `{"FailedEntryCount":0,"FailedEntries":[]}` {
			t.Errorf("RemoveTargets answered %d %s", rm.status, rm.body)
		}
		list := rawCall(t, e.acct, "ListTargetsByRule", `{"Rule":"wire"}`)
		if list.status != 200 || string(list.body) != `{"Targets":[]}` {
			t.Errorf("ListTargetsByRule answered %d %s", list.status, list.body)
		}
	})
}

func TestPutTargetsUpsert(t *testing.T) {
	e := newEnv(t)
	e.putRule(t, "", "r")
	e.putRule(t, "", "r2")
	// Recorded test_put_multiple_targets_with_same_id_single_rule: last put wins.
	e.putTargets(t, "", "r", types.Target{Id: aws.String("target-id"), Arn: aws.String("target-arn"), InputPath: aws.String("$.detail")})
	e.putTargets(t, "", "r", types.Target{Id: aws.String("target-id"), Arn: aws.String("target-arn"), InputPath: aws.String("$.notexisting")})
	got := e.listTargets(t, "", "r")
	want := []types.Target{{Id: aws.String("target-id"), Arn: aws.String("target-arn"), InputPath: aws.String("$.notexisting")}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after upsert: %s", jsonOf(got))
	}
	// The replacement is whole: members of the old target do not survive.
	e.putTargets(t, "", "r", types.Target{Id: aws.String("target-id"), Arn: aws.String("other-arn")})
	if got := e.listTargets(t, "", "r"); !reflect.DeepEqual(got, []types.Target{target("target-id", "other-arn")}) {
		t.Errorf("after replacing: %s", jsonOf(got))
	}

	// Same Arn under different Ids: two targets (test_put_multiple_targets_with_same_arn_single_rule).
	e.putTargets(t, "", "r2",
		types.Target{Id: aws.String("target-id-one"), Arn: aws.String("target-arn"), InputPath: aws.String("$.detail")},
		types.Target{Id: aws.String("target-id-two"), Arn: aws.String("target-arn"), InputPath: aws.String("$.doesnotexist")})
	if got := targetIDs(e.listTargets(t, "", "r2")); got != "target-id-one=target-arn target-id-two=target-arn" {
		t.Errorf("same Arn, two Ids: %s", got)
	}
	// Same Id on another rule is another target.
	if got := targetIDs(e.listTargets(t, "", "r")); got != "target-id=other-arn" {
		t.Errorf("rule r changed by rule r2's targets: %s", got)
	}
	// A PutRule update keeps targets (test_update_rule_with_targets).
	must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("r2"), EventPattern: aws.String(`{"source":["other"]}`)}))(t)
	if got := e.listTargets(t, "", "r2"); len(got) != 2 {
		t.Errorf("targets after PutRule update: %s", jsonOf(got))
	}
}

func TestTargetLimit(t *testing.T) {
	e := newEnv(t)
	e.putRule(t, "", "five")
	var five []types.Target
	for i := range 5 {
		five = append(five, target(fmt.Sprintf("t%d", i), sqsARN(e, "q")))
	}
	e.putTargets(t, "", "five", five...)

	_, err := e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("five"), Targets: []types.Target{target("t5", sqsARN(e, "q"))}})
	wantErr(t, err, "LimitExceededException", limitExceeded)
	// Whole call: a batch that updates one target and adds a sixth changes nothing.
	_, err = e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("five"), Targets: []types.Target{
		target("t0", sqsARN(e, "changed")), target("t5", sqsARN(e, "q")),
	}})
	wantErr(t, err, "LimitExceededException", limitExceeded)
	got := e.listTargets(t, "", "five")
	if !reflect.DeepEqual(got, five) {
		t.Errorf("targets after refused calls: %s", jsonOf(got))
	}
	// Updating one of the five is fine.
	e.putTargets(t, "", "five", target("t4", sqsARN(e, "new")))

	t.Run("six in one call", func(t *testing.T) {
		e.putRule(t, "", "empty")
		six := append(append([]types.Target(nil), five...), target("t5", sqsARN(e, "q")))
		_, err := e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("empty"), Targets: six})
		wantErr(t, err, "LimitExceededException", limitExceeded)
		if got := e.listTargets(t, "", "empty"); len(got) != 0 {
			t.Errorf("refused call stored %s", jsonOf(got))
		}
	})
	t.Run("duplicate Ids in one call count once", func(t *testing.T) {
		e.putRule(t, "", "dups")
		var ts []types.Target
		for i := range 6 {
			ts = append(ts, target(fmt.Sprintf("d%d", i%5), sqsARN(e, fmt.Sprint(i))))
		}
		e.putTargets(t, "", "dups", ts...)
		got := e.listTargets(t, "", "dups")
		if len(got) != 5 || aws.ToString(got[0].Arn) != sqsARN(e, "5") {
			t.Errorf("targets = %s; want 5 with d0 from the last entry", targetIDs(got))
		}
	})
}

func TestPutTargetsValidation(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "vb")
	e.putRule(t, "", "r")
	q := sqsARN(e, "q")
	long := strings.Repeat("i", 65)
	it := func(m map[string]string, tmpl string) *types.InputTransformer {
		return &types.InputTransformer{InputPathsMap: m, InputTemplate: aws.String(tmpl)}
	}
	tests := []struct {
		name    string
		rule    string
		bus     string
		targets []types.Target
		code    string
		msg     string
	}{
		{"id pattern", "r", "", []types.Target{target("!@#$@!#$", q)},
			"ValidationException", validation("!@#$@!#$", "targets.1.member.id", namePattern)},
		{"id length", "r", "", []types.Target{target(long, q)},
			"ValidationException", validation(long, "targets.1.member.id", "Member must have length less than or equal to 64")},
		{"second target's id", "r", "", []types.Target{target("ok", q), target("no way", q)},
			"ValidationException", validation("no way", "targets.2.member.id", namePattern)},
		{"input and input path", "r", "", []types.Target{{Id: aws.String("t1"), Arn: aws.String(q), Input: aws.String(`{}`), InputPath: aws.String("$.detail")}},
			"ValidationException", "Only one of Input, InputPath, or InputTransformer must be provided for target t1."},
		{"input path and transformer", "r", "", []types.Target{{Id: aws.String("t2"), Arn: aws.String(q), InputPath: aws.String("$.detail"),
			InputTransformer: it(map[string]string{}, `"x"`)}},
			"ValidationException", "Only one of Input, InputPath, or InputTransformer must be provided for target t2."},
		{"invalid placeholder", "r", "", []types.Target{{Id: aws.String("t3"), Arn: aws.String(q),
			InputTransformer: it(map[string]string{"detail-type": "$.detail-type"}, `"<detail-type> and <notdefinedkey>"`)}},
			"ValidationException", "InputTemplate for target t3 contains invalid placeholder notdefinedkey."},
		{"retry attempts too high", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(186)}}},
			"ValidationException", validation("186", "targets.1.member.retryPolicy.maximumRetryAttempts", "Member must have value less than or equal to 185")},
		{"retry attempts negative", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(-1)}}},
			"ValidationException", validation("-1", "targets.1.member.retryPolicy.maximumRetryAttempts", "Member must have value greater than or equal to 0")},
		{"event age too low", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), RetryPolicy: &types.RetryPolicy{MaximumEventAgeInSeconds: aws.Int32(59)}}},
			"ValidationException", validation("59", "targets.1.member.retryPolicy.maximumEventAgeInSeconds", "Member must have value greater than or equal to 60")},
		{"event age too high", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), RetryPolicy: &types.RetryPolicy{MaximumEventAgeInSeconds: aws.Int32(86401)}}},
			"ValidationException", validation("86401", "targets.1.member.retryPolicy.maximumEventAgeInSeconds", "Member must have value less than or equal to 86400")},
		{"empty target list", "r", "", []types.Target{},
			"ValidationException", validation("[]", "targets", "Member must have length greater than or equal to 1")},
		{"input not JSON", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), Input: aws.String("not json")}},
			"ValidationException", ""},
		{"input too long", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), Input: aws.String(`"` + strings.Repeat("x", 8191) + `"`)}},
			"ValidationException", validation(`"`+strings.Repeat("x", 8191)+`"`, "targets.1.member.input", "Member must have length less than or equal to 8192")},
		{"input path not a JSON path", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), InputPath: aws.String("detail")}},
			"ValidationException", ""},
		{"input paths map value not a JSON path", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), InputTransformer: it(map[string]string{"k": "detail"}, `"<k>"`)}},
			"ValidationException", ""},
		{"input paths map key pattern", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), InputTransformer: it(map[string]string{"bad key": "$.x"}, `"x"`)}},
			"ValidationException", ""},
		{"input paths map too large", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), InputTransformer: it(manyPaths(101), `"x"`)}},
			"ValidationException", ""},
		{"empty input template", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), InputTransformer: it(map[string]string{}, ``)}},
			"ValidationException", validation("", "targets.1.member.inputTransformer.inputTemplate", "Member must have length greater than or equal to 1")},
		{"DLQ not an SQS queue", "r", "", []types.Target{{Id: aws.String("t"), Arn: aws.String(q), DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String("arn:aws:sns:us-east-1:1:topic")}}},
			"ValidationException", ""},
		{"missing rule", "nope", "", []types.Target{target("t", q)},
			"ResourceNotFoundException", "Rule nope does not exist on EventBus default."},
		{"missing rule on custom bus", "r", "vb", []types.Target{target("t", q)},
			"ResourceNotFoundException", "Rule r does not exist on EventBus vb."},
		{"missing bus", "r", "nobus", []types.Target{target("t", q)},
			"ResourceNotFoundException", "Event bus nobus does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String(tt.rule), EventBusName: busArg(tt.bus), Targets: tt.targets})
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	if got := e.listTargets(t, "", "r"); len(got) != 0 {
		t.Errorf("refused calls stored targets: %s", jsonOf(got))
	}

	t.Run("predefined placeholders are valid", func(t *testing.T) {
		e.putTargets(t, "", "r", types.Target{Id: aws.String("pre"), Arn: aws.String(q), InputTransformer: it(map[string]string{},
			`{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "t": "<aws.events.event.ingestion-time>", "e": <aws.events.event>, "j": <aws.events.event.json>}`)})
	})
	t.Run("retry bounds are inclusive", func(t *testing.T) {
		e.putTargets(t, "", "r",
			types.Target{Id: aws.String("lo"), Arn: aws.String(q), RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(0), MaximumEventAgeInSeconds: aws.Int32(60)}},
			types.Target{Id: aws.String("hi"), Arn: aws.String(q), RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(185), MaximumEventAgeInSeconds: aws.Int32(86400)}})
	})
}

// TestTargetParametersRoundTrip puts one target of every kind and checks that
// ListTargetsByRule returns exactly what was put: Terraform diffs every block.
func TestTargetParametersRoundTrip(t *testing.T) {
	e := newEnv(t)
	acct := e.acct
	role := aws.String("arn:aws:iam::" + acct + ":role/events")
	tests := []struct {
		name string
		t    types.Target
	}{
		{"kinesis", types.Target{Arn: aws.String("arn:aws:kinesis:us-east-1:" + acct + ":stream/s"), RoleArn: role,
			KinesisParameters: &types.KinesisParameters{PartitionKeyPath: aws.String("$.detail.key")}}},
		{"run command", types.Target{Arn: aws.String("arn:aws:ssm:us-east-1::document/AWS-RunShellScript"), RoleArn: role,
			Input: aws.String(`{"commands":["uptime"]}`),
			RunCommandParameters: &types.RunCommandParameters{RunCommandTargets: []types.RunCommandTarget{
				{Key: aws.String("tag:env"), Values: []string{"prod", "dev"}},
				{Key: aws.String("InstanceIds"), Values: []string{"i-0123456789abcdef0"}},
			}}}},
		{"ecs fargate", types.Target{Arn: aws.String("arn:aws:ecs:us-east-1:" + acct + ":cluster/c"), RoleArn: role,
			EcsParameters: &types.EcsParameters{
				TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:" + acct + ":task-definition/td:1"),
				TaskCount:         aws.Int32(2), LaunchType: types.LaunchTypeFargate, PlatformVersion: aws.String("LATEST"),
				Group: aws.String("grp"), EnableECSManagedTags: true, EnableExecuteCommand: true,
				PropagateTags: types.PropagateTagsTaskDefinition, ReferenceId: aws.String("ref-1"),
				NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
					Subnets: []string{"subnet-1", "subnet-2"}, SecurityGroups: []string{"sg-1"}, AssignPublicIp: types.AssignPublicIpEnabled,
				}},
				Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
			}}},
		{"ecs placement", types.Target{Arn: aws.String("arn:aws:ecs:us-east-1:" + acct + ":cluster/c"), RoleArn: role,
			EcsParameters: &types.EcsParameters{
				TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:" + acct + ":task-definition/td:2"),
				CapacityProviderStrategy: []types.CapacityProviderStrategyItem{
					{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 3, Base: 1},
					{CapacityProvider: aws.String("FARGATE"), Weight: 1},
				},
				PlacementConstraints: []types.PlacementConstraint{{Type: types.PlacementConstraintTypeMemberOf, Expression: aws.String("attribute:ecs.instance-type =~ t2.*")}},
				PlacementStrategy:    []types.PlacementStrategy{{Type: types.PlacementStrategyTypeSpread, Field: aws.String("attribute:ecs.availability-zone")}},
			}}},
		{"batch", types.Target{Arn: aws.String("arn:aws:batch:us-east-1:" + acct + ":job-queue/q"), RoleArn: role,
			BatchParameters: &types.BatchParameters{JobDefinition: aws.String("jd"), JobName: aws.String("jn"),
				ArrayProperties: &types.BatchArrayProperties{Size: 10}, RetryStrategy: &types.BatchRetryStrategy{Attempts: 3}}}},
		{"sqs fifo", types.Target{Arn: aws.String(sqsARN(e, "q.fifo")), SqsParameters: &types.SqsParameters{MessageGroupId: aws.String("group-1")}}},
		{"http", types.Target{Arn: aws.String("arn:aws:events:us-east-1:" + acct + ":api-destination/d/0000"), RoleArn: role,
			HttpParameters: &types.HttpParameters{
				PathParameterValues:   []string{"p1", "$.detail.p2"},
				HeaderParameters:      map[string]string{"X-Static": "v", "X-Dynamic": "$.detail.h"},
				QueryStringParameters: map[string]string{"q": "1", "dyn": "$.id"},
			}}},
		{"redshift sql", types.Target{Arn: aws.String("arn:aws:redshift:us-east-1:" + acct + ":cluster:c"), RoleArn: role,
			RedshiftDataParameters: &types.RedshiftDataParameters{Database: aws.String("db"), DbUser: aws.String("u"),
				SecretManagerArn: aws.String("arn:aws:secretsmanager:us-east-1:" + acct + ":secret:s-AbCdEf"),
				Sql:              aws.String("select 1"), StatementName: aws.String("st"), WithEvent: true}}},
		{"redshift sqls", types.Target{Arn: aws.String("arn:aws:redshift:us-east-1:" + acct + ":cluster:c"), RoleArn: role,
			RedshiftDataParameters: &types.RedshiftDataParameters{Database: aws.String("db"), Sqls: []string{"select 1", "select 2"}}}},
		{"sagemaker", types.Target{Arn: aws.String("arn:aws:sagemaker:us-east-1:" + acct + ":pipeline/p"), RoleArn: role,
			SageMakerPipelineParameters: &types.SageMakerPipelineParameters{PipelineParameterList: []types.SageMakerPipelineParameter{
				{Name: aws.String("a"), Value: aws.String("1")}, {Name: aws.String("b"), Value: aws.String("$.detail.b")},
			}}}},
		{"dlq and retry", types.Target{Arn: aws.String("arn:aws:lambda:us-east-1:" + acct + ":function:f"),
			DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(sqsARN(e, "dlq"))},
			RetryPolicy:      &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(0), MaximumEventAgeInSeconds: aws.Int32(3600)}}},
		{"appsync", types.Target{Arn: aws.String("arn:aws:appsync:us-east-1:" + acct + ":endpoints/graphql-api/abc"), RoleArn: role,
			AppSyncParameters: &types.AppSyncParameters{GraphQLOperation: aws.String(`mutation Create($id: ID!) { create(id: $id) { id } }`)}}},
		{"input transformer", types.Target{Arn: aws.String(sqsARN(e, "q")),
			InputTransformer: &types.InputTransformer{
				InputPathsMap: map[string]string{"src": "$.source", "id": "$.detail.id", "first": "$.resources[0]"},
				InputTemplate: aws.String(`{"s": <src>, "path": "users/<id>", "r": "<aws.events.rule-name>", "f": <first>}`),
			}}},
		{"input transformer with empty map", types.Target{Arn: aws.String(sqsARN(e, "q")),
			InputTransformer: &types.InputTransformer{InputPathsMap: map[string]string{}, InputTemplate: aws.String(`"constant"`)}}},
		{"input kept byte for byte", types.Target{Arn: aws.String(sqsARN(e, "q")),
			Input: aws.String("{ \"a\" : [1, 2.50, 1e3],\n \"html\": \"<b>&amp;</b>\", \"u\": \"\\u00e9\" }")}},
		{"input path", types.Target{Arn: aws.String(sqsARN(e, "q")), InputPath: aws.String("$.detail.items[0].name")}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := fmt.Sprintf("rt-%d", i)
			e.putRule(t, "", rule)
			put := tt.t
			put.Id = aws.String(fmt.Sprintf("id-%d", i))
			e.putTargets(t, "", rule, put)
			got := e.listTargets(t, "", rule)
			if len(got) != 1 || !reflect.DeepEqual(got[0], put) {
				t.Errorf("ListTargetsByRule changed the target:\n got  %s\n want %s", jsonOf(got), jsonOf([]types.Target{put}))
			}
		})
	}
}

func TestListTargetsByRule(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "lt")
	e.putRule(t, "lt", "r")
	var all []types.Target
	for i := range 5 {
		all = append(all, target(fmt.Sprintf("target-%d", i), sqsARN(e, "q")))
	}
	e.putTargets(t, "lt", "r", all[3], all[0], all[4], all[1], all[2])

	// Recorded test_list_target_by_rule_limit: 3, then 2 without NextToken.
	p1 := must(e.c.ListTargetsByRule(e.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r"), EventBusName: aws.String("lt"), Limit: aws.Int32(3)}))(t)
	if p1.NextToken == nil || len(p1.Targets) != 3 {
		t.Fatalf("first page: %s, NextToken %v", targetIDs(p1.Targets), p1.NextToken)
	}
	p2 := must(e.c.ListTargetsByRule(e.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r"), EventBusName: aws.String("lt"), Limit: aws.Int32(3), NextToken: p1.NextToken}))(t)
	if p2.NextToken != nil || len(p2.Targets) != 2 {
		t.Fatalf("second page: %s, NextToken %v", targetIDs(p2.Targets), p2.NextToken)
	}
	seen := map[string]bool{}
	for _, tg := range append(p1.Targets, p2.Targets...) {
		if seen[aws.ToString(tg.Id)] {
			t.Errorf("target %s listed twice", aws.ToString(tg.Id))
		}
		seen[aws.ToString(tg.Id)] = true
	}
	if len(seen) != 5 {
		t.Errorf("pages hold %d distinct targets, want 5", len(seen))
	}

	t.Run("remove several and unknown", func(t *testing.T) {
		must(e.c.RemoveTargets(e.ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("r"), EventBusName: aws.String("lt"), Ids: []string{"target-1", "target-3"}}))(t)
		got := e.listTargets(t, "lt", "r")
		if len(got) != 3 {
			t.Errorf("after removing two: %s", targetIDs(got))
		}
		for _, tg := range got {
			if id := aws.ToString(tg.Id); id == "target-1" || id == "target-3" {
				t.Errorf("removed target %s still listed", id)
			}
		}
	})
	t.Run("missing rule", func(t *testing.T) {
		_, err := e.c.ListTargetsByRule(e.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("nope"), EventBusName: aws.String("lt")})
		wantErr(t, err, "ResourceNotFoundException", "Rule nope does not exist on EventBus lt.")
		_, err = e.c.RemoveTargets(e.ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("nope"), Ids: []string{"x"}})
		wantErr(t, err, "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
	})
	t.Run("missing bus", func(t *testing.T) {
		_, err := e.c.ListTargetsByRule(e.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r"), EventBusName: aws.String("nobus")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
		_, err = e.c.RemoveTargets(e.ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("r"), EventBusName: aws.String("nobus"), Ids: []string{"x"}})
		wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
	})
	t.Run("limit out of range", func(t *testing.T) {
		_, err := e.c.ListTargetsByRule(e.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r"), EventBusName: aws.String("lt"), Limit: aws.Int32(0)})
		wantErr(t, err, "ValidationException", validation("0", "limit", "Member must have value greater than or equal to 1"))
	})
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return string(b)
}

func manyPaths(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprint("k", i)] = "$.detail"
	}
	return m
}

// TestInputPaths: the JSONPath subset InputPath and InputPathsMap accept.
func TestInputPaths(t *testing.T) {
	e := newEnv(t)
	e.putRule(t, "", "r")
	q := sqsARN(e, "q")
	for _, p := range []string{"$", "$.detail", "$.detail-type", "$.detail.items[0].name", "$.resources[*]", "$.detail.*", "$.detail.under_score"} {
		t.Run("valid "+p, func(t *testing.T) {
			e.putTargets(t, "", "r",
				types.Target{Id: aws.String("path"), Arn: aws.String(q), InputPath: aws.String(p)},
				types.Target{Id: aws.String("map"), Arn: aws.String(q), InputTransformer: &types.InputTransformer{
					InputPathsMap: map[string]string{"v": p}, InputTemplate: aws.String(`{"v": <v>}`)}})
		})
	}
	for _, p := range []string{"", "detail", "$.", "$x", "$[]", "$.detail."} {
		t.Run("invalid "+p, func(t *testing.T) {
			_, err := e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"),
				Targets: []types.Target{{Id: aws.String("path"), Arn: aws.String(q), InputPath: aws.String(p)}}})
			wantErr(t, err, "ValidationException", "")
			_, err = e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"),
				Targets: []types.Target{{Id: aws.String("map"), Arn: aws.String(q), InputTransformer: &types.InputTransformer{
					InputPathsMap: map[string]string{"v": p}, InputTemplate: aws.String(`{"v": <v>}`)}}}})
			wantErr(t, err, "ValidationException", "")
		})
	}
}
