package target

import (
	"context"
	"errors"
	"net"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// Classify turns a failed SDK call into a Result, as EventBridge treats
// target errors: throttling, timeouts, connection failures and 5xx answers
// are retried; a missing resource, missing permissions and requests the
// service refuses as invalid go straight to the dead-letter queue.
//
// No error is OK. An error carrying a 2xx status is the SDK failing to read an answer the
// service gave after accepting the request: it counts as delivered, since a
// retry would run the action (a statement, a command, an execution) again.
func Classify(ctx context.Context, err error) Result {
	if st := Status(err); err == nil || st >= 200 && st < 300 {
		return OK
	}
	r := Result{Err: err}
	if ctx.Err() != nil {
		// The caller's context ended (shutdown, or the dispatcher's time
		// limit for the attempt): no verdict on the target here; the
		// caller, who owns the context, names it.
		r.Retryable = true
		return r
	}
	if IsCredentialsError(err) {
		// No credentials: a refused role or an empty chain is a permission
		// problem; STS answering 5xx or not at all is worth another try.
		if st := Status(err); st >= 500 || st == 429 {
			return ClassifyStatus(st, err)
		}
		var ne net.Error
		if errors.As(err, &ne) {
			return ClassifyTransport(ctx, err)
		}
		r.Code = CodeNoPermissions
		return r
	}
	var ip smithy.InvalidParamsError
	if errors.As(err, &ip) {
		// The SDK refused to send the request (a required member missing):
		// it never will.
		r.Code = CodeInvalidParameter
		return r
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code := ae.ErrorCode()
		st := Status(err)
		switch {
		case noResource[code] || (genericClient[code] && saysMissing(ae.ErrorMessage())):
			r.Code = CodeNoResource
		case noPermissions[code] || st == 401 || st == 403 && !throttling[code]:
			r.Code = CodeNoPermissions
		case alreadyExists[code]:
			r.Code = CodeAlreadyExists
		case throttling[code] || st == 429:
			r.Retryable, r.Code = true, CodeThrottling
		case st >= 500 || ae.ErrorFault() == smithy.FaultServer || serverCodes[code]:
			r.Retryable, r.Code = true, CodeSDKClientError
		case st == 404:
			r.Code = CodeNoResource
		case invalidParameter[code] || strings.HasPrefix(code, "Invalid") || strings.HasSuffix(code, "ValidationException"):
			r.Code = CodeInvalidParameter
		default:
			r.Code = CodeSDKClientError
		}
		return r
	}
	if st := Status(err); st != 0 {
		return ClassifyStatus(st, err)
	}
	return ClassifyTransport(ctx, err)
}

// saysMissing: services that have no "not found" error of their own (the
// Batch, ECS and Redshift Data APIs' ClientException, SageMaker's
// ValidationException) say so in the message.
func saysMissing(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"does not exist", "doesn't exist", "not found", "could not find", "cannot find"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// ClassifyStatus classifies an HTTP answer that is not an AWS error
// document (an API Gateway or AppSync endpoint, a stand-in). Of the 4xx
// statuses only 429 is retried, as EventBridge's user guide says of API
// Gateway targets: a 408 keeps its TIMEOUT code but is not retried.
func ClassifyStatus(status int, err error) Result {
	r := Result{Err: err, Code: CodeSDKClientError}
	switch {
	case status == 429:
		r.Retryable, r.Code = true, CodeThrottling
	case status >= 500:
		r.Retryable = true
	case status == 401 || status == 403:
		r.Code = CodeNoPermissions
	case status == 404:
		r.Code = CodeNoResource
	case status == 408:
		r.Code = CodeTimeout
	}
	return r
}

// ClassifyTransport classifies an attempt that got no answer at all, for
// every kind. All are retried: timeouts and connection failures are in
// EventBridge's retried list, and a reset connection or a garbled answer is
// as likely to be transient. When ctx itself ended, the caller gave up: no
// verdict on the target (Code ""), and the event stays retryable.
func ClassifyTransport(ctx context.Context, err error) Result {
	r := Result{Err: err, Retryable: true}
	if ctx.Err() != nil {
		return r // the caller's context ended: see Classify
	}
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		r.Code = CodeTimeout
	case errors.As(err, &de) || (errors.As(err, &oe) && oe.Op == "dial"):
		r.Code = CodeConnectionFailure
	default:
		r.Code = CodeSDKClientError // a reset connection, a garbled answer: may be transient
	}
	return r
}

// ErrorMessage is the text of a failed call for the DLQ's ERROR_MESSAGE:
// the service's error code and message when it answered, else the error.
func ErrorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if m := ae.ErrorMessage(); m != "" {
			return ae.ErrorCode() + ": " + m
		}
		return ae.ErrorCode()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// Status is the HTTP status of a failed SDK call, or 0 when none came.
func Status(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// IsCredentialsError: the request could not be signed because the
// credential chain (or the role assumption) yielded nothing; no request was
// sent.
func IsCredentialsError(err error) bool {
	var se *smithy.OperationError
	if !errors.As(err, &se) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "get identity: ") || strings.Contains(msg, "failed to retrieve credentials") ||
		strings.Contains(msg, "failed to refresh cached credentials")
}

// The error codes of the services EventBridge targets, by class. A code
// means the same in every service that uses it, so one table serves all.
var (
	noResource = set(
		"ResourceNotFoundException", "ResourceNotFound", "NotFound", "NotFoundException", "NoSuchEntity",
		"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "AWS.SimpleQueueService.QueueDeletedRecently", "QueueDeletedRecently",
		"StateMachineDoesNotExist", "StateMachineDeleting", "ClusterNotFoundException", "PipelineNotFoundException",
		"InvalidDocument", "AutomationDefinitionNotFoundException", "AutomationDefinitionVersionNotFoundException",
		"NoSuchEntityException")
	genericClient = set("ClientException", "ValidationException")
	noPermissions = set(
		"AccessDenied", "AccessDeniedException", "AuthorizationError", "AuthorizationErrorException",
		"KmsAccessDenied", "KMS.AccessDeniedException", "KMSAccessDeniedException", "KMSAccessDenied",
		"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSecurity",
		"ExpiredToken", "ExpiredTokenException", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
		"IncompleteSignature", "OptInRequired", "KmsOptInRequired", "UnauthorizedException", "NotAuthorizedException",
		"KMSDisabledException", "KMSInvalidStateException", "KMSNotFoundException")
	alreadyExists = set("ExecutionAlreadyExists", "ResourceAlreadyExistsException", "IdempotentParameterMismatch")
	throttling    = set(
		"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "Throttled",
		"AWS.SimpleQueueService.RequestThrottled", "RequestThrottledException", "TooManyRequestsException",
		"ProvisionedThroughputExceededException", "RequestLimitExceeded", "SlowDown", "KmsThrottled",
		"KMS.ThrottlingException", "KMSThrottlingException", "RequestThrottled.Exception", "LimitExceededException",
		"ServiceQuotaExceededException", "EC2ThrottledException", "ENILimitReachedException", "TooManyUpdates",
		"ConcurrentInvocationLimitExceeded", "ExecutionLimitExceeded", "SubnetIPAddressLimitReachedException",
		"AccountLimitExceededException", "ConcurrentPipelineExecutionsLimitExceededException", "ResourceLimitExceeded",
		"ActiveStatementsExceededException", "ActiveSessionsExceededException", "AutomationExecutionLimitExceededException")
	serverCodes = set("InternalError", "InternalFailure", "InternalServerError", "InternalServerException",
		"ServiceUnavailable", "ServiceUnavailableException", "ServiceFailure", "ServerException",
		"RequestTimeout", "RequestTimeoutException", "ServiceException", "ClientException.Retryable",
		"ResourceNotReadyException", "ResourceConflictException", "ResourceInUseException", "EC2UnexpectedException",
		"InternalException", "ServiceTemporarilyUnavailableException")
	invalidParameter = set("MissingParameter", "InvalidParameterValue", "InvalidParameterCombination",
		"InvalidParameter", "InvalidParameterException", "InvalidParameterValueException", "InvalidRequestContentException",
		"InvalidMessageContents", "InvalidAttributeValue", "InvalidAttributeName", "UnsupportedOperation",
		"AWS.SimpleQueueService.UnsupportedOperation", "OverLimit", "KmsDisabled", "KmsNotFound", "KmsInvalidState",
		"KmsInvalidKeyUsage", "ValidationException", "ValidationError", "RequestTooLargeException", "RequestEntityTooLargeException",
		"ClientException", "SerializationException", "InvalidInput", "InvalidExecutionInput", "InvalidName", "InvalidArn",
		"AutomationDefinitionNotApprovedException")
)

func set(ss ...string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
