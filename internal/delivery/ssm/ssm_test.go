package ssm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/ssm"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"id":"e1","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-1"],"detail":{"instance-id":"i-1","state":"stopped"}}`

func request(t *testing.T, a string, custom bool, payload string) target.Request {
	t.Helper()
	pa, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: pa, Target: &wire.Target{Arn: aws.String(a), RunCommandParameters: &wire.RunCommandParameters{
		RunCommandTargets: []wire.RunCommandTarget{{Key: aws.String("InstanceIds"), Values: []string{"i-1", "i-2"}}}}},
		Payload: []byte(payload), Custom: custom, Event: []byte(event), EventID: "e1"}
}

func TestParseResource(t *testing.T) {
	for _, tc := range []struct {
		arn  string
		want ssm.Resource
	}{
		{"arn:aws:ssm:us-east-1:123456789012:document/Mine", ssm.Resource{Kind: ssm.RunCommand, Name: "Mine"}},
		{"arn:aws:ssm:us-east-1::document/AWS-RunShellScript", ssm.Resource{Kind: ssm.RunCommand, Name: "AWS-RunShellScript"}},
		{"arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart", ssm.Resource{Kind: ssm.Automation, Name: "Restart"}},
		{"arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart:$DEFAULT", ssm.Resource{Kind: ssm.Automation, Name: "Restart", Version: "$DEFAULT"}},
		{"arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart:3", ssm.Resource{Kind: ssm.Automation, Name: "Restart", Version: "3"}},
		{"arn:aws:ssm:us-east-1:123456789012:automation-definition/a:b", ssm.Resource{Kind: ssm.Automation, Name: "a:b"}},
		{"arn:aws:ssm:us-east-1:123456789012:opsitem", ssm.Resource{Kind: ssm.OpsItem}},
	} {
		a, _ := arn.Parse(tc.arn)
		if got, err := ssm.ParseResource(a); err != nil || got != tc.want {
			t.Errorf("%s: %+v %v", tc.arn, got, err)
		}
	}
	for _, bad := range []string{"arn:aws:ssm:us-east-1:123456789012:document/", "arn:aws:ssm:us-east-1:123456789012:parameter/x",
		"arn:aws:ssm:us-east-1:123456789012:opsitem/oi-1", "arn:aws:ec2:us-east-1:123456789012:document/x"} {
		a, _ := arn.Parse(bad)
		if got, err := ssm.ParseResource(a); err == nil {
			t.Errorf("%s parsed as %+v", bad, got)
		}
	}
}

// TestSendCommandMoto sends commands to moto's SSM and reads them back
// with ListCommands.
func TestSendCommandMoto(t *testing.T) {
	t.Parallel()
	url := targettest.StartMoto(t)
	ctx := context.Background()
	c := targettest.Clients(url)
	doc := "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"
	for _, r := range []target.Request{
		request(t, doc, false, event), // no input of its own: no parameters
		request(t, doc, true, `{"commands":["echo one","echo two"],"executionTimeout":["60"]}`),
		request(t, doc, true, `{"commands":"uptime","workingDirectory":"/tmp","n":3}`),
	} {
		if res := ssm.Deliver(ctx, c, r); res.Err != nil {
			t.Fatalf("deliver %s: %+v", r.Payload, res)
		}
	}
	out, err := awsssm.NewFromConfig(targettest.Config(url)).ListCommands(ctx, &awsssm.ListCommandsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Commands) != 3 {
		t.Fatalf("%d commands", len(out.Commands))
	}
	want := []string{`{}`, `{"commands":["echo one","echo two"],"executionTimeout":["60"]}`, `{"commands":["uptime"],"n":["3"],"workingDirectory":["/tmp"]}`}
	for i, cmd := range out.Commands {
		p := cmd.Parameters
		if p == nil {
			p = map[string][]string{}
		}
		got, _ := json.Marshal(p)
		if aws.ToString(cmd.DocumentName) != "AWS-RunShellScript" || string(got) != want[i] ||
			len(cmd.Targets) != 1 || aws.ToString(cmd.Targets[0].Key) != "InstanceIds" || strings.Join(cmd.Targets[0].Values, ",") != "i-1,i-2" {
			t.Errorf("command %d: document %q parameters %s targets %+v", i, aws.ToString(cmd.DocumentName), got, cmd.Targets)
		}
	}
}

// standIn is SSM speaking awsJson1_1 (moto serves neither
// StartAutomationExecution nor CreateOpsItem, nor any error for a missing
// document): it records each request and answers status and body.
type standIn struct {
	mu     sync.Mutex
	ops    []string
	bodies []string
	status int
	answer string
}

func (s *standIn) start(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("body: %v", err)
		}
		b, _ := json.Marshal(body)
		s.mu.Lock()
		s.ops = append(s.ops, r.Header.Get("X-Amz-Target"))
		s.bodies = append(s.bodies, string(b))
		st, ans := s.status, s.answer
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if st == 0 {
			st, ans = 200, `{"AutomationExecutionId":"ae-1","OpsItemId":"oi-1","Command":{"CommandId":"c-1"}}`
		}
		w.WriteHeader(st)
		_, _ = w.Write([]byte(ans))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestAutomation(t *testing.T) {
	t.Parallel()
	s := &standIn{}
	c := targettest.Clients(s.start(t))
	ctx := context.Background()
	for _, r := range []target.Request{
		request(t, "arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart:$DEFAULT", true, `{"InstanceId":["i-1"],"AutomationAssumeRole":"arn:aws:iam::123456789012:role/a"}`),
		request(t, "arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart", false, event),
	} {
		if res := ssm.Deliver(ctx, c, r); res.Err != nil {
			t.Fatalf("%+v", res)
		}
	}
	want := []string{
		`{"DocumentName":"Restart","DocumentVersion":"$DEFAULT","Parameters":{"AutomationAssumeRole":["arn:aws:iam::123456789012:role/a"],"InstanceId":["i-1"]}}`,
		`{"DocumentName":"Restart"}`,
	}
	for i := range want {
		if s.ops[i] != "AmazonSSM.StartAutomationExecution" || s.bodies[i] != want[i] {
			t.Errorf("request %d: %s %s\nwant %s", i, s.ops[i], s.bodies[i], want[i])
		}
	}
}

func TestOpsItem(t *testing.T) {
	t.Parallel()
	s := &standIn{}
	c := targettest.Clients(s.start(t))
	ctx := context.Background()
	oi := "arn:aws:ssm:us-east-1:123456789012:opsitem"
	long := strings.Repeat("é", 3000)
	longEvent := `{"detail-type":"` + strings.Repeat("t", 1100) + `","source":"` + strings.Repeat("s", 200) + `","detail":{"x":"` + long + `"}}`
	rLong := request(t, oi, false, longEvent)
	rLong.Event = []byte(longEvent)
	template := `{"title":"Instance stopped","description":"i-1 stopped","source":"EC2","category":"Availability","severity":"2",
		"operationalData":{"/aws/dedup":{"type":"SearchableString","value":"{\"dedupString\":\"stopped-i-1\"}"},"state":{"value":"stopped","type":"String"},"raw":{"n":1}}}`
	for _, r := range []target.Request{request(t, oi, false, event), rLong, request(t, oi, true, template)} {
		if res := ssm.Deliver(ctx, c, r); res.Err != nil {
			t.Fatalf("%+v", res)
		}
	}
	resources := `{"/aws/resources":{"Type":"SearchableString","Value":"[{\"arn\":\"arn:aws:ec2:us-east-1:123456789012:instance/i-1\"}]"}}`
	var first map[string]any
	_ = json.Unmarshal([]byte(s.bodies[0]), &first)
	od, _ := json.Marshal(first["OperationalData"])
	if s.ops[0] != "AmazonSSM.CreateOpsItem" || first["Title"] != "EC2 Instance State-change Notification" || first["Source"] != "aws.ec2" ||
		first["Description"] != event || string(od) != resources {
		t.Errorf("from the event: %s", s.bodies[0])
	}
	var second struct{ Title, Source, Description string }
	_ = json.Unmarshal([]byte(s.bodies[1]), &second)
	if second.Title != strings.Repeat("t", 1024) || second.Source != strings.Repeat("s", 128) ||
		len([]rune(second.Description)) != 2048 || !strings.HasPrefix(longEvent, second.Description) {
		t.Errorf("truncated: title %d source %d description %d characters", len(second.Title), len(second.Source), len([]rune(second.Description)))
	}
	want := `{"Category":"Availability","Description":"i-1 stopped","OperationalData":{"/aws/dedup":{"Type":"SearchableString","Value":"{\"dedupString\":\"stopped-i-1\"}"},` +
		`"/aws/resources":{"Type":"SearchableString","Value":"[{\"arn\":\"arn:aws:ec2:us-east-1:123456789012:instance/i-1\"}]"},` +
		`"raw":{"Type":"SearchableString","Value":"{\"n\":1}"},"state":{"Type":"String","Value":"stopped"}},"Severity":"2","Source":"EC2","Title":"Instance stopped"}`
	if s.bodies[2] != want {
		t.Errorf("from the template:\n got %s\nwant %s", s.bodies[2], want)
	}
}

// TestClassify: SSM's error answers, from the stand-in.
func TestClassify(t *testing.T) {
	t.Parallel()
	doc := "arn:aws:ssm:us-east-1:123456789012:document/Missing"
	auto := "arn:aws:ssm:us-east-1:123456789012:automation-definition/Missing:7"
	oi := "arn:aws:ssm:us-east-1:123456789012:opsitem"
	for _, tc := range []struct {
		name, arn, errType string
		status             int
		ok, retryable      bool
		code               string
	}{
		{"document does not exist", doc, "InvalidDocument", 400, false, false, target.CodeNoResource},
		{"instance not managed", doc, "InvalidInstanceId", 400, false, false, target.CodeInvalidParameter},
		{"automation does not exist", auto, "AutomationDefinitionNotFoundException", 400, false, false, target.CodeNoResource},
		{"automation version does not exist", auto, "AutomationDefinitionVersionNotFoundException", 400, false, false, target.CodeNoResource},
		{"too many automations", auto, "AutomationExecutionLimitExceededException", 400, false, true, target.CodeThrottling},
		{"bad automation parameters", auto, "InvalidAutomationExecutionParametersException", 400, false, false, target.CodeInvalidParameter},
		{"OpsItem deduplicated", oi, "OpsItemAlreadyExistsException", 400, true, false, ""},
		{"too many OpsItems", oi, "OpsItemLimitExceededException", 400, false, false, target.CodeSDKClientError},
		{"access denied", doc, "AccessDeniedException", 400, false, false, target.CodeNoPermissions},
		{"throttled", oi, "ThrottlingException", 400, false, true, target.CodeThrottling},
		{"internal", auto, "InternalServerError", 500, false, true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &standIn{status: tc.status, answer: `{"__type":"` + tc.errType + `","Message":"from the stand-in","OpsItemId":"oi-1"}`}
			res := ssm.Deliver(context.Background(), targettest.Clients(s.start(t)), request(t, tc.arn, false, event))
			if (res.Err == nil) != tc.ok || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("%+v; want ok %v retryable %v code %q", res, tc.ok, tc.retryable, tc.code)
			}
			if len(s.ops) != 1 {
				t.Errorf("%d requests", len(s.ops))
			}
		})
	}
}

func TestRefusedLocally(t *testing.T) {
	t.Parallel()
	s := &standIn{}
	c := targettest.Clients(s.start(t))
	doc := "arn:aws:ssm:us-east-1:123456789012:document/D"
	noTargets := request(t, doc, false, event)
	noTargets.Target.RunCommandParameters = nil
	for _, tc := range []struct {
		name string
		r    target.Request
		code string
	}{
		{"no run command targets", noTargets, target.CodeInvalidParameter},
		{"input not an object", request(t, doc, true, `["echo"]`), target.CodeInvalidInput},
		{"input not JSON", request(t, "arn:aws:ssm:us-east-1:123456789012:automation-definition/A", true, `echo hi`), target.CodeInvalidInput},
		{"parameter ARN", request(t, "arn:aws:ssm:us-east-1:123456789012:parameter/p", false, event), target.CodeNoResource},
	} {
		res := ssm.Deliver(context.Background(), c, tc.r)
		if res.Err == nil || res.Retryable || res.Code != tc.code {
			t.Errorf("%s: %+v, want %s", tc.name, res, tc.code)
		}
	}
	if len(s.ops) != 0 {
		t.Errorf("refused requests reached SSM: %v", s.ops)
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	url := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	for _, a := range []string{"arn:aws:ssm:us-east-1:123456789012:document/D", "arn:aws:ssm:us-east-1:123456789012:automation-definition/A",
		"arn:aws:ssm:us-east-1:123456789012:opsitem"} {
		res := ssm.Deliver(context.Background(), targettest.Clients(url), request(t, a, false, event))
		if res.Err == nil || !res.Retryable || res.Code != target.CodeConnectionFailure {
			t.Errorf("%s: %+v", a, res)
		}
	}
}
