package sqs

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Client sends messages to SQS queues in any region, as any role. It is
// safe for concurrent use.
type Client struct {
	c *target.Clients

	mu   sync.Mutex
	urls map[string]string // queue URL by queue ARN
}

// New returns a Client on the shared target clients.
func New(c *target.Clients) *Client {
	return &Client{c: c, urls: map[string]string{}}
}

// Message is what is sent to a queue.
type Message struct {
	Body        []byte
	GroupID     string            // FIFO queues only
	TraceHeader string            // AWSTraceHeader system attribute
	Attributes  map[string]string // String message attributes; empty values are left out
	Role        string            // the role to send as, or ""
}

var _ target.Kind = (*Client)(nil)

// CheckARN accepts the ARN of a queue (see ParseQueueARN).
func (c *Client) CheckARN(a arn.ARN) error {
	_, err := queueOf(a)
	return err
}

// Deliver sends an event to the queue of an SQS target: a FIFO queue gets
// the target's message group.
func (c *Client) Deliver(ctx context.Context, r target.Request) target.Result {
	q, err := queueOf(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	m := Message{Body: r.Payload, TraceHeader: r.TraceHeader, Role: r.Role()}
	if r.Target != nil && r.Target.SQS != nil && r.Target.SQS.MessageGroupId != nil {
		m.GroupID = *r.Target.SQS.MessageGroupId
	}
	_, res := c.Send(ctx, q, m)
	return res
}

// Send sends one message to q: one attempt, classified. It returns the
// message's id when SQS took it.
func (c *Client) Send(ctx context.Context, q Queue, m Message) (string, target.Result) {
	if q.FIFO() && m.GroupID == "" {
		return "", target.Fail(target.CodeInvalidParameter, "sqs: a FIFO queue needs a MessageGroupId (the target's SqsParameters.MessageGroupId)")
	}
	if len(m.Body) == 0 {
		// SQS requires a body of at least one character.
		return "", target.Fail(target.CodeInvalidParameter, "sqs: the message body is empty")
	}
	cl := target.Client(c.c, "sqs", q.Region, m.Role, awssqs.NewFromConfig)
	url, err := c.queueURL(ctx, cl, q)
	if err != nil {
		return "", target.Classify(ctx, err)
	}
	in := &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(string(m.Body))}
	if q.FIFO() {
		in.MessageGroupId = aws.String(m.GroupID)
	}
	if m.TraceHeader != "" {
		in.MessageSystemAttributes = map[string]types.MessageSystemAttributeValue{
			"AWSTraceHeader": {DataType: aws.String("String"), StringValue: aws.String(m.TraceHeader)},
		}
	}
	for k, v := range m.Attributes {
		if v == "" {
			continue // SQS refuses empty attribute values
		}
		if in.MessageAttributes == nil {
			in.MessageAttributes = map[string]types.MessageAttributeValue{}
		}
		in.MessageAttributes[k] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	out, err := cl.SendMessage(ctx, in)
	if err != nil {
		r := target.Classify(ctx, err)
		if r.Code == target.CodeNoResource {
			c.forget(q.ARN) // deleted and perhaps created again under another URL
		}
		return "", r
	}
	return aws.ToString(out.MessageId), target.OK
}

// queueURL resolves q's URL, from the cache or with GetQueueUrl.
func (c *Client) queueURL(ctx context.Context, cl *awssqs.Client, q Queue) (string, error) {
	c.mu.Lock()
	u, ok := c.urls[q.ARN]
	c.mu.Unlock()
	if ok {
		return u, nil
	}
	out, err := cl.GetQueueUrl(ctx, &awssqs.GetQueueUrlInput{QueueName: aws.String(q.Name), QueueOwnerAWSAccountId: aws.String(q.Account)})
	switch {
	case err == nil:
		u = aws.ToString(out.QueueUrl)
	case cl.Options().BaseEndpoint == nil && target.Classify(ctx, err).Code == target.CodeNoPermissions && !target.IsCredentialsError(err):
		// Allowed to send but not to look the queue up: AWS's own URL. Not
		// with an endpoint of any origin (flag, AWS_ENDPOINT_URL*,
		// profile): an emulator's URLs are its own.
		u = guessURL(q)
	default:
		return "", err
	}
	c.mu.Lock()
	c.urls[q.ARN] = u
	c.mu.Unlock()
	return u, nil
}

func (c *Client) forget(queueARN string) {
	c.mu.Lock()
	delete(c.urls, queueARN)
	c.mu.Unlock()
}
