package api_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// TestTerraformLifecycle replays the calls the Terraform AWS provider makes
// for aws_cloudwatch_event_bus, _rule, _target, _permission and _bus_policy
// (contract section 4): create, read back, update, detect out-of-band
// deletes through ResourceNotFoundException, delete.
func TestTerraformLifecycle(t *testing.T) {
	e := newEnv(t)
	c, ctx := e.c, e.ctx

	// aws_cloudwatch_event_bus: create with tags, read, refresh tags.
	bus := must(c.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{
		Name: aws.String("tf-bus"), Description: aws.String("managed by terraform"),
		Tags: tags("Name", "tf-bus", "env", "test"),
	}))(t)
	d := must(c.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("tf-bus")}))(t)
	if aws.ToString(d.Arn) != aws.ToString(bus.EventBusArn) || aws.ToString(d.Description) != "managed by terraform" {
		t.Fatalf("read after create: %+v", d)
	}
	wantTags(t, e.listTags(t, aws.ToString(bus.EventBusArn)), "Name", "tf-bus", "env", "test")
	// Update: description removed ("" clears), one tag changed, one removed.
	must(c.UpdateEventBus(ctx, &eventbridge.UpdateEventBusInput{Name: aws.String("tf-bus"), Description: aws.String("")}))(t)
	must(c.UntagResource(ctx, &eventbridge.UntagResourceInput{ResourceARN: bus.EventBusArn, TagKeys: []string{"env"}}))(t)
	must(c.TagResource(ctx, &eventbridge.TagResourceInput{ResourceARN: bus.EventBusArn, Tags: tags("Name", "renamed")}))(t)
	if d := must(c.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("tf-bus")}))(t); d.Description != nil {
		t.Errorf("description not cleared: %q", *d.Description)
	}
	wantTags(t, e.listTags(t, aws.ToString(bus.EventBusArn)), "Name", "renamed")

	// aws_cloudwatch_event_rule: PutRule with the normalized pattern and
	// tags, DescribeRule right away, pattern back byte for byte.
	pattern, _ := json.Marshal(map[string]any{"source": []string{"aws.ec2"}, "detail-type": []string{"EC2 Instance State-change Notification"}})
	rule := must(c.PutRule(ctx, &eventbridge.PutRuleInput{
		Name: aws.String("tf-rule"), EventBusName: aws.String("tf-bus"), EventPattern: aws.String(string(pattern)),
		Description: aws.String("d"), State: types.RuleStateEnabled, Tags: tags("Name", "tf-rule"),
	}))(t)
	r := must(c.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("tf-rule"), EventBusName: aws.String("tf-bus")}))(t)
	if aws.ToString(r.EventPattern) != string(pattern) || aws.ToString(r.Arn) != aws.ToString(rule.RuleArn) {
		t.Errorf("rule read back: %+v", r)
	}
	wantTags(t, e.listTags(t, aws.ToString(rule.RuleArn)), "Name", "tf-rule")

	// aws_cloudwatch_event_target: one target per PutTargets, read back
	// with ListTargetsByRule{Limit: 100} and filtered by Id.
	tgt := types.Target{
		Id: aws.String("tf-target"), Arn: aws.String(sqsARN(e, "tf-queue")),
		InputTransformer: &types.InputTransformer{InputPathsMap: map[string]string{}, InputTemplate: aws.String(`{"rule": <aws.events.rule-name>}`)},
		RetryPolicy:      &types.RetryPolicy{MaximumEventAgeInSeconds: aws.Int32(300), MaximumRetryAttempts: aws.Int32(2)},
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(sqsARN(e, "tf-dlq"))},
	}
	e.putTargets(t, "tf-bus", "tf-rule", tgt)
	lt := must(c.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("tf-rule"), EventBusName: aws.String("tf-bus"), Limit: aws.Int32(100)}))(t)
	if len(lt.Targets) != 1 || !reflect.DeepEqual(lt.Targets[0], tgt) {
		t.Errorf("target read back: %s", jsonOf(lt.Targets))
	}

	// aws_cloudwatch_event_permission and _bus_policy.
	e.putPermission(t, "tf-bus", "tf-perm", "111122223333", nil)
	var doc struct {
		Statement []struct {
			Sid       string
			Principal json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(aws.ToString(e.policy(t, "tf-bus"))), &doc); err != nil || len(doc.Statement) != 1 ||
		doc.Statement[0].Sid != "tf-perm" || string(doc.Statement[0].Principal) != `{"AWS":"arn:aws:iam::111122223333:root"}` {
		t.Errorf("permission read back: %s (%v)", aws.ToString(e.policy(t, "tf-bus")), err)
	}

	// Terraform's destroy order: targets, rule (retried while it has
	// targets), permission, bus.
	_, err := c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("tf-rule"), EventBusName: aws.String("tf-bus")})
	wantErr(t, err, "ValidationException", "Rule can't be deleted since it has targets.")
	must(c.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("tf-rule"), EventBusName: aws.String("tf-bus"), Ids: []string{"tf-target"}}))(t)
	must(c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("tf-rule"), EventBusName: aws.String("tf-bus")}))(t)
	must(c.RemovePermission(ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("tf-bus"), StatementId: aws.String("tf-perm")}))(t)
	must(c.DeleteEventBus(ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("tf-bus")}))(t)

	// A refresh after everything is gone: every read says
	// ResourceNotFoundException, Terraform's "gone" signal, and deletes of
	// what is gone say it too (the provider ignores it).
	errOf := func(_ any, err error) error { return err }
	gone := []struct {
		name string
		err  error
	}{
		{"DescribeEventBus", errOf(c.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("tf-bus")}))},
		{"DescribeRule", errOf(c.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("tf-rule"), EventBusName: aws.String("tf-bus")}))},
		{"ListTargetsByRule", errOf(c.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("tf-rule"), EventBusName: aws.String("tf-bus"), Limit: aws.Int32(100)}))},
		{"ListTagsForResource rule", errOf(c.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: rule.RuleArn}))},
		{"ListTagsForResource bus", errOf(c.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: bus.EventBusArn}))},
		{"RemoveTargets", errOf(c.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("tf-rule"), EventBusName: aws.String("tf-bus"), Ids: []string{"tf-target"}}))},
		{"RemovePermission", errOf(c.RemovePermission(ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("tf-bus"), StatementId: aws.String("tf-perm")}))},
		{"DeleteEventBus", errOf(c.DeleteEventBus(ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("tf-bus")}))},
	}
	for _, g := range gone {
		t.Run(g.name, func(t *testing.T) {
			wantErr(t, g.err, "ResourceNotFoundException", "")
			if g.err != nil && !strings.Contains(g.err.Error(), "does not exist") {
				t.Errorf("message: %v", g.err)
			}
		})
	}
	// DeleteRule of a rule that is gone, on a bus that is gone: the bus
	// decides (ResourceNotFound), which Terraform also ignores.
	_, err = c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("tf-rule"), EventBusName: aws.String("tf-bus")})
	wantErr(t, err, "ResourceNotFoundException", "Event bus tf-bus does not exist.")
}
