package bench

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// newClient returns the one eventbridge client every sender shares. Its
// transport keeps an idle connection per client so that the senders do not
// open connections in the steady state, and the SDK does not retry: a
// throttled or failed request is counted, not hidden behind a retry that
// inflates the latency.
func newClient(c *Config) (*eventbridge.Client, *http.Transport) {
	tr := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   5 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		MaxIdleConns:          2 * c.Clients,
		MaxIdleConnsPerHost:   2 * c.Clients,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	client := eventbridge.New(eventbridge.Options{
		Region:       c.Region,
		BaseEndpoint: aws.String(c.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(c.AccessKey, c.SecretKey, ""),
		HTTPClient:   &http.Client{Transport: tr},
		Retryer:      aws.NopRetryer{},
	})
	return client, tr
}

// errorCode names the error of a failed request for the report: the AWS
// error code when the endpoint answered one, else the kind of failure.
func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() != "" {
		return api.ErrorCode()
	}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) && resp.HTTPStatusCode() != 0 {
		return "HTTP" + strconv.Itoa(resp.HTTPStatusCode())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "Timeout"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "Timeout"
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return "ConnectionError"
	}
	return "RequestError"
}

// errorMessage is the endpoint's message for an API error, or the error.
func errorMessage(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorMessage() != "" {
		return api.ErrorMessage()
	}
	return err.Error()
}

// fatalCodes are PutEvents errors that no amount of retrying fixes: the run
// stops at the first one and the report says why.
var fatalCodes = map[string]string{
	"NotImplementedException":     "the endpoint does not implement PutEvents",
	"UnknownOperationException":   "the endpoint does not know PutEvents",
	"UnrecognizedClientException": "the endpoint rejects the credentials",
	"InvalidSignatureException":   "the endpoint rejects the request signature",
	"AccessDeniedException":       "the credentials may not call PutEvents",
	"ResourceNotFoundException":   "the event bus does not exist",
}
