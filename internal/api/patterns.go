package api

import (
	"context"
	"encoding/json"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/schedule"
)

// validatePattern checks an EventPattern for PutRule (and CreateArchive).
// Until the pattern engine is wired in, only the JSON-object shape is checked.
func (a *API) validatePattern(p string) error {
	var v map[string]json.RawMessage
	if err := json.Unmarshal([]byte(p), &v); err != nil {
		return Errorf(InvalidEventPattern, "Event pattern is not valid. Reason: Filter is not an object")
	}
	return nil
}

func (a *API) testEventPattern(ctx context.Context, c *call, in *wire.TestEventPatternRequest) (*wire.TestEventPatternResponse, error) {
	return nil, Errorf(NotImplemented, "TestEventPattern is not implemented yet in Switchyard.")
}

// validateSchedule checks a ScheduleExpression's syntax.
func validateSchedule(expr string) error {
	if _, err := schedule.Parse(expr); err != nil {
		return Errorf(Validation, "Parameter ScheduleExpression is not valid.")
	}
	return nil
}
