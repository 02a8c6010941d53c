package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// signature computes the SigV4 signature of r as AWS documents it in
// "Create a signed AWS API request":
//
//	CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n
//	                   CanonicalHeaders \n SignedHeaders \n PayloadHash
//	StringToSign     = AWS4-HMAC-SHA256 \n stamp \n scope \n hex(sha256(CanonicalRequest))
//	kSigning         = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
//	Signature        = HMAC(kSigning, StringToSign)
//
// Where the document leaves room, it follows aws-sdk-go-v2's signer, the
// oracle of the tests. Buffers start on the stack; a typical EventBridge
// request is hashed without heap allocation.
func signature(a *Authorization, r *http.Request, secret string, stamp, payload []byte) [32]byte {
	var crBuf [1024]byte
	cr := canonicalRequest(crBuf[:0], a, r, payload)
	crSum := sha256.Sum256(cr)

	var stsBuf [256]byte
	sts := append(stsBuf[:0], AlgorithmV4...)
	sts = append(sts, '\n')
	sts = append(sts, stamp...)
	sts = append(sts, '\n')
	sts = appendScope(sts, a)
	sts = append(sts, '\n')
	sts = hex.AppendEncode(sts, crSum[:])

	var keyBuf [128]byte
	k := append(keyBuf[:0], "AWS4"...)
	k = append(k, secret...)
	key := hmacSHA256(k, []byte(a.Date))
	key = hmacSHA256(key[:], []byte(a.Region))
	key = hmacSHA256(key[:], []byte(a.Service))
	key = hmacSHA256(key[:], []byte(scopeTerminator))
	return hmacSHA256(key[:], sts)
}

func appendScope(b []byte, a *Authorization) []byte {
	b = append(b, a.Date...)
	b = append(b, '/')
	b = append(b, a.Region...)
	b = append(b, '/')
	b = append(b, a.Service...)
	b = append(b, '/')
	return append(b, scopeTerminator...)
}

func canonicalRequest(b []byte, a *Authorization, r *http.Request, payload []byte) []byte {
	b = append(b, r.Method...)
	b = append(b, '\n')
	b = appendCanonicalURI(b, r.URL)
	b = append(b, '\n')
	if r.URL != nil && r.URL.RawQuery != "" {
		b = appendCanonicalQuery(b, r.URL.Query())
	}
	b = append(b, '\n')
	for _, name := range a.SignedHeaders {
		b = append(b, name...)
		b = append(b, ':')
		b = appendHeaderValue(b, r, name)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	for i, name := range a.SignedHeaders {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, name...)
	}
	b = append(b, '\n')
	return append(b, payload...)
}

// appendCanonicalURI encodes the path as sent (EscapedPath) once more, per
// byte, keeping "/": non-S3 services sign the path double-encoded and do not
// normalise dot segments.
func appendCanonicalURI(b []byte, u *url.URL) []byte {
	path := ""
	if u != nil {
		path = u.EscapedPath()
	}
	if path == "" {
		return append(b, '/')
	}
	return appendEncoded(b, path, true)
}

// appendCanonicalQuery sorts parameters by encoded name, then encoded value.
// EventBridge requests have no query, so this path may allocate.
func appendCanonicalQuery(b []byte, q url.Values) []byte {
	type param struct{ k, v string }
	var ps []param
	for k, vs := range q {
		ek := string(appendEncoded(nil, k, false))
		for _, v := range vs {
			ps = append(ps, param{ek, string(appendEncoded(nil, v, false))})
		}
	}
	slices.SortFunc(ps, func(x, y param) int {
		if c := strings.Compare(x.k, y.k); c != 0 {
			return c
		}
		return strings.Compare(x.v, y.v)
	})
	for i, p := range ps {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, p.k...)
		b = append(b, '=')
		b = append(b, p.v...)
	}
	return b
}

// appendEncoded percent-encodes every byte but the RFC 3986 unreserved
// characters (and "/" if keepSlash), with uppercase hex, as SigV4 requires.
func appendEncoded(b []byte, s string, keepSlash bool) []byte {
	const hexUpper = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || (keepSlash && c == '/') {
			b = append(b, c)
		} else {
			b = append(b, '%', hexUpper[c>>4], hexUpper[c&15])
		}
	}
	return b
}

func unreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// appendHeaderValue writes the canonical value of one signed header: each
// value trimmed with runs of spaces collapsed, several values joined by ",".
func appendHeaderValue(b []byte, r *http.Request, name string) []byte {
	if name == "host" {
		// net/http moves the Host header to r.Host; it is signed exactly as
		// sent, port included. r.URL.Host covers client-side requests.
		host := r.Host
		if host == "" && r.URL != nil {
			host = r.URL.Host
		}
		return appendTrimmed(b, host)
	}
	vals := lookupHeader(r.Header, name)
	if len(vals) == 0 && name == "content-length" && r.ContentLength > 0 {
		// Client-side requests carry the length outside the header map.
		return strconv.AppendInt(b, r.ContentLength, 10)
	}
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTrimmed(b, v)
	}
	return b
}

// lookupHeader finds a lowercase header name in h, whose keys net/http has
// put in canonical form, without allocating the canonical key.
func lookupHeader(h http.Header, name string) []string {
	var kb [64]byte
	if len(name) > len(kb) {
		return h[textproto.CanonicalMIMEHeaderKey(name)]
	}
	k := kb[:len(name)]
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if upper && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		k[i] = c
		upper = c == '-'
	}
	return h[string(k)]
}

// appendTrimmed trims surrounding whitespace and collapses inner runs of
// spaces to one, as aws-sdk-go-v2 does (tabs inside a value are kept).
func appendTrimmed(b []byte, v string) []byte {
	v = strings.TrimSpace(v)
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b = append(b, c)
	}
	return b
}

// hmacSHA256 is HMAC-SHA256 (RFC 2104) over stack buffers. crypto/hmac
// allocates two hash states per call and the signature needs five calls.
func hmacSHA256(key, msg []byte) [32]byte {
	const block = 64
	var k [block]byte
	if len(key) > block {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	var inBuf [block + 256]byte
	in := inBuf[:0]
	for _, c := range k {
		in = append(in, c^0x36)
	}
	in = append(in, msg...)
	inner := sha256.Sum256(in)

	var out [block + sha256.Size]byte
	for i, c := range k {
		out[i] = c ^ 0x5c
	}
	copy(out[block:], inner[:])
	return sha256.Sum256(out[:])
}
