package transform

import (
	"strings"
	"testing"
)

func TestIsJSONTemplate(t *testing.T) {
	cases := []struct {
		tmpl string
		want bool
	}{
		{`{"a": 1}`, true},
		{`[1]`, true},
		{" \n\t{", true},
		{`"{[/quoted"`, false},
		{`<a>`, false},
		{`plain`, false},
		{``, false},
		{`  `, false},
	}
	for _, c := range cases {
		if got := isJSONTemplate(c.tmpl); got != c.want {
			t.Errorf("isJSONTemplate(%q) = %v", c.tmpl, got)
		}
	}
}

// TestCompileParts shows how a template is cut: literals (minified in JSON
// templates) and placeholders with the mode they render in.
func TestCompileParts(t *testing.T) {
	paths := map[string]string{"a": "$.a", "b": "$.b"}
	cases := []struct {
		tmpl string
		want string // literals as is, placeholders as {name:mode}
	}{
		{`{"x": <a>, "y": "<b>!"}`, `{"x":{a:json},"y":"{b:instr}!"}`},
		{`"x <a> <b>"`, `"x {a:text} {b:text}"`},
		{`  {"x" :  [ <a> , 1 ] }  `, `{"x":[{a:json},1]}`},
		{`{"x": "a \" <a> \" b", "y": <b>}`, `{"x":"a \" {a:instr} \" b","y":{b:json}}`},
		{`{"x": "\\", "y": <a>}`, `{"x":"\\","y":{a:json}}`},
		{`[1 2, <a> <b>]`, `[1 2,{a:json} {b:json}]`},
		{`{"x": "a   b"}`, `{"x":"a   b"}`},
		{`<a><b>`, `{a:text}{b:text}`},
		{`<<a>>`, `<{a:text}>`},
		{`<a b> <>`, `<a b> <>`},
		{`{"x": <aws.events.rule-name>}`, `{"x":{aws.events.rule-name:json}}`},
	}
	names := []string{"json", "instr", "text"}
	for _, c := range cases {
		tr, err := Compile(Spec{PathsMap: paths, Template: &c.tmpl})
		if err != nil {
			t.Fatalf("%s: %v", c.tmpl, err)
		}
		var b strings.Builder
		for _, p := range tr.parts {
			if p.v < 0 {
				b.Write(p.lit)
				continue
			}
			b.WriteString("{" + nameOf(c.tmpl, tr, p.v) + ":" + names[p.mode] + "}")
		}
		if got := b.String(); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.tmpl, got, c.want)
		}
	}
}

// nameOf finds the placeholder name of variable v by its first use.
func nameOf(tmpl string, tr *Transformer, v int) string {
	seen := map[string]bool{}
	i := 0
	for _, name := range Placeholders(tmpl) {
		if !seen[name] {
			if i == v {
				return name
			}
			seen[name] = true
			i++
		}
	}
	return "?"
}

// TestCompileSharedPaths checks that identical and overlapping paths share
// one walk and still resolve independently.
func TestCompileSharedPaths(t *testing.T) {
	ev := `{"detail":{"a":{"b":1,"c":[10,20]},"d":"x"}}`
	paths := map[string]string{
		"p1": "$.detail.a.b", "p2": "$.detail.a.b", "p3": "$.detail.a", "p4": "$.detail.a.c[1]",
		"p5": "$.detail.a.c[*]", "p6": "$.detail.*", "p7": "$['detail']['d']", "p8": "$.detail.nope",
	}
	tmpl := `[<p1>, <p2>, <p3>, <p4>, <p5>, <p6>, <p7>, <p8>]`
	tr, err := Compile(Spec{PathsMap: paths, Template: &tmpl})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Apply(nil, []byte(ev), Vars{})
	want := `[1,1,{"b":1,"c":[10,20]},20,[10,20],[{"b":1,"c":[10,20]},"x"],"x",""]`
	if err != nil || string(got) != want {
		t.Errorf("Apply = %s, %v\nwant %s", got, err, want)
	}
	// Each node covers exactly the ids of the paths below it.
	for _, nd := range tr.paths.nodes {
		for _, id := range nd.terms {
			if id < nd.lo || id >= nd.hi {
				t.Errorf("term %d outside [%d,%d)", id, nd.lo, nd.hi)
			}
		}
	}
}

func TestPlaceholdersAgreeWithCompile(t *testing.T) {
	// Every name Placeholders reports must be resolved by Compile, which
	// fails on exactly the names that are neither predefined nor mapped.
	for _, tmpl := range []string{
		`{"id": <userId>, "x": "users/<userId>/<name>"}`,
		`<aws.events.rule-arn> <aws.events.event.json>`,
		`a < b and c > d <name>`,
		`<<name>> <>`,
	} {
		paths := map[string]string{}
		for _, n := range Placeholders(tmpl) {
			if !IsPredefined(n) {
				paths[n] = "$.x"
			}
		}
		if _, err := Compile(Spec{PathsMap: paths, Template: &tmpl}); err != nil {
			t.Errorf("%s: %v", tmpl, err)
		}
		for n := range paths {
			partial := map[string]string{}
			for m := range paths {
				if m != n {
					partial[m] = "$.x"
				}
			}
			_, err := Compile(Spec{PathsMap: partial, Template: &tmpl})
			if pe, ok := err.(*PlaceholderError); !ok || pe.Name != n {
				t.Errorf("%s without %s: %v", tmpl, n, err)
			}
		}
	}
}
