package event

import (
	"strings"
	"time"
)

// Size limits of a PutEvents request, the sum of its entries' sizes.
const (
	MaxRequestSize    = 1 << 20   // AWS's limit since 2026-01-29
	CompatRequestSize = 256 << 10 // the limit before, for strict compatibility
)

// maxDetailDepth is the nesting AWS allows in Detail.
const maxDetailDepth = 1000

// Entry is one PutEvents entry as the wire gives it.
type Entry struct {
	Time         *time.Time
	Source       *string
	DetailType   *string
	Detail       *string
	Resources    []string
	EventBusName *string
	TraceHeader  *string
}

// Size is the entry's size as AWS counts it against the request limit:
// 14 bytes for a Time, and the UTF-8 bytes of Source, DetailType, Detail and
// each resource. The bus name and trace header do not count.
func Size(e *Entry) int {
	n := 0
	if e.Time != nil {
		n += 14
	}
	for _, s := range []*string{e.Source, e.DetailType, e.Detail} {
		if s != nil {
			n += len(*s)
		}
	}
	for _, r := range e.Resources {
		n += len(r)
	}
	return n
}

// Problem is why one entry was refused: the ErrorCode and ErrorMessage of
// its PutEvents result.
type Problem struct {
	Code    string
	Message string
}

// Per-entry error codes AWS documents.
const (
	CodeInvalidArgument   = "InvalidArgument"
	CodeMalformedDetail   = "MalformedDetail"
	CodeNotAuthorized     = "NotAuthorizedForSourceException"
	CodeAccessDenied      = "AccessDeniedException"
	CodeInternalFailure   = "InternalFailure"
	CodeThrottling        = "ThrottlingException"
	CodeInvalidAccountID  = "InvalidAccountIdException"
	CodeRedactionFailure  = "RedactionFailure"
	CodeNotAuthorizedType = "NotAuthorizedForDetailTypeException"
)

func missing(field string) *Problem {
	return &Problem{Code: CodeInvalidArgument, Message: "Parameter " + field + " is not valid. Reason: " + field + " is a required argument."}
}

// Check applies AWS's per-entry rules and returns the compacted Detail to
// store, or the problem that fails the entry. The order of the checks is
// AWS's: Source, DetailType, Detail presence, then Detail's content.
func Check(e *Entry) ([]byte, *Problem) {
	if e.Source == nil || *e.Source == "" {
		return nil, missing("Source")
	}
	if e.DetailType == nil || *e.DetailType == "" {
		return nil, missing("DetailType")
	}
	if e.Detail == nil || *e.Detail == "" {
		return nil, missing("Detail")
	}
	if strings.HasPrefix(*e.Source, "aws.") {
		return nil, &Problem{Code: CodeNotAuthorized, Message: "Not authorized for the source."}
	}
	d, ok := appendCompactObject(make([]byte, 0, len(*e.Detail)), *e.Detail)
	if !ok {
		return nil, &Problem{Code: CodeMalformedDetail, Message: "Detail is malformed."}
	}
	return d, nil
}
