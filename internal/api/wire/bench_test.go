package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

func benchInput(b *testing.B, op, body string) interface{ Validate() error } {
	in := NewInput(op)
	if err := json.Unmarshal([]byte(body), in); err != nil {
		b.Fatal(err)
	}
	return in.(interface{ Validate() error })
}

func BenchmarkValidate(b *testing.B) {
	entry := `{"Source":"s","DetailType":"d","Detail":"{}","EventBusName":"default","Resources":["arn:aws:s3:::b"]}`
	target := `{"Id":"t","Arn":"arn:aws:sqs:us-east-1:000000000000:q","InputTransformer":{"InputPathsMap":{"a":"$.a"},"InputTemplate":"<a>"},"RetryPolicy":{"MaximumRetryAttempts":3}}`
	cases := []struct{ name, op, body string }{
		{"PutEvents10", "PutEvents", `{"Entries":[` + strings.TrimSuffix(strings.Repeat(entry+",", 10), ",") + `]}`},
		{"PutTargets10", "PutTargets", `{"Rule":"r","Targets":[` + strings.TrimSuffix(strings.Repeat(target+",", 10), ",") + `]}`},
		{"PutRuleInvalid", "PutRule", `{"Name":"bad name","State":"ON"}`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			in := benchInput(b, c.op, c.body)
			b.ReportAllocs()
			for b.Loop() {
				_ = in.Validate()
			}
		})
	}
}
