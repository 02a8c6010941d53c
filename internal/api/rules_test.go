package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// createBus creates a custom bus or fails the test.
func (e *env) createBus(t *testing.T, name string) {
	t.Helper()
	must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String(name)}))(t)
}

// putRule creates a rule with testPattern on bus ("" is default).
func (e *env) putRule(t *testing.T, bus, name string) string {
	t.Helper()
	in := &eventbridge.PutRuleInput{Name: aws.String(name), EventPattern: aws.String(testPattern)}
	if bus != "" {
		in.EventBusName = aws.String(bus)
	}
	return aws.ToString(must(e.c.PutRule(e.ctx, in))(t).RuleArn)
}

func TestPutRuleARNs(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "custom")
	tests := []struct {
		name string
		bus  *string
		want string
	}{
		{"default bus implicit", nil, e.ruleARN("", "r1")},
		{"default bus by name", aws.String("default"), e.ruleARN("", "r1")},
		{"default bus by ARN", aws.String(e.busARN("default")), e.ruleARN("", "r1")},
		{"custom bus", aws.String("custom"), e.ruleARN("custom", "r1")},
		{"custom bus by ARN", aws.String(e.busARN("custom")), e.ruleARN("custom", "r1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{
				Name: aws.String("r1"), EventBusName: tt.bus, EventPattern: aws.String(testPattern),
			}))(t)
			if got := aws.ToString(out.RuleArn); got != tt.want {
				t.Errorf("RuleArn = %s, want %s", got, tt.want)
			}
		})
	}
	// Same name on two buses: two rules.
	for _, bus := range []string{"default", "custom"} {
		rules := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String(bus)}))(t)
		if len(rules.Rules) != 1 || aws.ToString(rules.Rules[0].EventBusName) != bus {
			t.Errorf("ListRules(%s) = %+v", bus, rules.Rules)
		}
	}
}

func TestDescribeRule(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "b")
	pattern := `{"source": ["a.b"], "detail": {"x": [{"prefix": "<&>"}]}}`
	must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{
		Name: aws.String("full"), EventBusName: aws.String("b"), EventPattern: aws.String(pattern),
		Description: aws.String("desc"), RoleArn: aws.String("arn:aws:iam::" + e.acct + ":role/r"),
		State: types.RuleStateDisabled,
	}))(t)
	d := must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("full"), EventBusName: aws.String("b")}))(t)
	want := eventbridge.DescribeRuleOutput{
		Name: aws.String("full"), Arn: aws.String(e.ruleARN("b", "full")), EventPattern: aws.String(pattern),
		State: types.RuleStateDisabled, Description: aws.String("desc"), RoleArn: aws.String("arn:aws:iam::" + e.acct + ":role/r"),
		EventBusName: aws.String("b"), CreatedBy: aws.String(e.acct),
	}
	if diff := diffRule(d, &want); diff != "" {
		t.Error(diff)
	}

	// By bus ARN, and a minimal rule on the default bus: State defaults to
	// ENABLED, absent members stay absent.
	d = must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("full"), EventBusName: aws.String(e.busARN("b"))}))(t)
	if aws.ToString(d.Name) != "full" {
		t.Errorf("DescribeRule by bus ARN: %+v", d)
	}
	e.putRule(t, "", "min")
	d = must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("min")}))(t)
	want = eventbridge.DescribeRuleOutput{
		Name: aws.String("min"), Arn: aws.String(e.ruleARN("", "min")), EventPattern: aws.String(testPattern),
		State: types.RuleStateEnabled, EventBusName: aws.String("default"), CreatedBy: aws.String(e.acct),
	}
	if diff := diffRule(d, &want); diff != "" {
		t.Error(diff)
	}

	t.Run("missing on default", func(t *testing.T) {
		_, err := e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("nope")})
		wantErr(t, err, "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
	})
	t.Run("missing on custom", func(t *testing.T) {
		_, err := e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("min"), EventBusName: aws.String("b")})
		wantErr(t, err, "ResourceNotFoundException", "Rule min does not exist on EventBus b.")
	})
	t.Run("missing bus", func(t *testing.T) {
		_, err := e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("full"), EventBusName: aws.String("nobus")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
	})
}

func diffRule(got, want *eventbridge.DescribeRuleOutput) string {
	g := []any{aws.ToString(got.Name), aws.ToString(got.Arn), aws.ToString(got.EventPattern), got.State,
		got.Description, got.RoleArn, got.ScheduleExpression, got.ManagedBy, aws.ToString(got.EventBusName), aws.ToString(got.CreatedBy)}
	w := []any{aws.ToString(want.Name), aws.ToString(want.Arn), aws.ToString(want.EventPattern), want.State,
		want.Description, want.RoleArn, want.ScheduleExpression, want.ManagedBy, aws.ToString(want.EventBusName), aws.ToString(want.CreatedBy)}
	var b strings.Builder
	for i := range g {
		gs, ws := fmt.Sprint(deref(g[i])), fmt.Sprint(deref(w[i]))
		if gs != ws {
			fmt.Fprintf(&b, "DescribeRule field %d: got %q, want %q\n", i, gs, ws)
		}
	}
	return b.String()
}

func deref(v any) any {
	if p, ok := v.(*string); ok {
		if p == nil {
			return "<absent>"
		}
		return *p
	}
	return v
}

func TestListRules(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "lb")
	for i := range 7 {
		e.putRule(t, "lb", fmt.Sprintf("rule-%d", i))
	}
	e.putRule(t, "lb", "zeta")
	must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("sched"), ScheduleExpression: aws.String("rate(1 minute)")}))(t)

	all := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String("lb")}))(t)
	if len(all.Rules) != 8 || all.NextToken != nil {
		t.Fatalf("ListRules: %d rules, NextToken %v", len(all.Rules), all.NextToken)
	}
	r := all.Rules[0]
	if aws.ToString(r.Name) != "rule-0" || aws.ToString(r.Arn) != e.ruleARN("lb", "rule-0") || aws.ToString(r.EventBusName) != "lb" ||
		aws.ToString(r.EventPattern) != testPattern || r.State != types.RuleStateEnabled || r.ScheduleExpression != nil || r.Description != nil {
		t.Errorf("first rule = %+v", r)
	}

	// The schedule rule on the default bus, as AWS lists it (test_put_rule_with_schedule_rate).
	def := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{}))(t)
	if len(def.Rules) != 1 || aws.ToString(def.Rules[0].ScheduleExpression) != "rate(1 minute)" || def.Rules[0].EventPattern != nil ||
		aws.ToString(def.Rules[0].EventBusName) != "default" || aws.ToString(def.Rules[0].Arn) != e.ruleARN("", "sched") {
		t.Errorf("default bus rules = %+v", def.Rules)
	}

	t.Run("no CreatedBy in list items", func(t *testing.T) {
		resp := rawCall(t, e.acct, "ListRules", `{"EventBusName":"lb","Limit":1}`)
		rules, _ := resp.object(t)["Rules"].([]any)
		if len(rules) != 1 {
			t.Fatalf("raw ListRules = %s", resp.body)
		}
		item := rules[0].(map[string]any)
		if _, ok := item["CreatedBy"]; ok {
			t.Errorf("ListRules item carries CreatedBy: %s", resp.body)
		}
	})

	t.Run("prefix and pages", func(t *testing.T) {
		var pages []string
		var token *string
		for range 10 {
			out := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{
				EventBusName: aws.String("lb"), NamePrefix: aws.String("rule-"), Limit: aws.Int32(3), NextToken: token,
			}))(t)
			var names []string
			for _, r := range out.Rules {
				names = append(names, aws.ToString(r.Name))
			}
			pages = append(pages, strings.Join(names, ","))
			if token = out.NextToken; token == nil {
				break
			}
		}
		want := []string{"rule-0,rule-1,rule-2", "rule-3,rule-4,rule-5", "rule-6"}
		if fmt.Sprint(pages) != fmt.Sprint(want) {
			t.Errorf("pages = %q, want %q", pages, want)
		}
	})

	t.Run("all pages", func(t *testing.T) {
		n, pages := e.countRules(t, "lb", aws.Int32(2))
		if n != 8 || pages != 4 {
			t.Errorf("paginator: %d rules in %d pages, want 8 in 4", n, pages)
		}
	})

	t.Run("empty", func(t *testing.T) {
		out := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String("lb"), NamePrefix: aws.String("nothing")}))(t)
		if out.Rules == nil || len(out.Rules) != 0 || out.NextToken != nil {
			t.Errorf("no match = %#v", out)
		}
	})
	t.Run("missing bus", func(t *testing.T) {
		_, err := e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String("nobus")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
	})
	t.Run("limit out of range", func(t *testing.T) {
		_, err := e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{Limit: aws.Int32(101)})
		wantErr(t, err, "ValidationException", validation("101", "limit", "Member must have value less than or equal to 100"))
	})
}

func TestPutRuleUpsert(t *testing.T) {
	e := newEnv(t)
	must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{
		Name: aws.String("up"), EventPattern: aws.String(testPattern), Description: aws.String("first"),
		RoleArn: aws.String("arn:aws:iam::" + e.acct + ":role/r"), State: types.RuleStateDisabled,
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}},
	}))(t)
	must(e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("up"), Targets: []types.Target{{Id: aws.String("t"), Arn: aws.String(sqsARN(e, "q"))}}}))(t)
	before := must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("up")}))(t)

	// Re-put with only a schedule: the pattern, description, role and state
	// are reset; tags given on update are ignored; targets stay.
	out := must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{
		Name: aws.String("up"), ScheduleExpression: aws.String("rate(5 minutes)"),
		Tags: []types.Tag{{Key: aws.String("b"), Value: aws.String("2")}},
	}))(t)
	if aws.ToString(out.RuleArn) != aws.ToString(before.Arn) {
		t.Errorf("RuleArn changed on update: %s", aws.ToString(out.RuleArn))
	}
	d := must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("up")}))(t)
	want := eventbridge.DescribeRuleOutput{
		Name: aws.String("up"), Arn: before.Arn, ScheduleExpression: aws.String("rate(5 minutes)"),
		State: types.RuleStateEnabled, EventBusName: aws.String("default"), CreatedBy: aws.String(e.acct),
	}
	if diff := diffRule(d, &want); diff != "" {
		t.Error(diff)
	}
	targets := must(e.c.ListTargetsByRule(e.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("up")}))(t)
	if len(targets.Targets) != 1 || aws.ToString(targets.Targets[0].Id) != "t" {
		t.Errorf("targets after update = %+v", targets.Targets)
	}
	tags := must(e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: before.Arn}))(t)
	wantTags(t, tags.Tags, "a", "1")

	// Recorded test_put_multiple_rules_with_same_name: one rule in the list.
	rules := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{}))(t)
	if len(rules.Rules) != 1 {
		t.Errorf("ListRules after re-put: %d rules", len(rules.Rules))
	}
}

func TestPutRuleStates(t *testing.T) {
	e := newEnv(t)
	for _, s := range []types.RuleState{types.RuleStateEnabled, types.RuleStateDisabled, types.RuleStateEnabledWithAllCloudtrailManagementEvents} {
		must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("s"), EventPattern: aws.String(testPattern), State: s}))(t)
		d := must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("s")}))(t)
		if d.State != s {
			t.Errorf("State = %s, want %s", d.State, s)
		}
	}
	_, err := e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("s"), EventPattern: aws.String(testPattern), State: "ON"})
	wantErr(t, err, "ValidationException", validation("ON", "state", "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]"))
}

func TestPutRuleErrors(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "cb")
	long := strings.Repeat("n", 65)
	tests := []struct {
		name string
		in   eventbridge.PutRuleInput
		code string
		msg  string
	}{
		{"name pattern", eventbridge.PutRuleInput{Name: aws.String("bad name!"), EventPattern: aws.String(testPattern)},
			"ValidationException", validation("bad name!", "name", namePattern)},
		{"name length", eventbridge.PutRuleInput{Name: aws.String(long), EventPattern: aws.String(testPattern)},
			"ValidationException", validation(long, "name", "Member must have length less than or equal to 64")},
		{"name pattern and length", eventbridge.PutRuleInput{Name: aws.String(long + "!"), EventPattern: aws.String(testPattern)},
			"ValidationException", "2 validation errors detected: Value '" + long + "!' at 'name' failed to satisfy constraint: " + namePattern +
				"; Value '" + long + "!' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"neither pattern nor schedule", eventbridge.PutRuleInput{Name: aws.String("r")},
			"ValidationException", ""},
		{"schedule on custom bus", eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String("cb"), ScheduleExpression: aws.String("rate(1 minute)")},
			"ValidationException", "ScheduleExpression is supported only on the default event bus."},
		{"schedule on custom bus by ARN", eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String(e.busARN("cb")), ScheduleExpression: aws.String("rate(1 minute)")},
			"ValidationException", "ScheduleExpression is supported only on the default event bus."},
		{"pattern not an object", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`["source"]`)},
			"InvalidEventPatternException", ""},
		{"pattern not JSON", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`this is not json`)},
			"InvalidEventPatternException", ""},
		{"pattern is a string", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`"source"`)},
			"InvalidEventPatternException", ""},
		{"pattern is JSON null", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`null`)},
			"InvalidEventPatternException", ""},
		{"empty pattern", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(``)},
			"InvalidEventPatternException", ""},
		{"missing bus", eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String("nobus"), EventPattern: aws.String(testPattern)},
			"ResourceNotFoundException", "Event bus nobus does not exist."},
		{"missing bus by ARN", eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String(e.busARN("nobus")), EventPattern: aws.String(testPattern)},
			"ResourceNotFoundException", "Event bus nobus does not exist."},
		{"description too long", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(testPattern), Description: aws.String(strings.Repeat("d", 513))},
			"ValidationException", validation(strings.Repeat("d", 513), "description", "Member must have length less than or equal to 512")},
		{"pattern too long", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":["` + strings.Repeat("x", 4096) + `"]}`)},
			"ValidationException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.c.PutRule(e.ctx, &tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	// None of the failed calls left a rule behind.
	for _, bus := range []string{"default", "cb"} {
		rules := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String(bus)}))(t)
		if len(rules.Rules) != 0 {
			t.Errorf("failed PutRule calls stored rules on %s: %+v", bus, rules.Rules)
		}
	}
}

func TestEnableDisableRule(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "eb")
	for _, bus := range []string{"default", "eb"} {
		t.Run(bus, func(t *testing.T) {
			e.putRule(t, bus, "toggle")
			state := func() types.RuleState {
				d := must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("toggle"), EventBusName: aws.String(bus)}))(t)
				return d.State
			}
			must(e.c.DisableRule(e.ctx, &eventbridge.DisableRuleInput{Name: aws.String("toggle"), EventBusName: aws.String(bus)}))(t)
			if s := state(); s != types.RuleStateDisabled {
				t.Errorf("after DisableRule: %s", s)
			}
			must(e.c.DisableRule(e.ctx, &eventbridge.DisableRuleInput{Name: aws.String("toggle"), EventBusName: aws.String(bus)}))(t)
			must(e.c.EnableRule(e.ctx, &eventbridge.EnableRuleInput{Name: aws.String("toggle"), EventBusName: aws.String(bus)}))(t)
			if s := state(); s != types.RuleStateEnabled {
				t.Errorf("after EnableRule: %s", s)
			}
			_, err := e.c.EnableRule(e.ctx, &eventbridge.EnableRuleInput{Name: aws.String("nope"), EventBusName: aws.String(bus)})
			wantErr(t, err, "ResourceNotFoundException", "Rule nope does not exist on EventBus "+bus+".")
			_, err = e.c.DisableRule(e.ctx, &eventbridge.DisableRuleInput{Name: aws.String("nope"), EventBusName: aws.String(bus)})
			wantErr(t, err, "ResourceNotFoundException", "Rule nope does not exist on EventBus "+bus+".")
		})
	}
	_, err := e.c.EnableRule(e.ctx, &eventbridge.EnableRuleInput{Name: aws.String("toggle"), EventBusName: aws.String("nobus")})
	wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
}

func TestDeleteRule(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "db")
	e.putRule(t, "db", "r")
	must(e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), EventBusName: aws.String("db"),
		Targets: []types.Target{{Id: aws.String("t1"), Arn: aws.String(sqsARN(e, "q"))}}}))(t)

	_, err := e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("r"), EventBusName: aws.String("db")})
	wantErr(t, err, "ValidationException", "Rule can't be deleted since it has targets.")
	_, err = e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("r"), EventBusName: aws.String("db"), Force: true})
	wantErr(t, err, "ValidationException", "Rule can't be deleted since it has targets.")

	must(e.c.RemoveTargets(e.ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("r"), EventBusName: aws.String("db"), Ids: []string{"t1"}}))(t)
	must(e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("r"), EventBusName: aws.String("db")}))(t)
	_, err = e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r"), EventBusName: aws.String("db")})
	wantErr(t, err, "ResourceNotFoundException", "Rule r does not exist on EventBus db.")
	rules := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String("db")}))(t)
	if len(rules.Rules) != 0 {
		t.Errorf("rules after delete = %+v", rules.Rules)
	}

	t.Run("missing rule succeeds", func(t *testing.T) {
		must(e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("r"), EventBusName: aws.String("db")}))(t)
		must(e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("never")}))(t)
	})
	t.Run("missing bus", func(t *testing.T) {
		_, err := e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("r"), EventBusName: aws.String("nobus")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
	})
	t.Run("recreated rule starts clean", func(t *testing.T) {
		must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("again"), EventPattern: aws.String(testPattern),
			Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}))(t)
		must(e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("again")}))(t)
		arn := e.putRule(t, "", "again")
		tags := must(e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(arn)}))(t)
		wantTags(t, tags.Tags) // test_recreate_tagged_resource_without_tags[rule-*]
	})
}

func TestListRuleNamesByTarget(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "nb")
	target := sqsARN(e, "shared")
	for _, bus := range []string{"default", "nb"} {
		for i := range 5 {
			name := fmt.Sprintf("rule-%d", i)
			e.putRule(t, bus, name)
			must(e.c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String(name), EventBusName: aws.String(bus),
				Targets: []types.Target{{Id: aws.String("t"), Arn: aws.String(target)}, {Id: aws.String("other-" + name), Arn: aws.String(sqsARN(e, name))}}}))(t)
		}
		e.putRule(t, bus, "no-target")
	}
	for _, bus := range []string{"default", "nb"} {
		t.Run(bus, func(t *testing.T) {
			all := must(e.c.ListRuleNamesByTarget(e.ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(target), EventBusName: aws.String(bus)}))(t)
			if fmt.Sprint(all.RuleNames) != "[rule-0 rule-1 rule-2 rule-3 rule-4]" || all.NextToken != nil {
				t.Errorf("RuleNames = %v, NextToken %v", all.RuleNames, all.NextToken)
			}
			var pages []string
			var token *string
			for range 10 {
				out := must(e.c.ListRuleNamesByTarget(e.ctx, &eventbridge.ListRuleNamesByTargetInput{
					TargetArn: aws.String(target), EventBusName: aws.String(bus), Limit: aws.Int32(2), NextToken: token,
				}))(t)
				pages = append(pages, strings.Join(out.RuleNames, ","))
				if token = out.NextToken; token == nil {
					break
				}
			}
			// Recorded: test_list_rule_names_by_target_with_limit.
			if fmt.Sprint(pages) != "[rule-0,rule-1 rule-2,rule-3 rule-4]" {
				t.Errorf("pages = %q", pages)
			}
			one := must(e.c.ListRuleNamesByTarget(e.ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(sqsARN(e, "rule-3")), EventBusName: aws.String(bus)}))(t)
			if fmt.Sprint(one.RuleNames) != "[rule-3]" {
				t.Errorf("RuleNames for a single-rule target = %v", one.RuleNames)
			}
			none := must(e.c.ListRuleNamesByTarget(e.ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(sqsARN(e, "nobody")), EventBusName: aws.String(bus)}))(t)
			if none.RuleNames == nil || len(none.RuleNames) != 0 || none.NextToken != nil {
				t.Errorf("no matches = %#v", none)
			}
		})
	}
	t.Run("missing bus", func(t *testing.T) {
		_, err := e.c.ListRuleNamesByTarget(e.ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(target), EventBusName: aws.String("nobus")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
	})
}

func TestRuleLimitPerBus(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "full")
	const quota = 300
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	errs := make(chan error, quota)
	for i := range quota {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String(fmt.Sprintf("r%03d", i)), EventBusName: aws.String("full"), EventPattern: aws.String(testPattern)})
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("putting %d rules: %v", quota, err)
	}
	_, err := e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("r300"), EventBusName: aws.String("full"), EventPattern: aws.String(testPattern)})
	wantErr(t, err, "LimitExceededException", limitExceeded)
	// Updating an existing rule is not a new rule.
	must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("r000"), EventBusName: aws.String("full"), EventPattern: aws.String(testPattern), Description: aws.String("updated")}))(t)
	// The quota is per bus.
	e.putRule(t, "", "r300")

	if n, _ := e.countRules(t, "full", nil); n != quota {
		t.Errorf("bus holds %d rules, want %d", n, quota)
	}
}

func sqsARN(e *env, name string) string { return "arn:aws:sqs:" + region + ":" + e.acct + ":" + name }

// countRules follows NextToken through ListRules on bus and counts rules and pages.
func (e *env) countRules(t *testing.T, bus string, limit *int32) (n, pages int) {
	t.Helper()
	var token *string
	for {
		out := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String(bus), Limit: limit, NextToken: token}))(t)
		n += len(out.Rules)
		pages++
		if token = out.NextToken; token == nil || pages > 100 {
			return n, pages
		}
	}
}
