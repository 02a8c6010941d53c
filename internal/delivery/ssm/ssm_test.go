package ssm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/ssm"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"id":"e1","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-1"],"detail":{"instance-id":"i-1","state":"stopped"}}`

// runCommandTargets are the instances the tests' commands run on.
var runCommandTargets = &catalog.RunCommandParameters{
	RunCommandTargets: []catalog.RunCommandTarget{{Key: aws.String("InstanceIds"), Values: []string{"i-1", "i-2"}}}}

// request is a delivery of payload; custom says it is the target's own
// input (the target has an Input).
func request(t *testing.T, a string, custom bool, payload string) target.Request {
	t.Helper()
	pa, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	tg := &catalog.Target{ARN: a, RunCommand: runCommandTargets}
	if custom {
		tg.Input = aws.String(payload)
	}
	return target.Request{ARN: pa, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: "e1"}
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
		if res := ssm.New(c).Deliver(ctx, r); res.Err != nil {
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
// document): it records each request and answers status and answer
// (status 0: success).
func standIn(t *testing.T, status int, answer string) *targettest.StandIn {
	t.Helper()
	if status == 0 {
		status, answer = 200, `{"AutomationExecutionId":"ae-1","OpsItemId":"oi-1","Command":{"CommandId":"c-1"}}`
	}
	return targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
		a := targettest.JSONAnswer(answer)
		a.Status = status
		return a
	})
}

// calls are the operation and the JSON body (its members sorted) of each
// request the stand-in received.
func calls(t *testing.T, s *targettest.StandIn) (ops, bodies []string) {
	t.Helper()
	for _, r := range s.Requests() {
		body := r.JSON()
		if body == nil {
			t.Errorf("body %s", r.Body)
		}
		b, _ := json.Marshal(body)
		ops, bodies = append(ops, r.Target()), append(bodies, string(b))
	}
	return ops, bodies
}

func TestAutomation(t *testing.T) {
	t.Parallel()
	s := standIn(t, 0, "")
	c := targettest.Clients(s.URL)
	ctx := context.Background()
	for _, r := range []target.Request{
		request(t, "arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart:$DEFAULT", true, `{"InstanceId":["i-1"],"AutomationAssumeRole":"arn:aws:iam::123456789012:role/a"}`),
		request(t, "arn:aws:ssm:us-east-1:123456789012:automation-definition/Restart", false, event),
	} {
		if res := ssm.New(c).Deliver(ctx, r); res.Err != nil {
			t.Fatalf("%+v", res)
		}
	}
	ops, bodies := calls(t, s)
	want := []string{
		`{"DocumentName":"Restart","DocumentVersion":"$DEFAULT","Parameters":{"AutomationAssumeRole":["arn:aws:iam::123456789012:role/a"],"InstanceId":["i-1"]}}`,
		`{"DocumentName":"Restart"}`,
	}
	for i := range want {
		if ops[i] != "AmazonSSM.StartAutomationExecution" || bodies[i] != want[i] {
			t.Errorf("request %d: %s %s\nwant %s", i, ops[i], bodies[i], want[i])
		}
	}
}

func TestOpsItem(t *testing.T) {
	t.Parallel()
	s := standIn(t, 0, "")
	c := targettest.Clients(s.URL)
	ctx := context.Background()
	oi := "arn:aws:ssm:us-east-1:123456789012:opsitem"
	long := strings.Repeat("é", 3000)
	longEvent := `{"detail-type":"` + strings.Repeat("t", 1100) + `","source":"` + strings.Repeat("s", 200) + `","detail":{"x":"` + long + `"}}`
	rLong := request(t, oi, false, longEvent)
	rLong.Event = []byte(longEvent)
	template := `{"title":"Instance stopped","description":"i-1 stopped","source":"EC2","category":"Availability","severity":"2",
		"operationalData":{"/aws/dedup":{"type":"SearchableString","value":"{\"dedupString\":\"stopped-i-1\"}"},"state":{"value":"stopped","type":"String"},"raw":{"n":1}}}`
	for _, r := range []target.Request{request(t, oi, false, event), rLong, request(t, oi, true, template)} {
		if res := ssm.New(c).Deliver(ctx, r); res.Err != nil {
			t.Fatalf("%+v", res)
		}
	}
	ops, bodies := calls(t, s)
	resources := `{"/aws/resources":{"Type":"SearchableString","Value":"[{\"arn\":\"arn:aws:ec2:us-east-1:123456789012:instance/i-1\"}]"}}`
	var first map[string]any
	_ = json.Unmarshal([]byte(bodies[0]), &first)
	od, _ := json.Marshal(first["OperationalData"])
	if ops[0] != "AmazonSSM.CreateOpsItem" || first["Title"] != "EC2 Instance State-change Notification" || first["Source"] != "aws.ec2" ||
		first["Description"] != event || string(od) != resources {
		t.Errorf("from the event: %s", bodies[0])
	}
	var second struct{ Title, Source, Description string }
	_ = json.Unmarshal([]byte(bodies[1]), &second)
	if second.Title != strings.Repeat("t", 1024) || second.Source != strings.Repeat("s", 128) ||
		len([]rune(second.Description)) != 2048 || !strings.HasPrefix(longEvent, second.Description) {
		t.Errorf("truncated: title %d source %d description %d characters", len(second.Title), len(second.Source), len([]rune(second.Description)))
	}
	want := `{"Category":"Availability","Description":"i-1 stopped","OperationalData":{"/aws/dedup":{"Type":"SearchableString","Value":"{\"dedupString\":\"stopped-i-1\"}"},` +
		`"/aws/resources":{"Type":"SearchableString","Value":"[{\"arn\":\"arn:aws:ec2:us-east-1:123456789012:instance/i-1\"}]"},` +
		`"raw":{"Type":"SearchableString","Value":"{\"n\":1}"},"state":{"Type":"String","Value":"stopped"}},"Severity":"2","Source":"EC2","Title":"Instance stopped"}`
	if bodies[2] != want {
		t.Errorf("from the template:\n got %s\nwant %s", bodies[2], want)
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
			s := standIn(t, tc.status, `{"__type":"`+tc.errType+`","Message":"from the stand-in","OpsItemId":"oi-1"}`)
			res := ssm.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, tc.arn, false, event))
			if (res.Err == nil) != tc.ok || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("%+v; want ok %v retryable %v code %q", res, tc.ok, tc.retryable, tc.code)
			}
			if s.Calls() != 1 {
				t.Errorf("%d requests", s.Calls())
			}
		})
	}
}

func TestRefusedLocally(t *testing.T) {
	t.Parallel()
	s := standIn(t, 0, "")
	c := targettest.Clients(s.URL)
	doc := "arn:aws:ssm:us-east-1:123456789012:document/D"
	noTargets := request(t, doc, false, event)
	noTargets.Target.RunCommand = nil
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
		res := ssm.New(c).Deliver(context.Background(), tc.r)
		if res.Err == nil || res.Retryable || res.Code != tc.code {
			t.Errorf("%s: %+v, want %s", tc.name, res, tc.code)
		}
	}
	if ops, _ := calls(t, s); len(ops) != 0 {
		t.Errorf("refused requests reached SSM: %v", ops)
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	url := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	for _, a := range []string{"arn:aws:ssm:us-east-1:123456789012:document/D", "arn:aws:ssm:us-east-1:123456789012:automation-definition/A",
		"arn:aws:ssm:us-east-1:123456789012:opsitem"} {
		res := ssm.New(targettest.Clients(url)).Deliver(context.Background(), request(t, a, false, event))
		if res.Err == nil || !res.Retryable || res.Code != target.CodeConnectionFailure {
			t.Errorf("%s: %+v", a, res)
		}
	}
}

// TestConformance: Run Command on moto, read back with ListCommands. The
// target's input is the command's parameters: the document travels as the
// parameter "doc".
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		url := targettest.StartMoto(t)
		mc := awsssm.NewFromConfig(targettest.Config(url))
		return targettest.Fixture{
			Kind:   ssm.New(targettest.Clients(url)),
			ARN:    "arn:aws:ssm:us-east-1:123456789012:document/AWS-RunShellScript",
			Target: &catalog.Target{Input: aws.String("<the parameters>"), RunCommand: runCommandTargets},
			Input: func(doc string) string {
				b, _ := json.Marshal(map[string][]string{"doc": {doc}})
				return string(b)
			},
			Received: func(t *testing.T) []targettest.Delivery {
				out, err := mc.ListCommands(context.Background(), &awsssm.ListCommandsInput{})
				if err != nil {
					t.Fatal(err)
				}
				var got []targettest.Delivery
				for _, c := range out.Commands {
					if v := c.Parameters["doc"]; len(v) == 1 {
						got = append(got, targettest.Delivery{Doc: v[0]})
					}
				}
				return got
			},
			At: targettest.At(ssm.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				NotFound: targettest.Fault{Status: 400, Code: "InvalidDocument", Message: "Document with name Missing does not exist"}},
			Malformed: []string{
				"arn:aws:ssm:us-east-1:123456789012:document/",
				"arn:aws:ssm:us-east-1:123456789012:parameter/x",
				"arn:aws:ssm:us-east-1:123456789012:opsitem/oi-1",
				"arn:aws:ssm:us-east-1::opsitem",
				"arn:aws:ssm:us-east-1:123456789012:automation-definition/",
			},
			Without: map[string]string{
				targettest.TraceRow: "SendCommand has no place for a trace header: a command is its document, targets and parameters",
				targettest.MalformedRow(targettest.MalformedAccount): "the documents AWS owns have ARNs without an account " +
					"(arn:aws:ssm:us-east-1::document/AWS-RunShellScript): the fixture's, without its account, is one of them",
			},
		}
	})
}
