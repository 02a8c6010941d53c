package delivery

import (
	"strings"

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
	"github.com/switchyard-dev/switchyard/internal/delivery/sqs"
	"github.com/switchyard-dev/switchyard/internal/delivery/ssm"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// kinds picks the target.Kind of a target ARN: EventBridge's own buses and
// API destinations by resource type, every AWS service by the ARN's
// service. To add a kind: a package under internal/delivery whose type
// implements target.Kind and passes targettest.Run, and one line here.
type kinds struct {
	bus, apidest target.Kind
	aws          map[string]target.Kind // by ARN service; nil without AWS clients
}

// awsKinds binds every AWS service kind to the clients, once, at Open.
func awsKinds(c *target.Clients, q *sqs.Client) map[string]target.Kind {
	rs := redshift.New(c)
	return map[string]target.Kind{
		"sqs":                 q,
		"sns":                 sns.New(c),
		"lambda":              lambda.New(c),
		"kinesis":             kinesis.New(c),
		"firehose":            firehose.New(c),
		"logs":                logs.New(c),
		"states":              sfn.New(c),
		"execute-api":         apigateway.New(c),
		"appsync":             appsync.New(c),
		"ecs":                 ecs.New(c),
		"batch":               batch.New(c),
		"redshift":            rs,
		"redshift-serverless": rs,
		"sagemaker":           sagemaker.New(c),
		"ssm":                 ssm.New(c),
		"codebuild":           codebuild.New(c),
		"codepipeline":        codepipeline.New(c),
		"inspector":           inspector.New(c),
	}
}

// awsServices are the services a kind exists for, also when the AWS
// configuration could not be loaded (the kinds are then not bound).
var awsServices = map[string]bool{"sqs": true, "sns": true, "lambda": true, "kinesis": true, "firehose": true,
	"logs": true, "states": true, "execute-api": true, "appsync": true, "ecs": true, "batch": true, "redshift": true,
	"redshift-serverless": true, "sagemaker": true, "ssm": true, "codebuild": true, "codepipeline": true, "inspector": true}

// of is the kind of a's targets, and why there is none.
func (k *kinds) of(a arn.ARN) (target.Kind, outcome) {
	if a.IsEvents() {
		switch {
		case strings.HasPrefix(a.Resource, "event-bus/"):
			return k.bus, outcome{}
		case strings.HasPrefix(a.Resource, "api-destination/"):
			return k.apidest, outcome{}
		}
		return nil, notInvoked(target.CodeNoResource, "Switchyard does not deliver to events:"+a.Resource+" targets.")
	}
	if kind := k.aws[a.Service]; kind != nil {
		return kind, outcome{}
	}
	if awsServices[a.Service] {
		return nil, failure(false, target.CodeSDKClientError, "AWS targets are not available: the AWS configuration could not be loaded.")
	}
	return nil, notInvoked(target.CodeNoResource, "Switchyard does not deliver to "+a.Service+" targets.")
}
