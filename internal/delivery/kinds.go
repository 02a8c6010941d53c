package delivery

import (
	"context"

	"github.com/switchyard-dev/switchyard/internal/delivery/apigateway"
	"github.com/switchyard-dev/switchyard/internal/delivery/appsync"
	"github.com/switchyard-dev/switchyard/internal/delivery/batch"
	"github.com/switchyard-dev/switchyard/internal/delivery/codebuild"
	"github.com/switchyard-dev/switchyard/internal/delivery/codepipeline"
	"github.com/switchyard-dev/switchyard/internal/delivery/ecs"
	"github.com/switchyard-dev/switchyard/internal/delivery/firehose"
	"github.com/switchyard-dev/switchyard/internal/delivery/inspector"
	"github.com/switchyard-dev/switchyard/internal/delivery/kinesis"
	"github.com/switchyard-dev/switchyard/internal/delivery/lambda"
	"github.com/switchyard-dev/switchyard/internal/delivery/logs"
	"github.com/switchyard-dev/switchyard/internal/delivery/redshift"
	"github.com/switchyard-dev/switchyard/internal/delivery/sagemaker"
	"github.com/switchyard-dev/switchyard/internal/delivery/sfn"
	"github.com/switchyard-dev/switchyard/internal/delivery/sns"
	"github.com/switchyard-dev/switchyard/internal/delivery/sqs"
	"github.com/switchyard-dev/switchyard/internal/delivery/ssm"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliverer makes one attempt to deliver to one kind of AWS target.
type Deliverer func(ctx context.Context, r target.Request) target.Result

// kinds maps the service of a target ARN to the package that delivers to
// it. SQS is not here: its client keeps state (queue URLs), and the
// dead-letter forwarder shares it.
var kinds = map[string]func(context.Context, *target.Clients, target.Request) target.Result{
	"sns":                 sns.Deliver,
	"lambda":              lambda.Deliver,
	"kinesis":             kinesis.Deliver,
	"firehose":            firehose.Deliver,
	"logs":                logs.Deliver,
	"states":              sfn.Deliver,
	"execute-api":         apigateway.Deliver,
	"appsync":             appsync.Deliver,
	"ecs":                 ecs.Deliver,
	"batch":               batch.Deliver,
	"redshift":            redshift.Deliver,
	"redshift-serverless": redshift.Deliver,
	"sagemaker":           sagemaker.Deliver,
	"ssm":                 ssm.Deliver,
	"codebuild":           codebuild.Deliver,
	"codepipeline":        codepipeline.Deliver,
	"inspector":           inspector.Deliver,
}

// delivers says whether Switchyard has a deliverer for an ARN's service.
func delivers(service string) bool {
	_, ok := kinds[service]
	return ok || service == "sqs"
}

// deliverers binds every kind to the clients, once, at Open.
func deliverers(c *target.Clients, q *sqs.Client) map[string]Deliverer {
	m := map[string]Deliverer{"sqs": q.Deliver}
	for service, f := range kinds {
		m[service] = func(ctx context.Context, r target.Request) target.Result { return f(ctx, c, r) }
	}
	return m
}
