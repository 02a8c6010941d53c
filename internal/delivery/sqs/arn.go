package sqs

import (
	"fmt"
	"strings"

	"github.com/switchyard-dev/switchyard/internal/arn"
)

// Queue is an SQS queue named by its ARN:
// arn:<partition>:sqs:<region>:<account>:<name>.
type Queue struct {
	ARN       string
	Partition string
	Region    string
	Account   string
	Name      string
}

// FIFO reports whether the queue is a FIFO queue (its name ends in .fifo).
func (q Queue) FIFO() bool { return strings.HasSuffix(q.Name, ".fifo") }

// ParseQueueARN parses a queue ARN. The name follows SQS's rules: 1 to 80
// letters, digits, hyphens and underscores, with an optional .fifo suffix.
func ParseQueueARN(s string) (Queue, error) {
	a, err := arn.Parse(s)
	if err != nil {
		return Queue{}, fmt.Errorf("sqs: %q is not an ARN", s)
	}
	return queueOf(a)
}

// queueOf is the queue an ARN names.
func queueOf(a arn.ARN) (Queue, error) {
	s := a.String()
	if a.Service != "sqs" {
		return Queue{}, fmt.Errorf("sqs: %q is not an SQS queue ARN", s)
	}
	if a.Region == "" || !arn.ValidAccount(a.Account) {
		return Queue{}, fmt.Errorf("sqs: queue ARN %q lacks a region or an account", s)
	}
	if !validName(a.Resource) {
		return Queue{}, fmt.Errorf("sqs: %q is not a valid queue name", a.Resource)
	}
	return Queue{ARN: s, Partition: a.Partition, Region: a.Region, Account: a.Account, Name: a.Resource}, nil
}

func validName(n string) bool {
	if len(n) > 80 {
		return false
	}
	n = strings.TrimSuffix(n, ".fifo")
	if n == "" {
		return false
	}
	for _, c := range n {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// guessURL is the queue URL SQS would give for q on AWS's own endpoints.
func guessURL(q Queue) string {
	host := "sqs." + q.Region + ".amazonaws.com"
	if q.Partition == "aws-cn" {
		host += ".cn"
	}
	return "https://" + host + "/" + q.Account + "/" + q.Name
}
