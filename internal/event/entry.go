package event

import (
	"bytes"
	"encoding/json"
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
	d, ok := compactObject(*e.Detail)
	if !ok {
		return nil, &Problem{Code: CodeMalformedDetail, Message: "Detail is malformed."}
	}
	return d, nil
}

// compactObject returns s without insignificant white space if it is a JSON
// object nested no deeper than AWS allows.
func compactObject(s string) ([]byte, bool) {
	t := strings.TrimLeft(s, " \t\r\n")
	if t == "" || t[0] != '{' {
		return nil, false
	}
	var b bytes.Buffer
	b.Grow(len(s))
	if err := json.Compact(&b, []byte(s)); err != nil {
		return nil, false
	}
	if depth(b.Bytes()) > maxDetailDepth {
		return nil, false
	}
	return b.Bytes(), true
}

// depth is the deepest nesting of objects and arrays in valid compact JSON.
func depth(js []byte) int {
	d, maxd, inStr := 0, 0, false
	for i := 0; i < len(js); i++ {
		c := js[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			d++
			maxd = max(maxd, d)
		case c == '}' || c == ']':
			d--
		}
	}
	return maxd
}
