package wire

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestOmitzero(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{PutEventsResponse{}, `{}`},
		{PutEventsResponse{FailedEntryCount: ptr(int32(0)), Entries: []PutEventsResultEntry{}}, `{"FailedEntryCount":0,"Entries":[]}`},
		{ListTagsForResourceResponse{Tags: []Tag{}}, `{"Tags":[]}`},
		{ListTagsForResourceResponse{}, `{}`},
		{PutTargetsResponse{FailedEntryCount: ptr(int32(0)), FailedEntries: []PutTargetsResultEntry{}}, `{"FailedEntryCount":0,"FailedEntries":[]}`},
		{Tag{Key: ptr(""), Value: ptr("")}, `{"Key":"","Value":""}`},
		{InputTransformer{InputPathsMap: map[string]string{}, InputTemplate: ptr("<x>")}, `{"InputPathsMap":{},"InputTemplate":"\u003cx\u003e"}`},
		{DescribeRuleResponse{Name: ptr("r"), State: ptr(RuleStateEnabled)}, `{"Name":"r","State":"ENABLED"}`},
		{DescribeEventBusResponse{CreationTime: &Timestamp{time.UnixMilli(1767268800500)}}, `{"CreationTime":1767268800.5}`},
		{Target{Id: ptr("t"), Arn: ptr("a"), DeadLetterConfig: &DeadLetterConfig{}}, `{"Id":"t","Arn":"a","DeadLetterConfig":{}}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("%T: got %s, want %s", tt.v, b, tt.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	in := PutTargetsRequest{
		Rule: ptr("r"),
		Targets: []Target{{
			Id: ptr("1"), Arn: ptr("arn:aws:sqs:us-east-1:000000000000:q"),
			InputTransformer: &InputTransformer{InputPathsMap: map[string]string{"a": "$.a"}, InputTemplate: ptr(`{"a":<a>}`)},
			RetryPolicy:      &RetryPolicy{MaximumRetryAttempts: ptr(int32(3)), MaximumEventAgeInSeconds: ptr(int32(60))},
			HttpParameters:   &HttpParameters{PathParameterValues: []string{}},
		}},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"PathParameterValues":[]`) {
		t.Errorf("empty slice not emitted: %s", b)
	}
	var out PutTargetsRequest
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip mismatch:\n%+v\n%+v", in, out)
	}
	if err := out.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestUnknownMembersIgnored(t *testing.T) {
	var r PutRuleRequest
	if err := json.Unmarshal([]byte(`{"Name":"r","Bogus":[1,2],"State":"DISABLED"}`), &r); err != nil {
		t.Fatal(err)
	}
	if *r.Name != "r" || *r.State != RuleStateDisabled {
		t.Fatalf("%+v", r)
	}
}

func TestOperations(t *testing.T) {
	if len(Operations) != 57 {
		t.Fatalf("%d operations, want 57", len(Operations))
	}
	seen := map[string]bool{}
	for _, op := range Operations {
		if seen[op.Name] {
			t.Errorf("duplicate %s", op.Name)
		}
		seen[op.Name] = true
		in := NewInput(op.Name)
		if op.Input == "" {
			if in != nil {
				t.Errorf("%s: NewInput = %T, want nil", op.Name, in)
			}
			continue
		}
		if in == nil {
			t.Errorf("%s: NewInput = nil", op.Name)
			continue
		}
		if got := reflect.TypeOf(in).Elem().Name(); got != op.Input {
			t.Errorf("%s: NewInput = %s, want %s", op.Name, got, op.Input)
		}
		if _, ok := in.(interface{ Validate() error }); !ok {
			t.Errorf("%s: %s has no Validate", op.Name, op.Input)
		}
	}
	if NewInput("NoSuchOperation") != nil {
		t.Error("unknown op")
	}
	for _, name := range []string{"PutEvents", "PutRule", "PutTargets", "ListRules", "TestEventPattern"} {
		if !seen[name] {
			t.Errorf("missing %s", name)
		}
	}
}

func TestErrorShapes(t *testing.T) {
	if len(ErrorShapes) != 13 {
		t.Errorf("%d error shapes: %v", len(ErrorShapes), ErrorShapes)
	}
	if !IsFault("InternalException") || IsFault("ResourceNotFoundException") {
		t.Error("IsFault")
	}
}

func TestEnums(t *testing.T) {
	if !reflect.DeepEqual(RuleStateValues, []string{RuleStateEnabled, RuleStateDisabled, RuleStateEnabledWithAllCloudtrailManagementEvents}) {
		t.Errorf("RuleStateValues = %v", RuleStateValues)
	}
	if PlacementConstraintTypeDistinctInstance != "distinctInstance" || ApiDestinationHttpMethodGet != "GET" {
		t.Error("enum constants")
	}
}
