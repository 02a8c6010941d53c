// Package arn formats and parses the Amazon Resource Names EventBridge uses
// (event buses, rules, connections, ...), exactly as AWS spells them.
package arn

import (
	"errors"
	"strings"
)

// ErrMalformed is returned by Parse for text that is not an ARN.
var ErrMalformed = errors.New("arn: malformed ARN")

// ARN is a parsed Amazon Resource Name:
// arn:<partition>:<service>:<region>:<account>:<resource>.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string // e.g. "event-bus/orders" or "rule/orders/my-rule"
}

// String renders the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Parse splits an ARN into its parts. The resource part may itself contain
// colons and slashes.
func Parse(s string) (ARN, error) {
	if !strings.HasPrefix(s, "arn:") {
		return ARN{}, ErrMalformed
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return ARN{}, ErrMalformed
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, nil
}

// Partition returns the AWS partition a region belongs to: regions of
// China and GovCloud live in their own partitions, everything else in "aws".
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	}
	return "aws"
}

// Events returns an ARN of the events service in the region's partition.
func Events(region, account, resource string) ARN {
	return ARN{Partition: Partition(region), Service: "events", Region: region, Account: account, Resource: resource}
}

// Bus is the ARN of an event bus.
func Bus(region, account, name string) string {
	return Events(region, account, "event-bus/"+name).String()
}

// Rule is the ARN of a rule. Rules on the default bus omit the bus name;
// rules on any other bus carry it: rule/<bus>/<name>.
func Rule(region, account, bus, name string) string {
	if bus == "" || bus == "default" {
		return Events(region, account, "rule/"+name).String()
	}
	return Events(region, account, "rule/"+bus+"/"+name).String()
}

// IsEvents reports whether a is an events ARN.
func (a ARN) IsEvents() bool { return a.Service == "events" }

// BusName extracts the bus name from an event-bus ARN resource.
func (a ARN) BusName() (string, bool) {
	name, ok := strings.CutPrefix(a.Resource, "event-bus/")
	if !ok || name == "" || !a.IsEvents() {
		return "", false
	}
	return name, true
}

// RuleName extracts the bus and rule names from a rule ARN. A rule ARN
// without a bus segment names a rule on the default bus. Partner bus names
// contain slashes (aws.partner/x/y), so the rule name is the last segment.
func (a ARN) RuleName() (bus, rule string, ok bool) {
	rest, found := strings.CutPrefix(a.Resource, "rule/")
	if !found || rest == "" || !a.IsEvents() {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	if i < 0 {
		return "default", rest, true
	}
	if i == 0 || i == len(rest)-1 {
		return "", "", false
	}
	return rest[:i], rest[i+1:], true
}

// Of reports whether a is an ARN of service with a region and an account:
// the first check of every target kind's ARN.
func (a ARN) Of(service string) bool {
	return a.Service == service && a.Region != "" && ValidAccount(a.Account)
}

// ValidAccount reports whether s is an AWS account id: 12 digits.
func ValidAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
