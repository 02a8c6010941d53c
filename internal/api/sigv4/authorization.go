package sigv4

import (
	"fmt"
	"net/http"
	"strings"
)

// Signing algorithms as they appear at the start of the Authorization header.
const (
	AlgorithmV4  = "AWS4-HMAC-SHA256"
	AlgorithmV4A = "AWS4-ECDSA-P256-SHA256"
)

const scopeTerminator = "aws4_request"

// Authorization is the parsed Authorization header.
//
// All strings are substrings of the header, so parsing allocates only the
// SignedHeaders slice.
type Authorization struct {
	// Algorithm is AlgorithmV4 or AlgorithmV4A.
	Algorithm   string
	AccessKeyID string
	// Date is the scope date, yyyymmdd.
	Date string
	// Region is the scope region. It is empty for SigV4a, whose scope has
	// no region (the request carries X-Amz-Region-Set instead).
	Region  string
	Service string
	// SignedHeaders are lowercase and strictly ascending.
	SignedHeaders []string
	// Signature is lowercase hex: 64 digits for SigV4, a DER ECDSA
	// signature for SigV4a.
	Signature string
}

// ParseAuthorization strictly parses an Authorization header of the form
//
//	AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request, SignedHeaders=a;b, Signature=hex
//
// Parameters may be separated by "," with optional spaces around it; each
// must appear exactly once and no others are allowed. A SigV4a header
// (AWS4-ECDSA-P256-SHA256, scope AKID/yyyymmdd/service/aws4_request) parses
// too. Errors are *Error.
func ParseAuthorization(header string) (Authorization, error) {
	var a Authorization
	header = strings.Trim(header, " \t")
	alg, rest, _ := strings.Cut(header, " ")
	if !strings.HasPrefix(alg, "AWS4-") {
		// AWS does not recognise such a header as an attempt at SigV4 at all.
		return a, errMissing(msgMissingToken)
	}

	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	rest = strings.Trim(rest, " ")
	for part := range strings.SplitSeq(rest, ",") {
		if rest == "" {
			break // only the algorithm: report every parameter missing
		}
		part = strings.Trim(part, " ")
		key, val, ok := strings.Cut(part, "=")
		if !ok {
			return a, errIncomplete(fmt.Sprintf("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, header))
		}
		var dst *string
		var seen *bool
		switch key {
		case "Credential":
			dst, seen = &cred, &haveCred
		case "SignedHeaders":
			dst, seen = &signed, &haveSigned
		case "Signature":
			dst, seen = &sig, &haveSig
		default:
			return a, errIncomplete(fmt.Sprintf("'%s' is not a valid Authorization header parameter (expected Credential, SignedHeaders and Signature): '%s'.", key, header))
		}
		if *seen {
			return a, errIncomplete(fmt.Sprintf("Authorization header has more than one '%s' parameter: '%s'.", key, header))
		}
		*dst, *seen = val, true
	}

	// Reported together, in AWS's order and wording.
	var missing string
	if cred == "" {
		missing += "Authorization header requires 'Credential' parameter. "
	}
	if sig == "" {
		missing += "Authorization header requires 'Signature' parameter. "
	}
	if signed == "" {
		missing += "Authorization header requires 'SignedHeaders' parameter. "
	}
	if missing != "" {
		return a, errIncomplete(missing + "Authorization=" + header)
	}

	a.Algorithm = alg
	var err error
	switch alg {
	case AlgorithmV4:
		err = a.parseCredential(cred, 5, "keyid/date/region/service/term")
	case AlgorithmV4A:
		err = a.parseCredential(cred, 4, "keyid/date/service/term")
	default:
		return Authorization{}, errIncomplete(fmt.Sprintf("Unsupported AWS 'algorithm': '%s' (only %s for now). ", alg, AlgorithmV4))
	}
	if err != nil {
		return Authorization{}, err
	}
	if a.SignedHeaders, err = parseSignedHeaders(signed); err != nil {
		return Authorization{}, err
	}
	if !validSignature(sig, alg == AlgorithmV4) {
		return Authorization{}, errIncomplete(fmt.Sprintf("Signature must be lowercase hexadecimal (64 digits for %s), got '%s'.", AlgorithmV4, sig))
	}
	a.Signature = sig
	return a, nil
}

// parseCredential splits AKID/date[/region]/service/aws4_request into a.
func (a *Authorization) parseCredential(cred string, n int, shape string) error {
	var el [5]string
	i := 0
	rest := cred
	for ; i < n-1; i++ {
		var ok bool
		el[i], rest, ok = strings.Cut(rest, "/")
		if !ok {
			break
		}
	}
	if i != n-1 || strings.Contains(rest, "/") {
		return errIncomplete(fmt.Sprintf("Credential must have exactly %d slash-delimited elements, e.g. %s, got '%s'", n, shape, cred))
	}
	el[n-1] = rest
	for _, e := range el[:n] {
		if !scopeElement(e) {
			return errIncomplete(fmt.Sprintf("Credential elements must be non-empty and free of spaces and control characters, got '%s'", cred))
		}
	}
	a.AccessKeyID, a.Date = el[0], el[1]
	if n == 5 {
		a.Region, a.Service = el[2], el[3]
	} else {
		a.Service = el[2]
	}
	if !validDate(a.Date) {
		return errIncomplete(fmt.Sprintf("Credential date must be a calendar date in yyyymmdd form, got '%s'.", a.Date))
	}
	if term := el[n-1]; term != scopeTerminator {
		return errIncomplete(fmt.Sprintf("Credential should be scoped with a valid terminator: '%s', not '%s'. ", scopeTerminator, term))
	}
	return nil
}

func scopeElement(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// validDate reports whether s is yyyymmdd naming a real day. It avoids
// time.Parse, which allocates on error and is slower than this.
func validDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	y := atoi(s[0:4])
	m := atoi(s[4:6])
	d := atoi(s[6:8])
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, y)
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseSignedHeaders insists on the form every SDK sends (lowercase,
// sorted, no duplicates) because the canonical request uses the list as
// given: accepting another order would only produce a confusing signature
// mismatch later.
func parseSignedHeaders(s string) ([]string, error) {
	out := make([]string, 0, strings.Count(s, ";")+1)
	prev := ""
	for name := range strings.SplitSeq(s, ";") {
		if !lowerToken(name) || (prev != "" && name <= prev) {
			return nil, errIncomplete(fmt.Sprintf("SignedHeaders must be a ';'-separated list of lowercase header names in ascending order without duplicates, got '%s'.", s))
		}
		out = append(out, name)
		prev = name
	}
	return out, nil
}

// lowerToken reports whether s is a non-empty RFC 9110 token without
// uppercase letters.
func lowerToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func validSignature(s string, v4 bool) bool {
	if s == "" || len(s)%2 != 0 || (v4 && len(s) != 64) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Identify returns the access key and scope of a request without verifying
// its signature. It is for servers configured to trust their callers, which
// still need the access key and region to pick an account.
func Identify(r *http.Request) (Authorization, error) {
	if err := checkQueryAuth(r); err != nil {
		return Authorization{}, err
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		return Authorization{}, errMissing(msgMissingToken)
	}
	return ParseAuthorization(h)
}

// checkQueryAuth refuses presigned (query-string) authentication, which no
// EventBridge client uses for this JSON protocol.
func checkQueryAuth(r *http.Request) error {
	if r.URL == nil || !strings.Contains(r.URL.RawQuery, "X-Amz-") || !r.URL.Query().Has("X-Amz-Algorithm") {
		return nil
	}
	if r.Header.Get("Authorization") != "" {
		return errInvalid("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
	}
	return errIncomplete("AWS query-string (presigned) authentication is not supported by this server; sign the request with an Authorization header.")
}
