package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Service is the signing name every request must be scoped to.
const Service = "events"

const (
	defaultMaxSkew = 15 * time.Minute
	isoBasic       = "20060102T150405Z"
	unsignedBody   = "UNSIGNED-PAYLOAD"
)

// Credential is what the server knows about an access key.
type Credential struct {
	Secret string
	// SessionToken, if set, must equal the request's X-Amz-Security-Token.
	// If empty, a request that carries a token is refused, as AWS refuses a
	// token that does not belong to the key.
	SessionToken string
}

// Verifier checks SigV4 signatures. The zero value refuses every request
// with UnrecognizedClientException; set Lookup.
type Verifier struct {
	// Lookup returns the credential of an access key, or false if the key
	// is unknown. It is called once per request, after the cheap checks.
	Lookup func(accessKeyID string) (Credential, bool)
	// MaxSkew is how far the request time may be from Now, either way.
	// 0 means 15 minutes, AWS's window.
	MaxSkew time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Verify checks the signature of r, whose body has already been read into
// body (r.Body is not touched). It returns the parsed Authorization, also
// on most failures so callers can log who was refused; errors are *Error.
func (v *Verifier) Verify(r *http.Request, body []byte) (Authorization, error) {
	if err := checkQueryAuth(r); err != nil {
		return Authorization{}, err
	}
	header := r.Header.Get("Authorization")
	if header == "" {
		return Authorization{}, errMissing(msgMissingToken)
	}
	a, err := ParseAuthorization(header)
	if err != nil {
		return a, err
	}
	if a.Algorithm == AlgorithmV4A {
		// IncompleteSignature rather than InvalidSignature: SDKs treat the
		// latter as clock skew and would retry a request that cannot pass.
		return a, errIncomplete("Signature Version 4A (" + AlgorithmV4A + ") is not supported by this server. It is used by PutEvents with EndpointId (global endpoints); omit EndpointId to sign with " + AlgorithmV4 + ".")
	}

	// The request time: X-Amz-Date, else Date. The string-to-sign uses it
	// in ISO 8601 basic form whichever header carried it.
	var stamp [len(isoBasic)]byte
	var t time.Time
	dateHeader := "x-amz-date"
	if amz := r.Header.Get("X-Amz-Date"); amz != "" {
		var ok bool
		if t, ok = parseISOBasic(amz); !ok {
			return a, errBadDate(amz)
		}
	} else if d := r.Header.Get("Date"); d != "" {
		if t, err = http.ParseTime(d); err != nil {
			return a, errBadDate(d)
		}
		dateHeader = "date"
	} else {
		return a, errIncomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + strings.Trim(header, " \t"))
	}
	t = t.UTC()
	t.AppendFormat(stamp[:0], isoBasic)

	if err := v.checkSkew(t); err != nil {
		return a, err
	}

	if !a.signs("host") {
		return a, errInvalid("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if !a.signs(dateHeader) || (r.Header.Get("X-Amz-Date") != "" && !a.signs("x-amz-date")) {
		return a, errInvalid("'X-Amz-Date' (or 'Date' when X-Amz-Date is absent) must be a 'SignedHeader' in the AWS Authorization.")
	}
	tokens := r.Header["X-Amz-Security-Token"]
	if len(tokens) > 0 && !a.signs("x-amz-security-token") {
		return a, errInvalid("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.")
	}

	// Scope problems are reported together, as AWS does.
	var scope string
	if a.Service != Service {
		scope = "Credential should be scoped to correct service: '" + Service + "'. "
	}
	if a.Date != string(stamp[:8]) {
		scope += fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.Date, string(stamp[:8]), string(stamp[:]))
	}
	if scope != "" {
		return a, errInvalid(strings.TrimSuffix(scope, " "))
	}

	if v.Lookup == nil {
		return a, errUnrecognized()
	}
	cred, ok := v.Lookup(a.AccessKeyID)
	if !ok {
		return a, errUnrecognized()
	}

	// Payload hash: the body's, unless the client declared one. A declared
	// hash must be the body's (or UNSIGNED-PAYLOAD), otherwise a signature
	// over the header would not cover the body actually received.
	var bodyHex [64]byte
	payload := bodyHex[:]
	if declared := r.Header.Get("X-Amz-Content-Sha256"); declared == unsignedBody {
		payload = []byte(unsignedBody)
	} else {
		sum := sha256.Sum256(body)
		hex.Encode(bodyHex[:], sum[:])
		if declared != "" && declared != string(bodyHex[:]) {
			return a, errInvalid("The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
	}

	want := signature(&a, r, cred.Secret, stamp[:], payload)
	var got [32]byte
	// ParseAuthorization guarantees 64 lowercase hex digits.
	hex.Decode(got[:], []byte(a.Signature))
	if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		return a, errInvalid(msgSignatureMismatch)
	}

	if len(tokens) > 1 {
		return a, errUnrecognized()
	}
	if cred.SessionToken != "" || len(tokens) == 1 {
		if len(tokens) != 1 || subtle.ConstantTimeCompare([]byte(cred.SessionToken), []byte(tokens[0])) != 1 {
			return a, errUnrecognized()
		}
	}
	return a, nil
}

func (a *Authorization) signs(name string) bool {
	for _, h := range a.SignedHeaders {
		if h == name {
			return true
		}
	}
	return false
}

func errBadDate(got string) *Error {
	return errIncomplete("Date must be in ISO-8601 'basic format'. Got '" + got + "'. See http://en.wikipedia.org/wiki/ISO_8601")
}

// checkSkew refuses a request time outside now±MaxSkew with AWS's wording,
// which names the bound that was crossed.
func (v *Verifier) checkSkew(t time.Time) error {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	now = now.UTC()
	skew := v.MaxSkew
	if skew <= 0 {
		skew = defaultMaxSkew
	}
	// AWS writes the window as "15 min."; other windows are rare enough
	// for Go's duration syntax.
	label := func() string {
		if skew%time.Minute == 0 {
			return fmt.Sprintf("%d min.", skew/time.Minute)
		}
		return skew.String()
	}
	if lo := now.Add(-skew); t.Before(lo) {
		return errInvalid(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
			t.Format(isoBasic), lo.Format(isoBasic), now.Format(isoBasic), label()))
	}
	if hi := now.Add(skew); t.After(hi) {
		return errInvalid(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
			t.Format(isoBasic), hi.Format(isoBasic), now.Format(isoBasic), label()))
	}
	return nil
}

// parseISOBasic parses yyyymmddThhmmssZ without time.Parse, which is
// lenient about nothing we need and allocates its error.
func parseISOBasic(s string) (time.Time, bool) {
	if len(s) != len(isoBasic) || s[8] != 'T' || s[15] != 'Z' || !validDate(s[:8]) {
		return time.Time{}, false
	}
	for i := 9; i < 15; i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	h, m, sec := atoi(s[9:11]), atoi(s[11:13]), atoi(s[13:15])
	if h > 23 || m > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(atoi(s[0:4]), time.Month(atoi(s[4:6])), atoi(s[6:8]), h, m, sec, 0, time.UTC), true
}
