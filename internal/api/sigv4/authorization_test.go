package sigv4

import (
	"slices"
	"strings"
	"testing"
)

const (
	goodSig   = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
	goodCred  = "Credential=AKIDEXAMPLE/20260101/us-east-1/events/aws4_request"
	goodHeads = "SignedHeaders=content-type;host;x-amz-date;x-amz-target"
	goodAuth  = AlgorithmV4 + " " + goodCred + ", " + goodHeads + ", Signature=" + goodSig
)

func TestParseAuthorizationValid(t *testing.T) {
	want := Authorization{
		Algorithm:     AlgorithmV4,
		AccessKeyID:   "AKIDEXAMPLE",
		Date:          "20260101",
		Region:        "us-east-1",
		Service:       "events",
		SignedHeaders: []string{"content-type", "host", "x-amz-date", "x-amz-target"},
		Signature:     goodSig,
	}
	for _, h := range []string{
		goodAuth,
		AlgorithmV4 + " " + goodCred + "," + goodHeads + ",Signature=" + goodSig,              // no spaces (some clients)
		AlgorithmV4 + "   " + goodCred + " ,  " + goodHeads + " , Signature=" + goodSig + " ", // extra spaces
		AlgorithmV4 + " Signature=" + goodSig + ", " + goodHeads + ", " + goodCred,            // any order
		"  " + goodAuth + "\t",
	} {
		got, err := ParseAuthorization(h)
		if err != nil {
			t.Errorf("ParseAuthorization(%q): %v", h, err)
			continue
		}
		if !equalAuth(got, want) {
			t.Errorf("ParseAuthorization(%q) = %+v, want %+v", h, got, want)
		}
	}

	v4a, err := ParseAuthorization(AlgorithmV4A + " Credential=AKIDV4A/20260101/events/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=304402201f")
	if err != nil {
		t.Fatal(err)
	}
	if v4a.AccessKeyID != "AKIDV4A" || v4a.Region != "" || v4a.Service != "events" || v4a.Algorithm != AlgorithmV4A {
		t.Errorf("SigV4a = %+v", v4a)
	}

	leap, err := ParseAuthorization(strings.Replace(goodAuth, "20260101", "20280229", 1))
	if err != nil || leap.Date != "20280229" {
		t.Errorf("leap day: %+v, %v", leap, err)
	}
}

func equalAuth(a, b Authorization) bool {
	return a.Algorithm == b.Algorithm && a.AccessKeyID == b.AccessKeyID && a.Date == b.Date &&
		a.Region == b.Region && a.Service == b.Service && a.Signature == b.Signature &&
		slices.Equal(a.SignedHeaders, b.SignedHeaders)
}

func TestParseAuthorizationMalformed(t *testing.T) {
	r := strings.NewReplacer
	tests := []struct {
		name, header, code, msg string
	}{
		{"empty", "", CodeMissingAuthenticationToken, "Missing Authentication Token"},
		{"bearer", "Bearer abc", CodeMissingAuthenticationToken, "Missing Authentication Token"},
		{"sigv2", "AWS AKID:sig", CodeMissingAuthenticationToken, "Missing Authentication Token"},
		{"algorithm only", AlgorithmV4, CodeIncompleteSignature,
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"},
		{"algorithm and space", AlgorithmV4 + "  ", CodeIncompleteSignature, "requires 'Credential' parameter"},
		{"unsupported algorithm", strings.Replace(goodAuth, AlgorithmV4, "AWS4-HMAC-SHA1", 1), CodeIncompleteSignature,
			"Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now)."},
		{"lowercase algorithm", strings.Replace(goodAuth, AlgorithmV4, "AWS4-hmac-sha256", 1), CodeIncompleteSignature, "Unsupported AWS 'algorithm'"},
		{"no space after algorithm", AlgorithmV4 + goodCred + ", " + goodHeads + ", Signature=" + goodSig, CodeIncompleteSignature, "requires 'Credential' parameter"},
		{"missing credential", AlgorithmV4 + " " + goodHeads + ", Signature=" + goodSig, CodeIncompleteSignature, "Authorization header requires 'Credential' parameter. Authorization="},
		{"missing signed headers", AlgorithmV4 + " " + goodCred + ", Signature=" + goodSig, CodeIncompleteSignature, "Authorization header requires 'SignedHeaders' parameter."},
		{"missing signature", AlgorithmV4 + " " + goodCred + ", " + goodHeads, CodeIncompleteSignature, "Authorization header requires 'Signature' parameter."},
		{"empty credential", r("Credential=AKIDEXAMPLE/20260101/us-east-1/events/aws4_request", "Credential=").Replace(goodAuth), CodeIncompleteSignature, "requires 'Credential'"},
		{"empty signature", r("Signature="+goodSig, "Signature=").Replace(goodAuth), CodeIncompleteSignature, "requires 'Signature'"},
		{"missing equals", r("Signature=", "Signature ").Replace(goodAuth), CodeIncompleteSignature, "not a valid key=value pair (missing equal-sign) in Authorization header"},
		{"space separated", r(", ", " ").Replace(goodAuth), CodeIncompleteSignature, ""},
		{"trailing comma", goodAuth + ",", CodeIncompleteSignature, "not a valid key=value pair"},
		{"double comma", r(", Signature", ",, Signature").Replace(goodAuth), CodeIncompleteSignature, "not a valid key=value pair"},
		{"duplicate credential", goodAuth + ", " + goodCred, CodeIncompleteSignature, "more than one 'Credential'"},
		{"unknown parameter", goodAuth + ", Foo=bar", CodeIncompleteSignature, "'Foo' is not a valid Authorization header parameter"},
		{"lowercase parameter name", r("Credential=", "credential=").Replace(goodAuth), CodeIncompleteSignature, "'credential' is not a valid"},
		{"credential 4 elements", r("/events/aws4_request", "/events").Replace(goodAuth), CodeIncompleteSignature,
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20260101/us-east-1/events'"},
		{"credential 6 elements", r("aws4_request", "aws4_request/x").Replace(goodAuth), CodeIncompleteSignature, "exactly 5 slash-delimited"},
		{"credential trailing slash", r("aws4_request", "aws4_request/").Replace(goodAuth), CodeIncompleteSignature, "exactly 5 slash-delimited"},
		{"empty access key", r("=AKIDEXAMPLE/", "=/").Replace(goodAuth), CodeIncompleteSignature, "non-empty"},
		{"empty region", r("/us-east-1/", "//").Replace(goodAuth), CodeIncompleteSignature, "non-empty"},
		{"control char in key", r("AKIDEXAMPLE", "AKID\x01").Replace(goodAuth), CodeIncompleteSignature, "control characters"},
		{"short date", r("20260101", "2026011").Replace(goodAuth), CodeIncompleteSignature, "yyyymmdd"},
		{"date with dashes", r("20260101", "2026-01-01").Replace(goodAuth), CodeIncompleteSignature, "yyyymmdd"},
		{"month 13", r("20260101", "20261301").Replace(goodAuth), CodeIncompleteSignature, "yyyymmdd"},
		{"february 30", r("20260101", "20260230").Replace(goodAuth), CodeIncompleteSignature, "yyyymmdd"},
		{"february 29 non leap", r("20260101", "20260229").Replace(goodAuth), CodeIncompleteSignature, "yyyymmdd"},
		{"day 0", r("20260101", "20260100").Replace(goodAuth), CodeIncompleteSignature, "yyyymmdd"},
		{"wrong terminator", r("aws4_request", "aws4_requests").Replace(goodAuth), CodeIncompleteSignature,
			"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requests'."},
		{"uppercase signed header", r("content-type;host", "Content-Type;host").Replace(goodAuth), CodeIncompleteSignature, "lowercase header names in ascending order"},
		{"unsorted signed headers", r("content-type;host;x-amz-date", "host;content-type;x-amz-date").Replace(goodAuth), CodeIncompleteSignature, "ascending order"},
		{"duplicate signed header", r("host;", "host;host;").Replace(goodAuth), CodeIncompleteSignature, "without duplicates"},
		{"empty signed header", r("host;", "host;;").Replace(goodAuth), CodeIncompleteSignature, "';'-separated"},
		{"trailing semicolon", r("x-amz-target", "x-amz-target;").Replace(goodAuth), CodeIncompleteSignature, "';'-separated"},
		{"space in signed headers", r("host;", "host; ").Replace(goodAuth), CodeIncompleteSignature, "';'-separated"},
		{"colon in signed header", r("host;", "host:;").Replace(goodAuth), CodeIncompleteSignature, "';'-separated"},
		{"short signature", r(goodSig, goodSig[:63]).Replace(goodAuth), CodeIncompleteSignature, "Signature must be lowercase hexadecimal"},
		{"long signature", r(goodSig, goodSig+"00").Replace(goodAuth), CodeIncompleteSignature, "Signature must be"},
		{"uppercase signature", r(goodSig, strings.ToUpper(goodSig)).Replace(goodAuth), CodeIncompleteSignature, "Signature must be"},
		{"non-hex signature", r(goodSig, strings.Repeat("g", 64)).Replace(goodAuth), CodeIncompleteSignature, "Signature must be"},
		{"sigv4a with region", AlgorithmV4A + " Credential=AKID/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=3044", CodeIncompleteSignature,
			"Credential must have exactly 4 slash-delimited elements, e.g. keyid/date/service/term"},
		{"sigv4a odd signature", AlgorithmV4A + " Credential=AKID/20260101/events/aws4_request, SignedHeaders=host, Signature=304", CodeIncompleteSignature, "Signature must be"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseAuthorization(tc.header)
			wantCode(t, err, tc.code, tc.msg)
			if a.AccessKeyID != "" || a.SignedHeaders != nil {
				t.Errorf("failed parse returned %+v, want zero", a)
			}
		})
	}
}

func TestParseAuthorizationAllocs(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		if _, err := ParseAuthorization(goodAuth); err != nil {
			t.Fatal(err)
		}
	})
	if n > 1 {
		t.Errorf("ParseAuthorization allocates %v times, want 1 (the SignedHeaders slice)", n)
	}
}
