package api

import (
	"context"
	"errors"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
)

func ruleNotFound(rule, bus string) *Error {
	return Errorf(ResourceNotFound, "Rule %s does not exist on EventBus %s.", rule, bus)
}

func ruleARN(c *call, r *catalog.Rule) string {
	return arn.Rule(c.scope.Region, c.scope.Account, r.Bus, r.Name)
}

// ruleBus resolves the bus of a rule operation and checks that it exists.
func (a *API) ruleBus(ctx context.Context, c *call, v *string) (string, error) {
	bus, err := busName(c, v)
	if err != nil {
		return "", err
	}
	if _, err := a.cat.Bus(ctx, c.scope, bus); err != nil {
		return "", err
	}
	return bus, nil
}

func (a *API) putRule(ctx context.Context, c *call, in *wire.PutRuleRequest) (*wire.PutRuleResponse, error) {
	bus, err := a.ruleBus(ctx, c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	if in.EventPattern == nil && in.ScheduleExpression == nil {
		return nil, Errorf(Validation, "Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	if in.ScheduleExpression != nil {
		if bus != catalog.DefaultBus {
			return nil, Errorf(Validation, "ScheduleExpression is supported only on the default event bus.")
		}
		if err := validateSchedule(*in.ScheduleExpression); err != nil {
			return nil, err
		}
	}
	if in.EventPattern != nil {
		if err := a.validatePattern(*in.EventPattern); err != nil {
			return nil, err
		}
	}
	tags, err := a.tagsIn(in.Tags)
	if err != nil {
		return nil, err
	}
	name := *in.Name
	now := time.Now().UTC()
	created := false
	r, err := a.cat.PutRule(ctx, c.scope, bus, name, func(cur *catalog.Rule) (*catalog.Rule, error) {
		created = cur == nil
		next := &catalog.Rule{
			Bus: bus, Name: name, EventPattern: in.EventPattern, ScheduleExpression: in.ScheduleExpression,
			State: catalog.RuleEnabled, Description: in.Description, RoleArn: in.RoleArn,
			CreatedBy: c.scope.Account, Tags: tags, Created: now, Modified: now,
		}
		if in.State != nil {
			next.State = *in.State
		}
		if cur == nil {
			return next, nil // the quota is checked below, once the rule exists
		}
		if cur.ManagedBy != nil {
			return nil, managedRule(cur)
		}
		// An update replaces every field it is given and resets the others,
		// but keeps what PutRule does not own: targets, tags, creation.
		next.Targets, next.Tags = cur.Targets, cur.Tags
		next.Created, next.CreatedBy, next.ManagedBy = cur.Created, cur.CreatedBy, cur.ManagedBy
		return next, nil
	})
	if err != nil {
		return nil, err
	}
	if created {
		// A new rule must not outlive its bus: DeleteEventBus checks for
		// rules and then deletes, and sweeps the rules created in between;
		// a rule created after that sweep sees the bus gone here.
		if _, err := a.cat.Bus(ctx, c.scope, bus); errors.Is(err, catalog.ErrNotFound) {
			if err := a.cat.DeleteRule(ctx, c.scope, bus, name, nil); err != nil && !errors.Is(err, catalog.ErrNotFound) {
				return nil, err
			}
			return nil, busNotFound(bus)
		} else if err != nil {
			return nil, err
		}
		rules, err := a.cat.Rules(ctx, c.scope, bus)
		if err := withinQuota(len(rules), err, a.limits.RulesPerBus, func() error { return a.cat.DeleteRule(ctx, c.scope, bus, name, nil) }); err != nil {
			return nil, err
		}
	}
	return &wire.PutRuleResponse{RuleArn: ptr(ruleARN(c, r))}, nil
}

func managedRule(r *catalog.Rule) *Error {
	return Errorf(ManagedRule, "Rule %s is managed by %s and cannot be changed without Force.", r.Name, str(r.ManagedBy))
}

func (a *API) describeRule(ctx context.Context, c *call, in *wire.DescribeRuleRequest) (*wire.DescribeRuleResponse, error) {
	bus, err := a.ruleBus(ctx, c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	r, err := a.cat.Rule(ctx, c.scope, bus, *in.Name)
	if err != nil {
		return nil, err
	}
	return &wire.DescribeRuleResponse{
		Name: ptr(r.Name), Arn: ptr(ruleARN(c, r)), EventPattern: r.EventPattern,
		ScheduleExpression: r.ScheduleExpression, State: ptr(r.State), Description: r.Description,
		RoleArn: r.RoleArn, ManagedBy: r.ManagedBy, EventBusName: ptr(r.Bus), CreatedBy: ptr(r.CreatedBy),
	}, nil
}

func (a *API) setRuleState(ctx context.Context, c *call, busArg *string, name, state string) error {
	bus, err := a.ruleBus(ctx, c, busArg)
	if err != nil {
		return err
	}
	_, err = a.cat.UpdateRule(ctx, c.scope, bus, name, func(r *catalog.Rule) error {
		if r.ManagedBy != nil {
			return managedRule(r)
		}
		r.State = state
		r.Modified = time.Now().UTC()
		return nil
	})
	return err
}

func (a *API) enableRule(ctx context.Context, c *call, in *wire.EnableRuleRequest) (*empty, error) {
	return nil, a.setRuleState(ctx, c, in.EventBusName, *in.Name, catalog.RuleEnabled)
}

func (a *API) disableRule(ctx context.Context, c *call, in *wire.DisableRuleRequest) (*empty, error) {
	return nil, a.setRuleState(ctx, c, in.EventBusName, *in.Name, catalog.RuleDisabled)
}

func (a *API) deleteRule(ctx context.Context, c *call, in *wire.DeleteRuleRequest) (*empty, error) {
	bus, err := a.ruleBus(ctx, c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	force := in.Force != nil && *in.Force
	err = a.cat.DeleteRule(ctx, c.scope, bus, *in.Name, func(r *catalog.Rule) error {
		if r.ManagedBy != nil && !force {
			return managedRule(r)
		}
		if len(r.Targets) > 0 {
			return Errorf(Validation, "Rule can't be deleted since it has targets.")
		}
		return nil
	})
	// Deleting a rule that does not exist succeeds: AWS documents DeleteRule
	// as idempotent ("all calls will succeed").
	if err != nil && !errors.Is(err, catalog.ErrNotFound) {
		return nil, err
	}
	return nil, nil
}

func (a *API) listRules(ctx context.Context, c *call, in *wire.ListRulesRequest) (*wire.ListRulesResponse, error) {
	bus, err := a.ruleBus(ctx, c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	rs, err := a.cat.Rules(ctx, c.scope, bus)
	if err != nil {
		return nil, err
	}
	name := func(r *catalog.Rule) string { return r.Name }
	rs = filterPrefix(rs, name, in.NamePrefix)
	pg, next, err := page(rs, name, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &wire.ListRulesResponse{Rules: make([]wire.Rule, 0, len(pg)), NextToken: next}
	for _, r := range pg {
		out.Rules = append(out.Rules, wire.Rule{
			Name: ptr(r.Name), Arn: ptr(ruleARN(c, r)), EventPattern: r.EventPattern, State: ptr(r.State),
			Description: r.Description, ScheduleExpression: r.ScheduleExpression, RoleArn: r.RoleArn,
			ManagedBy: r.ManagedBy, EventBusName: ptr(r.Bus),
		})
	}
	return out, nil
}

func (a *API) listRuleNamesByTarget(ctx context.Context, c *call, in *wire.ListRuleNamesByTargetRequest) (*wire.ListRuleNamesByTargetResponse, error) {
	bus, err := a.ruleBus(ctx, c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	rs, err := a.cat.Rules(ctx, c.scope, bus)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, r := range rs {
		for _, t := range r.Targets {
			if t.ARN == *in.TargetArn {
				names = append(names, r.Name)
				break
			}
		}
	}
	pg, next, err := page(names, func(s string) string { return s }, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	return &wire.ListRuleNamesByTargetResponse{RuleNames: append([]string{}, pg...), NextToken: next}, nil
}
