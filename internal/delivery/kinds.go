package delivery

import (
	"context"

	"github.com/switchyard-dev/switchyard/internal/arn"
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
	"github.com/switchyard-dev/switchyard/internal/delivery/ssm"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliverer makes one attempt to deliver to one kind of AWS target.
type Deliverer func(ctx context.Context, r target.Request) target.Result

// kind is the deliverer of an AWS target ARN, by its service; nil when
// Switchyard has none.
func (d *Dispatcher) kind(a arn.ARN) Deliverer {
	c := d.cfg.AWS
	with := func(f func(context.Context, *target.Clients, target.Request) target.Result) Deliverer {
		return func(ctx context.Context, r target.Request) target.Result { return f(ctx, c, r) }
	}
	switch a.Service {
	case "sqs":
		return d.sqs.Deliver
	case "sns":
		return with(sns.Deliver)
	case "lambda":
		return with(lambda.Deliver)
	case "kinesis":
		return with(kinesis.Deliver)
	case "firehose":
		return with(firehose.Deliver)
	case "logs":
		return with(logs.Deliver)
	case "states":
		return with(sfn.Deliver)
	case "execute-api":
		return with(apigateway.Deliver)
	case "appsync":
		return with(appsync.Deliver)
	case "ecs":
		return with(ecs.Deliver)
	case "batch":
		return with(batch.Deliver)
	case "redshift", "redshift-serverless":
		return with(redshift.Deliver)
	case "sagemaker":
		return with(sagemaker.Deliver)
	case "ssm":
		return with(ssm.Deliver)
	case "codebuild":
		return with(codebuild.Deliver)
	case "codepipeline":
		return with(codepipeline.Deliver)
	case "inspector":
		return with(inspector.Deliver)
	}
	return nil
}
