package wire

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// fuzzOps are the inputs FuzzDecodeValidate decodes every sample into:
// the deepest input trees of the model.
var fuzzOps = []string{"PutEvents", "PutTargets", "PutRule", "CreateConnection", "UpdateConnection", "StartReplay", "CreateEndpoint", "TagResource"}

// FuzzDecodeValidate decodes arbitrary bytes into several input shapes and
// validates them: nothing may panic, errors must be well-formed
// *ValidationErrors, and decoded values must re-encode.
func FuzzDecodeValidate(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"Name":"r","State":"ENABLED","Tags":[{"Key":"k","Value":"v"}]}`,
		`{"Entries":[{"Time":1767268800.123,"Source":"s","DetailType":"d","Detail":"{}","Resources":["a"]}]}`,
		`{"Rule":"r","Targets":[{"Id":"i","Arn":"a","InputTransformer":{"InputPathsMap":{"k":"$.x"},"InputTemplate":"<k>"},"HttpParameters":{"PathParameterValues":[" "],"HeaderParameters":{"a b":"\u0000"}}}]}`,
		`{"Name":"c","AuthorizationType":"BASIC","AuthParameters":{"BasicAuthParameters":{"Username":"u","Password":""}}}`,
		`{"ReplayName":"x","EventStartTime":"2026-01-01T00:00:00Z","EventEndTime":-1,"Destination":{"Arn":"a","FilterArns":[]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, op := range fuzzOps {
			in := NewInput(op)
			if json.Unmarshal(data, in) != nil {
				continue
			}
			err := in.(interface{ Validate() error }).Validate()
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || len(ve.Failures) == 0 {
					t.Fatalf("%s: bad error %#v", op, err)
				}
				msg := err.Error()
				if !strings.HasPrefix(msg, strconv.Itoa(len(ve.Failures))+" validation error") {
					t.Fatalf("%s: bad message %q", op, msg)
				}
				for _, f := range ve.Failures {
					if !strings.HasPrefix(f, "Value ") || !strings.Contains(f, "' failed to satisfy constraint: Member") && !strings.Contains(f, "' failed to satisfy constraint: Map") {
						t.Fatalf("%s: bad failure %q", op, f)
					}
				}
			}
			if _, err := json.Marshal(in); err != nil {
				t.Fatalf("%s: re-encode: %v", op, err)
			}
		}
	})
}
