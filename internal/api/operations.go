package api

import (
	"context"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
)

// operations is the dispatch table: every operation of the model, those not
// built yet answering NotImplementedException with their name.
func (a *API) operations() map[string]operation {
	ops := map[string]operation{
		"CreateEventBus":   op(a.createEventBus),
		"DescribeEventBus": op(a.describeEventBus),
		"UpdateEventBus":   op(a.updateEventBus),
		"DeleteEventBus":   op(a.deleteEventBus),
		"ListEventBuses":   op(a.listEventBuses),

		"PutRule":               op(a.putRule),
		"DescribeRule":          op(a.describeRule),
		"EnableRule":            op(a.enableRule),
		"DisableRule":           op(a.disableRule),
		"DeleteRule":            op(a.deleteRule),
		"ListRules":             op(a.listRules),
		"ListRuleNamesByTarget": op(a.listRuleNamesByTarget),

		"PutTargets":        op(a.putTargets),
		"RemoveTargets":     op(a.removeTargets),
		"ListTargetsByRule": op(a.listTargetsByRule),

		"TagResource":         op(a.tagResource),
		"UntagResource":       op(a.untagResource),
		"ListTagsForResource": op(a.listTagsForResource),

		"PutPermission":    op(a.putPermission),
		"RemovePermission": op(a.removePermission),

		"TestEventPattern": op(a.testEventPattern),
		"PutEvents":        op(a.putEvents),

		"CreateConnection":      op(a.createConnection),
		"DescribeConnection":    op(a.describeConnection),
		"UpdateConnection":      op(a.updateConnection),
		"DeleteConnection":      op(a.deleteConnection),
		"DeauthorizeConnection": op(a.deauthorizeConnection),
		"ListConnections":       op(a.listConnections),

		"CreateApiDestination":   op(a.createApiDestination),
		"DescribeApiDestination": op(a.describeApiDestination),
		"UpdateApiDestination":   op(a.updateApiDestination),
		"DeleteApiDestination":   op(a.deleteApiDestination),
		"ListApiDestinations":    op(a.listApiDestinations),
	}
	for _, o := range wire.Operations {
		if _, ok := ops[o.Name]; !ok {
			ops[o.Name] = notImplemented(o.Name)
		}
	}
	return ops
}

func notImplemented(name string) operation {
	return func(context.Context, *call, []byte) (any, error) {
		return nil, Errorf(NotImplemented, "Operation %s is not implemented yet in Switchyard.", name)
	}
}
