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

// awsKinds is every AWS service kind by the service of its ARNs, to be
// bound to the clients once, at Open. SQS is the one kind whose client the
// dispatcher shares (its dead-letter queues).
var awsKinds = map[string]func(c *target.Clients, q *sqs.Client) target.Kind{
	"sqs":                 func(_ *target.Clients, q *sqs.Client) target.Kind { return q },
	"sns":                 func(c *target.Clients, _ *sqs.Client) target.Kind { return sns.New(c) },
	"lambda":              func(c *target.Clients, _ *sqs.Client) target.Kind { return lambda.New(c) },
	"kinesis":             func(c *target.Clients, _ *sqs.Client) target.Kind { return kinesis.New(c) },
	"firehose":            func(c *target.Clients, _ *sqs.Client) target.Kind { return firehose.New(c) },
	"logs":                func(c *target.Clients, _ *sqs.Client) target.Kind { return logs.New(c) },
	"states":              func(c *target.Clients, _ *sqs.Client) target.Kind { return sfn.New(c) },
	"execute-api":         func(c *target.Clients, _ *sqs.Client) target.Kind { return apigateway.New(c) },
	"appsync":             func(c *target.Clients, _ *sqs.Client) target.Kind { return appsync.New(c) },
	"ecs":                 func(c *target.Clients, _ *sqs.Client) target.Kind { return ecs.New(c) },
	"batch":               func(c *target.Clients, _ *sqs.Client) target.Kind { return batch.New(c) },
	"redshift":            func(c *target.Clients, _ *sqs.Client) target.Kind { return redshift.New(c) },
	"redshift-serverless": func(c *target.Clients, _ *sqs.Client) target.Kind { return redshift.New(c) },
	"sagemaker":           func(c *target.Clients, _ *sqs.Client) target.Kind { return sagemaker.New(c) },
	"ssm":                 func(c *target.Clients, _ *sqs.Client) target.Kind { return ssm.New(c) },
	"codebuild":           func(c *target.Clients, _ *sqs.Client) target.Kind { return codebuild.New(c) },
	"codepipeline":        func(c *target.Clients, _ *sqs.Client) target.Kind { return codepipeline.New(c) },
	"inspector":           func(c *target.Clients, _ *sqs.Client) target.Kind { return inspector.New(c) },
}

// bindAWS binds every AWS kind to the clients.
func bindAWS(c *target.Clients, q *sqs.Client) map[string]target.Kind {
	m := make(map[string]target.Kind, len(awsKinds))
	for service, bind := range awsKinds {
		m[service] = bind(c, q)
	}
	return m
}

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
	if awsKinds[a.Service] != nil { // a kind, not bound: no AWS configuration
		return nil, failure(false, target.CodeSDKClientError, "AWS targets are not available: the AWS configuration could not be loaded.")
	}
	return nil, notInvoked(target.CodeNoResource, "Switchyard does not deliver to "+a.Service+" targets.")
}
