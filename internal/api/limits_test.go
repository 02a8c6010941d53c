package api_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// race runs n calls at once and counts those that succeed; every failure
// must be a LimitExceededException.
func race(t *testing.T, n int, call func(i int) error) int {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = call(i)
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantErr(t, err, "LimitExceededException", limitExceeded)
	}
	return ok
}

// TestQuotasHoldUnderRaces: concurrent creations never take a resource past
// its quota. The server behind smallURL has quotas of 3 buses per account,
// 3 rules per bus, 2 targets per rule and 3 tags per resource.
func TestQuotasHoldUnderRaces(t *testing.T) {
	t.Run("targets per rule", func(t *testing.T) {
		e := newEnv(t)
		c := newClientAt(smallURL, e.acct)
		e.putRule(t, "", "r")
		race(t, 8, func(i int) error {
			_, err := c.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []types.Target{target(fmt.Sprint(i), sqsARN(e, "q"))}})
			return err
		})
		if n := len(e.listTargets(t, "", "r")); n != smallLimits.TargetsPerRule {
			t.Errorf("%d targets, quota %d", n, smallLimits.TargetsPerRule)
		}
	})
	t.Run("tags per resource", func(t *testing.T) {
		e := newEnv(t)
		c := newClientAt(smallURL, e.acct)
		arn := e.putRule(t, "", "r")
		race(t, 8, func(i int) error {
			_, err := c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(arn), Tags: tags(fmt.Sprint("k", i), "v")})
			return err
		})
		if n := len(e.listTags(t, arn)); n != smallLimits.TagsPerResource {
			t.Errorf("%d tags, quota %d", n, smallLimits.TagsPerResource)
		}
	})
	t.Run("rules per bus", func(t *testing.T) {
		e := newEnv(t)
		c := newClientAt(smallURL, e.acct)
		won := race(t, 8, func(i int) error {
			_, err := c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String(fmt.Sprint("r", i)), EventPattern: aws.String(testPattern)})
			return err
		})
		if n, _ := e.countRules(t, "default", nil); n > smallLimits.RulesPerBus || n != won {
			t.Errorf("%d rules on the bus after %d successful creates, quota %d", n, won, smallLimits.RulesPerBus)
		}
	})
	t.Run("buses per account", func(t *testing.T) {
		e := newEnv(t)
		c := newClientAt(smallURL, e.acct)
		won := race(t, 8, func(i int) error {
			_, err := c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String(fmt.Sprint("b", i))})
			return err
		})
		out := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{}))(t)
		if n := len(out.EventBuses); n > smallLimits.BusesPerScope || n != won+1 {
			t.Errorf("%d buses (default included) after %d successful creates, quota %d", n, won, smallLimits.BusesPerScope)
		}
	})
}

// TestDeleteEventBusRacesPutRule: a bus deleted while a rule is being put on
// it never leaves the rule behind; a rule that outlived its bus would show
// up on the next bus of the same name.
func TestDeleteEventBusRacesPutRule(t *testing.T) {
	e := newEnv(t)
	deleted := 0
	for round := range 30 {
		bus := fmt.Sprint("b", round)
		e.createBus(t, bus)
		var wg sync.WaitGroup
		var putErr, delErr error
		wg.Go(func() {
			_, putErr = e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String(bus), EventPattern: aws.String(testPattern)})
		})
		wg.Go(func() {
			_, delErr = e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String(bus)})
		})
		wg.Wait()
		if delErr != nil {
			// The rule won: it exists and the bus with it.
			wantErrContains(t, delErr, "ValidationException", "rules")
			if putErr != nil {
				t.Fatalf("round %d: both PutRule (%v) and DeleteEventBus failed", round, putErr)
			}
			must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r"), EventBusName: aws.String(bus)}))(t)
			continue
		}
		deleted++
		if putErr != nil {
			wantErr(t, putErr, "ResourceNotFoundException", "Event bus "+bus+" does not exist.")
		}
		e.createBus(t, bus)
		if n, _ := e.countRules(t, bus, nil); n != 0 {
			t.Errorf("round %d: the new bus %s has %d rule(s) of the deleted one", round, bus, n)
		}
	}
	t.Logf("%d of 30 deletes won the race", deleted)
}

// TestPolicyLength: statements accumulate until the policy would pass the
// length quota (400 characters on the small server); the refused statement
// leaves the policy as it was.
func TestPolicyLength(t *testing.T) {
	e := newEnv(t)
	c := newClientAt(smallURL, e.acct)
	var last *string
	for i := range 10 {
		_, err := c.PutPermission(e.ctx, &eventbridge.PutPermissionInput{
			Action: aws.String("events:PutEvents"), Principal: aws.String("*"), StatementId: aws.String(fmt.Sprint("s", i)),
		})
		if err != nil {
			wantErr(t, err, "PolicyLengthExceededException", "")
			if i == 0 {
				t.Fatal("the first statement was refused")
			}
			if got := e.policy(t, ""); aws.ToString(got) != aws.ToString(last) {
				t.Errorf("refused statement changed the policy:\n got  %s\n want %s", aws.ToString(got), aws.ToString(last))
			}
			if len(aws.ToString(last)) > smallLimits.PolicyLength {
				t.Errorf("stored policy is %d characters, quota %d", len(aws.ToString(last)), smallLimits.PolicyLength)
			}
			return
		}
		last = e.policy(t, "")
	}
	t.Fatalf("10 statements fit in %d characters: %s", smallLimits.PolicyLength, aws.ToString(last))
}
