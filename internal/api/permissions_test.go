package api_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

func (e *env) policy(t *testing.T, bus string) *string {
	t.Helper()
	return must(e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: busArg(bus)}))(t).Policy
}

func (e *env) putPermission(t *testing.T, bus, sid, principal string, cond *types.Condition) {
	t.Helper()
	must(e.c.PutPermission(e.ctx, &eventbridge.PutPermissionInput{
		EventBusName: busArg(bus), Action: aws.String("events:PutEvents"), Principal: aws.String(principal),
		StatementId: aws.String(sid), Condition: cond,
	}))(t)
}

// statement renders a PutPermission statement exactly as AWS does
// (test_put_permission): Sid, Effect, Principal, Action, Resource[, Condition].
func (e *env) statement(bus, sid, principal, condition string) string {
	p := `"*"`
	if principal != "*" {
		p = `{"AWS":"arn:aws:iam::` + principal + `:root"}`
	}
	s := `{"Sid":"` + sid + `","Effect":"Allow","Principal":` + p + `,"Action":"events:PutEvents","Resource":"` + e.busARN(bus) + `"`
	if condition != "" {
		s += `,"Condition":` + condition
	}
	return s + "}"
}

func policyDoc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

func TestPutPermissionStatements(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "pb")
	for _, bus := range []string{"default", "pb"} {
		t.Run(bus, func(t *testing.T) {
			if p := e.policy(t, bus); p != nil {
				t.Fatalf("fresh bus has Policy %q", *p)
			}
			e.putPermission(t, bus, "sid-1", e.acct, nil)
			e.putPermission(t, bus, "sid_2", "222222222222", nil)
			e.putPermission(t, bus, "sid3", "*", nil)
			e.putPermission(t, bus, "org", "*", &types.Condition{Type: aws.String("StringEquals"), Key: aws.String("aws:PrincipalOrgID"), Value: aws.String("o-1234567890")})
			want := policyDoc(
				e.statement(bus, "sid-1", e.acct, ""),
				e.statement(bus, "sid_2", "222222222222", ""),
				e.statement(bus, "sid3", "*", ""),
				e.statement(bus, "org", "*", `{"StringEquals":{"aws:PrincipalOrgID":"o-1234567890"}}`),
			)
			if got := aws.ToString(e.policy(t, bus)); got != want {
				t.Errorf("Policy:\n got  %s\n want %s", got, want)
			}

			// The same Sid replaces its statement in place.
			e.putPermission(t, bus, "sid_2", "333333333333", nil)
			want = policyDoc(
				e.statement(bus, "sid-1", e.acct, ""),
				e.statement(bus, "sid_2", "333333333333", ""),
				e.statement(bus, "sid3", "*", ""),
				e.statement(bus, "org", "*", `{"StringEquals":{"aws:PrincipalOrgID":"o-1234567890"}}`),
			)
			if got := aws.ToString(e.policy(t, bus)); got != want {
				t.Errorf("Policy after replacing sid_2:\n got  %s\n want %s", got, want)
			}

			// ListEventBuses items carry the same Policy.
			list := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{NamePrefix: aws.String(bus)}))(t)
			if len(list.EventBuses) != 1 || aws.ToString(list.EventBuses[0].Policy) != want {
				t.Errorf("ListEventBuses Policy = %s", jsonOf(list.EventBuses))
			}

			// RemovePermission by Sid (test_remove_permission).
			must(e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String(bus), StatementId: aws.String("sid-1")}))(t)
			must(e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String(bus), StatementId: aws.String("sid3")}))(t)
			must(e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String(bus), StatementId: aws.String("org")}))(t)
			if got, want := aws.ToString(e.policy(t, bus)), policyDoc(e.statement(bus, "sid_2", "333333333333", "")); got != want {
				t.Errorf("Policy after removals:\n got  %s\n want %s", got, want)
			}
			_, err := e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String(bus), StatementId: aws.String("sid-1")})
			wantErr(t, err, "ResourceNotFoundException", "Statement with the provided id does not exist.")

			// Removing the last statement leaves no Policy.
			must(e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String(bus), StatementId: aws.String("sid_2")}))(t)
			if p := e.policy(t, bus); p != nil {
				t.Errorf("Policy after removing every statement = %q, want absent", *p)
			}
		})
	}
}

func TestPutPermissionPolicy(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "pp")
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowAll","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root","arn:aws:iam::222222222222:root"]},` +
		`"Action":["events:PutEvents","events:PutRule"],"Resource":"` + e.busARN("pp") + `","Condition":{"StringEquals":{"events:source":"a.b"}}},` +
		`{"Sid":"Second","Effect":"Deny","Principal":"*","Action":"events:PutEvents","Resource":"` + e.busARN("pp") + `"}]}`
	e.putPermission(t, "pp", "legacy", "*", nil)
	// The policy form replaces the whole policy.
	must(e.c.PutPermission(e.ctx, &eventbridge.PutPermissionInput{EventBusName: aws.String("pp"), Policy: aws.String(policy)}))(t)
	got := e.policy(t, "pp")
	if !sameJSON(t, aws.ToString(got), policy) {
		t.Errorf("Policy:\n got  %s\n want %s", aws.ToString(got), policy)
	}
	list := must(e.c.ListEventBuses(e.ctx, &eventbridge.ListEventBusesInput{NamePrefix: aws.String("pp")}))(t)
	if !sameJSON(t, aws.ToString(list.EventBuses[0].Policy), policy) {
		t.Errorf("ListEventBuses Policy = %s", aws.ToString(list.EventBuses[0].Policy))
	}

	t.Run("recorded policy", func(t *testing.T) {
		// test_put_permission, put-permission-policy: a service principal,
		// another action, any resource.
		recorded := `{"Version":"2012-10-17","Statement":[{"Sid":"sid5","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"events:ListRules","Resource":"*"}]}`
		e.createBus(t, "recorded")
		e.putPermission(t, "recorded", "before", e.acct, nil)
		must(e.c.PutPermission(e.ctx, &eventbridge.PutPermissionInput{EventBusName: aws.String("recorded"), Policy: aws.String(recorded)}))(t)
		if got := aws.ToString(e.policy(t, "recorded")); !sameJSON(t, got, recorded) {
			t.Errorf("Policy = %s, want %s", got, recorded)
		}
	})
	t.Run("single statement object", func(t *testing.T) {
		one := `{"Version":"2012-10-17","Statement":{"Sid":"One","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"` + e.busARN("default") + `"}}`
		must(e.c.PutPermission(e.ctx, &eventbridge.PutPermissionInput{Policy: aws.String(one)}))(t)
		if !sameJSON(t, aws.ToString(e.policy(t, "")), one) {
			t.Errorf("Policy = %s", aws.ToString(e.policy(t, "")))
		}
		must(e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{StatementId: aws.String("One")}))(t)
		if p := e.policy(t, ""); p != nil {
			t.Errorf("Policy after removing its only statement = %s", *p)
		}
	})

	// A statement added afterwards joins the given policy.
	e.putPermission(t, "pp", "added", "333333333333", nil)
	var doc struct{ Statement []map[string]any }
	if err := json.Unmarshal([]byte(aws.ToString(e.policy(t, "pp"))), &doc); err != nil {
		t.Fatal(err)
	}
	var sids []string
	for _, s := range doc.Statement {
		sids = append(sids, s["Sid"].(string))
	}
	if strings.Join(sids, ",") != "AllowAll,Second,added" {
		t.Errorf("Sids = %v", sids)
	}
	must(e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("pp"), StatementId: aws.String("Second")}))(t)

	// RemoveAllPermissions drops the policy (test_remove_permission, remove-permission-all).
	must(e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("pp"), RemoveAllPermissions: true}))(t)
	if p := e.policy(t, "pp"); p != nil {
		t.Errorf("Policy after RemoveAllPermissions = %q", *p)
	}
	resp := rawCall(t, e.acct, "DescribeEventBus", `{"Name":"pp"}`)
	if _, ok := resp.object(t)["Policy"]; ok {
		t.Errorf("DescribeEventBus sends Policy after RemoveAllPermissions: %s", resp.body)
	}
	// Again, on a bus without a policy: nothing to remove, still fine.
	must(e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("pp"), RemoveAllPermissions: true}))(t)
	// A policy given to the default bus (no EventBusName).
	must(e.c.PutPermission(e.ctx, &eventbridge.PutPermissionInput{Policy: aws.String(policy)}))(t)
	if !sameJSON(t, aws.ToString(e.policy(t, "")), policy) {
		t.Errorf("default bus Policy = %s", aws.ToString(e.policy(t, "")))
	}
}

func TestPermissionErrors(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "eb")
	tests := []struct {
		name string
		in   eventbridge.PutPermissionInput
		code string
		msg  string
	}{
		// test_put_permission_non_existing_event_bus
		{"missing bus", eventbridge.PutPermissionInput{EventBusName: aws.String("nobus"), Action: aws.String("events:PutEvents"), Principal: aws.String("*"), StatementId: aws.String("s")},
			"ResourceNotFoundException", "Event bus nobus does not exist."},
		{"missing bus, policy form", eventbridge.PutPermissionInput{EventBusName: aws.String("nobus"), Policy: aws.String(policyDoc())},
			"ResourceNotFoundException", "Event bus nobus does not exist."},
		{"bad principal", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Action: aws.String("events:PutEvents"), Principal: aws.String("12345"), StatementId: aws.String("s")},
			"ValidationException", validation("12345", "principal", `Member must satisfy regular expression pattern: (\d{12}|\*)`)},
		{"bad statement id", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Action: aws.String("events:PutEvents"), Principal: aws.String("*"), StatementId: aws.String("a b")},
			"ValidationException", validation("a b", "statementId", `Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+`)},
		{"no statement id", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Action: aws.String("events:PutEvents"), Principal: aws.String("*")},
			"ValidationException", ""},
		{"policy and statement", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String(policyDoc()), StatementId: aws.String("s"), Action: aws.String("events:PutEvents"), Principal: aws.String("*")},
			"ValidationException", ""},
		{"policy not JSON", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String("{not json")},
			"ValidationException", ""},
		{"policy is JSON null", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String("null")},
			"ValidationException", ""},
		{"policy is a list", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String(`[{"Statement":[]}]`)},
			"ValidationException", ""},
		{"policy without statements", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String(`{"Version":"2012-10-17"}`)},
			"ValidationException", ""},
		{"policy with null statements", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String(`{"Version":"2012-10-17","Statement":null}`)},
			"ValidationException", ""},
		{"policy statements not objects", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String(`{"Version":"2012-10-17","Statement":[1,"x"]}`)},
			"ValidationException", ""},
		{"empty policy", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String("")},
			"ValidationException", ""},
		{"unsupported action", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Action: aws.String("events:DeleteRule"), Principal: aws.String("*"), StatementId: aws.String("s")},
			"ValidationException", ""},
		{"policy too long", eventbridge.PutPermissionInput{EventBusName: aws.String("eb"), Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("x", 10240) + `"}]}`)},
			"PolicyLengthExceededException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.c.PutPermission(e.ctx, &tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	if p := e.policy(t, "eb"); p != nil {
		t.Errorf("refused calls stored Policy %q", *p)
	}

	// test_remove_permission_non_existing_sid: with and without a policy.
	for _, withPolicy := range []bool{false, true} {
		if withPolicy {
			e.putPermission(t, "eb", "present", "*", nil)
		}
		for _, bus := range []*string{aws.String("eb"), nil} {
			_, err := e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: bus, StatementId: aws.String("absent")})
			wantErr(t, err, "ResourceNotFoundException", "Statement with the provided id does not exist.")
		}
	}
	_, err := e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("nobus"), StatementId: aws.String("s")})
	wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
	_, err = e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("nobus"), RemoveAllPermissions: true})
	wantErr(t, err, "ResourceNotFoundException", "Event bus nobus does not exist.")
	_, err = e.c.RemovePermission(e.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("eb")})
	wantErr(t, err, "ValidationException", "")
}

// sameJSON reports whether two JSON texts are the same value.
func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Errorf("not JSON: %q: %v", a, err)
		return false
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Fatalf("not JSON: %q: %v", b, err)
	}
	return reflect.DeepEqual(va, vb)
}
