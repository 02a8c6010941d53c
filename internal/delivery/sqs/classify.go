package sqs

import (
	"context"
	"errors"
	"net"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// DLQ ERROR_CODE values (see the package doc).
const (
	CodeNoResource        = "NO_RESOURCE"
	CodeNoPermissions     = "NO_PERMISSIONS"
	CodeThrottling        = "THROTTLING"
	CodeTimeout           = "TIMEOUT"
	CodeConnectionFailure = "CONNECTION_FAILURE"
	CodeInvalidParameter  = "INVALID_PARAMETER"
	CodeSDKClientError    = "SDK_CLIENT_ERROR"
)

// Classify says whether a failed SQS call may succeed later and with which
// DLQ ERROR_CODE it is reported. It is exported for the tests of callers.
func Classify(err error) (retryable bool, code string) {
	r := classify(context.Background(), err)
	return r.Retryable, r.ErrorCode
}

func classify(ctx context.Context, err error) Result {
	r := Result{Err: err}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		// The caller gave up (shutdown): no verdict on the queue.
		r.Retryable = true
		return r
	}
	if isCredentialsError(err) {
		r.ErrorCode = CodeNoPermissions
		return r
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code := ae.ErrorCode()
		switch {
		case noResource[code]:
			r.ErrorCode = CodeNoResource
		case noPermissions[code]:
			r.ErrorCode = CodeNoPermissions
		case throttling[code] || status(err) == 429:
			r.Retryable, r.ErrorCode = true, CodeThrottling
		case status(err) >= 500 || ae.ErrorFault() == smithy.FaultServer || serverCodes[code]:
			r.Retryable, r.ErrorCode = true, CodeSDKClientError
		case invalidParameter[code] || strings.HasPrefix(code, "Invalid"):
			r.ErrorCode = CodeInvalidParameter
		default:
			r.ErrorCode = CodeSDKClientError
		}
		return r
	}
	if s := status(err); s != 0 {
		// An answer that is not an AWS error document.
		r.Retryable = s == 429 || s >= 500
		r.ErrorCode = CodeSDKClientError
		if s == 429 {
			r.ErrorCode = CodeThrottling
		}
		return r
	}
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	r.Retryable = true
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		r.ErrorCode = CodeTimeout
	case errors.As(err, &de) || (errors.As(err, &oe) && oe.Op == "dial"):
		r.ErrorCode = CodeConnectionFailure
	default:
		r.ErrorCode = CodeSDKClientError // a reset connection, a garbled answer: may be transient
	}
	return r
}

// ErrorMessage is the text of a failed call for the DLQ's ERROR_MESSAGE: the
// service's error code and message when SQS answered, else the error.
func ErrorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if m := ae.ErrorMessage(); m != "" {
			return ae.ErrorCode() + ": " + m
		}
		return ae.ErrorCode()
	}
	return err.Error()
}

func status(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// isCredentialsError: the request could not be signed because the
// credential chain yielded nothing; no request was sent.
func isCredentialsError(err error) bool {
	var se *smithy.OperationError
	if !errors.As(err, &se) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "get identity: ") || strings.Contains(msg, "failed to retrieve credentials") ||
		strings.Contains(msg, "failed to refresh cached credentials")
}

var (
	noResource = set("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
		"AWS.SimpleQueueService.QueueDeletedRecently", "QueueDeletedRecently", "ResourceNotFoundException")
	noPermissions = set("AccessDenied", "AccessDeniedException", "KmsAccessDenied", "KMS.AccessDeniedException",
		"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSecurity",
		"ExpiredToken", "ExpiredTokenException", "MissingAuthenticationToken", "IncompleteSignature",
		"OptInRequired", "KmsOptInRequired", "AuthorizationError")
	throttling = set("Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
		"AWS.SimpleQueueService.RequestThrottled", "RequestThrottledException", "TooManyRequestsException",
		"ProvisionedThroughputExceededException", "RequestLimitExceeded", "SlowDown", "KmsThrottled",
		"KMS.ThrottlingException", "RequestThrottled.Exception")
	serverCodes      = set("InternalError", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException")
	invalidParameter = set("MissingParameter", "InvalidParameterValue", "InvalidParameterCombination",
		"InvalidMessageContents", "InvalidAttributeValue", "InvalidAttributeName", "UnsupportedOperation",
		"AWS.SimpleQueueService.UnsupportedOperation", "OverLimit", "KmsDisabled", "KmsNotFound", "KmsInvalidState", "KmsInvalidKeyUsage")
)

func set(ss ...string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
