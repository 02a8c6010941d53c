package appsync

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

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// timeout bounds an AppSync request. EventBridge documents none for
// AppSync targets; AppSync itself ends a GraphQL request after 30 seconds,
// and cutting a mutation short earlier would retry one AppSync may still
// complete.
const timeout = 30 * time.Second

const (
	maxAnswer  = 1 << 20 // read at most this much of an answer
	maxMessage = 512     // bytes of an answer quoted in the DLQ message
)

// client is shared by every AppSync target. Redirects are not followed:
// a signed request would not survive one, and AppSync does not send them.
var client = &http.Client{
	Timeout: timeout,
	Transport: func() http.RoundTripper {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		return tr
	}(),
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

var signer = v4.NewSigner()

// sign signs req with SigV4 for service in region with cfg's credentials.
// ok is false when it could not: res says why.
func sign(ctx context.Context, cfg aws.Config, req *http.Request, body []byte, service, region string) (res target.Result, ok bool) {
	if cfg.Credentials == nil {
		return target.Fail(target.CodeNoPermissions, "appsync: no AWS credentials to sign the request with"), false
	}
	cr, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		// A role STS refuses is a permission problem; STS being slow or
		// unreachable is worth another try.
		res = target.Classify(ctx, err)
		if !res.Retryable {
			res.Code = target.CodeNoPermissions
		}
		res.Err = fmt.Errorf("appsync: cannot get the credentials to sign with: %w", err)
		return res, false
	}
	sum := sha256.Sum256(body)
	if err := signer.SignHTTP(ctx, cr, req, hex.EncodeToString(sum[:]), service, region, time.Now().UTC()); err != nil {
		return target.Fail(target.CodeSDKClientError, "appsync: cannot sign the request: "+err.Error()), false
	}
	return target.OK, true
}

// send makes the request. A non-2xx answer is classified like an HTTP
// target's: 429 and 5xx retried; 401/403 no permissions; 404 no resource;
// any other status not retried; no answer as target.Classify says. On a
// 2xx answer, res is OK and body is the answer (up to maxAnswer bytes;
// complete says whether that was all of it).
func send(ctx context.Context, req *http.Request) (res target.Result, body []byte, complete bool) {
	resp, err := client.Do(req)
	if err != nil {
		return target.Classify(ctx, err), nil, false
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	complete = len(body) <= maxAnswer
	if !complete {
		body = body[:maxAnswer]
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return target.OK, body, complete
	}
	r := target.ClassifyStatus(resp.StatusCode, fmt.Errorf("AppSync answered %s%s", resp.Status, quote(body)))
	if resp.StatusCode == http.StatusRequestTimeout {
		r.Retryable = false // as for API Gateway: of the 4xx, only 429 is retried
	}
	return r, nil, false
}

// quote is ": " and the start of an answer, or "" for an empty one.
func quote(b []byte) string {
	msg := strings.TrimSpace(string(b))
	if msg == "" {
		return ""
	}
	if len(msg) > maxMessage {
		msg = msg[:maxMessage]
		for !utf8.ValidString(msg) { // cut inside a rune
			msg = msg[:len(msg)-1]
		}
		msg += "..."
	}
	return ": " + msg
}
