package apigateway

import (
	"testing"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// TestRequestURL: AWS's own endpoints, by partition, without an override.
func TestRequestURL(t *testing.T) {
	ev := []byte(`{"detail":{"id":"o 1"}}`)
	for _, tc := range []struct{ arn, want string }{
		{"arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/*/toys",
			"https://a1b2c3.execute-api.us-east-1.amazonaws.com/prod/pets/o%201/toys?k=v"},
		{"arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2c3/v1/POST/",
			"https://a1b2c3.execute-api.cn-north-1.amazonaws.com.cn/v1/?k=v"},
		{"arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1b2c3/v1/*",
			"https://a1b2c3.execute-api.us-gov-west-1.amazonaws.com/v1/?k=v"},
	} {
		a, err := arn.Parse(tc.arn)
		if err != nil {
			t.Fatal(err)
		}
		m, err := parseMethodARN(a.Resource)
		if err != nil {
			t.Fatalf("%s: %v", tc.arn, err)
		}
		hp := &catalog.HTTPTargetParameters{PathParameterValues: []string{"$.detail.id"}, QueryStringParameters: map[string]string{"k": "v"}}
		r := target.Request{ARN: a, Event: ev, Target: &catalog.Target{HTTP: hp}}
		u, err := requestURL("", m, hp, r)
		if err != nil || u != tc.want {
			t.Errorf("%s: %s %v, want %s", tc.arn, u, err, tc.want)
		}
	}
}

func TestRequestURLOverride(t *testing.T) {
	a, _ := arn.Parse("arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets")
	m, _ := parseMethodARN(a.Resource)
	u, err := requestURL("http://localhost:4566/", m, nil, target.Request{ARN: a})
	if want := "http://localhost:4566/prod/pets"; err != nil || u != want {
		t.Errorf("%s %v, want %s", u, err, want)
	}
}
