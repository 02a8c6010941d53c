package codebuild

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscodebuild "github.com/aws/aws-sdk-go-v2/service/codebuild"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to CodeBuild projects: it starts a build.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the CodeBuild kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotProject = errors.New("codebuild: the ARN does not name a project (arn:<partition>:codebuild:<region>:<account>:project/<name>)")

// CheckARN accepts the ARN of a project.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := projectName(a)
	return err
}

// Deliver starts a build of the project of a CodeBuild target: one
// StartBuild call, classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	project, err := projectName(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	in := &awscodebuild.StartBuildInput{}
	if r.Custom() {
		if err := overrides(r.Payload, in); err != nil {
			return target.Fail(target.CodeInvalidInput, err.Error())
		}
	}
	// The target names the project, whatever the input says.
	in.ProjectName = aws.String(project)
	cl := target.Client(k.c, "codebuild", r.ARN.Region, r.Role(), awscodebuild.NewFromConfig)
	if _, err := cl.StartBuild(ctx, in); err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}

// overrides reads the target's input as a StartBuild request. The SDK's
// StartBuildInput has the API's member names as its Go field names, and
// encoding/json matches object keys to field names without regard to case,
// so the API's JSON (environmentVariablesOverride [{name, value, type}],
// sourceVersion, buildspecOverride, timeoutInMinutesOverride,
// imageOverride, computeTypeOverride, artifactsOverride, ...) decodes into
// it as it is. Members StartBuild does not have are ignored; a value of the
// wrong JSON type is not.
func overrides(payload []byte, in *awscodebuild.StartBuildInput) error {
	b := bytes.TrimSpace(payload)
	if len(b) == 0 || b[0] != '{' {
		return errors.New("codebuild: the target's input must be a JSON object of StartBuild overrides (environmentVariablesOverride, sourceVersion, ...)")
	}
	if err := json.Unmarshal(b, in); err != nil {
		return fmt.Errorf("codebuild: the target's input is not valid StartBuild overrides: %v", err)
	}
	return nil
}

// projectName is the project of a CodeBuild project ARN
// (arn:<partition>:codebuild:<region>:<account>:project/<name>).
func projectName(a arn.ARN) (string, error) {
	name, ok := strings.CutPrefix(a.Resource, "project/")
	if !a.Of("codebuild") || !ok || name == "" || strings.Contains(name, "/") {
		return "", errNotProject
	}
	return name, nil
}
