package api_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func (e *env) listTags(t *testing.T, arn string) []types.Tag {
	t.Helper()
	return must(e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(arn)}))(t).Tags
}

// TestTagUntag follows tests_tag_untag_resource for the four kinds of
// taggable resource: tag, list, untag, list, untag a key that is not there.
func TestTagUntag(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "tagbus")
	e.putRule(t, "", "tagrule")
	e.putRule(t, "tagbus", "tagrule")
	for _, tt := range []struct{ name, arn string }{
		{"default bus", e.busARN("default")},
		{"custom bus", e.busARN("tagbus")},
		{"rule on default bus", e.ruleARN("", "tagrule")},
		{"rule on custom bus", e.ruleARN("tagbus", "tagrule")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.listTags(t, tt.arn); got == nil || len(got) != 0 {
				t.Errorf("untagged resource: Tags = %#v, want []", got)
			}
			must(e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(tt.arn), Tags: tags("tag1", "value1", "tag2", "value2")}))(t)
			wantTags(t, e.listTags(t, tt.arn), "tag1", "value1", "tag2", "value2")
			must(e.c.UntagResource(e.ctx, &eventbridge.UntagResourceInput{ResourceARN: aws.String(tt.arn), TagKeys: []string{"tag2"}}))(t)
			wantTags(t, e.listTags(t, tt.arn), "tag1", "value1")
			must(e.c.UntagResource(e.ctx, &eventbridge.UntagResourceInput{ResourceARN: aws.String(tt.arn), TagKeys: []string{"not-there"}}))(t)
			wantTags(t, e.listTags(t, tt.arn), "tag1", "value1")

			// Merge: an existing key takes the new value, new keys are added.
			must(e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(tt.arn), Tags: tags("tag1", "changed", "tag3", "")}))(t)
			wantTags(t, e.listTags(t, tt.arn), "tag1", "changed", "tag3", "")
			// Keys are case-sensitive.
			must(e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(tt.arn), Tags: tags("TAG1", "upper")}))(t)
			wantTags(t, e.listTags(t, tt.arn), "tag1", "changed", "tag3", "", "TAG1", "upper")
		})
	}
	// Tagging a rule does not touch the rule itself.
	d := must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("tagrule")}))(t)
	if aws.ToString(d.EventPattern) != testPattern || d.State != types.RuleStateEnabled {
		t.Errorf("rule after tagging = %+v", d)
	}
}

func TestTagsOnCreate(t *testing.T) {
	e := newEnv(t)
	// test_create_event_bus_with_tags and test_put_rule_with_tags.
	out := must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("tb"), Tags: tags("tag1", "value1", "tag2", "value2")}))(t)
	wantTags(t, e.listTags(t, aws.ToString(out.EventBusArn)), "tag1", "value1", "tag2", "value2")
	r := must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("tr"), EventBusName: aws.String("tb"), EventPattern: aws.String(testPattern), Tags: tags("tag1", "value1", "tag2", "value2")}))(t)
	wantTags(t, e.listTags(t, aws.ToString(r.RuleArn)), "tag1", "value1", "tag2", "value2")

	// Tags on a PutRule update are ignored; TagResource is the way to change them.
	must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("tr"), EventBusName: aws.String("tb"), EventPattern: aws.String(testPattern), Tags: tags("tag3", "value3")}))(t)
	wantTags(t, e.listTags(t, aws.ToString(r.RuleArn)), "tag1", "value1", "tag2", "value2")

	// Duplicate keys in one request: the last value wins.
	out = must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("dupkeys"), Tags: tags("k", "1", "k", "2")}))(t)
	wantTags(t, e.listTags(t, aws.ToString(out.EventBusArn)), "k", "2")
}

func TestTagLimit(t *testing.T) {
	e := newEnv(t)
	arn := e.putRule(t, "", "many")
	var fifty []string
	for i := range 50 {
		fifty = append(fifty, fmt.Sprintf("k%02d", i), "v")
	}
	must(e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(arn), Tags: tags(fifty...)}))(t)
	if n := len(e.listTags(t, arn)); n != 50 {
		t.Fatalf("%d tags, want 50", n)
	}
	// Overwriting one of the 50 is fine; a 51st is not.
	must(e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(arn), Tags: tags("k00", "new")}))(t)
	_, err := e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(arn), Tags: tags("k50", "v")})
	wantErr(t, err, "LimitExceededException", "")
	if got := e.listTags(t, arn); len(got) != 50 || aws.ToString(got[0].Value) != "new" {
		t.Errorf("after refused 51st tag: %d tags, first %s", len(got), jsonOf(got[0]))
	}

	t.Run("51 on create", func(t *testing.T) {
		fiftyOne := append(append([]string(nil), fifty...), "k50", "v")
		_, err := e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("b51"), Tags: tags(fiftyOne...)})
		wantErr(t, err, "LimitExceededException", "")
		_, err = e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("b51")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus b51 does not exist.")
		_, err = e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("r51"), EventPattern: aws.String(testPattern), Tags: tags(fiftyOne...)})
		wantErr(t, err, "LimitExceededException", "")
		_, err = e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r51")})
		wantErr(t, err, "ResourceNotFoundException", "Rule r51 does not exist on EventBus default.")
	})
}

func TestTagErrors(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "gone")
	e.putRule(t, "gone", "gone-rule")
	e.putRule(t, "", "r")
	must(e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("gone-rule"), EventBusName: aws.String("gone")}))(t)
	deletedRule := e.ruleARN("gone", "gone-rule")
	must(e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("gone")}))(t)

	notFound := []struct{ name, arn, msg string }{
		// tests_tag_list_untag_not_existing_resource
		{"missing rule", e.ruleARN("", "nope"), "Rule nope does not exist on EventBus default."},
		{"missing bus", e.busARN("nope"), "Event bus nope does not exist."},
		// test_list_tags_for_deleted_rule / _event_bus
		{"deleted rule on custom bus", deletedRule, "Rule gone-rule does not exist on EventBus gone."},
		{"deleted bus", e.busARN("gone"), "Event bus gone does not exist."},
	}
	for _, tt := range notFound {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(tt.arn), Tags: tags("k", "v")})
			wantErr(t, err, "ResourceNotFoundException", tt.msg)
			_, err = e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(tt.arn)})
			wantErr(t, err, "ResourceNotFoundException", tt.msg)
			_, err = e.c.UntagResource(e.ctx, &eventbridge.UntagResourceInput{ResourceARN: aws.String(tt.arn), TagKeys: []string{"k"}})
			wantErr(t, err, "ResourceNotFoundException", tt.msg)
		})
	}

	t.Run("aws: prefix is reserved", func(t *testing.T) {
		_, err := e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(e.ruleARN("", "r")), Tags: tags("aws:owner", "me")})
		wantErrContains(t, err, "ValidationException", "aws:")
		_, err = e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("awsbus"), Tags: tags("aws:cloudformation:stack-name", "s")})
		wantErrContains(t, err, "ValidationException", "aws:")
		if got := e.listTags(t, e.ruleARN("", "r")); len(got) != 0 {
			t.Errorf("refused tag stored: %s", jsonOf(got))
		}
	})
	t.Run("rule ARN naming the default bus", func(t *testing.T) {
		arn := "arn:aws:events:" + region + ":" + e.acct + ":rule/default/r"
		must(e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(arn), Tags: tags("via", "bus-form")}))(t)
		wantTags(t, e.listTags(t, e.ruleARN("", "r")), "via", "bus-form")
	})
	t.Run("ARN of another partition", func(t *testing.T) {
		_, err := e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String("arn:aws-cn:events:" + region + ":" + e.acct + ":rule/r")})
		wantErr(t, err, "ResourceNotFoundException", "Rule r does not exist on EventBus default.")
		_, err = e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String("arn:aws-cn:events:" + region + ":" + e.acct + ":event-bus/default")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus default does not exist.")
	})
	t.Run("malformed ARN", func(t *testing.T) {
		for _, arn := range []string{"not-an-arn", "arn:aws:sqs:us-east-1:" + e.acct + ":q", e.busARN(""), "arn:aws:events:us-east-1:" + e.acct + ":rule/", "arn:aws:events:us-east-1:" + e.acct + ":connection/c"} {
			_, err := e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
			wantErr(t, err, "ValidationException", "")
		}
	})
	t.Run("key too long", func(t *testing.T) {
		long := fmt.Sprintf("%0129d", 0)
		_, err := e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(e.ruleARN("", "r")), Tags: tags(long, "v")})
		wantErr(t, err, "ValidationException", validation(long, "tags.1.member.key", "Member must have length less than or equal to 128"))
	})
}
