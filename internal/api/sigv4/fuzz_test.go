package sigv4

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/fuzz seed files")

// fuzzSeed is the correctly signed request FuzzVerify mutates: a session
// token credential, so the token paths are reachable too.
func fuzzSeed(t testing.TB) (*http.Request, []byte) {
	q := defaultReq()
	q.creds = aws.Credentials{AccessKeyID: "AKIDTOKEN", SecretAccessKey: testSecret, SessionToken: testToken}
	return q.signed(t)
}

func checkError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not *Error", err)
	}
	switch e.Code {
	case CodeMissingAuthenticationToken, CodeIncompleteSignature, CodeInvalidSignature, CodeUnrecognizedClient:
	default:
		t.Fatalf("unknown code %q", e.Code)
	}
	if e.Status != statusOf(e.Code) || e.Message == "" {
		t.Fatalf("bad error %+v", e)
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add(goodAuth)
	f.Add(AlgorithmV4A + " Credential=AKID/20260101/events/aws4_request, SignedHeaders=host;x-amz-region-set, Signature=3044")
	f.Add(AlgorithmV4 + " Credential=a/20240229/r/s/aws4_request,SignedHeaders=host,Signature=" + goodSig)
	f.Add("AWS4-")
	f.Add("AWS4-HMAC-SHA256 ,,,=,=")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := ParseAuthorization(header)
		checkError(t, err)
		if err != nil {
			return
		}
		if a.AccessKeyID == "" || len(a.Date) != 8 || a.Service == "" || len(a.SignedHeaders) == 0 || a.Signature == "" {
			t.Fatalf("incomplete %+v", a)
		}
		if (a.Algorithm == AlgorithmV4) == (a.Region == "") {
			t.Fatalf("region %q with %s", a.Region, a.Algorithm)
		}
		if !slices.IsSorted(a.SignedHeaders) {
			t.Fatalf("unsorted %v", a.SignedHeaders)
		}
		// Round trip through the canonical form.
		scope := a.AccessKeyID + "/" + a.Date + "/"
		if a.Region != "" {
			scope += a.Region + "/"
		}
		again := a.Algorithm + " Credential=" + scope + a.Service + "/aws4_request, SignedHeaders=" +
			strings.Join(a.SignedHeaders, ";") + ", Signature=" + a.Signature
		b, err := ParseAuthorization(again)
		if err != nil || !equalAuth(a, b) {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", again, b, err, a)
		}
	})
}

// FuzzVerify replaces the Authorization, X-Amz-Date, X-Amz-Security-Token
// and X-Amz-Target headers and the body of a correctly signed request.
// Verify must not panic, must refuse only with *Error, must accept the
// untouched seed, and must never accept a different body or target: that
// would be a forgery.
func FuzzVerify(f *testing.F) {
	seed, seedBody := fuzzSeed(f)
	seedAuth, seedDate := seed.Header.Get("Authorization"), seed.Header.Get("X-Amz-Date")
	seedToken, seedTarget := seed.Header.Get("X-Amz-Security-Token"), seed.Header.Get("X-Amz-Target")
	f.Add(seedAuth, seedDate, seedToken, seedTarget, seedBody)
	f.Add(seedAuth, seedDate, seedToken, seedTarget, []byte(`{"EventBusName":"default","NamePrefix":"orderz"}`))
	f.Add(seedAuth, "20260101T121600Z", seedToken, seedTarget, seedBody)
	f.Add(seedAuth, seedDate, "", seedTarget, seedBody)
	f.Add(strings.Replace(seedAuth, "AKIDTOKEN", "AKIDEXAMPLE", 1), seedDate, "", seedTarget, seedBody)
	f.Add("", "", "", "", []byte(nil))

	v := verifierAt(t0)
	f.Fuzz(func(t *testing.T, auth, date, token, target string, body []byte) {
		r := seed.Clone(seed.Context())
		r.Header = seed.Header.Clone()
		set := func(k, v string) {
			if v == "" {
				r.Header.Del(k)
			} else {
				r.Header.Set(k, v)
			}
		}
		set("Authorization", auth)
		set("X-Amz-Date", date)
		set("X-Amz-Security-Token", token)
		set("X-Amz-Target", target)

		_, err := v.Verify(r, body)
		checkError(t, err)
		same := auth == seedAuth && date == seedDate && token == seedToken && target == seedTarget
		if same && bytes.Equal(body, seedBody) && err != nil {
			t.Fatalf("seed refused: %v", err)
		}
		if err == nil {
			if !bytes.Equal(body, seedBody) {
				t.Fatalf("accepted a different body %q", body)
			}
			if got := string(appendTrimmed(nil, target)); got != seedTarget {
				t.Fatalf("accepted a different target %q", target)
			}
			if token != seedToken {
				t.Fatalf("accepted a different token %q", token)
			}
		}
	})
}

// TestWriteFuzzSeeds keeps testdata/fuzz in step with the fixtures:
// go test -run TestWriteFuzzSeeds -update-seeds ./internal/api/sigv4/
func TestWriteFuzzSeeds(t *testing.T) {
	if !*updateSeeds {
		t.Skip("run with -update-seeds to rewrite testdata/fuzz")
	}
	seed, body := fuzzSeed(t)
	h := seed.Header
	auth, date, token, target := h.Get("Authorization"), h.Get("X-Amz-Date"), h.Get("X-Amz-Security-Token"), h.Get("X-Amz-Target")
	verify := map[string][]any{
		"signed":           {auth, date, token, target, body},
		"tampered-body":    {auth, date, token, target, []byte(`{"EventBusName":"default","NamePrefix":"orderz"}`)},
		"expired":          {auth, "20260101T121600Z", token, target, body},
		"future":           {auth, "20260101T114400Z", token, target, body},
		"no-token":         {auth, date, "", target, body},
		"other-token":      {auth, date, "other", target, body},
		"spaced-target":    {auth, date, token, "  AWSEvents.ListRules  ", body},
		"other-target":     {auth, date, token, "AWSEvents.DeleteRule", body},
		"host-unsigned":    {strings.Replace(auth, ";host;", ";", 1), date, token, target, body},
		"wrong-service":    {strings.Replace(auth, "/events/", "/sqs/", 1), date, token, target, body},
		"scope-date":       {strings.Replace(auth, "/20260101/", "/20260102/", 1), date, token, target, body},
		"sigv4a":           {"AWS4-ECDSA-P256-SHA256 Credential=AKIDTOKEN/20260101/events/aws4_request, SignedHeaders=host;x-amz-date, Signature=3044", date, token, target, body},
		"no-auth":          {"", date, token, target, body},
		"no-date":          {auth, "", token, target, body},
		"bad-date":         {auth, "20260101T250000Z", token, target, body},
		"unicode-body":     {auth, date, token, target, []byte(`{"Detail":"Zoë 🚀"}`)},
		"empty-everything": {"", "", "", "", []byte{}},
	}
	parse := map[string][]any{
		"good":            {goodAuth},
		"sigv4a":          {AlgorithmV4A + " Credential=AKID/20260101/events/aws4_request, SignedHeaders=host;x-amz-region-set, Signature=3044"},
		"no-spaces":       {strings.ReplaceAll(goodAuth, ", ", ",")},
		"missing-all":     {AlgorithmV4},
		"bearer":          {"Bearer abc"},
		"unsupported-alg": {strings.Replace(goodAuth, AlgorithmV4, "AWS4-HMAC-SHA1", 1)},
		"four-elements":   {strings.Replace(goodAuth, "/events/aws4_request", "/events", 1)},
		"unsorted":        {strings.Replace(goodAuth, "content-type;host", "host;content-type", 1)},
		"bad-date":        {strings.Replace(goodAuth, "20260101", "20260230", 1)},
		"duplicate":       {goodAuth + ", " + goodCred},
		"no-equals":       {goodAuth + ", Foo"},
	}
	write := func(fuzz string, seeds map[string][]any) {
		dir := filepath.Join("testdata", "fuzz", fuzz)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, args := range seeds {
			var b strings.Builder
			b.WriteString("go test fuzz v1\n")
			for _, a := range args {
				switch a := a.(type) {
				case string:
					fmt.Fprintf(&b, "string(%q)\n", a)
				case []byte:
					fmt.Fprintf(&b, "[]byte(%q)\n", a)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write("FuzzVerify", verify)
	write("FuzzParseAuthorization", parse)
}
