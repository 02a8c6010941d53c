package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

func TestCreateEventBusEchoesConfiguration(t *testing.T) {
	e := newEnv(t)
	dlq := "arn:aws:sqs:us-east-1:" + e.acct + ":dlq"
	before := time.Now().Add(-time.Second)
	out := must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{
		Name:             aws.String("orders"),
		Description:      aws.String("all the orders"),
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq)},
		LogConfig:        &types.LogConfig{IncludeDetail: types.IncludeDetailFull, Level: types.LevelInfo},
		Tags:             []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}, {Key: aws.String("env"), Value: aws.String("")}},
	}))(t)
	if got, want := aws.ToString(out.EventBusArn), e.busARN("orders"); got != want {
		t.Errorf("EventBusArn = %s, want %s", got, want)
	}
	if aws.ToString(out.Description) != "all the orders" || aws.ToString(out.DeadLetterConfig.Arn) != dlq ||
		out.LogConfig.IncludeDetail != types.IncludeDetailFull || out.LogConfig.Level != types.LevelInfo {
		t.Errorf("CreateEventBus output does not echo the configuration: %+v", out)
	}

	d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")}))(t)
	if aws.ToString(d.Name) != "orders" || aws.ToString(d.Arn) != e.busARN("orders") ||
		aws.ToString(d.Description) != "all the orders" || aws.ToString(d.DeadLetterConfig.Arn) != dlq ||
		d.LogConfig == nil || d.LogConfig.Level != types.LevelInfo || d.Policy != nil {
		t.Errorf("DescribeEventBus = %+v", d)
	}
	if d.CreationTime == nil || d.CreationTime.Before(before) || d.LastModifiedTime == nil {
		t.Errorf("CreationTime %v / LastModifiedTime %v, want set and recent", d.CreationTime, d.LastModifiedTime)
	}

	tags := must(e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: out.EventBusArn}))(t)
	wantTags(t, tags.Tags, "team", "core", "env", "")
}

func TestCreateEventBusMinimal(t *testing.T) {
	e := newEnv(t)
	out := must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("bare.bus-1_x")}))(t)
	if out.Description != nil || out.DeadLetterConfig != nil || out.LogConfig != nil || out.KmsKeyIdentifier != nil {
		t.Errorf("CreateEventBus without options echoes %+v, want only EventBusArn", out)
	}
	d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("bare.bus-1_x")}))(t)
	if d.Description != nil || d.DeadLetterConfig != nil || d.LogConfig != nil || d.Policy != nil {
		t.Errorf("DescribeEventBus of a bare bus = %+v", d)
	}
	tags := must(e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: out.EventBusArn}))(t)
	if tags.Tags == nil || len(tags.Tags) != 0 {
		t.Errorf("Tags = %#v, want an empty list", tags.Tags)
	}
}

func TestCreateEventBusErrors(t *testing.T) {
	e := newEnv(t)
	must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("dup")}))(t)
	long := make([]byte, 257)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name string
		in   eventbridge.CreateEventBusInput
		code string
		msg  string
	}{
		{"duplicate", eventbridge.CreateEventBusInput{Name: aws.String("dup")},
			"ResourceAlreadyExistsException", "Event bus dup already exists."},
		{"default", eventbridge.CreateEventBusInput{Name: aws.String("default")},
			"ResourceAlreadyExistsException", "Event bus default already exists."},
		{"bad characters", eventbridge.CreateEventBusInput{Name: aws.String("a b")},
			"ValidationException", validation("a b", "name", `Member must satisfy regular expression pattern: [/\.\-_A-Za-z0-9]+`)},
		{"too long", eventbridge.CreateEventBusInput{Name: aws.String(string(long))},
			"ValidationException", validation(string(long), "name", "Member must have length less than or equal to 256")},
		{"description too long", eventbridge.CreateEventBusInput{Name: aws.String("d"), Description: aws.String(strings.Repeat("x", 513))},
			"ValidationException", ""},
		{"log level", eventbridge.CreateEventBusInput{Name: aws.String("l"), LogConfig: &types.LogConfig{Level: "LOUD"}},
			"ValidationException", validation("LOUD", "logConfig.level", "Member must satisfy enum value set: [OFF, ERROR, INFO, TRACE]")},
		{"partner bus without source", eventbridge.CreateEventBusInput{Name: aws.String("aws.partner/acme/x")},
			"ValidationException", ""},
		{"partner source that does not exist", eventbridge.CreateEventBusInput{Name: aws.String("aws.partner/acme/x"), EventSourceName: aws.String("aws.partner/acme/x")},
			"ResourceNotFoundException", ""},
		{"reserved aws. prefix", eventbridge.CreateEventBusInput{Name: aws.String("aws.mine")},
			"ValidationException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.c.CreateEventBus(e.ctx, &tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
}

func TestDescribeEventBus(t *testing.T) {
	e := newEnv(t)
	must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("b1")}))(t)
	tests := []struct {
		name     string
		in       *string
		wantName string
	}{
		{"by name", aws.String("b1"), "b1"},
		{"by ARN", aws.String(e.busARN("b1")), "b1"},
		{"no name is default", nil, "default"},
		{"default by name", aws.String("default"), "default"},
		{"default by ARN", aws.String(e.busARN("default")), "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: tt.in}))(t)
			if aws.ToString(d.Name) != tt.wantName || aws.ToString(d.Arn) != e.busARN(tt.wantName) {
				t.Errorf("Name, Arn = %s, %s; want %s, %s", aws.ToString(d.Name), aws.ToString(d.Arn), tt.wantName, e.busARN(tt.wantName))
			}
			if d.CreationTime == nil || d.LastModifiedTime == nil {
				t.Errorf("CreationTime/LastModifiedTime missing: %+v", d)
			}
		})
	}
	t.Run("default keeps its creation time", func(t *testing.T) {
		a := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{}))(t)
		b := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{}))(t)
		if !a.CreationTime.Equal(*b.CreationTime) {
			t.Errorf("default bus CreationTime changed: %v then %v", a.CreationTime, b.CreationTime)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("nope")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus nope does not exist.")
	})
	t.Run("ARN of another partition", func(t *testing.T) {
		_, err := e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("arn:aws-cn:events:" + region + ":" + e.acct + ":event-bus/b1")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus b1 does not exist.")
	})
	t.Run("ARN of a rule", func(t *testing.T) {
		_, err := e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(e.ruleARN("", "b1"))})
		wantErr(t, err, "ValidationException", "")
	})
	t.Run("missing by ARN", func(t *testing.T) {
		_, err := e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(e.busARN("nope"))})
		wantErr(t, err, "ResourceNotFoundException", "Event bus nope does not exist.")
	})
}

func TestUpdateEventBus(t *testing.T) {
	e := newEnv(t)
	must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{
		Name: aws.String("u"), Description: aws.String("first"),
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
	}))(t)
	created := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("u")}))(t)

	dlq := "arn:aws:sqs:us-east-1:" + e.acct + ":q"
	up := must(e.c.UpdateEventBus(e.ctx, &eventbridge.UpdateEventBusInput{
		Name: aws.String("u"), Description: aws.String("second"),
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq)},
		LogConfig:        &types.LogConfig{IncludeDetail: types.IncludeDetailNone, Level: types.LevelError},
	}))(t)
	if aws.ToString(up.Arn) != e.busARN("u") || aws.ToString(up.Name) != "u" || aws.ToString(up.Description) != "second" ||
		aws.ToString(up.DeadLetterConfig.Arn) != dlq || up.LogConfig.Level != types.LevelError {
		t.Errorf("UpdateEventBus output = %+v", up)
	}
	d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("u")}))(t)
	if aws.ToString(d.Description) != "second" || !d.CreationTime.Equal(*created.CreationTime) || d.LastModifiedTime.Before(*created.LastModifiedTime) {
		t.Errorf("after update: %+v", d)
	}

	// Terraform clears the description with "".
	must(e.c.UpdateEventBus(e.ctx, &eventbridge.UpdateEventBusInput{Name: aws.String("u"), Description: aws.String("")}))(t)
	d = must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("u")}))(t)
	if d.Description != nil {
		t.Errorf("Description = %q after clearing, want absent", *d.Description)
	}
	if aws.ToString(d.DeadLetterConfig.Arn) != dlq {
		t.Errorf("an update that omits DeadLetterConfig dropped it: %+v", d.DeadLetterConfig)
	}
	tags := must(e.c.ListTagsForResource(e.ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(e.busARN("u"))}))(t)
	wantTags(t, tags.Tags, "k", "v")

	t.Run("ARN is not a name", func(t *testing.T) {
		// UpdateEventBus.Name is an EventBusName (no ARN form) in the model.
		arn := e.busARN("u")
		_, err := e.c.UpdateEventBus(e.ctx, &eventbridge.UpdateEventBusInput{Name: aws.String(arn), Description: aws.String("third")})
		wantErr(t, err, "ValidationException", validation(arn, "name", `Member must satisfy regular expression pattern: [/\.\-_A-Za-z0-9]+`))
	})
	t.Run("KMS key", func(t *testing.T) {
		up := must(e.c.UpdateEventBus(e.ctx, &eventbridge.UpdateEventBusInput{Name: aws.String("u"), KmsKeyIdentifier: aws.String("alias/my-key")}))(t)
		d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("u")}))(t)
		if aws.ToString(up.KmsKeyIdentifier) != "alias/my-key" || aws.ToString(d.KmsKeyIdentifier) != "alias/my-key" {
			t.Errorf("KmsKeyIdentifier: update %v, describe %v", up.KmsKeyIdentifier, d.KmsKeyIdentifier)
		}
		must(e.c.UpdateEventBus(e.ctx, &eventbridge.UpdateEventBusInput{Name: aws.String("u"), KmsKeyIdentifier: aws.String("")}))(t)
		if d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("u")}))(t); d.KmsKeyIdentifier != nil {
			t.Errorf("KmsKeyIdentifier after clearing = %q", *d.KmsKeyIdentifier)
		}
	})
	t.Run("default", func(t *testing.T) {
		must(e.c.UpdateEventBus(e.ctx, &eventbridge.UpdateEventBusInput{Description: aws.String("the default")}))(t)
		d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{}))(t)
		if aws.ToString(d.Description) != "the default" {
			t.Errorf("default Description = %q", aws.ToString(d.Description))
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := e.c.UpdateEventBus(e.ctx, &eventbridge.UpdateEventBusInput{Name: aws.String("gone"), Description: aws.String("x")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus gone does not exist.")
	})
}

func TestDeleteEventBus(t *testing.T) {
	e := newEnv(t)
	must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("del")}))(t)
	must(e.c.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String("del"), EventPattern: aws.String(testPattern)}))(t)
	// AWS: "All rules associated with this event bus need to be deleted."
	_, err := e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("del")})
	wantErrContains(t, err, "ValidationException", "rules")
	must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("del")}))(t)
	must(e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r"), EventBusName: aws.String("del")}))(t)

	must(e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("r"), EventBusName: aws.String("del")}))(t)
	must(e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("del")}))(t)
	_, err = e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("del")})
	wantErr(t, err, "ResourceNotFoundException", "Event bus del does not exist.")
	_, err = e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String("del")})
	wantErr(t, err, "ResourceNotFoundException", "Event bus del does not exist.")
	_, err = e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r"), EventBusName: aws.String("del")})
	wantErr(t, err, "ResourceNotFoundException", "Event bus del does not exist.")
	must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("del")}))(t)
	rules := must(e.c.ListRules(e.ctx, &eventbridge.ListRulesInput{EventBusName: aws.String("del")}))(t)
	if len(rules.Rules) != 0 {
		t.Errorf("recreated bus has rules %+v", rules.Rules)
	}

	t.Run("default", func(t *testing.T) {
		_, err := e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("default")})
		wantErr(t, err, "ValidationException", "Cannot delete event bus default.")
	})
	t.Run("missing", func(t *testing.T) {
		// AWS-recorded: test_describe_delete_not_existing_event_bus.
		_, err := e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("never")})
		wantErr(t, err, "ResourceNotFoundException", "Event bus never does not exist.")
	})
}

func TestListEventBuses(t *testing.T) {
	e := newEnv(t)
	names := []string{"shop-a", "shop-b", "shop-c", "shop-d", "shop-e", "shop-f", "shop-g", "other"}
	for _, n := range names {
		must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String(n), Description: aws.String("d-" + n)}))(t)
	}

	all := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{}))(t)
	var got []string
	for _, b := range all.EventBuses {
		got = append(got, aws.ToString(b.Name))
		if aws.ToString(b.Arn) != e.busARN(aws.ToString(b.Name)) || b.CreationTime == nil || b.LastModifiedTime == nil {
			t.Errorf("item %+v", b)
		}
	}
	want := []string{"default", "other", "shop-a", "shop-b", "shop-c", "shop-d", "shop-e", "shop-f", "shop-g"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ListEventBuses names = %v, want %v (by name, default included)", got, want)
	}
	if all.NextToken != nil {
		t.Errorf("NextToken = %q on a complete list", *all.NextToken)
	}
	if aws.ToString(all.EventBuses[1].Description) != "d-other" {
		t.Errorf("Description missing from list item: %+v", all.EventBuses[1])
	}

	t.Run("prefix", func(t *testing.T) {
		out := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{NamePrefix: aws.String("oth")}))(t)
		if len(out.EventBuses) != 1 || aws.ToString(out.EventBuses[0].Name) != "other" {
			t.Errorf("prefix oth = %+v", out.EventBuses)
		}
		out = must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{NamePrefix: aws.String("other")}))(t)
		if len(out.EventBuses) != 1 {
			t.Errorf("complete-name prefix = %+v", out.EventBuses)
		}
		out = must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{NamePrefix: aws.String("zzz")}))(t)
		if out.EventBuses == nil || len(out.EventBuses) != 0 {
			t.Errorf("no match = %#v, want empty list", out.EventBuses)
		}
	})

	t.Run("pages", func(t *testing.T) {
		var pages [][]string
		var token *string
		for i := 0; ; i++ {
			if i > 5 {
				t.Fatal("too many pages")
			}
			out := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{
				NamePrefix: aws.String("shop-"), Limit: aws.Int32(3), NextToken: token,
			}))(t)
			var page []string
			for _, b := range out.EventBuses {
				page = append(page, aws.ToString(b.Name))
			}
			pages = append(pages, page)
			if out.NextToken == nil {
				break
			}
			if *out.NextToken == "" {
				t.Fatal("NextToken is empty string, want absent")
			}
			token = out.NextToken
		}
		want := "[[shop-a shop-b shop-c] [shop-d shop-e shop-f] [shop-g]]"
		if fmt.Sprint(pages) != want {
			t.Errorf("pages = %v, want %v", pages, want)
		}
	})

	t.Run("exact last page has no token", func(t *testing.T) {
		out := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{NamePrefix: aws.String("shop-"), Limit: aws.Int32(7)}))(t)
		if len(out.EventBuses) != 7 || out.NextToken != nil {
			t.Errorf("Limit 7 of 7: %d items, NextToken %v", len(out.EventBuses), out.NextToken)
		}
	})

	t.Run("limit out of range", func(t *testing.T) {
		for _, tt := range []struct {
			limit int32
			msg   string
		}{
			{0, validation("0", "limit", "Member must have value greater than or equal to 1")},
			{101, validation("101", "limit", "Member must have value less than or equal to 100")},
			{-1, validation("-1", "limit", "Member must have value greater than or equal to 1")},
		} {
			_, err := e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{Limit: aws.Int32(tt.limit)})
			wantErr(t, err, "ValidationException", tt.msg)
		}
	})

	t.Run("bad token", func(t *testing.T) {
		_, err := e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{NextToken: aws.String("not-a-token")})
		wantErr(t, err, "ValidationException", "")
	})
}

func TestEventBusLimit(t *testing.T) {
	e := newEnv(t)
	// The default bus counts: 99 custom buses fill the quota of 100.
	var wg sync.WaitGroup
	errs := make(chan error, 99)
	sem := make(chan struct{}, 8)
	for i := range 99 {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String(fmt.Sprintf("bus-%03d", i))})
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("creating 99 buses: %v", err)
	}
	_, err := e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("one-too-many")})
	wantErr(t, err, "LimitExceededException", limitExceeded)

	out := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{}))(t)
	if len(out.EventBuses) != 100 || out.NextToken != nil {
		t.Errorf("ListEventBuses: %d buses, NextToken %v; want 100 and no token", len(out.EventBuses), out.NextToken)
	}
	// Deleting one makes room again.
	must(e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("bus-000")}))(t)
	must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("one-too-many")}))(t)
}

// wantTags checks a tag list against key, value pairs, in order.
func wantTags(t *testing.T, got []types.Tag, kv ...string) {
	t.Helper()
	if got == nil {
		t.Errorf("Tags is nil, want a list")
	}
	var g []string
	for _, tg := range got {
		g = append(g, aws.ToString(tg.Key), aws.ToString(tg.Value))
	}
	if fmt.Sprintf("%q", g) != fmt.Sprintf("%q", kv) && !(len(g) == 0 && len(kv) == 0) {
		t.Errorf("tags = %q, want %q", g, kv)
	}
}

// TestNamesWithSpecialCharacters: every character the name patterns allow
// works in bus and rule names, alone and at the limits of length; store keys
// use dots as separators, so names made of dots must not collide.
func TestNamesWithSpecialCharacters(t *testing.T) {
	e := newEnv(t)
	buses := []string{".", "..", "a.b", "a..b", "a", "a.", ".a", "A-b_c.D", strings.Repeat(".", 256), strings.Repeat("z", 256)}
	rules := []string{".", "..", "-_", strings.Repeat(".", 64), strings.Repeat("R", 64)}
	for _, b := range buses {
		e.createBus(t, b)
	}
	for _, b := range buses {
		for _, r := range rules {
			arn := e.putRule(t, b, r)
			if arn != e.ruleARN(b, r) {
				t.Errorf("rule %q on bus %q: ARN %s", r, b, arn)
			}
		}
	}
	list := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{}))(t)
	if len(list.EventBuses) != len(buses)+1 {
		t.Errorf("%d buses listed, want %d", len(list.EventBuses), len(buses)+1)
	}
	for _, b := range buses {
		if n, _ := e.countRules(t, b, nil); n != len(rules) {
			t.Errorf("bus %q lists %d rules, want %d", b, n, len(rules))
		}
		d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(e.busARN(b))}))(t)
		if aws.ToString(d.Name) != b {
			t.Errorf("DescribeEventBus by ARN of %q = %q", b, aws.ToString(d.Name))
		}
		must(e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(e.ruleARN(b, ".")), Tags: tags("bus", b)}))(t)
	}
	for _, b := range buses {
		wantTags(t, e.listTags(t, e.ruleARN(b, ".")), "bus", b)
	}
	// Deleting bus "a" and its rules leaves the rules of "a.b", "a." and "a..b" alone.
	for _, r := range rules {
		must(e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String(r), EventBusName: aws.String("a")}))(t)
	}
	must(e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("a")}))(t)
	for _, b := range []string{"a.b", "a.", "a..b", ".a"} {
		if n, _ := e.countRules(t, b, nil); n != len(rules) {
			t.Errorf("after deleting bus a, bus %q lists %d rules", b, n)
		}
	}
}

// TestRecreatedBusStartsClean follows test_recreate_tagged_resource_without_tags:
// a bus deleted and created again has no tags, policy or rules of its
// predecessor; the default bus cannot be deleted and keeps its tags.
func TestRecreatedBusStartsClean(t *testing.T) {
	e := newEnv(t)
	must(e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("again"), Description: aws.String("old"), Tags: tags("tag1", "value1")}))(t)
	e.putPermission(t, "again", "s", "*", nil)
	e.putRule(t, "again", "r")
	must(e.c.DeleteRule(e.ctx, &eventbridge.DeleteRuleInput{Name: aws.String("r"), EventBusName: aws.String("again")}))(t)
	must(e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("again")}))(t)
	e.createBus(t, "again")
	d := must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("again")}))(t)
	if d.Policy != nil || d.Description != nil {
		t.Errorf("recreated bus = %+v", d)
	}
	wantTags(t, e.listTags(t, e.busARN("again")))
	if n, _ := e.countRules(t, "again", nil); n != 0 {
		t.Errorf("recreated bus has %d rules", n)
	}
	_, err := e.c.DescribeRule(e.ctx, &eventbridge.DescribeRuleInput{Name: aws.String("r"), EventBusName: aws.String("again")})
	wantErr(t, err, "ResourceNotFoundException", "Rule r does not exist on EventBus again.")

	must(e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(e.busARN("default")), Tags: tags("tag1", "value1")}))(t)
	_, err = e.c.DeleteEventBus(e.ctx, &eventbridge.DeleteEventBusInput{Name: aws.String("default")})
	wantErr(t, err, "ValidationException", "Cannot delete event bus default.")
	wantTags(t, e.listTags(t, e.busARN("default")), "tag1", "value1")
}
