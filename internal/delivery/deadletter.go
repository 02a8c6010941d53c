package delivery

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Until deliveries to SQS exist, an event meant for a target's dead-letter
// queue is recorded in this stream, with the attributes AWS puts on the SQS
// message, and kept for 14 days (SQS's longest retention).
const (
	DeadLetterStream  = "switchyard-dead-letters"
	deadLetterSubject = "sy.dead-letter"

	// Header naming the queue the event was meant for.
	HdrDeadLetterArn = "Sy-Dead-Letter-Arn"
)

type deadLetters struct {
	js jetstream.JetStream
}

func openDeadLetters(ctx context.Context, js jetstream.JetStream, storage jetstream.StorageType) (*deadLetters, error) {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:     DeadLetterStream,
		Subjects: []string{deadLetterSubject},
		Storage:  storage,
		MaxAge:   14 * 24 * time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("delivery: dead-letter stream: %w", err)
	}
	return &deadLetters{js: js}, nil
}

// record stores the undeliverable event with AWS's DLQ message attributes.
func (dl *deadLetters) record(j *Job, o outcome, exhausted string) error {
	t := j.Target
	msg := nats.NewMsg(deadLetterSubject)
	msg.Header.Set(HdrDeadLetterArn, *t.Spec.DeadLetterConfig.Arn)
	msg.Header.Set("RULE_ARN", t.RuleArn)
	msg.Header.Set("TARGET_ARN", t.Arn)
	msg.Header.Set("ERROR_CODE", o.code)
	msg.Header.Set("ERROR_MESSAGE", o.msg)
	if exhausted != "" {
		msg.Header.Set("EXHAUSTED_RETRY_CONDITION", exhausted)
	}
	msg.Header.Set("RETRY_ATTEMPTS", strconv.Itoa(j.Retries))
	msg.Data = j.Rec.Event
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := dl.js.PublishMsg(ctx, msg)
	return err
}
