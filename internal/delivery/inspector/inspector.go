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

// IsTemplateARN reports whether a is an assessment template ARN:
// arn:<partition>:inspector:<region>:<account>:target/<id>/template/<id>.
func IsTemplateARN(a arn.ARN) bool {
	parts := strings.Split(a.Resource, "/")
	return a.Service == "inspector" && len(parts) == 4 && parts[0] == "target" && parts[1] != "" &&
		parts[2] == "template" && parts[3] != ""
}

// Deliver starts an assessment run of the target's assessment template.
// One attempt.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	if !IsTemplateARN(r.ARN) {
		return target.Fail(target.CodeNoResource, fmt.Sprintf("inspector: %s is not an assessment template ARN (arn:aws:inspector:<region>:<account>:target/<id>/template/<id>)", r.ARN))
	}
	cl := target.Client(c, "inspector", r.ARN.Region, r.Role(), awsinspector.NewFromConfig)
	_, err := cl.StartAssessmentRun(ctx, &awsinspector.StartAssessmentRunInput{AssessmentTemplateArn: aws.String(r.ARN.String())})
	return target.Classify(ctx, err)
}
