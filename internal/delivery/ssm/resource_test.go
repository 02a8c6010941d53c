package ssm

import (
	"testing"

	"github.com/switchyard-dev/switchyard/internal/arn"
)

func TestParseResource(t *testing.T) {
	for _, tc := range []struct {
		arn  string
		want resource
	}{
		{"arn:aws:ssm:us-east-1:123456789012:document/Mine", resource{kind: runCommand, name: "Mine"}},
		{"arn:aws:ssm:us-east-1::document/AWS-RunShellScript", resource{kind: runCommand, name: "AWS-RunShellScript"}},
		{"arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart", resource{kind: automation, name: "Restart"}},
		{"arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart:$DEFAULT", resource{kind: automation, name: "Restart", version: "$DEFAULT"}},
		{"arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart:3", resource{kind: automation, name: "Restart", version: "3"}},
		{"arn:aws:ssm:us-east-1:123456789012:automation-definition/a:b", resource{kind: automation, name: "a:b"}},
		{"arn:aws:ssm:us-east-1::automation-definition/AWS-RestartEC2Instance", resource{kind: automation, name: "AWS-RestartEC2Instance"}},
		{"arn:aws:ssm:us-east-1:123456789012:opsitem", resource{kind: opsItem}},
	} {
		a, _ := arn.Parse(tc.arn)
		if got, err := parseResource(a); err != nil || got != tc.want {
			t.Errorf("%s: %+v %v", tc.arn, got, err)
		}
	}
	for _, bad := range []string{"arn:aws:ssm:us-east-1:123456789012:document/", "arn:aws:ssm:us-east-1:123456789012:parameter/x",
		"arn:aws:ssm:us-east-1:123456789012:opsitem/oi-1", "arn:aws:ec2:us-east-1:123456789012:document/x",
		"arn:aws:ssm:us-east-1::opsitem", "arn:aws:ssm::123456789012:document/x", "arn:aws:ssm:us-east-1:12345:document/x"} {
		a, _ := arn.Parse(bad)
		if got, err := parseResource(a); err == nil {
			t.Errorf("%s parsed as %+v", bad, got)
		}
	}
}
