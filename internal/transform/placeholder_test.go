package transform

import (
	"slices"
	"testing"
)

func TestPlaceholders(t *testing.T) {
	cases := []struct {
		tmpl string
		want []string
	}{
		{`{"id": <userId>, "x": "users/<userId>/<name>"}`, []string{"userId", "name"}},
		{`"instance <instance> is in <state>"`, []string{"instance", "state"}},
		{`<aws.events.rule-arn> <aws.events.event.json>`, []string{"aws.events.rule-arn", "aws.events.event.json"}},
		{`a < b and c > d`, nil},
		{`<>`, nil},
		{`<unterminated`, nil},
		{`<<x>>`, []string{"x"}},
		{`no placeholders`, nil},
	}
	for _, c := range cases {
		if got := Placeholders(c.tmpl); !slices.Equal(got, c.want) {
			t.Errorf("Placeholders(%q) = %q, want %q", c.tmpl, got, c.want)
		}
	}
	if !IsPredefined("aws.events.event") || IsPredefined("aws.events.other") {
		t.Error("IsPredefined")
	}
}
