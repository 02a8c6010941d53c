package apigateway

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

// timeout is EventBridge's limit on an API Gateway request: the user
// guide's API Gateway target page says a request taking longer than 5
// seconds is timed out and retried.
const timeout = 5 * time.Second

const (
	maxDrain   = 1 << 20 // read at most this much of an answer, so keep-alive connections get reused
	maxMessage = 512     // bytes of an error answer quoted in the DLQ message
)

// client is shared by every API Gateway target. Redirects are not
// followed: a signed request would not survive one, and API Gateway does
// not send them.
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
		return target.Fail(target.CodeNoPermissions, "apigateway: no AWS credentials to sign the request with"), false
	}
	cr, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		// A role STS refuses is a permission problem; STS being slow or
		// unreachable is worth another try.
		res = target.Classify(ctx, err)
		if !res.Retryable {
			res.Code = target.CodeNoPermissions
		}
		res.Err = fmt.Errorf("apigateway: cannot get the credentials to sign with: %w", err)
		return res, false
	}
	sum := sha256.Sum256(body)
	if err := signer.SignHTTP(ctx, cr, req, hex.EncodeToString(sum[:]), service, region, time.Now().UTC()); err != nil {
		return target.Fail(target.CodeSDKClientError, "apigateway: cannot sign the request: "+err.Error()), false
	}
	return target.OK, true
}

// send makes the request and classifies the answer as EventBridge does for
// API Gateway: 2xx delivered; 429 and 5xx retried; 401/403 no permissions;
// 404 no resource; any other status not retried; no answer as
// target.Classify says.
func send(ctx context.Context, req *http.Request, who string) target.Result {
	resp, err := client.Do(req)
	if err != nil {
		return target.Classify(ctx, err)
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxMessage+1))
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return target.OK
	}
	return classifyStatus(resp.StatusCode, answerError(who, resp.Status, head))
}

// classifyStatus is target.ClassifyStatus, except that EventBridge retries
// no 4xx answer of API Gateway but 429 (not even 408).
func classifyStatus(status int, err error) target.Result {
	r := target.ClassifyStatus(status, err)
	if status == http.StatusRequestTimeout {
		r.Retryable = false
	}
	return r
}

// answerError quotes the status and the start of the body of a failed
// answer.
func answerError(who, status string, body []byte) error {
	msg := strings.TrimSpace(string(body))
	if msg == "" {
		return fmt.Errorf("%s answered %s", who, status)
	}
	if len(msg) > maxMessage {
		msg = msg[:maxMessage]
		for !utf8.ValidString(msg) { // cut inside a rune
			msg = msg[:len(msg)-1]
		}
		msg += "..."
	}
	return fmt.Errorf("%s answered %s: %s", who, status, msg)
}
