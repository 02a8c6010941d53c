package transform

import (
	"errors"
	"testing"
	"time"
)

// The examples of the EventBridge User Guide, "Transforming target input"
// (eb-transform-target-input), on its example EC2 event. The guide's
// outputs are pretty-printed; deliveries are minified.
const guideEvent = `{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602",` +
	`"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"123456789012",` +
	`"time":"2015-11-11T21:29:54Z","region":"us-east-1",` +
	`"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],` +
	`"detail":{"instance-id":"i-0123456789","state":"RUNNING"}}`

var guidePaths = map[string]string{"timestamp": "$.time", "instance": "$.detail.instance-id", "state": "$.detail.state"}

var guideVars = Vars{
	RuleArn:       "arn:aws:events:us-east-2:123456789012:rule/example",
	RuleName:      "example",
	IngestionTime: time.Date(2015, 11, 11, 21, 29, 55, 0, time.UTC),
}

func TestUserGuideExamples(t *testing.T) {
	cases := []struct {
		name, tmpl, want string
	}{
		{"simple string", `"instance <instance> is in <state>"`, `"instance i-0123456789 is in RUNNING"`},
		{"string with escaped quotes (console)", `"instance \"<instance>\" is in <state>"`,
			`"instance \"i-0123456789\" is in RUNNING"`},
		{"string with quotes (CLI)", `"instance "<instance>" is in <state>"`,
			`"instance "i-0123456789" is in RUNNING"`},
		{"simple JSON", "{\n  \"instance\" : <instance>,\n  \"state\": <state>\n}",
			`{"instance":"i-0123456789","state":"RUNNING"}`},
		{"JSON with strings and variables",
			"{\n \"instance\" : <instance>,\n \"state\": \"<state>\",\n \"instanceStatus\": \"instance \\\"<instance>\\\" is in <state>\"\n}",
			`{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \"i-0123456789\" is in RUNNING"}`},
		{"JSON with a mix of variables and static information",
			"{\n  \"instance\" : <instance>,\n  \"state\": [ 9, <state>, true ],\n  \"Transformed\" : \"Yes\"\n}",
			`{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}`},
		{"including reserved variables in JSON",
			"{\n  \"instance\" : <instance>,\n  \"state\": <state>,\n  \"ruleArn\" : <aws.events.rule-arn>,\n  \"ruleName\" : <aws.events.rule-name>,\n  \"originalEvent\" : <aws.events.event>\n}",
			`{"instance":"i-0123456789","state":"RUNNING","ruleArn":"arn:aws:events:us-east-2:123456789012:rule/example",` +
				`"ruleName":"example","originalEvent":{"id":"7bf73129-1428-4cd3-a780-95db273d1602","account":"123456789012",` +
				`"detailType":"EC2 Instance State-change Notification","time":"2015-11-11T21:29:54Z","source":"aws.ec2",` +
				`"region":"us-east-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],"version":"0"}}`},
		{"including reserved variables in a string", `"<aws.events.rule-name> triggered"`, `"example triggered"`},
		{"ingestion time", `"received <aws.events.event.ingestion-time>"`, `"received 2015-11-11T21:29:55Z"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, err := Compile(Spec{PathsMap: guidePaths, Template: &c.tmpl})
			if err != nil {
				t.Fatal(err)
			}
			got, err := tr.Apply(nil, []byte(guideEvent), guideVars)
			if err != nil || string(got) != c.want {
				t.Errorf("Apply = %s, %v\nwant %s", got, err, c.want)
			}
		})
	}
}

// TestNotValidFromTestCode covers the templates of localstack's
// test_input_transformer_nested_keys_replacement_not_valid, which asserts
// against AWS that nothing is delivered but records no snapshot.
func TestNotValidFromTestCode(t *testing.T) {
	paths := map[string]string{"userId": "$.detail.payload.acc_id", "payload": "$.detail.payload", "listsingle": "$.detail.listsingle"}
	event := recordedEvent("", []byte(`{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"},"listsingle":["HIGH"],"listmulti":["ACTIVE","INACTIVE"]}`))
	for _, tmpl := range []string{
		`{"not_valid": "users-service/users/<payload>", "bod": <payload>}`,
		`{"payload": "<payload>"}`,
		`{"singlelistitem": "<listsingle>"}`,
	} {
		tr, err := Compile(Spec{PathsMap: paths, Template: &tmpl})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := tr.Apply(nil, event, recordedVars); !errors.Is(err, ErrInvalidResult) {
			t.Errorf("%s delivered %s, %v", tmpl, got, err)
		}
	}
}

func TestApplyMalformedEvent(t *testing.T) {
	// The server builds events, so this is about not crashing: paths over
	// broken JSON find nothing, and the template renders without them.
	tmpl := `{"a": <a>, "b": "<a>", "e": <aws.events.event>}`
	tr, err := Compile(Spec{PathsMap: map[string]string{"a": "$.detail.a"}, Template: &tmpl})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{``, `{`, `{"detail":{"a":1`, `[1,2]`, `"str"`, `{"detail":{"a":1}} trailing`} {
		got, err := tr.Apply(nil, []byte(ev), Vars{})
		if err != nil {
			t.Errorf("Apply(%q): %v", ev, err)
		}
		t.Logf("%q -> %s", ev, got)
	}
	p := "$.detail"
	tp, err := Compile(Spec{InputPath: &p})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := tp.Apply(nil, []byte(`{"detail":`), Vars{}); !errors.Is(err, ErrInvalidResult) {
		t.Errorf("InputPath on broken event = %s, %v", got, err)
	}
}

func TestApplyAppendsToDst(t *testing.T) {
	tmpl := `{"s": <s>}`
	tr, err := Compile(Spec{PathsMap: edgePaths, Template: &tmpl})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, 0, 64)
	dst = append(dst, "keep|"...)
	out, err := tr.Apply(dst, []byte(edgeEvent), edgeVars)
	if err != nil || string(out) != `keep|{"s":"text"}` {
		t.Fatalf("Apply = %s, %v", out, err)
	}
	// Reusing the buffer gives the same bytes.
	out2, _ := tr.Apply(out[:5], []byte(edgeEvent), edgeVars)
	if string(out2) != string(out) {
		t.Fatalf("reuse = %s", out2)
	}
}
