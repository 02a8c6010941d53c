package transform

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Seeds beyond these live in testdata/fuzz/<FuzzName>.

func FuzzPath(f *testing.F) {
	f.Add(pathEvent, "$.detail.order.items[1].sku")
	f.Add(`{"a":{"b":[1,{"c":"\u0041"}]},"a":{"b":[2]}}`, "$.a.b[0]")
	f.Add(`{"k\"ey":1,"k":[[],{}]}`, `$['k"ey']`)
	f.Add(`{"\ud800":1}`, "$['\uFFFD']")
	f.Add("{\"\xff\":2}", "$['\uFFFD']")
	f.Add(`[0,1,2]`, "$[2]")
	f.Add(`{"a":[1,2,3]}`, "$.a[*]")
	f.Fuzz(func(t *testing.T, event, path string) {
		raw, ok := Path([]byte(event), path)
		steps, valid := parsePath(path)
		if !valid {
			if ok {
				t.Fatalf("invalid path %q found %q", path, raw)
			}
			return
		}
		if !json.Valid([]byte(event)) {
			return
		}
		if ok && !json.Valid(raw) {
			t.Fatalf("Path(%q) = %q: not JSON", path, raw)
		}
		for _, s := range steps {
			if s.kind == stepWild {
				return // the reference has no document order for objects
			}
		}
		want, wantOK := referencePath(t, event, steps)
		if ok != wantOK {
			t.Fatalf("Path(%s, %q) = %q, %v; reference found %v", event, path, raw, ok, wantOK)
		}
		if ok {
			if got := decodeNumbers(t, raw); !reflect.DeepEqual(got, want) {
				t.Fatalf("Path(%s, %q) = %s; reference %#v", event, path, raw, want)
			}
		}
	})
}

// referencePath evaluates steps on the encoding/json decoding of event.
func referencePath(t *testing.T, event string, steps []step) (any, bool) {
	v := decodeNumbers(t, []byte(event))
	for _, s := range steps {
		switch s.kind {
		case stepKey:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[s.key]; !ok {
				return nil, false
			}
		case stepIndex:
			a, ok := v.([]any)
			if !ok || s.index >= len(a) {
				return nil, false
			}
			v = a[s.index]
		}
	}
	return v, true
}

func decodeNumbers(t *testing.T, b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

func FuzzApply(f *testing.F) {
	f.Add(`{"id": <a>, "s": "x/<a>/<b>", "l": <c>}`, "$.detail.x", edgeEvent)
	f.Add(`"<a> and <b> and <c>"`, "$.detail.obj", edgeEvent)
	f.Add(`[<aws.events.event>, <aws.events.event.json>, <aws.events.rule-arn>, <aws.events.event.ingestion-time>]`, "$", edgeEvent)
	f.Add(`{"x": "<b>"}`, "$.detail.list", edgeEvent)
	f.Add(`<a> items`, "$.detail.n", edgeEvent)
	f.Add(`{"a": [1 <a>]}`, "$.detail.t", edgeEvent)
	f.Add(`{"q": "<a>"}`, "$.detail.nested.q", edgeEvent)
	f.Add("{\"k\":\"\\\"<a>\\\"\"}", "$['a.b']", `{"a.b":"v"}`)
	f.Fuzz(func(t *testing.T, tmpl, path, event string) {
		paths := map[string]string{"a": path, "b": "$.detail", "c": "$.detail.list[*]"}
		tr, err := Compile(Spec{PathsMap: paths, Template: &tmpl})
		if err != nil {
			return
		}
		vars := Vars{RuleArn: `arn:"x"`, RuleName: "r\n", IngestionTime: time.Unix(0, 0)}
		out, err := tr.Apply([]byte("p"), []byte(event), vars)
		if err != nil && !errors.Is(err, ErrInvalidResult) {
			t.Fatalf("Apply: %v", err)
		}
		if err != nil {
			if string(out) != "p" {
				t.Fatalf("failed Apply extended dst: %q", out)
			}
			return
		}
		out = out[1:]
		if tr.jsonTemplate && !json.Valid(out) {
			t.Fatalf("JSON template %q delivered invalid JSON %q", tmpl, out)
		}
		if !tr.jsonTemplate && !validPrefix(out) {
			t.Fatalf("string template %q delivered %q", tmpl, out)
		}
	})
}

// FuzzApplyValues checks the promise of rule 1: a JSON object template
// whose placeholders all stand as values always delivers valid JSON, for
// any event.
func FuzzApplyValues(f *testing.F) {
	f.Add(`{"a": <a>, "b": [<b>, <c>], "e": <aws.events.event>}`, "$.detail.obj", edgeEvent)
	f.Add(`{"a": <a>}`, "$.missing", `{}`)
	f.Add(`{"a": <a>}`, "$.x[*]", `{"x":[1,"s",{"k":null}]}`)
	f.Add(`{"a": {"b": <a>}, "c": <aws.events.rule-name>}`, "$", `  [ 1 , 2 ]  `)
	f.Fuzz(func(t *testing.T, tmpl, path, event string) {
		if !json.Valid([]byte(event)) || !strings.HasPrefix(strings.TrimLeft(tmpl, " \t\r\n"), "{") {
			return
		}
		paths := map[string]string{"a": path, "b": "$.detail", "c": "$.detail.list[*]"}
		tr, err := Compile(Spec{PathsMap: paths, Template: &tmpl})
		if err != nil {
			return
		}
		var shape []byte
		for _, p := range tr.parts {
			if p.v < 0 {
				shape = append(shape, p.lit...)
				continue
			}
			if p.mode != asJSON {
				return
			}
			shape = append(shape, "null"...)
		}
		if !json.Valid(shape) {
			return
		}
		vars := Vars{RuleArn: `arn:"x"`, RuleName: "r\\", IngestionTime: time.Unix(1, 0)}
		out, err := tr.Apply(nil, []byte(event), vars)
		if err != nil || !json.Valid(out) {
			t.Fatalf("template %q on %q: %q, %v", tmpl, event, out, err)
		}
	})
}

// FuzzValid compares the validators with encoding/json.
func FuzzValid(f *testing.F) {
	for _, s := range []string{`{}`, `[1,-0.5e+3,"\u00e9",true,null]`, `{"a":[{}]}`, `01`, `1.`, `"\x"`, "\"\x01\"", `[1,]`, `{"a" 1}`, ` 7 `, `"a" x`, `truex`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid %v", s, got, want)
		}
		if validJSON([]byte(s)) && !validPrefix([]byte(s)) {
			t.Fatalf("validPrefix(%q) = false for valid JSON", s)
		}
	})
}
