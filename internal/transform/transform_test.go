package transform

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

const edgeEvent = `{"version":"0","id":"e1","detail-type":"Order Placed","source":"shop","account":"111111111111",` +
	`"time":"2026-01-01T12:00:00Z","region":"us-east-1","resources":["arn:r"],` +
	`"detail":{"s":"text","n":12.5e3,"t":true,"f":false,"z":null,"obj":{"a":1,"b":["x","y"]},` +
	`"list":["x","y"],"nested":{"q":"say \"hi\"","nl":"a\nb","u":"caf\u00e9 \ud83d\ude00","lt":"<s>"},` +
	`"empty":"","items":[{"id":1},{"id":2}]}}`

var edgeVars = Vars{
	RuleArn:       "arn:aws:events:us-east-1:111111111111:rule/r1",
	RuleName:      "r1",
	IngestionTime: time.Date(2026, 1, 1, 12, 0, 1, 999e6, time.FixedZone("x", 3600)),
}

var edgePaths = map[string]string{
	"s": "$.detail.s", "n": "$.detail.n", "t": "$.detail.t", "f": "$.detail.f", "z": "$.detail.z",
	"obj": "$.detail.obj", "list": "$.detail.list", "q": "$.detail.nested.q", "nl": "$.detail.nested.nl",
	"u": "$.detail.nested.u", "lt": "$.detail.nested.lt", "empty": "$.detail.empty",
	"missing": "$.detail.missing", "ids": "$.detail.items[*].id", "none": "$.detail.items[*].nope",
	"detail": "$.detail", "all": "$",
}

func TestApplyTemplate(t *testing.T) {
	cases := []struct {
		name, tmpl string
		want       string // "" means ErrInvalidResult
	}{
		// JSON template, placeholders as values: the value's JSON.
		{"values", `{"s": <s>, "n": <n>, "t": <t>, "f": <f>, "z": <z>}`, `{"s":"text","n":12.5e3,"t":true,"f":false,"z":null}`},
		{"containers", `{"obj": <obj>, "list": <list>}`, `{"obj":{"a":1,"b":["x","y"]},"list":["x","y"]}`},
		{"missing value", `{"m": <missing>}`, `{"m":""}`},
		{"escaped string value stays escaped", `{"q": <q>, "nl": <nl>}`, `{"q":"say \"hi\"","nl":"a\nb"}`},
		{"array template", `[<s>, 1, <list>]`, `["text",1,["x","y"]]`},
		{"wildcard value", `{"ids": <ids>, "none": <none>}`, `{"ids":[1,2],"none":[]}`},
		{"minified", "{\n  \"a\" : [ 1 , 2 ],\n  \"b\":\"x  y\"\n}", `{"a":[1,2],"b":"x  y"}`},
		{"no placeholders", `{"fixed": true}`, `{"fixed":true}`},
		{"invalid without placeholders", `{"fixed": }`, ``},
		// JSON template, placeholders inside strings: text.
		{"scalars in string", `{"x": "<s>/<n>/<t>/<z>/<empty>/<missing>."}`, `{"x":"text/12.5e3/true/null//."}`},
		{"multiple occurrences", `{"x": "<s>-<s>", "y": <s>}`, `{"x":"text-text","y":"text"}`},
		{"adjacent", `{"x": "<s><t><n>"}`, `{"x":"texttrue12.5e3"}`},
		{"unicode decoded", `{"x": "<u>"}`, `{"x":"café 😀"}`},
		{"angle brackets in value", `{"x": "<lt>"}`, `{"x":"<s>"}`},
		{"escaped quote in template", `{"x": "a \"<s>\" b"}`, `{"x":"a \"text\" b"}`},
		{"not a placeholder", `{"x": "a < b > c", "y": "<1 2>"}`, `{"x":"a < b > c","y":"<1 2>"}`},
		{"unescaped quote breaks it", `{"x": "<q>"}`, ``},
		{"unescaped newline breaks it", `{"x": "<nl>"}`, ``},
		{"object in string", `{"x": "<obj>"}`, ``},
		{"list in string", `{"x": "<list>"}`, ``},
		{"wildcard of numbers in string", `{"x": "<ids>"}`, `{"x":"[1,2]"}`},
		{"empty wildcard in string", `{"x": "<none>"}`, `{"x":"[]"}`},
		{"placeholder as key", `{<s>: 1}`, `{"text":1}`},
		{"missing as key", `{<missing>: 1}`, `{"":1}`},
		// String templates: text everywhere, delivered verbatim.
		{"string", `"<s> is <n>"`, `"text is 12.5e3"`},
		{"string flattens", `"<obj> and <list>"`, `"{a:1,b:[x,y]} and [x,y]"`},
		{"string flattens wildcard", `"<ids>"`, `"[1,2]"`},
		{"string with brackets", `"{[/<s>"`, `"{[/text"`},
		{"string missing", `"a <missing> b"`, `"a  b"`},
		{"string keeps spacing", `  "a   <s>"  `, `  "a   text"  `},
		{"string then text", `"a" then <s>`, `"a" then text`},
		{"unescaped quote in string template", `"say <q>!"`, `"say say "hi"!"`},
		{"bare text", `<s> items`, ``},
		{"bare list", `<list> items`, ``},
		{"bare number", `<n> items`, `12.5e3 items`},
		{"bare number glued", `<n>items`, ``},
		{"bare true", `<t>`, `true`},
		{"bare object flattened", `<obj>`, ``},
		{"bare missing", `<missing>`, ``},
		{"empty template", ``, ``},
		// Predefined placeholders.
		{"rule", `{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>!"}`,
			`{"arn":"arn:aws:events:us-east-1:111111111111:rule/r1","name":"r1!"}`},
		{"ingestion time", `{"a": <aws.events.event.ingestion-time>, "b": "at <aws.events.event.ingestion-time>"}`,
			`{"a":"2026-01-01T11:00:01Z","b":"at 2026-01-01T11:00:01Z"}`},
		{"event", `{"e": <aws.events.event>}`,
			`{"e":{"id":"e1","account":"111111111111","detailType":"Order Placed","time":"2026-01-01T12:00:00Z",` +
				`"source":"shop","region":"us-east-1","resources":["arn:r"],"version":"0"}}`},
		{"event as text", `"<aws.events.event>"`,
			`"{id:e1,account:111111111111,detailType:Order Placed,time:2026-01-01T12:00:00Z,` +
				`source:shop,region:us-east-1,resources:[arn:r],version:0}"`},
		{"event json", `[<aws.events.event.json>]`, `[` + edgeEvent + `]`},
		{"event json in string", `{"e": "<aws.events.event.json>"}`, ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmpl := c.tmpl
			tr, err := Compile(Spec{PathsMap: edgePaths, Template: &tmpl})
			if err != nil {
				t.Fatal(err)
			}
			prefix := []byte("prefix:")
			got, err := tr.Apply(prefix, []byte(edgeEvent), edgeVars)
			if c.want == "" {
				if !errors.Is(err, ErrInvalidResult) || string(got) != "prefix:" {
					t.Fatalf("Apply = %q, %v; want ErrInvalidResult", got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if string(got) != "prefix:"+c.want {
				t.Errorf("Apply\n got %s\nwant prefix:%s", got, c.want)
			}
			if isJSONTemplate(tmpl) && !json.Valid(got[len("prefix:"):]) {
				t.Errorf("JSON template delivered invalid JSON %s", got)
			}
		})
	}
}

func TestApplyKinds(t *testing.T) {
	str := func(s string) *string { return &s }
	ev := []byte(edgeEvent)
	cases := []struct {
		name string
		spec Spec
		want string // "" means ErrInvalidResult
	}{
		{"no transformation", Spec{}, edgeEvent},
		{"input", Spec{Input: str(`{"constant": [1, 2]}`)}, `{"constant": [1, 2]}`},
		{"input path object", Spec{InputPath: str("$.detail.obj")}, `{"a":1,"b":["x","y"]}`},
		{"input path string", Spec{InputPath: str("$.detail.s")}, `"text"`},
		{"input path root", Spec{InputPath: str("$")}, edgeEvent},
		{"input path wildcard", Spec{InputPath: str("$.detail.items[*].id")}, `[1,2]`},
		{"input path missing", Spec{InputPath: str("$.detail.missing")}, ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, err := Compile(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tr.Apply(nil, ev, edgeVars)
			if c.want == "" {
				if !errors.Is(err, ErrInvalidResult) {
					t.Fatalf("Apply = %q, %v; want ErrInvalidResult", got, err)
				}
				return
			}
			if err != nil || string(got) != c.want {
				t.Errorf("Apply = %s, %v; want %s", got, err, c.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	str := func(s string) *string { return &s }
	cases := []struct {
		name string
		spec Spec
	}{
		{"two kinds", Spec{Input: str(`{}`), InputPath: str("$")}},
		{"path and template", Spec{InputPath: str("$"), Template: str(`"x"`)}},
		{"input not JSON", Spec{Input: str(`{`)}},
		{"bad input path", Spec{InputPath: str("$..x")}},
		{"undefined placeholder", Spec{PathsMap: map[string]string{"a": "$.a"}, Template: str(`"<b>"`)}},
		{"bad map path", Spec{PathsMap: map[string]string{"a": "detail.a"}, Template: str(`"<a>"`)}},
		{"map without template", Spec{PathsMap: map[string]string{"a": "$.a"}}},
	}
	for _, c := range cases {
		if _, err := Compile(c.spec); err == nil {
			t.Errorf("%s: Compile succeeded", c.name)
		}
	}
	// A bad path that the template does not use is not evaluated, so it
	// is not an error either.
	if _, err := Compile(Spec{PathsMap: map[string]string{"a": "$.a", "b": "bad"}, Template: str(`"<a>"`)}); err != nil {
		t.Errorf("unused bad path: %v", err)
	}
	var pe *PlaceholderError
	_, err := Compile(Spec{Template: str(`{"a": <nope>}`)})
	if !errors.As(err, &pe) || pe.Name != "nope" {
		t.Errorf("Compile = %v, want PlaceholderError{nope}", err)
	}
	// Predefined names cannot be redefined by the map.
	tr, err := Compile(Spec{PathsMap: map[string]string{"aws.events.rule-name": "$.id"}, Template: str(`"<aws.events.rule-name>"`)})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := tr.Apply(nil, []byte(edgeEvent), edgeVars); string(got) != `"r1"` {
		t.Errorf("predefined overridden: %s", got)
	}
}

func TestApplyHugeEvent(t *testing.T) {
	pad := strings.Repeat(`{"k":"v","n":[1,2,3]},`, 50000)
	ev := `{"id":"x","detail":{"pad":[` + pad + `0],"want":{"deep":"found"}}}`
	tmpl := `{"w": <w>, "p": "<w>"}`
	tr, err := Compile(Spec{PathsMap: map[string]string{"w": "$.detail.want.deep"}, Template: &tmpl})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Apply(nil, []byte(ev), edgeVars)
	if err != nil || string(got) != `{"w":"found","p":"found"}` {
		t.Fatalf("Apply = %s, %v", got, err)
	}
}

func TestApplyRepeatedKey(t *testing.T) {
	// The last occurrence wins, also for paths below it that the last
	// occurrence lacks.
	ev := `{"detail":{"a":{"b":1,"c":[1]},"a":{"c":[2,3]}}}`
	tmpl := `{"b": <b>, "c": <c>, "all": <all>}`
	tr, err := Compile(Spec{PathsMap: map[string]string{"b": "$.detail.a.b", "c": "$.detail.a.c[*]", "all": "$.detail.a"}, Template: &tmpl})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Apply(nil, []byte(ev), edgeVars)
	if want := `{"b":"","c":[2,3],"all":{"c":[2,3]}}`; err != nil || string(got) != want {
		t.Fatalf("Apply = %s, %v; want %s", got, err, want)
	}
}

func TestApplyConcurrent(t *testing.T) {
	tmpl := `{"s": <s>, "ids": <ids>, "e": <aws.events.event>}`
	tr, err := Compile(Spec{PathsMap: edgePaths, Template: &tmpl})
	if err != nil {
		t.Fatal(err)
	}
	want, err := tr.Apply(nil, []byte(edgeEvent), edgeVars)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	for range 4 {
		go func() {
			var buf []byte
			for range 200 {
				buf, _ = tr.Apply(buf[:0], []byte(edgeEvent), edgeVars)
			}
			done <- string(buf)
		}()
	}
	for range 4 {
		if got := <-done; got != string(want) {
			t.Errorf("concurrent Apply = %s", got)
		}
	}
}

func TestMinifyKeepsTokensApart(t *testing.T) {
	for _, tmpl := range []string{`[1 2]`, `{"a": tr ue}`, `[1 <s>]`, `[<s> <s>]`, `{"a":"x" "y"}`, `[- 1]`} {
		tr, err := Compile(Spec{PathsMap: edgePaths, Template: &tmpl})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := tr.Apply(nil, []byte(edgeEvent), edgeVars); !errors.Is(err, ErrInvalidResult) {
			t.Errorf("%s delivered %s", tmpl, got)
		}
	}
}

func TestAppendText(t *testing.T) {
	cases := []struct{ raw, want string }{
		{`"a\"b\u00e9"`, `a"bé`},
		{`12`, `12`},
		{`null`, `null`},
		{`{"a": [1, "x y"], "b": {}}`, `{a:[1,x y],b:{}}`},
		{`""`, ``},
	}
	for _, c := range cases {
		if got := AppendText(nil, []byte(c.raw)); string(got) != c.want {
			t.Errorf("AppendText(%s) = %q, want %q", c.raw, got, c.want)
		}
	}
}
