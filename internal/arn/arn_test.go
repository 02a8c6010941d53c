package arn

import "testing"

func TestFormat(t *testing.T) {
	cases := []struct{ got, want string }{
		{Bus("us-east-1", "123456789012", "default"), "arn:aws:events:us-east-1:123456789012:event-bus/default"},
		{Bus("cn-north-1", "123456789012", "orders"), "arn:aws-cn:events:cn-north-1:123456789012:event-bus/orders"},
		{Rule("us-east-1", "123456789012", "default", "r1"), "arn:aws:events:us-east-1:123456789012:rule/r1"},
		{Rule("us-east-1", "123456789012", "", "r1"), "arn:aws:events:us-east-1:123456789012:rule/r1"},
		{Rule("eu-west-1", "123456789012", "orders", "r1"), "arn:aws:events:eu-west-1:123456789012:rule/orders/r1"},
		{Rule("us-gov-west-1", "123456789012", "b", "r"), "arn:aws-us-gov:events:us-gov-west-1:123456789012:rule/b/r"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	a, err := Parse("arn:aws:events:us-east-1:123456789012:rule/aws.partner/x.com/1/r9")
	if err != nil {
		t.Fatal(err)
	}
	if a.Region != "us-east-1" || a.Account != "123456789012" || a.Service != "events" {
		t.Fatalf("parsed %+v", a)
	}
	bus, rule, ok := a.RuleName()
	if !ok || bus != "aws.partner/x.com/1" || rule != "r9" {
		t.Fatalf("RuleName = %q %q %v", bus, rule, ok)
	}
	if a.String() != "arn:aws:events:us-east-1:123456789012:rule/aws.partner/x.com/1/r9" {
		t.Fatalf("round trip %s", a)
	}
	if _, _, ok := MustParse(t, "arn:aws:events:us-east-1:1:rule/").RuleName(); ok {
		t.Error("empty rule name accepted")
	}
	if _, _, ok := MustParse(t, "arn:aws:events:us-east-1:1:rule/b/").RuleName(); ok {
		t.Error("trailing slash accepted")
	}
	if b, r, ok := MustParse(t, "arn:aws:events:us-east-1:1:rule/only").RuleName(); !ok || b != "default" || r != "only" {
		t.Errorf("default-bus rule: %q %q %v", b, r, ok)
	}
	if n, ok := MustParse(t, "arn:aws:events:us-east-1:1:event-bus/x").BusName(); !ok || n != "x" {
		t.Errorf("BusName = %q %v", n, ok)
	}
	if _, ok := MustParse(t, "arn:aws:sqs:us-east-1:1:event-bus/x").BusName(); ok {
		t.Error("non-events ARN accepted as bus")
	}
	for _, bad := range []string{"", "arn", "arn:aws", "arn:aws:events:r:a", "arn::events:r:a:x", "arn:aws:events:r:a:", "xarn:aws:events:r:a:b"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func MustParse(t *testing.T, s string) ARN {
	t.Helper()
	a, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return a
}

func TestOf(t *testing.T) {
	for s, want := range map[string]bool{
		"arn:aws:sns:us-east-1:123456789012:t": true,
		"arn:aws:sns::123456789012:t":          false,
		"arn:aws:sns:us-east-1::t":             false,
		"arn:aws:sns:us-east-1:12345678901x:t": false,
		"arn:aws:sqs:us-east-1:123456789012:t": false,
	} {
		a, err := Parse(s)
		if err != nil {
			t.Fatal(s, err)
		}
		if got := a.Of("sns"); got != want {
			t.Errorf("%s Of(sns) = %v", s, got)
		}
	}
}
