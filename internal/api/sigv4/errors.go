package sigv4

import "net/http"

// Wire error codes. They are the "__type" values AWS JSON services send for
// authentication failures.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	CodeIncompleteSignature        = "IncompleteSignatureException"
	CodeInvalidSignature           = "InvalidSignatureException"
	CodeUnrecognizedClient         = "UnrecognizedClientException"
)

// Error is a refused request. Code and Message are meant for the response
// body ({"__type": Code, "message": Message}) and Status for its status line.
type Error struct {
	Code    string
	Message string
	Status  int
}

func (e *Error) Error() string { return "sigv4: " + e.Code + ": " + e.Message }

// Messages AWS sends verbatim; clients and people grep for them.
const (
	msgMissingToken      = "Missing Authentication Token"
	msgInvalidToken      = "The security token included in the request is invalid."
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// Status choices: AWS sends 403 for "who are you" failures and 400 for a
// request that is malformed or stale; see eventbridge-contract.md 1.3.
func errMissing(msg string) *Error {
	return &Error{Code: CodeMissingAuthenticationToken, Message: msg, Status: http.StatusForbidden}
}

func errIncomplete(msg string) *Error {
	return &Error{Code: CodeIncompleteSignature, Message: msg, Status: http.StatusBadRequest}
}

func errInvalid(msg string) *Error {
	return &Error{Code: CodeInvalidSignature, Message: msg, Status: http.StatusBadRequest}
}

func errUnrecognized() *Error {
	return &Error{Code: CodeUnrecognizedClient, Message: msgInvalidToken, Status: http.StatusForbidden}
}
