package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/testenv"
)

// TestGeneratedUpToDate regenerates the wire files into a temporary
// directory and compares them with the checked-in ones. It needs the
// botocore model (python3's botocore, which the aws CLI brings, or
// $BOTOCORE_EVENTS_MODEL): without it the test is skipped, or fails under
// SWITCHYARD_REQUIRE_TOOLS (testenv).
func TestGeneratedUpToDate(t *testing.T) {
	p, err := findModel("")
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		testenv.Missing(t, "the botocore events model", testenv.InstallAWSCLI+" (it brings botocore)", err)
	}
	dir := t.TempDir()
	if err := run(p, dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"zz_types.go", "zz_validate.go"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/api/wire", name)
		}
	}
}

func TestTranslateRegex(t *testing.T) {
	tests := []struct {
		java    string
		match   []string
		noMatch []string
	}{
		{`[\.\-_A-Za-z0-9]+`, []string{"a.b-c_D9"}, []string{"", "a b", "a\n"}},
		{`.*`, []string{"", "anything \t"}, []string{"a\nb", "a\rb", "a\u0085", "a\u2028", "\u2029"}},
		{`^(?!\s*$).+`, []string{"x", " x ", "\tx", "a b"}, []string{"", " ", "\t\x0b\f ", "x\n", "\nx"}},
		{`(^arn:aws([a-z]|\-)*:secretsmanager:[a-z0-9-.]+:.*)|(\$(\.[\w_-]+(\[(\d+|\*)\])*)*)`,
			[]string{"arn:aws:secretsmanager:us-east-1:x", "$.a[0].b", "$"}, []string{"arn:aws:s3:::x", "$a"}},
		{`^[!#$%&'*+-.^_` + "`" + `|~0-9a-zA-Z]+$`, []string{"X-Api-Key", "a.b"}, []string{"a b", "a:b"}},
		{`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`, []string{"tag:Name", "é 1"}, []string{"a;b"}},
		{`\d{12}`, []string{"123456789012"}, []string{"12345678901", "1234567890123"}},
		{`(\d{12}|\*)`, []string{"*", "123456789012"}, []string{"**"}},
		{`^(?:^arn:[a-z]+:x$|^$)`, []string{"", "arn:aws:x"}, []string{"arn:aws:y"}},
		{`[^\x00-\x1F\x7F]+`, []string{"a b"}, []string{"a\x7f"}},
	}
	for _, tt := range tests {
		g, err := translateRegex(tt.java)
		if err != nil {
			t.Errorf("%s: %v", tt.java, err)
			continue
		}
		re := regexp.MustCompile("^(?:" + g + ")$")
		for _, s := range tt.match {
			if !re.MatchString(s) {
				t.Errorf("%s (%s) should match %q", tt.java, g, s)
			}
		}
		for _, s := range tt.noMatch {
			if re.MatchString(s) {
				t.Errorf("%s (%s) should not match %q", tt.java, g, s)
			}
		}
	}
	for _, bad := range []string{`(?=a)b`, `(?<=a)b`, `a++`, `\1`, `[a[b]]`, `[a&&b]`, `\Qa\E`} {
		if g, err := translateRegex(bad); err == nil {
			t.Errorf("translateRegex(%q) = %q, want error", bad, g)
		}
	}
}

func TestEnumConst(t *testing.T) {
	tests := map[[2]string]string{
		{"RuleState", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"}: "RuleStateEnabledWithAllCloudtrailManagementEvents",
		{"PlacementConstraintType", "distinctInstance"}:                "PlacementConstraintTypeDistinctInstance",
		{"LaunchType", "EC2"}: "LaunchTypeEc2",
		{"X", "a-b.c"}:        "XABC",
	}
	for in, want := range tests {
		if got := enumConst(in[0], in[1]); got != want {
			t.Errorf("enumConst(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

func TestCamel(t *testing.T) {
	for in, want := range map[string]string{"EventBusName": "eventBusName", "ResourceARN": "resourceARN", "Id": "id", "": ""} {
		if got := camel(in); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGoIdent(t *testing.T) {
	for in, want := range map[string]string{"PutRuleRequest": "PutRuleRequest", "capacityProvider": "CapacityProvider", "type": "Type", "a-b": "A_b", "1x": "X1x"} {
		if got := goIdent(in); got != want {
			t.Errorf("goIdent(%q) = %q, want %q", in, got, want)
		}
	}
}
