package target

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Targets called with plain signed HTTP rather than an SDK client (API
// Gateway, AppSync) share what follows: the client, the signing and the
// reading and classifying of the answer.

const (
	// maxQuote is how much of an answer an error message quotes: enough
	// to say why, short enough for a DLQ message attribute.
	maxQuote = 512
	// maxDrain bounds what is read and dropped after the part of an answer
	// that is kept, so that the connection can be reused for the next
	// request without letting a huge answer hold it up.
	maxDrain = 1 << 20
)

// NewHTTPClient is a client for signed requests to one kind of target,
// meant to be shared by all its targets. Redirects are not followed: the
// signature covers the host and path, so it would not survive one, and
// the AWS endpoints called this way do not send them. The redirect itself
// is returned, to be classified as a failure.
func NewHTTPClient(timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// Events to one target arrive in bursts: keep enough connections to
	// its host open that a burst does not redial each time.
	tr.MaxIdleConnsPerHost = 64
	return &http.Client{
		Timeout:       timeout,
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// signer is safe for concurrent use, and caches derived signing keys.
var signer = v4.NewSigner()

// SignHTTP signs req (whose body is body) with SigV4 for service in
// region, with the credentials c.Config(service, region, role) gives: the
// target's role when roles are assumed. ok is false when it could not: res
// says why, and req must not be sent.
func (c *Clients) SignHTTP(ctx context.Context, req *http.Request, body []byte, service, region, role string) (res Result, ok bool) {
	cfg := c.Config(service, region, role)
	if cfg.Credentials == nil {
		return Fail(CodeNoPermissions, service+": no AWS credentials to sign the request with"), false
	}
	cr, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		// A role STS refuses is a permission problem; STS answering 5xx or
		// not at all is retried, as Classify says.
		res = Classify(ctx, err)
		if !res.Retryable {
			res.Code = CodeNoPermissions
		}
		res.Err = fmt.Errorf("%s: cannot get the credentials to sign with: %w", service, err)
		return res, false
	}
	// The payload hash is signed too (no UNSIGNED-PAYLOAD), as the SDK
	// clients do: the target can then tell a body altered in transit.
	sum := sha256.Sum256(body)
	if err := signer.SignHTTP(ctx, cr, req, hex.EncodeToString(sum[:]), service, region, time.Now().UTC()); err != nil {
		return Fail(CodeSDKClientError, service+": cannot sign the request: "+err.Error()), false
	}
	return OK, true
}

// SendHTTP sends req with hc and classifies the answer. A 2xx answer is
// OK, with answer holding up to maxAnswer bytes of its body (complete says
// whether that was all of it). Any other status is classified by
// ClassifyStatus, with an error "<who> answered <status>: <start of the
// body>"; no answer at all as Classify says.
func SendHTTP(ctx context.Context, hc *http.Client, req *http.Request, who string, maxAnswer int) (res Result, answer []byte, complete bool) {
	resp, err := hc.Do(req)
	if err != nil {
		return Classify(ctx, err), nil, false
	}
	defer resp.Body.Close()
	// One read serves both uses: the answer kept on success, the quote
	// on failure. One byte more tells whether the body went on.
	keep := max(maxAnswer, maxQuote)
	body, _ := io.ReadAll(io.LimitReader(resp.Body, int64(keep)+1))
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		complete = len(body) <= maxAnswer
		if !complete {
			body = body[:maxAnswer]
		}
		return OK, body, complete
	}
	msg := fmt.Sprintf("%s answered %s", who, resp.Status)
	if q := Excerpt(string(body)); q != "" {
		msg += ": " + q
	}
	return ClassifyStatus(resp.StatusCode, errorString(msg)), nil, false
}

// Excerpt is the start of an answer (trimmed; at most 512 bytes, cut at a
// rune boundary and then marked with "..."), to quote in an error message;
// "" for an empty one.
func Excerpt(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxQuote {
		return s
	}
	// Move the cut back to a rune's start, but only as far as a rune can
	// be long: an answer that is not UTF-8 at all is still quoted.
	cut := maxQuote
	for n := 1; n < utf8.UTFMax && !utf8.RuneStart(s[cut]); n++ {
		cut--
	}
	return s[:cut] + "..."
}

// ValidHeaderValue rejects control characters other than tab, which would
// let a value split the header block; Go refuses to send such a header.
func ValidHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
