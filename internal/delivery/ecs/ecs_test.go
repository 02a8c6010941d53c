package ecs_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/ecs"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"version":"0","id":"e-1","detail-type":"Order","source":"shop","account":"123456789012","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"id":"o-1"}}`

// request is a delivery of payload; custom says it is the target's own
// input (the target has an Input).
func request(t *testing.T, clusterARN string, p *catalog.ECSParameters, payload string, custom bool) target.Request {
	t.Helper()
	a, err := arn.Parse(clusterARN)
	if err != nil {
		t.Fatal(err)
	}
	tg := &catalog.Target{ARN: clusterARN, ECS: p}
	if custom {
		tg.Input = aws.String(payload)
	}
	return target.Request{ARN: a, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: "e-1", RuleName: "nightly"}
}

// defaultSubnet is a subnet of moto's default VPC: moto makes an awsvpc
// task's network interface in it, so it must exist. There is no EC2 SDK
// module in go.mod, so this is a signed Query API call.
func defaultSubnet(t *testing.T, motoURL string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, motoURL+"/", strings.NewReader(url.Values{"Action": {"DescribeSubnets"}, "Version": {"2016-11-15"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	b := targettest.Call(t, req, "ec2")
	m := regexp.MustCompile(`<subnetId>(subnet-[0-9a-f]+)</subnetId>`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no default subnet in moto: %s", b)
	}
	return string(m[1])
}

// TestRunTaskMoto runs tasks on a cluster of moto and reads them back.
func TestRunTaskMoto(t *testing.T) {
	t.Parallel()
	u := fixContainers(t, targettest.StartMoto(t))
	ctx := context.Background()
	mc := awsecs.NewFromConfig(targettest.Config(u))
	if _, err := mc.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("jobs")}); err != nil {
		t.Fatal(err)
	}
	td, err := mc.RegisterTaskDefinition(ctx, &awsecs.RegisterTaskDefinitionInput{Family: aws.String("work"), NetworkMode: types.NetworkModeAwsvpc,
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("busybox"), Memory: aws.Int32(128)}}})
	if err != nil {
		t.Fatal(err)
	}
	tdARN := aws.ToString(td.TaskDefinition.TaskDefinitionArn)
	subnet := defaultSubnet(t, u)
	c := targettest.Clients(u)
	cluster := "arn:aws:ecs:us-east-1:123456789012:cluster/jobs"
	params := func() *catalog.ECSParameters {
		return &catalog.ECSParameters{TaskDefinitionArn: aws.String(tdARN), TaskCount: aws.Int32(2), LaunchType: aws.String("FARGATE"),
			NetworkConfiguration: &catalog.NetworkConfiguration{AwsvpcConfiguration: &catalog.AwsVpcConfiguration{
				Subnets: []string{subnet}, SecurityGroups: []string{"sg-12345678"}, AssignPublicIp: aws.String("ENABLED")}},
			PlatformVersion: aws.String("1.4.0"), Group: aws.String("batch-group"),
			Tags: []catalog.TaskTag{{Key: aws.String("team"), Value: aws.String("orders")}}}
	}
	tasks := func() []types.Task {
		t.Helper()
		l, err := mc.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("jobs")})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.TaskArns) == 0 {
			return nil
		}
		d, err := mc.DescribeTasks(ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("jobs"), Tasks: l.TaskArns, Include: []types.TaskField{types.TaskFieldTags}})
		if err != nil {
			t.Fatal(err)
		}
		return d.Tasks
	}

	// With its own input: the input is the task's overrides.
	overrides := `{"containerOverrides":[{"name":"app","command":["process","o-1"],"environment":[{"name":"ORDER","value":"o-1"}]}],` +
		`"cpu":"512","memory":"1024","taskRoleArn":"arn:aws:iam::123456789012:role/task","ephemeralStorage":{"sizeInGiB":30}}`
	if r := ecs.New(c).Deliver(ctx, request(t, cluster, params(), overrides, true)); r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	got := tasks()
	if len(got) != 2 {
		t.Fatalf("%d tasks started, want the TaskCount 2", len(got))
	}
	for _, tk := range got {
		if aws.ToString(tk.TaskDefinitionArn) != tdARN || aws.ToString(tk.ClusterArn) != cluster || tk.LaunchType != types.LaunchTypeFargate ||
			aws.ToString(tk.PlatformVersion) != "1.4.0" || aws.ToString(tk.Group) != "batch-group" || aws.ToString(tk.StartedBy) != "events-rule/nightly" {
			t.Errorf("task %s: def %s cluster %s launch %s platform %s group %s startedBy %s", aws.ToString(tk.TaskArn), aws.ToString(tk.TaskDefinitionArn),
				aws.ToString(tk.ClusterArn), tk.LaunchType, aws.ToString(tk.PlatformVersion), aws.ToString(tk.Group), aws.ToString(tk.StartedBy))
		}
		if len(tk.Tags) != 1 || aws.ToString(tk.Tags[0].Key) != "team" || aws.ToString(tk.Tags[0].Value) != "orders" {
			t.Errorf("tags %+v", tk.Tags)
		}
		o := tk.Overrides
		if o == nil || len(o.ContainerOverrides) != 1 || aws.ToString(o.Cpu) != "512" || aws.ToString(o.Memory) != "1024" ||
			aws.ToString(o.TaskRoleArn) != "arn:aws:iam::123456789012:role/task" || o.EphemeralStorage == nil || o.EphemeralStorage.SizeInGiB != 30 {
			t.Fatalf("overrides %s", jsonText(o))
		}
		co := o.ContainerOverrides[0]
		if aws.ToString(co.Name) != "app" || strings.Join(co.Command, " ") != "process o-1" || len(co.Environment) != 1 ||
			aws.ToString(co.Environment[0].Name) != "ORDER" || aws.ToString(co.Environment[0].Value) != "o-1" {
			t.Errorf("container override %s", jsonText(co))
		}
		subnetSeen := false
		for _, at := range tk.Attachments {
			for _, d := range at.Details {
				subnetSeen = subnetSeen || aws.ToString(d.Name) == "subnetId" && aws.ToString(d.Value) == subnet
			}
		}
		if !subnetSeen {
			t.Errorf("the task's network interface is not in subnet %s: %s", subnet, jsonText(tk.Attachments))
		}
	}

	// Without its own input nothing of the event goes to ECS, and the
	// count defaults to one.
	p := params()
	p.TaskCount = nil
	if r := ecs.New(c).Deliver(ctx, request(t, cluster, p, event, false)); r.Err != nil {
		t.Fatalf("deliver without input: %+v", r)
	}
	all := tasks()
	if len(all) != 3 {
		t.Fatalf("%d tasks, want 3", len(all))
	}
	plain := 0
	for _, tk := range all {
		if tk.Overrides == nil || len(tk.Overrides.ContainerOverrides) == 0 && tk.Overrides.Cpu == nil {
			plain++
		}
	}
	if plain != 1 {
		t.Errorf("%d tasks without overrides, want 1", plain)
	}

	for _, tc := range []struct {
		name    string
		cluster string
		params  *catalog.ECSParameters
		payload string
		custom  bool
		code    string
	}{
		{"cluster does not exist", "arn:aws:ecs:us-east-1:123456789012:cluster/nope", params(), event, false, target.CodeNoResource},
		{"task definition does not exist", cluster, &catalog.ECSParameters{TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/none:1"),
			LaunchType: aws.String("FARGATE")}, event, false, target.CodeInvalidParameter},
		{"no task definition", cluster, &catalog.ECSParameters{}, event, false, target.CodeInvalidParameter},
		{"no EcsParameters", cluster, nil, event, false, target.CodeInvalidParameter},
		{"input not JSON", cluster, params(), `run it`, true, target.CodeInvalidInput},
		{"input a JSON string", cluster, params(), `"run it"`, true, target.CodeInvalidInput},
		{"overrides of the wrong type", cluster, params(), `{"containerOverrides":{"name":"app"}}`, true, target.CodeInvalidInput},
		{"not a cluster ARN", "arn:aws:ecs:us-east-1:123456789012:service/jobs/web", params(), event, false, target.CodeNoResource},
	} {
		r := ecs.New(c).Deliver(ctx, request(t, tc.cluster, tc.params, tc.payload, tc.custom))
		t.Logf("%s: %v", tc.name, r.Err)
		if r.Err == nil || r.Retryable || r.Code != tc.code {
			t.Errorf("%s: retryable %v code %s (%v); want not retried, %s", tc.name, r.Retryable, r.Code, r.Err, tc.code)
		}
	}
	if n := len(tasks()); n != 3 {
		t.Errorf("failed deliveries started tasks: %d, want 3", n)
	}
}

// standIn is an ECS endpoint speaking the awsJson1_1 protocol: it records
// each request and answers with status and body.
func standIn(t *testing.T, status int, body string) *targettest.StandIn {
	t.Helper()
	return targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
		a := targettest.JSONAnswer(body)
		a.Status = status
		return a
	})
}

// TestRunTaskRequest checks every EcsParameters member in the RunTask
// request, which moto does not keep (capacity providers, placement,
// managed tags, execute command, tag propagation, reference id).
func TestRunTaskRequest(t *testing.T) {
	t.Parallel()
	s := standIn(t, 200, `{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/jobs/1"}],"failures":[]}`)
	p := &catalog.ECSParameters{
		TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/work:3"),
		CapacityProviderStrategy: []catalog.CapacityProviderStrategyItem{
			{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: aws.Int32(3), Base: aws.Int32(1)},
			{CapacityProvider: aws.String("FARGATE"), Weight: aws.Int32(1)}},
		EnableECSManagedTags: aws.Bool(true), EnableExecuteCommand: aws.Bool(true),
		PlacementConstraints: []catalog.PlacementConstraint{{Type: aws.String("memberOf"), Expression: aws.String("attribute:ecs.instance-type =~ t3.*")}},
		PlacementStrategy:    []catalog.PlacementStrategy{{Type: aws.String("spread"), Field: aws.String("attribute:ecs.availability-zone")}},
		PropagateTags:        aws.String("TASK_DEFINITION"), ReferenceId: aws.String("ref-7"),
		Tags: []catalog.TaskTag{{Key: aws.String("a"), Value: aws.String("b")}},
	}
	r := ecs.New(targettest.Clients(s.URL)).Deliver(context.Background(),
		request(t, "arn:aws:ecs:eu-west-1:123456789012:cluster/jobs", p, `{"containerOverrides":[{"name":"app","cpu":256,"resourceRequirements":[{"type":"GPU","value":"1"}]}],"executionRoleArn":"arn:aws:iam::123456789012:role/exec"}`, true))
	if r.Err != nil {
		t.Fatalf("deliver: %+v", r)
	}
	got := s.Requests()
	if len(got) != 1 || got[0].Target() != "AmazonEC2ContainerServiceV20141113.RunTask" {
		t.Fatalf("calls %v", got)
	}
	body := got[0].JSON()
	want := map[string]any{
		"cluster":        "arn:aws:ecs:eu-west-1:123456789012:cluster/jobs",
		"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/work:3",
		"count":          float64(1),
		"capacityProviderStrategy": []any{
			map[string]any{"capacityProvider": "FARGATE_SPOT", "weight": float64(3), "base": float64(1)},
			map[string]any{"capacityProvider": "FARGATE", "weight": float64(1)}},
		"enableECSManagedTags": true, "enableExecuteCommand": true,
		"placementConstraints": []any{map[string]any{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}},
		"placementStrategy":    []any{map[string]any{"type": "spread", "field": "attribute:ecs.availability-zone"}},
		"propagateTags":        "TASK_DEFINITION", "referenceId": "ref-7",
		"tags":      []any{map[string]any{"key": "a", "value": "b"}},
		"startedBy": "events-rule/nightly",
		"overrides": map[string]any{
			"containerOverrides": []any{map[string]any{"name": "app", "cpu": float64(256),
				"resourceRequirements": []any{map[string]any{"type": "GPU", "value": "1"}}}},
			"executionRoleArn": "arn:aws:iam::123456789012:role/exec"},
	}
	// The SDK fills the idempotency token of RunTask itself.
	if tok, _ := body["clientToken"].(string); tok == "" {
		t.Errorf("no clientToken")
	}
	delete(body, "clientToken")
	if g, w := jsonText(body), jsonText(want); g != w {
		t.Errorf("RunTask request\n got %s\nwant %s", g, w)
	}
}

// TestRunTaskAnswers classifies RunTask answers: failures without tasks,
// error documents, and no answer at all.
func TestRunTaskAnswers(t *testing.T) {
	t.Parallel()
	p := &catalog.ECSParameters{TaskDefinitionArn: aws.String("work:1")}
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		ok        bool
		retryable bool
		code      string
	}{
		{"no capacity", 200, `{"tasks":[],"failures":[{"arn":"arn:aws:ecs:us-east-1:123456789012:container-instance/jobs/1","reason":"RESOURCE:MEMORY"}]}`, false, true, target.CodeThrottling},
		{"Fargate capacity", 200, `{"failures":[{"reason":"Capacity is unavailable at this time. Please try again later or in a different availability zone"}]}`, false, true, target.CodeThrottling},
		{"agent disconnected", 200, `{"failures":[{"reason":"AGENT"}]}`, false, true, target.CodeThrottling},
		{"instance missing", 200, `{"failures":[{"reason":"MISSING","arn":"arn:aws:ecs:us-east-1:123456789012:container-instance/jobs/2"}]}`, false, false, target.CodeNoResource},
		{"constraint unmet", 200, `{"failures":[{"reason":"ATTRIBUTE","detail":"ecs.instance-type"},{"reason":"RESOURCE:CPU"}]}`, false, false, target.CodeSDKClientError},
		{"nothing started, nothing said", 200, `{"tasks":[],"failures":[]}`, false, false, target.CodeSDKClientError},
		{"partly started", 200, `{"tasks":[{"taskArn":"t1"}],"failures":[{"reason":"RESOURCE:CPU"}]}`, true, false, ""},
		{"cluster not found", 400, `{"__type":"ClusterNotFoundException","message":"Cluster not found."}`, false, false, target.CodeNoResource},
		{"access denied", 400, `{"__type":"AccessDeniedException","message":"not authorized to perform: ecs:RunTask"}`, false, false, target.CodeNoPermissions},
		{"invalid parameter", 400, `{"__type":"InvalidParameterException","message":"Network Configuration must be provided"}`, false, false, target.CodeInvalidParameter},
		{"throttled", 400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`, false, true, target.CodeThrottling},
		{"server error", 500, `{"__type":"ServerException","message":"internal"}`, false, true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := standIn(t, tc.status, tc.body)
			r := ecs.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, "arn:aws:ecs:us-east-1:123456789012:cluster/jobs", p, event, false))
			if tc.ok {
				if r.Err != nil {
					t.Fatalf("want delivered: %+v", r)
				}
				return
			}
			if r.Err == nil || r.Retryable != tc.retryable || r.Code != tc.code {
				t.Errorf("retryable %v code %s (%v); want %v %s", r.Retryable, r.Code, r.Err, tc.retryable, tc.code)
			}
		})
	}
	t.Run("refused by the SDK before sending", func(t *testing.T) {
		t.Parallel()
		s := standIn(t, 200, `{}`)
		bad := &catalog.ECSParameters{TaskDefinitionArn: aws.String("work:1"),
			CapacityProviderStrategy: []catalog.CapacityProviderStrategyItem{{Weight: aws.Int32(1)}}} // no capacity provider
		r := ecs.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, "arn:aws:ecs:us-east-1:123456789012:cluster/jobs", bad, event, false))
		if r.Err == nil || r.Retryable || r.Code != target.CodeInvalidParameter || s.Calls() != 0 {
			t.Errorf("retryable %v code %s (%v), %d requests sent", r.Retryable, r.Code, r.Err, s.Calls())
		}
	})
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestConformance: ECS on moto, read back with DescribeTasks. The
// target's input is the task's overrides: the document travels in an
// environment variable of the container's override.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		u := fixContainers(t, targettest.StartMoto(t))
		ctx := context.Background()
		mc := awsecs.NewFromConfig(targettest.Config(u))
		if _, err := mc.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("conformance")}); err != nil {
			t.Fatal(err)
		}
		td, err := mc.RegisterTaskDefinition(ctx, &awsecs.RegisterTaskDefinitionInput{Family: aws.String("work"), NetworkMode: types.NetworkModeAwsvpc,
			ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("busybox"), Memory: aws.Int32(128)}}})
		if err != nil {
			t.Fatal(err)
		}
		return targettest.Fixture{
			Kind: ecs.New(targettest.Clients(u)),
			ARN:  "arn:aws:ecs:us-east-1:123456789012:cluster/conformance",
			Target: &catalog.Target{Input: aws.String("<the overrides>"), ECS: &catalog.ECSParameters{
				TaskDefinitionArn: td.TaskDefinition.TaskDefinitionArn, LaunchType: aws.String("FARGATE"),
				NetworkConfiguration: &catalog.NetworkConfiguration{AwsvpcConfiguration: &catalog.AwsVpcConfiguration{
					Subnets: []string{defaultSubnet(t, u)}, SecurityGroups: []string{"sg-12345678"}}}}},
			Input: func(doc string) string {
				return jsonText(map[string]any{"containerOverrides": []any{map[string]any{"name": "app",
					"environment": []any{map[string]string{"name": "DOC", "value": doc}}}}})
			},
			Received: func(t *testing.T) []targettest.Delivery {
				l, err := mc.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("conformance")})
				if err != nil {
					t.Fatal(err)
				}
				if len(l.TaskArns) == 0 {
					return nil
				}
				d, err := mc.DescribeTasks(ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("conformance"), Tasks: l.TaskArns})
				if err != nil {
					t.Fatal(err)
				}
				var out []targettest.Delivery
				for _, tk := range d.Tasks {
					if tk.Overrides == nil {
						continue
					}
					for _, co := range tk.Overrides.ContainerOverrides {
						for _, e := range co.Environment {
							if aws.ToString(e.Name) == "DOC" {
								out = append(out, targettest.Delivery{Doc: aws.ToString(e.Value)})
							}
						}
					}
				}
				return out
			},
			At: targettest.At(ecs.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				NotFound: targettest.Fault{Status: 400, Code: "ClusterNotFoundException", Message: "Cluster not found."}},
			Missing: "arn:aws:ecs:us-east-1:123456789012:cluster/nope",
			Malformed: []string{
				"arn:aws:ecs:us-east-1:123456789012:service/jobs/web",
				"arn:aws:ecs:us-east-1:123456789012:cluster/",
				"arn:aws:ecs:us-east-1:123456789012:cluster/a/b",
			},
			Without: map[string]string{
				targettest.TraceRow: "RunTask has no place for a trace header: the tasks ECS starts get nothing of the request but its parameters and overrides",
			},
		}
	})
}
