package catalog

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Permission is the legacy PutPermission form: one statement that lets an
// account (or everybody) call an action on a bus.
type Permission struct {
	StatementID string
	Action      string
	Principal   string // a 12-digit account id or "*"
	Resource    string // the bus ARN
	Partition   string // of the principal's IAM ARN
	Condition   *Condition
}

// Condition is PutPermission's Condition: {Type, Key, Value}.
type Condition struct {
	Type, Key, Value string
}

// statement renders a permission exactly as AWS renders it in
// DescribeEventBus.Policy: Sid, Effect, Principal, Action, Resource and
// Condition, in that order. Terraform reads this shape back.
func (p Permission) statement() json.RawMessage {
	type principal struct {
		AWS string `json:"AWS"`
	}
	s := struct {
		Sid       string                       `json:"Sid"`
		Effect    string                       `json:"Effect"`
		Principal any                          `json:"Principal"`
		Action    string                       `json:"Action"`
		Resource  string                       `json:"Resource"`
		Condition map[string]map[string]string `json:"Condition,omitempty"`
	}{Sid: p.StatementID, Effect: "Allow", Action: p.Action, Resource: p.Resource}
	if p.Principal == "*" {
		s.Principal = "*"
	} else {
		s.Principal = principal{AWS: "arn:" + p.Partition + ":iam::" + p.Principal + ":root"}
	}
	if p.Condition != nil {
		s.Condition = map[string]map[string]string{p.Condition.Type: {p.Condition.Key: p.Condition.Value}}
	}
	return marshalNoEscape(s)
}

// policyDoc keeps statements as raw JSON so that a policy given whole keeps
// whatever its statements say.
type policyDoc struct {
	Version   string            `json:"Version"`
	Statement []json.RawMessage `json:"Statement"`
}

func parsePolicy(s string) (*policyDoc, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, ErrPolicyMalformed
	}
	var d policyDoc
	if v, ok := raw["Version"]; ok {
		_ = json.Unmarshal(v, &d.Version)
	}
	st, ok := raw["Statement"]
	if !ok {
		return &d, nil
	}
	if err := json.Unmarshal(st, &d.Statement); err != nil {
		// A single statement object is valid IAM policy grammar too.
		var one json.RawMessage
		if json.Unmarshal(st, &one) != nil || len(one) == 0 || one[0] != '{' {
			return nil, ErrPolicyMalformed
		}
		d.Statement = []json.RawMessage{one}
	}
	return &d, nil
}

func sidOf(stmt json.RawMessage) string {
	var s struct{ Sid string }
	_ = json.Unmarshal(stmt, &s)
	return s.Sid
}

// AddPermission returns policy (possibly nil) with p's statement added, or
// replacing the statement with the same Sid.
func AddPermission(policy *string, p Permission) (string, error) {
	d := &policyDoc{Version: "2012-10-17"}
	if policy != nil && *policy != "" {
		var err error
		if d, err = parsePolicy(*policy); err != nil {
			return "", err
		}
		if d.Version == "" {
			d.Version = "2012-10-17"
		}
	}
	stmt := p.statement()
	replaced := false
	for i, s := range d.Statement {
		if sidOf(s) == p.StatementID {
			d.Statement[i] = stmt
			replaced = true
		}
	}
	if !replaced {
		d.Statement = append(d.Statement, stmt)
	}
	return string(marshalNoEscape(d)), nil
}

// RemovePermission returns policy without the statement sid; the result is
// nil when no statement is left, so that DescribeEventBus omits Policy.
func RemovePermission(policy *string, sid string) (*string, error) {
	if policy == nil || *policy == "" {
		return nil, ErrStatementNotFound
	}
	d, err := parsePolicy(*policy)
	if err != nil {
		return nil, err
	}
	kept := d.Statement[:0:0]
	for _, s := range d.Statement {
		if sidOf(s) != sid {
			kept = append(kept, s)
		}
	}
	if len(kept) == len(d.Statement) {
		return nil, ErrStatementNotFound
	}
	if len(kept) == 0 {
		return nil, nil
	}
	d.Statement = kept
	out := string(marshalNoEscape(d))
	return &out, nil
}

// ValidPolicy reports whether s is a JSON object usable as a bus policy.
func ValidPolicy(s string) bool {
	_, err := parsePolicy(s)
	return err == nil
}

// marshalNoEscape encodes like json.Marshal but leaves <, > and & alone, as
// AWS does in policy documents.
func marshalNoEscape(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimRight(b.Bytes(), "\n")
}

// Allows reports whether a bus policy lets principalAccount perform action
// on resource (the bus ARN). A statement applies when its Effect is Allow,
// its Principal is "*" or names the account (a 12-digit id or
// arn:...:iam::<account>:root, alone or in a list), its Action names the
// action or events:*, and its Resource is the bus or "*". A Deny that
// applies wins. Conditions cannot be evaluated here (there are no AWS
// organizations behind Switchyard), so a statement with one never allows,
// while a Deny with one still denies: the cautious reading both ways.
func Allows(policy *string, principalAccount, action, resource string) bool {
	if policy == nil {
		return false
	}
	d, err := parsePolicy(*policy)
	if err != nil {
		return false
	}
	allowed := false
	for _, raw := range d.Statement {
		var s struct {
			Effect    string
			Principal json.RawMessage
			Action    json.RawMessage
			Resource  json.RawMessage
			Condition json.RawMessage
		}
		if json.Unmarshal(raw, &s) != nil {
			continue
		}
		if !principalMatches(s.Principal, principalAccount) ||
			!anyMatches(s.Action, func(a string) bool { return a == action || a == "events:*" || a == "*" }) ||
			!anyMatches(s.Resource, func(r string) bool { return r == resource || r == "*" }) {
			continue
		}
		switch s.Effect {
		case "Deny":
			return false
		case "Allow":
			if len(s.Condition) == 0 || string(s.Condition) == "null" || string(s.Condition) == "{}" {
				allowed = true
			}
		}
	}
	return allowed
}

// anyMatches applies ok to a JSON string or list of strings.
func anyMatches(raw json.RawMessage, ok func(string) bool) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return ok(one)
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		for _, v := range many {
			if ok(v) {
				return true
			}
		}
	}
	return false
}

func principalMatches(raw json.RawMessage, account string) bool {
	isAccount := func(p string) bool {
		if p == "*" || p == account {
			return true
		}
		a, ok := strings.CutSuffix(p, ":root")
		return ok && strings.HasPrefix(a, "arn:") && strings.HasSuffix(a, ":iam::"+account)
	}
	if anyMatches(raw, isAccount) {
		return true
	}
	var obj struct{ AWS json.RawMessage }
	return json.Unmarshal(raw, &obj) == nil && obj.AWS != nil && anyMatches(obj.AWS, isAccount)
}
