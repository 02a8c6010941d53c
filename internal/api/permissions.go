package api

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
)

func (a *API) putPermission(ctx context.Context, c *call, in *wire.PutPermissionRequest) (*empty, error) {
	name, err := busName(c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	statementForm := in.Action != nil || in.Principal != nil || in.StatementId != nil || in.Condition != nil
	switch {
	case in.Policy != nil && statementForm:
		return nil, Errorf(Validation, "Policy cannot be combined with Action, Principal, StatementId or Condition.")
	case in.Policy == nil && (in.Action == nil || in.Principal == nil || in.StatementId == nil):
		return nil, Errorf(Validation, "Parameter(s) Action, Principal and StatementId must be specified unless Policy is given.")
	case in.Policy != nil && (!catalog.ValidPolicy(*in.Policy) || !hasStatements(*in.Policy)):
		return nil, Errorf(Validation, "Parameter Policy is not valid. Reason: the policy must be a JSON object with a Statement list.")
	}
	if in.Action != nil && *in.Action != "events:PutEvents" {
		return nil, Errorf(Validation, "Provided value in parameter 'action' is not supported.")
	}
	perm := catalog.Permission{
		StatementID: str(in.StatementId), Action: str(in.Action), Principal: str(in.Principal),
		Resource: busARN(c, name), Partition: arn.Partition(c.scope.Region),
	}
	if cond := in.Condition; cond != nil {
		perm.Condition = &catalog.Condition{Type: str(cond.Type), Key: str(cond.Key), Value: str(cond.Value)}
	}
	_, err = a.cat.UpdateBus(ctx, c.scope, name, func(b *catalog.Bus) error {
		policy := str(in.Policy)
		if in.Policy == nil {
			var err error
			if policy, err = catalog.AddPermission(b.Policy, perm); err != nil {
				return Errorf(Validation, "The existing policy of event bus %s cannot be extended: it is not a valid policy document.", name)
			}
		}
		if len(policy) > a.limits.PolicyLength {
			return Errorf(PolicyLengthExceeded, "Policy length exceeds the maximum of %d characters.", a.limits.PolicyLength)
		}
		b.Policy = &policy
		b.Modified = time.Now().UTC()
		return nil
	})
	return nil, err
}

func (a *API) removePermission(ctx context.Context, c *call, in *wire.RemovePermissionRequest) (*empty, error) {
	name, err := busName(c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	all := in.RemoveAllPermissions != nil && *in.RemoveAllPermissions
	if !all && in.StatementId == nil {
		return nil, Errorf(Validation, "Parameter StatementId must be specified unless RemoveAllPermissions is true.")
	}
	_, err = a.cat.UpdateBus(ctx, c.scope, name, func(b *catalog.Bus) error {
		if all {
			b.Policy = nil
		} else {
			p, err := catalog.RemovePermission(b.Policy, *in.StatementId)
			if err != nil {
				return err
			}
			b.Policy = p
		}
		b.Modified = time.Now().UTC()
		return nil
	})
	return nil, err
}

// hasStatements completes catalog.ValidPolicy, which accepts the JSON null
// and documents without statements: a policy given whole must be a JSON
// object whose Statement is a statement object or a list of them.
func hasStatements(policy string) bool {
	var doc struct{ Statement json.RawMessage }
	if t := bytes.TrimSpace([]byte(policy)); len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &doc) != nil {
		return false
	}
	if st := bytes.TrimSpace(doc.Statement); len(st) == 0 || string(st) == "null" {
		return false
	}
	var list []json.RawMessage
	if json.Unmarshal(doc.Statement, &list) != nil {
		list = []json.RawMessage{doc.Statement}
	}
	for _, s := range list {
		if t := bytes.TrimSpace(s); len(t) == 0 || t[0] != '{' {
			return false
		}
	}
	return true
}
