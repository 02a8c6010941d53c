package api

import (
	"context"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// tagsIn converts and checks the tags of a request.
func (a *API) tagsIn(in []wire.Tag) ([]catalog.Tag, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]catalog.Tag, 0, len(in))
	for _, t := range in {
		if strings.HasPrefix(str(t.Key), "aws:") {
			return nil, Errorf(Validation, "Invalid tag key %s: the aws: prefix is reserved for AWS use.", str(t.Key))
		}
		out = catalog.MergeTags(out, []catalog.Tag{{Key: str(t.Key), Value: str(t.Value)}})
	}
	if catalog.CountTags(out) > a.limits.TagsPerResource {
		return nil, limitExceeded()
	}
	return out, nil
}

// taggable is a rule or bus named by a ResourceARN.
type taggable struct {
	bus, rule string // rule == "" for a bus
}

// resolveTaggable finds the bus or rule an ARN names. The not-found messages
// are AWS's: the rule or bus message, as for Describe*.
func (a *API) resolveTaggable(c *call, s string) (taggable, error) {
	p, err := arn.Parse(s)
	if err != nil || p.Service != "events" {
		return taggable{}, Errorf(Validation, "Parameter ResourceARN is not valid. Reason: %s is not a valid events ARN.", s)
	}
	if bus, ok := p.BusName(); ok {
		if !inScope(c, p) {
			return taggable{}, busNotFound(bus)
		}
		return taggable{bus: bus}, nil
	}
	if bus, rule, ok := p.RuleName(); ok {
		if !inScope(c, p) {
			return taggable{}, ruleNotFound(rule, bus)
		}
		return taggable{bus: bus, rule: rule}, nil
	}
	return taggable{}, Errorf(Validation, "Parameter ResourceARN is not valid. Reason: only event buses and rules can be tagged.")
}

// changeTags applies fn to the tags of the resource an ARN names.
func (a *API) changeTags(ctx context.Context, c *call, resource string, fn func([]catalog.Tag) ([]catalog.Tag, error)) error {
	t, err := a.resolveTaggable(c, resource)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if t.rule == "" {
		_, err = a.cat.UpdateBus(ctx, c.scope, t.bus, func(b *catalog.Bus) error {
			tags, err := fn(b.Tags)
			b.Tags = tags
			return err
		})
		return err
	}
	_, err = a.cat.UpdateRule(ctx, c.scope, t.bus, t.rule, func(r *catalog.Rule) error {
		if r.ManagedBy != nil {
			return managedRule(r)
		}
		tags, err := fn(r.Tags)
		r.Tags, r.Modified = tags, now
		return err
	})
	return err
}

func (a *API) tagResource(ctx context.Context, c *call, in *wire.TagResourceRequest) (*wire.TagResourceResponse, error) {
	add, err := a.tagsIn(in.Tags)
	if err != nil {
		return nil, err
	}
	err = a.changeTags(ctx, c, *in.ResourceARN, func(tags []catalog.Tag) ([]catalog.Tag, error) {
		merged := catalog.MergeTags(tags, add)
		if catalog.CountTags(merged) > a.limits.TagsPerResource {
			return nil, limitExceeded()
		}
		return merged, nil
	})
	if err != nil {
		return nil, err
	}
	return &wire.TagResourceResponse{}, nil
}

func (a *API) untagResource(ctx context.Context, c *call, in *wire.UntagResourceRequest) (*wire.UntagResourceResponse, error) {
	err := a.changeTags(ctx, c, *in.ResourceARN, func(tags []catalog.Tag) ([]catalog.Tag, error) {
		return catalog.RemoveTags(tags, in.TagKeys), nil
	})
	if err != nil {
		return nil, err
	}
	return &wire.UntagResourceResponse{}, nil
}

func (a *API) listTagsForResource(ctx context.Context, c *call, in *wire.ListTagsForResourceRequest) (*wire.ListTagsForResourceResponse, error) {
	t, err := a.resolveTaggable(c, *in.ResourceARN)
	if err != nil {
		return nil, err
	}
	var tags []catalog.Tag
	if t.rule == "" {
		b, err := a.cat.Bus(ctx, c.scope, t.bus)
		if err != nil {
			return nil, err
		}
		tags = b.Tags
	} else {
		r, err := a.cat.Rule(ctx, c.scope, t.bus, t.rule)
		if err != nil {
			return nil, err
		}
		tags = r.Tags
	}
	out := &wire.ListTagsForResourceResponse{Tags: make([]wire.Tag, 0, len(tags))}
	for _, tg := range tags {
		out.Tags = append(out.Tags, wire.Tag{Key: ptr(tg.Key), Value: ptr(tg.Value)})
	}
	return out, nil
}
