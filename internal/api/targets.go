package api

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/transform"
)

// checkTarget applies the cross-member rules of a target that the model's
// per-member constraints cannot express.
func checkTarget(t *wire.Target) error {
	id := str(t.Id)
	n := 0
	for _, set := range []bool{t.Input != nil, t.InputPath != nil, t.InputTransformer != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return Errorf(Validation, "Only one of Input, InputPath, or InputTransformer must be provided for target %s.", id)
	}
	if t.Input != nil && !json.Valid([]byte(*t.Input)) {
		return Errorf(Validation, "Input for target %s is not valid JSON text.", id)
	}
	if t.InputPath != nil && !transform.ValidPath(*t.InputPath) {
		return Errorf(Validation, "InputPath for target %s is not a valid JSON path.", id)
	}
	if it := t.InputTransformer; it != nil {
		for key, path := range it.InputPathsMap {
			if strings.HasPrefix(key, "aws.") {
				return Errorf(Validation, "Input path key %s for target %s is reserved: keys may not start with 'aws.'.", key, id)
			}
			if !transform.ValidPath(path) {
				return Errorf(Validation, "Input path %s for target %s is not a valid JSON path.", path, id)
			}
		}
		for _, name := range transform.Placeholders(str(it.InputTemplate)) {
			if _, ok := it.InputPathsMap[name]; !ok && !transform.IsPredefined(name) {
				return Errorf(Validation, "InputTemplate for target %s contains invalid placeholder %s.", id, name)
			}
		}
	}
	if d := t.DeadLetterConfig; d != nil && d.Arn != nil {
		a, err := arn.Parse(*d.Arn)
		if err != nil || a.Service != "sqs" || strings.HasSuffix(a.Resource, ".fifo") {
			return Errorf(Validation, "Parameter DeadLetterConfig.Arn is not valid for target %s: it must be the ARN of an SQS standard queue.", id)
		}
	}
	return nil
}

func (a *API) putTargets(ctx context.Context, c *call, in *wire.PutTargetsRequest) (*wire.PutTargetsResponse, error) {
	bus, err := a.ruleBus(ctx, c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	for i := range in.Targets {
		if err := checkTarget(&in.Targets[i]); err != nil {
			return nil, err
		}
	}
	name := *in.Rule
	_, err = a.cat.UpdateRule(ctx, c.scope, bus, name, func(r *catalog.Rule) error {
		if r.ManagedBy != nil {
			return managedRule(r)
		}
		for i := range in.Targets {
			t := targetIn(&in.Targets[i])
			j := slices.IndexFunc(r.Targets, func(old catalog.Target) bool { return old.ID == t.ID })
			if j >= 0 {
				r.Targets[j] = t
			} else {
				r.Targets = append(r.Targets, t)
			}
		}
		if len(r.Targets) > a.limits.TargetsPerRule {
			return limitExceeded()
		}
		r.Modified = time.Now().UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &wire.PutTargetsResponse{FailedEntryCount: ptr(int32(0)), FailedEntries: []wire.PutTargetsResultEntry{}}, nil
}

func (a *API) removeTargets(ctx context.Context, c *call, in *wire.RemoveTargetsRequest) (*wire.RemoveTargetsResponse, error) {
	bus, err := a.ruleBus(ctx, c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	force := in.Force != nil && *in.Force
	name := *in.Rule
	_, err = a.cat.UpdateRule(ctx, c.scope, bus, name, func(r *catalog.Rule) error {
		if r.ManagedBy != nil && !force {
			return managedRule(r)
		}
		r.Targets = slices.DeleteFunc(r.Targets, func(t catalog.Target) bool { return slices.Contains(in.Ids, t.ID) })
		r.Modified = time.Now().UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &wire.RemoveTargetsResponse{FailedEntryCount: ptr(int32(0)), FailedEntries: []wire.RemoveTargetsResultEntry{}}, nil
}

func (a *API) listTargetsByRule(ctx context.Context, c *call, in *wire.ListTargetsByRuleRequest) (*wire.ListTargetsByRuleResponse, error) {
	bus, err := a.ruleBus(ctx, c, in.EventBusName)
	if err != nil {
		return nil, err
	}
	r, err := a.cat.Rule(ctx, c.scope, bus, *in.Rule)
	if err != nil {
		return nil, err
	}
	ts := slices.Clone(r.Targets)
	id := func(t catalog.Target) string { return t.ID }
	slices.SortFunc(ts, func(x, y catalog.Target) int { return strings.Compare(x.ID, y.ID) })
	pg, next, err := page(ts, id, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &wire.ListTargetsByRuleResponse{Targets: make([]wire.Target, 0, len(pg)), NextToken: next}
	for i := range pg {
		out.Targets = append(out.Targets, targetOut(&pg[i]))
	}
	return out, nil
}
