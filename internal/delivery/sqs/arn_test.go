package sqs

import "testing"

func TestParseQueueARN(t *testing.T) {
	for _, tc := range []struct {
		arn, region, account, name string
		fifo                       bool
		url                        string
	}{
		{"arn:aws:sqs:us-east-1:123456789012:orders", "us-east-1", "123456789012", "orders", false, "https://sqs.us-east-1.amazonaws.com/123456789012/orders"},
		{"arn:aws:sqs:eu-west-3:000000000000:orders.fifo", "eu-west-3", "000000000000", "orders.fifo", true, "https://sqs.eu-west-3.amazonaws.com/000000000000/orders.fifo"},
		{"arn:aws-cn:sqs:cn-north-1:123456789012:q_1-2", "cn-north-1", "123456789012", "q_1-2", false, "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q_1-2"},
	} {
		q, err := ParseQueueARN(tc.arn)
		if err != nil {
			t.Errorf("%s: %v", tc.arn, err)
			continue
		}
		if q.Region != tc.region || q.Account != tc.account || q.Name != tc.name || q.FIFO() != tc.fifo || q.ARN != tc.arn {
			t.Errorf("%s: %+v fifo=%v", tc.arn, q, q.FIFO())
		}
		if u := guessURL(q); u != tc.url {
			t.Errorf("%s: URL %s, want %s", tc.arn, u, tc.url)
		}
	}
	long := make([]byte, 81)
	for i := range long {
		long[i] = 'q'
	}
	for _, bad := range []string{
		"",
		"orders",
		"arn:aws:sns:us-east-1:123456789012:orders",          // not SQS
		"arn:aws:sqs:us-east-1:123456789012:",                // no name
		"arn:aws:sqs::123456789012:orders",                   // no region
		"arn:aws:sqs:us-east-1::orders",                      // no account
		"arn:aws:sqs:us-east-1:12345:orders",                 // short account
		"arn:aws:sqs:us-east-1:123456789012:a/b",             // slash
		"arn:aws:sqs:us-east-1:123456789012:a.b",             // dot not in .fifo
		"arn:aws:sqs:us-east-1:123456789012:.fifo",           // empty before .fifo
		"arn:aws:sqs:us-east-1:123456789012:" + string(long), // longer than 80
	} {
		if q, err := ParseQueueARN(bad); err == nil {
			t.Errorf("%q parsed as %+v", bad, q)
		}
	}
	if _, err := ParseQueueARN("arn:aws:sqs:us-east-1:123456789012:" + string(long[:75]) + ".fifo"); err != nil {
		t.Errorf("80-character FIFO name refused: %v", err)
	}
}
