package logs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslogs "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to CloudWatch Logs log groups.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the CloudWatch Logs kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

// CheckARN accepts the ARN of a log group, with or without the ":*" that
// names its streams.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := groupOf(a)
	return err
}

// groupOf is the log group a logs ARN names.
func groupOf(a arn.ARN) (string, error) {
	if !a.Of("logs") {
		return "", errors.New("logs: the ARN does not name a log group (arn:<partition>:logs:<region>:<account>:log-group:<name>[:*])")
	}
	return groupName(a.Resource)
}

// Deliver writes the event as one log event to its own log stream (named
// by the event id) of the log group of r's ARN: CreateLogStream, then
// PutLogEvents, one attempt.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	group, err := groupOf(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	ev, err := logEvent(r, time.Now())
	if err != nil {
		return target.Result{Code: target.CodeInvalidInput, Err: err}
	}
	// The event id is always set (PutEvents assigns one to every event), so
	// it names the stream without a fallback.
	stream := r.EventID
	cl := target.Client(k.c, "logs", r.ARN.Region, r.Role(), awslogs.NewFromConfig)
	// Every event has its own stream, so it is almost never there yet:
	// creating it first saves the PutLogEvents that would fail not-found.
	// In a missing group CreateLogStream answers ResourceNotFoundException,
	// which Classify makes NO_RESOURCE, not retried.
	_, err = cl.CreateLogStream(ctx, &awslogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)})
	var exists *types.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) { // exists: an earlier attempt of this event made it
		return target.Classify(ctx, err)
	}
	out, err := cl.PutLogEvents(ctx, &awslogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream),
		LogEvents: []types.InputLogEvent{ev}})
	if err != nil {
		return target.Classify(ctx, err)
	}
	if rej := out.RejectedLogEventsInfo; rej != nil && (rej.TooNewLogEventStartIndex != nil || rej.TooOldLogEventEndIndex != nil || rej.ExpiredLogEventEndIndex != nil) {
		// CloudWatch Logs answers 200 but keeps none of an event whose
		// timestamp is outside what it accepts (older than the retention or
		// 14 days, more than 2 hours ahead). Sending it again changes
		// nothing.
		return target.Fail(target.CodeInvalidParameter, fmt.Sprintf(
			"CloudWatch Logs rejected the log event: its timestamp %s is too old or too far in the future.",
			time.UnixMilli(aws.ToInt64(ev.Timestamp)).UTC().Format(time.RFC3339Nano)))
	}
	return target.OK
}

// groupName is the log group name of a logs ARN resource
// "log-group:<name>" or "log-group:<name>:*".
func groupName(resource string) (string, error) {
	name, ok := strings.CutPrefix(resource, "log-group:")
	if !ok {
		return "", fmt.Errorf("logs: %q is not a log group", resource)
	}
	name = strings.TrimSuffix(name, ":*")
	// Log group names: 1 to 512 of [.-_/#A-Za-z0-9].
	if name == "" || len(name) > 512 {
		return "", fmt.Errorf("logs: %q is not a valid log group name", name)
	}
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.ContainsRune("._-/#", c):
		default:
			return "", fmt.Errorf("logs: %q is not a valid log group name", name)
		}
	}
	return name, nil
}

// logEvent is the log event written for r. Its message is the payload and
// its timestamp the event's time (now when the event has none), except
// when the target's input configuration made an object of exactly the form
// {"timestamp": ..., "message": ...}, the form EventBridge documents for
// log group targets: then those two members.
func logEvent(r target.Request, now time.Time) (types.InputLogEvent, error) {
	ts, ok := eventTime(r.Event)
	if !ok {
		ts = now.UnixMilli()
	}
	msg := string(r.Payload)
	if r.Custom() {
		if m, t, ok := logShape(r.Payload); ok {
			msg = m
			if t >= 0 {
				ts = t
			}
		}
	}
	if msg == "" {
		return types.InputLogEvent{}, errors.New("logs: the log event message is empty")
	}
	return types.InputLogEvent{Message: aws.String(msg), Timestamp: aws.Int64(ts)}, nil
}

// eventTime is the event's "time" in milliseconds since the epoch. A
// path lookup reads only that member instead of decoding the whole event.
func eventTime(event []byte) (int64, bool) {
	s := target.Dynamic(event, "$.time")
	if s == "" {
		return 0, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, false
	}
	return t.UnixMilli(), true
}

// logShape reads a payload of the form {"timestamp": t, "message": m}
// (timestamp optional). The message is used as it is when it is a string,
// as its JSON text otherwise. The timestamp may be milliseconds since the
// epoch (a number or a string of digits) or an RFC 3339 time, as the
// event's own "time" is; -1 when absent or unreadable.
func logShape(payload []byte) (msg string, ts int64, ok bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(payload, &obj) != nil {
		return "", 0, false
	}
	rawMsg, hasMsg := obj["message"]
	rawTS, hasTS := obj["timestamp"]
	if !hasMsg || len(obj) != 1+btoi(hasTS) {
		return "", 0, false
	}
	if err := json.Unmarshal(rawMsg, &msg); err != nil {
		msg = string(rawMsg)
	}
	ts = -1
	if hasTS {
		ts = parseTimestamp(rawTS)
	}
	return msg, ts, true
}

func parseTimestamp(raw json.RawMessage) int64 {
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if v, err := n.Int64(); err == nil && v >= 0 {
			return v
		}
		if f, err := n.Float64(); err == nil && f >= 0 {
			return int64(f)
		}
		return -1
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return -1
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil && v >= 0 {
		return v
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UnixMilli()
	}
	return -1
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
