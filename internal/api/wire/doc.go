// Package wire holds the JSON wire shapes of the Amazon EventBridge API
// (AWSEvents 2015-10-07, AWS JSON 1.1) and their input validators.
//
// The zz_*.go files are generated from the botocore model by ./internal/gen;
// everything else is written by hand. There is one Go struct per structure
// shape of the model, named exactly as the shape, with one field per member,
// named exactly as the member and tagged `json:"Member,omitzero"`. Scalars
// are pointers (nil = absent), lists are slices, maps are maps and nested
// structures are pointers; a nil slice or map is omitted on output, an empty
// non-nil one is written as [] or {}. Timestamps are [Timestamp]: epoch
// seconds as a JSON number on output, a number or an RFC 3339 string on
// input.
//
// Every structure reachable from an operation input has a Validate method
// that reproduces the ValidationException text of the real service:
//
//	1 validation error detected: Value 'x y' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+
//
// Failures are reported in model member order; for one member the order is
// required, enum, pattern, length (or value range), then the contents of a
// list, map or structure. Paths are the camelCase member names joined by
// dots; structure elements of a list are "list.N.member." with N 1-based.
// Scalar list elements and map keys and values follow AWS's Coral
// framework: one failure at the list or map itself, with the element
// shape's whole constraint list, e.g. "Member must satisfy constraint:
// [...]", "Map keys must satisfy constraint: [...]" and "Map value must
// satisfy constraint: [...]". Values of sensitive shapes are never echoed
// ("Value at 'x' failed ..."). String lengths count runes. The model's
// patterns are Java regular expressions matched against the whole value;
// see internal/gen/regex.go for their translation to RE2.
package wire

//go:generate go run ./internal/gen -out .
