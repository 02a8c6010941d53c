package inspector

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsinspector "github.com/aws/aws-sdk-go-v2/service/inspector"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to Inspector Classic assessment templates: it starts an
// assessment run.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the Inspector kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

// CheckARN accepts the ARN of an assessment template:
// arn:<partition>:inspector:<region>:<account>:target/<id>/template/<id>.
func (k *Kind) CheckARN(a arn.ARN) error {
	parts := strings.Split(a.Resource, "/")
	if !a.Of("inspector") ||
		len(parts) != 4 || parts[0] != "target" || parts[1] == "" || parts[2] != "template" || parts[3] == "" {
		return fmt.Errorf("inspector: %s is not an assessment template ARN (arn:aws:inspector:<region>:<account>:target/<id>/template/<id>)", a)
	}
	return nil
}

// Deliver starts an assessment run of the target's assessment template.
// One attempt.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	if err := k.CheckARN(r.ARN); err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	cl := target.Client(k.c, "inspector", r.ARN.Region, r.Role(), awsinspector.NewFromConfig)
	_, err := cl.StartAssessmentRun(ctx, &awsinspector.StartAssessmentRunInput{AssessmentTemplateArn: aws.String(r.ARN.String())})
	return target.Classify(ctx, err)
}
