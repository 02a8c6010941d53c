package codebuild_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscodebuild "github.com/aws/aws-sdk-go-v2/service/codebuild"
	"github.com/aws/aws-sdk-go-v2/service/codebuild/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/codebuild"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"version":"0","id":"e-1","detail-type":"CodeCommit Repository State Change","source":"aws.codecommit","account":"123456789012","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"commitId":"abc123"}}`

// request is a delivery of payload; custom says it is the target's own
// input (the target has an Input).
func request(t *testing.T, projectARN, payload string, custom bool) target.Request {
	t.Helper()
	a, err := arn.Parse(projectARN)
	if err != nil {
		t.Fatal(err)
	}
	tg := &catalog.Target{ARN: projectARN}
	if custom {
		tg.Input = aws.String(payload)
	}
	return target.Request{ARN: a, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: "e-1", RuleName: "on-commit"}
}

// createProject creates a project building from S3, without artifacts.
func createProject(t *testing.T, mc *awscodebuild.Client, name string) {
	t.Helper()
	_, err := mc.CreateProject(context.Background(), &awscodebuild.CreateProjectInput{Name: aws.String(name),
		Source:      &types.ProjectSource{Type: types.SourceTypeS3, Location: aws.String("sources/site.zip")},
		Artifacts:   &types.ProjectArtifacts{Type: types.ArtifactsTypeNoArtifacts},
		Environment: &types.ProjectEnvironment{Type: types.EnvironmentTypeLinuxContainer, Image: aws.String("aws/codebuild/standard:7.0"), ComputeType: types.ComputeTypeBuildGeneral1Small},
		ServiceRole: aws.String("arn:aws:iam::123456789012:role/codebuild")})
	if err != nil {
		t.Fatal(err)
	}
}

// buildsOf reads every build of the project back from moto.
func buildsOf(t *testing.T, mc *awscodebuild.Client, project string) []types.Build {
	t.Helper()
	ctx := context.Background()
	l, err := mc.ListBuildsForProject(ctx, &awscodebuild.ListBuildsForProjectInput{ProjectName: aws.String(project)})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Ids) == 0 {
		return nil
	}
	b, err := mc.BatchGetBuilds(ctx, &awscodebuild.BatchGetBuildsInput{Ids: l.Ids})
	if err != nil {
		t.Fatal(err)
	}
	return b.Builds
}

// TestStartBuildMoto starts builds of a project of moto and reads them
// back. moto keeps a build's source version but none of the other
// overrides: TestStartBuildRequest checks those.
func TestStartBuildMoto(t *testing.T) {
	t.Parallel()
	u := fixTimestamps(t, targettest.StartMoto(t))
	ctx := context.Background()
	mc := awscodebuild.NewFromConfig(targettest.Config(u))
	createProject(t, mc, "site")
	c := targettest.Clients(u)
	project := "arn:aws:codebuild:us-east-1:123456789012:project/site"
	builds := func() []types.Build { return buildsOf(t, mc, "site") }

	in := `{"sourceVersion":"abc123","environmentVariablesOverride":[{"name":"COMMIT","value":"abc123","type":"PLAINTEXT"}],"projectName":"other"}`
	if r := codebuild.New(c).Deliver(ctx, request(t, project, in, true)); r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	got := builds()
	if len(got) != 1 || aws.ToString(got[0].ProjectName) != "site" || aws.ToString(got[0].SourceVersion) != "abc123" {
		t.Fatalf("builds %s", jsonText(got))
	}
	// Without its own input: a build as the project says.
	if r := codebuild.New(c).Deliver(ctx, request(t, project, event, false)); r.Err != nil {
		t.Fatalf("deliver without input: %+v", r)
	}
	got = builds()
	if len(got) != 2 {
		t.Fatalf("%d builds, want 2", len(got))
	}
	// moto gives a build started without a source version its own default
	// ("refs/heads/main"): the second build must not have the first's.
	overridden := 0
	for _, b := range got {
		if aws.ToString(b.SourceVersion) == "abc123" {
			overridden++
		}
	}
	if overridden != 1 {
		t.Errorf("%d builds of source version abc123, want 1", overridden)
	}

	for _, tc := range []struct {
		name, project, payload string
		custom                 bool
		code                   string
	}{
		{"project does not exist", "arn:aws:codebuild:us-east-1:123456789012:project/nope", event, false, target.CodeNoResource},
		{"input not JSON", project, `build it`, true, target.CodeInvalidInput},
		{"input a JSON array", project, `[]`, true, target.CodeInvalidInput},
		{"override of the wrong type", project, `{"timeoutInMinutesOverride":"60"}`, true, target.CodeInvalidInput},
		{"not a project ARN", "arn:aws:codebuild:us-east-1:123456789012:build/site:1", event, false, target.CodeNoResource},
	} {
		r := codebuild.New(c).Deliver(ctx, request(t, tc.project, tc.payload, tc.custom))
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable || r.Code != tc.code {
			t.Errorf("%s: retryable %v code %s (%v); want not retried, %s", tc.name, r.Retryable, r.Code, r.Err, tc.code)
		}
	}
	if n := len(builds()); n != 2 {
		t.Errorf("failed deliveries started builds: %d, want 2", n)
	}
}

// standIn is a CodeBuild endpoint speaking the awsJson1_1 protocol: it
// records each request and answers with status and body.
func standIn(t *testing.T, status int, body string) *targettest.StandIn {
	t.Helper()
	return targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
		a := targettest.JSONAnswer(body)
		a.Status = status
		return a
	})
}

// TestStartBuildRequest checks the overrides in the StartBuild request,
// which moto does not keep.
func TestStartBuildRequest(t *testing.T) {
	t.Parallel()
	s := standIn(t, 200, `{"build":{"id":"site:1","projectName":"site"}}`)
	in := `{"environmentVariablesOverride":[{"name":"COMMIT","value":"abc123","type":"PLAINTEXT"},{"name":"TOKEN","value":"/ci/token","type":"PARAMETER_STORE"}],` +
		`"sourceVersion":"refs/heads/main","buildspecOverride":"version: 0.2\nphases:\n  build:\n    commands: [make]\n","timeoutInMinutesOverride":30,` +
		`"imageOverride":"aws/codebuild/standard:7.0","privilegedModeOverride":true,"artifactsOverride":{"type":"NO_ARTIFACTS"},"unknownMember":1}`
	r := codebuild.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, "arn:aws:codebuild:eu-west-1:123456789012:project/site", in, true))
	if r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	got := s.Requests()
	if len(got) != 1 || got[0].Target() != "CodeBuild_20161006.StartBuild" {
		t.Fatalf("calls %v", got)
	}
	want := map[string]any{
		"projectName": "site",
		"environmentVariablesOverride": []any{map[string]any{"name": "COMMIT", "value": "abc123", "type": "PLAINTEXT"},
			map[string]any{"name": "TOKEN", "value": "/ci/token", "type": "PARAMETER_STORE"}},
		"sourceVersion": "refs/heads/main", "buildspecOverride": "version: 0.2\nphases:\n  build:\n    commands: [make]\n",
		"timeoutInMinutesOverride": float64(30), "imageOverride": "aws/codebuild/standard:7.0", "privilegedModeOverride": true,
		"artifactsOverride": map[string]any{"type": "NO_ARTIFACTS"},
	}
	if g, w := jsonText(got[0].JSON()), jsonText(want); g != w {
		t.Errorf("StartBuild request\n got %s\nwant %s", g, w)
	}
}

// TestStartBuildAnswers classifies CodeBuild's error answers and no answer.
func TestStartBuildAnswers(t *testing.T) {
	t.Parallel()
	const project = "arn:aws:codebuild:us-east-1:123456789012:project/site"
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		retryable bool
		code      string
	}{
		{"project not found", 400, `{"__type":"ResourceNotFoundException","message":"Project cannot be found"}`, false, target.CodeNoResource},
		{"invalid input", 400, `{"__type":"InvalidInputException","message":"Invalid buildspec"}`, false, target.CodeInvalidParameter},
		{"access denied", 400, `{"__type":"AccessDeniedException","message":"not authorized to perform: codebuild:StartBuild"}`, false, target.CodeNoPermissions},
		{"concurrent build limit", 400, `{"__type":"AccountLimitExceededException","message":"Cannot have more than 60 active builds"}`, true, target.CodeThrottling},
		{"throttled", 400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`, true, target.CodeThrottling},
		{"server error", 500, `{"__type":"InternalFailure"}`, true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := standIn(t, tc.status, tc.body)
			r := codebuild.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, project, event, false))
			if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
				t.Errorf("retryable %v code %s (%v); want %v %s", r.Retryable, r.Code, r.Err, tc.retryable, tc.code)
			}
		})
	}
	t.Run("refused by the SDK before sending", func(t *testing.T) {
		t.Parallel()
		s := standIn(t, 200, `{}`)
		r := codebuild.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, project, `{"environmentVariablesOverride":[{"name":"A"}]}`, true))
		if r.Err == nil || r.Retryable || r.Code != target.CodeInvalidParameter || s.Calls() != 0 {
			t.Errorf("retryable %v code %s (%v), %d requests sent", r.Retryable, r.Code, r.Err, s.Calls())
		}
	})
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestConformance: CodeBuild on moto, read back with BatchGetBuilds. The
// target's input is StartBuild's overrides: the document travels as the
// build's source version, the one override moto keeps.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		u := fixTimestamps(t, targettest.StartMoto(t))
		mc := awscodebuild.NewFromConfig(targettest.Config(u))
		createProject(t, mc, "conformance")
		return targettest.Fixture{
			Kind:   codebuild.New(targettest.Clients(u)),
			ARN:    "arn:aws:codebuild:us-east-1:123456789012:project/conformance",
			Target: &catalog.Target{Input: aws.String("<the overrides>")},
			Input:  func(doc string) string { return jsonText(map[string]string{"sourceVersion": doc}) },
			Received: func(t *testing.T) []targettest.Delivery {
				var out []targettest.Delivery
				for _, b := range buildsOf(t, mc, "conformance") {
					out = append(out, targettest.Delivery{Doc: aws.ToString(b.SourceVersion)})
				}
				return out
			},
			At:      targettest.At(codebuild.New),
			Errors:  targettest.Errors{Protocol: targettest.JSON},
			Missing: "arn:aws:codebuild:us-east-1:123456789012:project/nope",
			Malformed: []string{
				"arn:aws:codebuild:us-east-1:123456789012:build/site:1",
				"arn:aws:codebuild:us-east-1:123456789012:project/",
				"arn:aws:codebuild:us-east-1:123456789012:project/a/b",
			},
			Without: map[string]string{
				targettest.TraceRow: "StartBuild has no place for a trace header: a build gets the project's settings and the overrides",
			},
		}
	})
}
