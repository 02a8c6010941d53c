package api

import "testing"

func TestValidRegion(t *testing.T) {
	for _, r := range []string{"us-east-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "us-isob-east-1", "il-central-1", "eu-south-2"} {
		if !ValidRegion(r) {
			t.Errorf("ValidRegion(%q) = false", r)
		}
	}
	for _, r := range []string{"", "local", "us-east", "us-east-1.bus.x", "a*b", "US-EAST-1", "us--1", "u-east-1", "us-east-1a", "-us-east-1", "us-east-"} {
		if ValidRegion(r) {
			t.Errorf("ValidRegion(%q) = true", r)
		}
	}
}
