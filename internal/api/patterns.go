package api

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/schedule"
	"github.com/switchyard-dev/switchyard/pattern"
)

// compilePattern compiles an EventPattern (PutRule, TestEventPattern, and
// later CreateArchive), answering AWS's InvalidEventPatternException with the
// engine's reason.
func (a *API) compilePattern(p string) (*pattern.Pattern, error) {
	compiled, err := pattern.Compile([]byte(p))
	var ce *pattern.CompileError
	if errors.As(err, &ce) {
		return nil, Errorf(InvalidEventPattern, "Event pattern is not valid. Reason: %s", ce.Reason)
	}
	if err != nil {
		return nil, Errorf(InvalidEventPattern, "Event pattern is not valid. Reason: %s", err.Error())
	}
	return compiled, nil
}

func (a *API) validatePattern(p string) error {
	_, err := a.compilePattern(p)
	return err
}

// envelopeFields are the members TestEventPattern requires of its event:
// AWS refuses anything less than a full envelope.
var envelopeFields = []string{"id", "account", "source", "time", "region", "detail-type"}

func (a *API) testEventPattern(ctx context.Context, c *call, in *wire.TestEventPatternRequest) (*wire.TestEventPatternResponse, error) {
	p, err := a.compilePattern(*in.EventPattern)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(*in.Event), &fields) != nil || fields == nil {
		return nil, Errorf(Validation, "Parameter Event is not valid.")
	}
	for _, f := range envelopeFields {
		if _, ok := fields[f]; !ok {
			return nil, Errorf(Validation, "Parameter Event is not valid.")
		}
	}
	ok, err := p.Match([]byte(*in.Event))
	if err != nil {
		return nil, Errorf(Validation, "Parameter Event is not valid.")
	}
	return &wire.TestEventPatternResponse{Result: &ok}, nil
}

// validateSchedule checks a ScheduleExpression's syntax.
func validateSchedule(expr string) error {
	if _, err := schedule.Parse(expr); err != nil {
		return Errorf(Validation, "Parameter ScheduleExpression is not valid.")
	}
	return nil
}
