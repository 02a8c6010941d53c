package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// TestAccountsAreIsolated: two access keys are two accounts; neither sees
// the other's buses, rules, targets, tags or policies, not even by ARN.
func TestAccountsAreIsolated(t *testing.T) {
	a := newEnv(t)
	b := &env{acct: newAccount(), ctx: a.ctx}
	b.c = newClient(b.acct)

	a.createBus(t, "shared-name")
	must(a.c.TagResource(a.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(a.busARN("shared-name")), Tags: tags("owner", "a")}))(t)
	a.putRule(t, "", "r")
	a.putRule(t, "shared-name", "r")
	a.putTargets(t, "", "r", target("t", sqsARN(a, "q")))
	a.putPermission(t, "shared-name", "s", "*", nil)

	// B sees only its own default bus and no rules.
	buses := must(b.c.ListEventBuses(b.ctx, &eventbridge.ListEventBusesInput{}))(t)
	if len(buses.EventBuses) != 1 || aws.ToString(buses.EventBuses[0].Arn) != b.busARN("default") {
		t.Errorf("B's buses = %s", jsonOf(buses.EventBuses))
	}
	rules := must(b.c.ListRules(b.ctx, &eventbridge.ListRulesInput{}))(t)
	if len(rules.Rules) != 0 {
		t.Errorf("B's rules = %s", jsonOf(rules.Rules))
	}
	names := must(b.c.ListRuleNamesByTarget(b.ctx, &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(sqsARN(a, "q"))}))(t)
	if len(names.RuleNames) != 0 {
		t.Errorf("B finds A's rules by target: %v", names.RuleNames)
	}
	if p := b.policy(t, ""); p != nil {
		t.Errorf("B's default bus has Policy %q", *p)
	}

	busGone := "Event bus shared-name does not exist."
	ruleGone := "Rule r does not exist on EventBus default."
	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"describe bus by name", func() error {
			_, err := b.c.DescribeEventBus(b.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("shared-name")})
			return err
		}, "ResourceNotFoundException", busGone},
		{"describe bus by A's ARN", func() error {
			_, err := b.c.DescribeEventBus(b.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(a.busARN("shared-name"))})
			return err
		}, "ResourceNotFoundException", busGone},
		{"describe A's default bus by ARN", func() error {
			_, err := b.c.DescribeEventBus(b.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(a.busARN("default"))})
			return err
		}, "ResourceNotFoundException", "Event bus default does not exist."},
		{"put rule on A's bus ARN", func() error {
			_, err := b.c.PutRule(b.ctx, &eventbridge.PutRuleInput{Name: aws.String("x"), EventBusName: aws.String(a.busARN("shared-name")), EventPattern: aws.String(testPattern)})
			return err
		}, "ResourceNotFoundException", busGone},
		{"list rules on A's bus ARN", func() error {
			_, err := b.c.ListRules(b.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String(a.busARN("shared-name"))})
			return err
		}, "ResourceNotFoundException", busGone},
		{"describe A's rule", func() error {
			_, err := b.c.DescribeRule(b.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r")})
			return err
		}, "ResourceNotFoundException", ruleGone},
		{"list A's targets", func() error {
			_, err := b.c.ListTargetsByRule(b.ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r")})
			return err
		}, "ResourceNotFoundException", ruleGone},
		{"put targets on A's rule", func() error {
			_, err := b.c.PutTargets(b.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []types.Target{target("evil", sqsARN(b, "q"))}})
			return err
		}, "ResourceNotFoundException", ruleGone},
		{"list tags of A's rule", func() error {
			_, err := b.c.ListTagsForResource(b.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(a.ruleARN("", "r"))})
			return err
		}, "ResourceNotFoundException", ruleGone},
		{"tag A's bus", func() error {
			_, err := b.c.TagResource(b.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(a.busARN("shared-name")), Tags: tags("owner", "b")})
			return err
		}, "ResourceNotFoundException", busGone},
		{"untag A's rule on a custom bus", func() error {
			_, err := b.c.UntagResource(b.ctx, &eventbridge.UntagResourceInput{ResourceARN: aws.String(a.ruleARN("shared-name", "r")), TagKeys: []string{"owner"}})
			return err
		}, "ResourceNotFoundException", "Rule r does not exist on EventBus shared-name."},
		{"A's bus in another region", func() error {
			_, err := a.c.DescribeEventBus(a.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("arn:aws:events:eu-west-1:" + a.acct + ":event-bus/shared-name")})
			return err
		}, "ResourceNotFoundException", busGone},
		{"remove A's permission", func() error {
			_, err := b.c.RemovePermission(b.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("shared-name"), StatementId: aws.String("s")})
			return err
		}, "ResourceNotFoundException", busGone},
		{"delete A's bus", func() error {
			_, err := b.c.DeleteEventBus(b.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("shared-name")})
			return err
		}, "ResourceNotFoundException", busGone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErr(t, tt.call(), tt.code, tt.msg) })
	}

	// B may use the same names without conflict; A's resources are unchanged.
	b.createBus(t, "shared-name")
	// Even now that B has a bus of that name, A's ARN does not name it.
	_, err := b.c.DescribeEventBus(b.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(a.busARN("shared-name"))})
	wantErr(t, err, "ResourceNotFoundException", busGone)
	_, err = b.c.ListTagsForResource(b.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(a.busARN("shared-name"))})
	wantErr(t, err, "ResourceNotFoundException", busGone)
	b.putRule(t, "", "r")
	must(b.c.DeleteRule(b.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("r")}))(t)
	wantTags(t, a.listTags(t, a.busARN("shared-name")), "owner", "a")
	if got := targetIDs(a.listTargets(t, "", "r")); got != "t="+sqsARN(a, "q") {
		t.Errorf("A's targets = %s", got)
	}
	if got, want := aws.ToString(a.policy(t, "shared-name")), policyDoc(a.statement("shared-name", "s", "*", "")); got != want {
		t.Errorf("A's policy = %s", got)
	}
	if p := b.policy(t, "shared-name"); p != nil {
		t.Errorf("B's new bus has A's policy %q", *p)
	}
	d := must(a.c.DescribeRule(a.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r")}))(t)
	if aws.ToString(d.CreatedBy) != a.acct || aws.ToString(d.Arn) != a.ruleARN("", "r") {
		t.Errorf("A's rule = %+v", d)
	}
}

// TestAccountSelection: a 12-digit access key is the account; any other key,
// or no signature at all, gets the default account.
func TestAccountSelection(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"AKIDEXAMPLE", "test", "12345678901"} {
		c := newClient(key)
		d := must(c.DescribeEventBus(t.Context(), &eventbridge.DescribeEventBusInput{}))(t)
		if want := "arn:aws:events:" + region + ":" + defaultAccount + ":event-bus/default"; aws.ToString(d.Arn) != want {
			t.Errorf("access key %s: Arn = %s, want %s", key, aws.ToString(d.Arn), want)
		}
	}
	resp := raw(t, "POST", "", "AWSEvents.DescribeEventBus", nil)
	if resp.status != 200 || resp.object(t)["Arn"] != "arn:aws:events:"+region+":"+defaultAccount+":event-bus/default" {
		t.Errorf("unsigned DescribeEventBus: %d %s", resp.status, resp.body)
	}
}

// TestRegionFromCredentialScope: the signing region selects the region of
// the resources; a region that is not a region name must be refused, not
// leak into the store keys.
func TestRegionFromCredentialScope(t *testing.T) {
	t.Parallel()
	acct := newAccount()
	for _, reg := range []string{"us-east-1.bus.x", "a*b", "a>b"} {
		resp := rawWithRegion(t, acct, reg, "CreateEventBus", `{"Name":"inj"}`)
		if resp.status < 400 || resp.status >= 500 {
			t.Errorf("region %q: CreateEventBus answered %d %s, want a 4xx", reg, resp.status, resp.body)
		}
	}
	out := must(newClient(acct).ListEventBuses(t.Context(), &eventbridge.ListEventBusesInput{}))(t)
	if len(out.EventBuses) != 1 {
		t.Errorf("us-east-1 lists %s", jsonOf(out.EventBuses))
	}
}

// TestMadeUpRegionInOpenMode: a signing region that is a name but not a
// region name ("local", as aws-elixir's local setup signs) is served as the
// default region; one with characters no name has is still refused (above).
func TestMadeUpRegionInOpenMode(t *testing.T) {
	t.Parallel()
	acct := newAccount()
	for i, reg := range []string{"local", "localhost", "LOCAL", "dev-1", "x"} {
		name := fmt.Sprintf("made-up-%d", i)
		resp := rawWithRegion(t, acct, reg, "CreateEventBus", `{"Name":"`+name+`"}`)
		if want := "arn:aws:events:" + region + ":" + acct + ":event-bus/" + name; resp.status != 200 || resp.object(t)["EventBusArn"] != want {
			t.Errorf("region %q: %d %s, want %s", reg, resp.status, resp.body, want)
		}
	}
	for _, reg := range []string{"local_dev", "local.host", strings.Repeat("l", 33)} {
		if resp := rawWithRegion(t, acct, reg, "DescribeEventBus", `{}`); resp.status != 400 || resp.object(t)["__type"] != "InvalidSignatureException" {
			t.Errorf("region %q: %d %s, want InvalidSignatureException", reg, resp.status, resp.body)
		}
	}
}

func TestRegionsAreSeparate(t *testing.T) {
	t.Parallel()
	acct := newAccount()
	resp := rawWithRegion(t, acct, "eu-west-1", "CreateEventBus", `{"Name":"eu-only"}`)
	if resp.status != 200 || resp.object(t)["EventBusArn"] != "arn:aws:events:eu-west-1:"+acct+":event-bus/eu-only" {
		t.Fatalf("CreateEventBus in eu-west-1: %d %s", resp.status, resp.body)
	}
	_, err := newClient(acct).DescribeEventBus(t.Context(), &eventbridge.DescribeEventBusInput{Name: aws.String("eu-only")})
	wantErr(t, err, "ResourceNotFoundException", "Event bus eu-only does not exist.")
	resp = rawWithRegion(t, acct, "cn-north-1", "DescribeEventBus", `{}`)
	if resp.object(t)["Arn"] != "arn:aws-cn:events:cn-north-1:"+acct+":event-bus/default" {
		t.Errorf("China region ARN: %s", resp.body)
	}
	// The statement's principal and resource are in the region's partition.
	resp = rawWithRegion(t, acct, "cn-north-1", "PutPermission", `{"Action":"events:PutEvents","Principal":"111122223333","StatementId":"cn"}`)
	if resp.status != 200 {
		t.Fatalf("PutPermission in cn-north-1: %d %s", resp.status, resp.body)
	}
	resp = rawWithRegion(t, acct, "cn-north-1", "DescribeEventBus", `{}`)
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"cn","Effect":"Allow","Principal":{"AWS":"arn:aws-cn:iam::111122223333:root"},` +
		`"Action":"events:PutEvents","Resource":"arn:aws-cn:events:cn-north-1:` + acct + `:event-bus/default"}]}`
	if got := resp.object(t)["Policy"]; got != want {
		t.Errorf("cn-north-1 Policy:\n got  %v\n want %s", got, want)
	}
}
