package transform

import (
	"fmt"
	"strings"
)

// A template is compiled into literal text and placeholder references.
// Whether a placeholder renders as JSON or as text is decided here, once:
// as JSON only in a JSON template and outside a string literal. In a JSON
// template the literal text is also minified, as EventBridge minifies what
// it delivers; substituted values are minified as they are written.

type part struct {
	lit  []byte // literal text, when v < 0
	v    int    // index into Transformer.vars
	mode mode
}

// mode is how a placeholder renders, by where it stands.
type mode uint8

const (
	// asJSON: in a JSON template, outside a string literal.
	asJSON mode = iota
	// inString: in a JSON template, inside a string literal. Scalars are
	// text, but objects and arrays keep their JSON, quotes and all, which
	// breaks the string: AWS dropped {"singlelistitem": "<listsingle>"} and
	// {"payload": "<payload>"}.
	inString
	// asText: anywhere in a string template. Objects and arrays are
	// flattened: AWS delivered "[HIGH] single list item".
	asText
)

type varKind uint8

const (
	varPath varKind = iota
	varRuleArn
	varRuleName
	varIngestionTime
	varEvent
	varEventJSON
)

type variable struct {
	kind varKind
	path int // index of the path in the pathSet, for varPath and varEventJSON
}

// eventFields are the envelope members <aws.events.event> carries, in the
// order AWS rendered them, with the key it renders for each.
var eventFields = [...]struct{ key, path string }{
	{"id", "$.id"},
	{"account", "$.account"},
	{"detailType", "$.detail-type"},
	{"time", "$.time"},
	{"source", "$.source"},
	{"region", "$.region"},
	{"resources", "$.resources"},
	{"version", "$.version"},
}

// isJSONTemplate reports whether a template is a JSON object or array
// template: its first non-space byte opens one.
func isJSONTemplate(tmpl string) bool {
	t := strings.TrimLeft(tmpl, " \t\r\n")
	return t != "" && (t[0] == '{' || t[0] == '[')
}

func (t *Transformer) compileTemplate(tmpl string, paths map[string]string) error {
	t.jsonTemplate = isJSONTemplate(tmpl)
	byName := map[string]int{}
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			t.parts = append(t.parts, part{lit: lit, v: -1})
			lit = nil
		}
	}
	quoted := false
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c == '<' {
			if end := strings.IndexByte(tmpl[i+1:], '>'); end > 0 && isPlaceholderName(tmpl[i+1:i+1+end]) {
				name := tmpl[i+1 : i+1+end]
				v, ok := byName[name]
				if !ok {
					nv, err := t.resolve(name, paths)
					if err != nil {
						return err
					}
					v = len(t.vars)
					t.vars = append(t.vars, nv)
					byName[name] = v
				}
				flush()
				m := asText
				if t.jsonTemplate {
					m = asJSON
					if quoted {
						m = inString
					}
				}
				t.parts = append(t.parts, part{v: v, mode: m})
				i += end + 1
				continue
			}
		}
		if !t.jsonTemplate {
			lit = append(lit, c)
			continue
		}
		switch {
		case quoted && c == '\\' && i+1 < len(tmpl):
			lit = append(lit, c, tmpl[i+1])
			i++
			continue
		case c == '"':
			quoted = !quoted
		case !quoted && isSpace(c):
			// Whitespace goes only where it cannot separate two tokens:
			// dropping it from "[1 2]" would make "[12]" valid.
			j := skipSpace([]byte(tmpl[i:]), 0) + i
			before := len(lit) == 0 && len(t.parts) == 0 || len(lit) > 0 && structural(lit[len(lit)-1])
			after := j == len(tmpl) || structural(tmpl[j])
			if !before && !after {
				lit = append(lit, tmpl[i:j]...)
			}
			i = j - 1
			continue
		}
		lit = append(lit, c)
	}
	flush()
	return nil
}

// resolve finds what a placeholder stands for. Predefined names win over
// InputPathsMap keys: EventBridge reserves them and ingestion-time "can't
// be overwritten".
func (t *Transformer) resolve(name string, paths map[string]string) (variable, error) {
	switch name {
	case "aws.events.rule-arn":
		return variable{kind: varRuleArn}, nil
	case "aws.events.rule-name":
		return variable{kind: varRuleName}, nil
	case "aws.events.event.ingestion-time":
		return variable{kind: varIngestionTime}, nil
	case "aws.events.event":
		if t.eventPaths[0] < 0 {
			for j, f := range eventFields {
				steps, _ := parsePath(f.path)
				t.eventPaths[j] = t.paths.add(steps)
			}
		}
		return variable{kind: varEvent}, nil
	case "aws.events.event.json":
		return variable{kind: varEventJSON, path: t.paths.add(nil)}, nil
	}
	p, ok := paths[name]
	if !ok {
		return variable{}, &PlaceholderError{Name: name}
	}
	steps, ok := parsePath(p)
	if !ok {
		return variable{}, fmt.Errorf("transform: InputPathsMap value for %s is not a supported JSONPath: %q", name, p)
	}
	return variable{kind: varPath, path: t.paths.add(steps)}, nil
}

// structural reports whether whitespace next to c can go: c delimits a
// token on its side.
func structural(c byte) bool {
	switch c {
	case '{', '}', '[', ']', ',', ':', '"':
		return true
	}
	return false
}
