package transform

import (
	"errors"
	"fmt"
	"time"

	"github.com/switchyard-dev/switchyard/internal/jsonstr"
)

// ErrInvalidResult is returned by Apply when EventBridge would not deliver
// the result: a substituted template that is not JSON (rule 5), or an
// InputPath that matches nothing. AWS drops such invocations and counts
// them as failed.
var ErrInvalidResult = errors.New("transform: result is not deliverable")

// PlaceholderError reports a template placeholder that is neither
// predefined nor a key of InputPathsMap; PutTargets rejects it with
// "InputTemplate for target <id> contains invalid placeholder <name>.".
type PlaceholderError struct{ Name string }

func (e *PlaceholderError) Error() string {
	return "transform: InputTemplate contains invalid placeholder " + e.Name
}

// Vars are the values of the predefined placeholders.
type Vars struct {
	RuleArn       string
	RuleName      string
	IngestionTime time.Time // rendered in UTC at second precision: 2006-01-02T15:04:05Z
}

// ingestionTimeLayout is the envelope's own time format; AWS's recording
// shows the value matching the same ISO 8601 pattern as the event time.
const ingestionTimeLayout = "2006-01-02T15:04:05Z"

// Spec is a target's input configuration; at most one of Input, InputPath
// and Template is set (the API enforces that, Compile checks it again).
type Spec struct {
	Input     *string           // constant JSON text delivered as is
	InputPath *string           // JSONPath into the event
	PathsMap  map[string]string // InputTransformer.InputPathsMap
	Template  *string           // InputTransformer.InputTemplate
}

type kind uint8

const (
	kindEvent kind = iota
	kindInput
	kindPath
	kindTemplate
)

// Transformer is a compiled Spec. It is immutable and safe for concurrent
// use.
type Transformer struct {
	kind         kind
	input        []byte
	paths        pathSet
	eventPaths   [len(eventFields)]int
	parts        []part
	vars         []variable
	jsonTemplate bool
}

// Compile parses a Spec's paths and template once.
func Compile(s Spec) (*Transformer, error) {
	t := &Transformer{}
	for j := range t.eventPaths {
		t.eventPaths[j] = -1
	}
	set := 0
	for _, p := range []*string{s.Input, s.InputPath, s.Template} {
		if p != nil {
			set++
		}
	}
	switch {
	case set > 1:
		return nil, errors.New("transform: only one of Input, InputPath, or InputTransformer may be set")
	case s.Input != nil:
		if !validJSON([]byte(*s.Input)) {
			return nil, errors.New("transform: Input is not valid JSON")
		}
		t.kind, t.input = kindInput, []byte(*s.Input)
	case s.InputPath != nil:
		steps, ok := parsePath(*s.InputPath)
		if !ok {
			return nil, fmt.Errorf("transform: InputPath is not a supported JSONPath: %q", *s.InputPath)
		}
		t.kind = kindPath
		t.paths.add(steps)
	case s.Template != nil:
		t.kind = kindTemplate
		if err := t.compileTemplate(*s.Template, s.PathsMap); err != nil {
			return nil, err
		}
	case s.PathsMap != nil:
		return nil, errors.New("transform: InputPathsMap without InputTemplate")
	}
	t.paths.finish()
	return t, nil
}

// Apply appends to dst what the target receives for event, the full
// envelope JSON as delivered. On error dst is returned unextended.
func (t *Transformer) Apply(dst []byte, event []byte, v Vars) ([]byte, error) {
	switch t.kind {
	case kindEvent:
		return append(dst, event...), nil
	case kindInput:
		return append(dst, t.input...), nil
	}
	var resBuf [16]span
	st := walkState{ev: event, res: resBuf[:0]}
	if n := len(t.paths.ids); n <= len(resBuf) {
		st.res = resBuf[:n]
	} else {
		st.res = make([]span, n)
	}
	if t.paths.hasWild {
		st.wild = &matches{}
	}
	t.paths.run(&st)
	if t.kind == kindPath {
		if !t.paths.wild[t.paths.ids[0]] && st.res[t.paths.ids[0]].start < 0 {
			return dst, fmt.Errorf("%w: InputPath matches nothing in the event", ErrInvalidResult)
		}
		return t.appendPath(dst, &st, 0, asJSON), nil
	}
	start := len(dst)
	for _, p := range t.parts {
		if p.v < 0 {
			dst = append(dst, p.lit...)
			continue
		}
		dst = t.appendVar(dst, &st, t.vars[p.v], p.mode, v)
	}
	out := dst[start:]
	if t.jsonTemplate && !validJSON(out) || !t.jsonTemplate && !validPrefix(out) {
		return dst[:start], fmt.Errorf("%w: substituted template is not JSON", ErrInvalidResult)
	}
	return dst, nil
}

func (t *Transformer) appendVar(dst []byte, st *walkState, v variable, m mode, vars Vars) []byte {
	switch v.kind {
	case varPath, varEventJSON:
		return t.appendPath(dst, st, v.path, m)
	case varRuleArn:
		return appendString(dst, vars.RuleArn, m)
	case varRuleName:
		return appendString(dst, vars.RuleName, m)
	case varIngestionTime:
		if m == asJSON {
			dst = append(dst, '"')
		}
		dst = vars.IngestionTime.UTC().AppendFormat(dst, ingestionTimeLayout)
		if m == asJSON {
			dst = append(dst, '"')
		}
		return dst
	case varEvent:
		if m == inString {
			m = asJSON // a container keeps its JSON inside a string
		}
		dst = append(dst, '{')
		first := true
		for j, f := range eventFields {
			k := t.eventPaths[j]
			if st.res[t.paths.ids[k]].start < 0 {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			if m != asText {
				dst = append(dst, '"')
				dst = append(dst, f.key...)
				dst = append(dst, '"')
			} else {
				dst = append(dst, f.key...)
			}
			dst = append(dst, ':')
			dst = t.appendPath(dst, st, k, m)
		}
		return append(dst, '}')
	}
	return dst
}

// appendPath renders the value of the k-th path. A missing value is an
// empty string: "" as JSON (AWS delivered "command": ""), nothing as text.
func (t *Transformer) appendPath(dst []byte, st *walkState, k int, m mode) []byte {
	id := t.paths.ids[k]
	if !t.paths.wild[id] {
		s := st.res[id]
		if s.start < 0 {
			if m == asJSON {
				dst = append(dst, '"', '"')
			}
			return dst
		}
		return appendValue(dst, st.ev[s.start:s.end], m)
	}
	if m == inString {
		m = asJSON // a container keeps its JSON inside a string
	}
	dst = append(dst, '[')
	first := true
	for _, mt := range st.wild.list {
		if mt.id != id {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendValue(dst, st.ev[mt.start:mt.end], m)
	}
	return append(dst, ']')
}

func appendValue(dst, raw []byte, m mode) []byte {
	switch m {
	case asJSON:
		return appendJSON(dst, raw)
	case inString:
		return appendInString(dst, raw)
	}
	return appendText(dst, raw)
}

func appendString(dst []byte, s string, m mode) []byte {
	if m == asJSON {
		return jsonstr.AppendQuoted(dst, s)
	}
	return append(dst, s...)
}
