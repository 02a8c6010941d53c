package ssm

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// resourceKind is what an SSM target ARN names.
type resourceKind int

const (
	runCommand resourceKind = iota + 1 // document/<name>
	automation                         // automation-definition/<name>[:<version>]
	opsItem                            // opsitem
)

// resource is the parsed resource of an SSM target ARN.
type resource struct {
	kind    resourceKind
	name    string // the document's name
	version string // the automation document's version, or ""
}

var errNotSSM = errors.New("ssm: the ARN names no Run Command document, Automation definition or OpsItem " +
	"(arn:<partition>:ssm:<region>:<account>:document/<name>, ...:automation-definition/<name>[:<version>], ...:opsitem)")

// parseResource parses an SSM target ARN. The documents AWS owns
// (AWS-RunShellScript, AWS-RestartEC2Instance) have ARNs without an
// account; an OpsItem is created in an account, which its ARN names.
func parseResource(a arn.ARN) (resource, error) {
	if a.Service != "ssm" || a.Region == "" || a.Account != "" && !arn.ValidAccount(a.Account) {
		return resource{}, errNotSSM
	}
	switch {
	case a.Resource == "opsitem" && a.Account != "":
		return resource{kind: opsItem}, nil
	case strings.HasPrefix(a.Resource, "document/") && len(a.Resource) > len("document/"):
		return resource{kind: runCommand, name: strings.TrimPrefix(a.Resource, "document/")}, nil
	case strings.HasPrefix(a.Resource, "automation-definition/") && len(a.Resource) > len("automation-definition/"):
		name := strings.TrimPrefix(a.Resource, "automation-definition/")
		version := ""
		// Document names may hold colons too: only a suffix that is a
		// version ($DEFAULT, $LATEST or a number) is one.
		if i := strings.LastIndexByte(name, ':'); i > 0 && isVersion(name[i+1:]) {
			name, version = name[:i], name[i+1:]
		}
		return resource{kind: automation, name: name, version: version}, nil
	}
	return resource{}, errNotSSM
}

func isVersion(s string) bool {
	if s == "$DEFAULT" || s == "$LATEST" {
		return true
	}
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Kind delivers to SSM: Run Command documents, Automation definitions and
// OpsCenter.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the SSM kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

// CheckARN accepts the ARN of a Run Command document, an Automation
// definition, or OpsCenter's opsitem.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := parseResource(a)
	return err
}

// Deliver sends the command, starts the automation or creates the OpsItem
// the target ARN names. One attempt.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	res, err := parseResource(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	cl := target.Client(k.c, "ssm", r.ARN.Region, r.Role(), awsssm.NewFromConfig)
	switch res.kind {
	case runCommand:
		return sendCommand(ctx, cl, res, r)
	case automation:
		return startAutomation(ctx, cl, res, r)
	default:
		return createOpsItem(ctx, cl, r)
	}
}

func sendCommand(ctx context.Context, cl *awsssm.Client, res resource, r target.Request) target.Result {
	var targets []types.Target
	if r.Target != nil && r.Target.RunCommand != nil {
		for _, t := range r.Target.RunCommand.RunCommandTargets {
			targets = append(targets, types.Target{Key: t.Key, Values: t.Values})
		}
	}
	if len(targets) == 0 {
		return target.Fail(target.CodeInvalidParameter, "ssm: a Run Command target needs RunCommandParameters.RunCommandTargets")
	}
	params, fail := parameters(r)
	if fail != nil {
		return *fail
	}
	_, err := cl.SendCommand(ctx, &awsssm.SendCommandInput{DocumentName: aws.String(res.name), Targets: targets, Parameters: params})
	return target.Classify(ctx, err)
}

func startAutomation(ctx context.Context, cl *awsssm.Client, res resource, r target.Request) target.Result {
	params, fail := parameters(r)
	if fail != nil {
		return *fail
	}
	in := &awsssm.StartAutomationExecutionInput{DocumentName: aws.String(res.name), Parameters: params}
	if res.version != "" {
		in.DocumentVersion = aws.String(res.version)
	}
	_, err := cl.StartAutomationExecution(ctx, in)
	return target.Classify(ctx, err)
}

// parameters are the document's parameters: the target's input, a JSON
// object of names to a list of strings or to one value. Without an input
// of its own the target gets none: Run Command and Automation take no
// event by default.
func parameters(r target.Request) (map[string][]string, *target.Result) {
	if !r.Custom() || len(strings.TrimSpace(string(r.Payload))) == 0 {
		return nil, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.Payload, &raw); err != nil || raw == nil {
		f := target.Fail(target.CodeInvalidInput, "ssm: the target's input must be a JSON object of document parameters (name to a list of strings or a string)")
		return nil, &f
	}
	out := make(map[string][]string, len(raw))
	for k, v := range raw {
		var list []json.RawMessage
		if err := json.Unmarshal(v, &list); err == nil && list != nil {
			vals := make([]string, 0, len(list))
			for _, e := range list {
				vals = append(vals, text(e))
			}
			out[k] = vals
			continue
		}
		out[k] = []string{text(v)}
	}
	return out, nil
}

// text is a JSON value as a parameter value: a string without its quotes,
// anything else as its JSON text.
func text(v json.RawMessage) string {
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s
	}
	return string(v)
}

// The lengths CreateOpsItem allows.
const (
	maxTitle       = 1024
	maxSource      = 128
	maxDescription = 2048
)

// opsTemplate is the input OpsCenter's EventBridge rules build with their
// input transformer: the OpsItem's fields by lower-case name.
type opsTemplate struct {
	Title           *string                    `json:"title"`
	Description     *string                    `json:"description"`
	Source          *string                    `json:"source"`
	Category        *string                    `json:"category"`
	Severity        *string                    `json:"severity"`
	Priority        *int32                     `json:"priority"`
	OperationalData map[string]json.RawMessage `json:"operationalData"`
}

type eventFields struct {
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Resources  []string `json:"resources"`
}

func createOpsItem(ctx context.Context, cl *awsssm.Client, r target.Request) target.Result {
	var ev eventFields
	_ = json.Unmarshal(r.Event, &ev) // an event without these fields gets the fallbacks below
	var tpl opsTemplate
	if r.Custom() {
		_ = json.Unmarshal(r.Payload, &tpl) // input that is no such object is only the description
	}
	in := &awsssm.CreateOpsItemInput{
		Title:       aws.String(truncate(first(tpl.Title, ev.DetailType, "EventBridge event"), maxTitle)),
		Source:      aws.String(truncate(first(tpl.Source, ev.Source, "EventBridge"), maxSource)),
		Description: aws.String(truncate(first(tpl.Description, string(r.Payload), "EventBridge event"), maxDescription)),
		Category:    tpl.Category,
		Severity:    tpl.Severity,
		Priority:    tpl.Priority,
	}
	for k, v := range tpl.OperationalData {
		if in.OperationalData == nil {
			in.OperationalData = map[string]types.OpsItemDataValue{}
		}
		in.OperationalData[k] = dataValue(v)
	}
	// The event's resources are the OpsItem's related resources, as
	// OpsCenter shows for OpsItems EventBridge creates.
	if _, ok := in.OperationalData["/aws/resources"]; !ok && len(ev.Resources) > 0 {
		type res struct {
			ARN string `json:"arn"`
		}
		list := make([]res, len(ev.Resources))
		for i, a := range ev.Resources {
			list[i] = res{a}
		}
		b, _ := json.Marshal(list)
		if in.OperationalData == nil {
			in.OperationalData = map[string]types.OpsItemDataValue{}
		}
		in.OperationalData["/aws/resources"] = types.OpsItemDataValue{Type: types.OpsItemDataTypeSearchableString, Value: aws.String(string(b))}
	}
	_, err := cl.CreateOpsItem(ctx, in)
	var exists *types.OpsItemAlreadyExistsException
	if errors.As(err, &exists) {
		// The deduplication string matched an open OpsItem: what it is for.
		return target.OK
	}
	return target.Classify(ctx, err)
}

// dataValue is one operationalData entry of the template: {"type": ...,
// "value": ...} (either case); a value that is not a string is kept as its
// JSON text, an entry that is not such an object is the value itself.
func dataValue(v json.RawMessage) types.OpsItemDataValue {
	var e map[string]json.RawMessage
	if err := json.Unmarshal(v, &e); err == nil && e != nil {
		typ, val := e["type"], e["value"]
		if typ == nil {
			typ = e["Type"]
		}
		if val == nil {
			val = e["Value"]
		}
		if val != nil {
			t := types.OpsItemDataTypeSearchableString
			if typ != nil && text(typ) == string(types.OpsItemDataTypeString) {
				t = types.OpsItemDataTypeString
			}
			return types.OpsItemDataValue{Type: t, Value: aws.String(text(val))}
		}
	}
	return types.OpsItemDataValue{Type: types.OpsItemDataTypeSearchableString, Value: aws.String(text(v))}
}

func first(p *string, alts ...string) string {
	if p != nil && *p != "" {
		return *p
	}
	for _, a := range alts {
		if a != "" {
			return a
		}
	}
	return ""
}

// truncate cuts s to at most n characters, on a character boundary.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
