package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsbatch "github.com/aws/aws-sdk-go-v2/service/batch"
	"github.com/aws/aws-sdk-go-v2/service/batch/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to Batch job queues: it submits the target's job.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the Batch kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotQueue = errors.New("batch: the ARN does not name a job queue (arn:<partition>:batch:<region>:<account>:job-queue/<name>)")

// CheckARN accepts the ARN of a job queue.
func (k *Kind) CheckARN(a arn.ARN) error {
	name, ok := strings.CutPrefix(a.Resource, "job-queue/")
	if !a.Of("batch") || !ok || name == "" || strings.Contains(name, "/") {
		return errNotQueue
	}
	return nil
}

// Deliver submits the job of a Batch target to its job queue: one
// SubmitJob call, classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	if err := k.CheckARN(r.ARN); err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	in, res := submitJobInput(r)
	if res.Err != nil {
		return res
	}
	cl := target.Client(k.c, "batch", r.ARN.Region, r.Role(), awsbatch.NewFromConfig)
	if _, err := cl.SubmitJob(ctx, in); err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}

// submitJobInput is the SubmitJob request of r, or a Result that is not
// retried when the target's parameters or input make none.
func submitJobInput(r target.Request) (*awsbatch.SubmitJobInput, target.Result) {
	var p catalog.BatchParameters
	if r.Target != nil && r.Target.Batch != nil {
		p = *r.Target.Batch
	}
	if aws.ToString(p.JobDefinition) == "" {
		return nil, target.Fail(target.CodeInvalidParameter, "The Batch target has no BatchParameters.JobDefinition.")
	}
	// PutTargets requires JobName to be present but not to be non-empty,
	// so "" can be stored; Batch refuses an empty job name on every try.
	if aws.ToString(p.JobName) == "" {
		return nil, target.Fail(target.CodeInvalidParameter, "The Batch target has no BatchParameters.JobName.")
	}
	in := &awsbatch.SubmitJobInput{
		JobQueue:      aws.String(r.ARN.String()),
		JobDefinition: p.JobDefinition,
		JobName:       p.JobName,
	}
	if p.ArrayProperties != nil && p.ArrayProperties.Size != nil {
		in.ArrayProperties = &types.ArrayProperties{Size: p.ArrayProperties.Size}
	}
	if p.RetryStrategy != nil && p.RetryStrategy.Attempts != nil {
		in.RetryStrategy = &types.RetryStrategy{Attempts: p.RetryStrategy.Attempts}
	}
	if r.Custom() {
		params, co, err := jobInput(r.Payload)
		if err != nil {
			return nil, target.Fail(target.CodeInvalidInput, err.Error())
		}
		in.Parameters, in.ContainerOverrides = params, co
	}
	return in, target.OK
}

// jobInput reads a target's own input: a JSON object whose "Parameters"
// (the job's parameter substitutions) and "ContainerOverrides" (Command,
// Environment, ResourceRequirements, InstanceType, ... as in the Batch
// API) are passed to SubmitJob; other members are ignored. Keys are
// matched without regard to case, so the API's own spelling
// ("containerOverrides", "command") works too.
func jobInput(payload []byte) (map[string]string, *types.ContainerOverrides, error) {
	b := bytes.TrimSpace(payload)
	if len(b) == 0 || b[0] != '{' {
		return nil, nil, errors.New(`batch: the target's input must be a JSON object such as {"Parameters":{...},"ContainerOverrides":{...}}`)
	}
	var in struct {
		Parameters         map[string]json.RawMessage `json:"Parameters"`
		ContainerOverrides *types.ContainerOverrides  `json:"ContainerOverrides"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, nil, fmt.Errorf("batch: the target's input is not valid job input: %v", err)
	}
	var params map[string]string
	for k, raw := range in.Parameters {
		v, ok := parameterValue(raw)
		if !ok {
			return nil, nil, fmt.Errorf("batch: parameter %q of the target's input is not a string, number or boolean", k)
		}
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	return params, in.ContainerOverrides, nil
}

// parameterValue is a parameter substitution's text: a string as it is, a
// number or boolean as its JSON text (an input transformer puts numbers
// from the event in unquoted).
func parameterValue(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	t := strings.TrimSpace(string(raw))
	if t == "" || t == "null" || t[0] == '{' || t[0] == '[' {
		return "", false
	}
	return t, true
}
