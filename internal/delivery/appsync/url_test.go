package appsync

import "testing"

// TestGraphqlURL: AWS's own endpoints by partition, and an override.
func TestGraphqlURL(t *testing.T) {
	for _, tc := range []struct{ override, partition, region, want string }{
		{"", "aws", "us-east-1", "https://api1.appsync-api.us-east-1.amazonaws.com/graphql"},
		{"", "aws-cn", "cn-northwest-1", "https://api1.appsync-api.cn-northwest-1.amazonaws.com.cn/graphql"},
		{"http://127.0.0.1:9000/", "aws", "eu-west-1", "http://127.0.0.1:9000/graphql"},
	} {
		if got := graphqlURL(tc.override, tc.partition, tc.region, "api1"); got != tc.want {
			t.Errorf("%+v: %s", tc, got)
		}
	}
}
