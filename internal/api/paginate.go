package api

import (
	"encoding/base64"
	"strings"
)

// defaultPageSize is the page size of List operations called without Limit.
const defaultPageSize = 100

// page cuts one page out of items sorted by key. The NextToken is the
// (opaque, encoded) key of the last item returned, so a page stays right when
// items are added or removed between calls.
func page[T any](items []T, key func(T) string, nextToken *string, limit *int32) ([]T, *string, error) {
	start := 0
	if nextToken != nil {
		after, err := decodeToken(*nextToken)
		if err != nil {
			return nil, nil, err
		}
		for start < len(items) && key(items[start]) <= after {
			start++
		}
	}
	n := defaultPageSize
	if limit != nil {
		n = int(*limit)
	}
	end := min(start+n, len(items))
	out := items[start:end]
	if end < len(items) && len(out) > 0 {
		tok := encodeToken(key(out[len(out)-1]))
		return out, &tok, nil
	}
	return out, nil, nil
}

const tokenPrefix = "sy1:"

func encodeToken(after string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + after))
}

func decodeToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(b), tokenPrefix) {
		return "", Errorf(Validation, "The NextToken provided is invalid.")
	}
	return string(b[len(tokenPrefix):]), nil
}

// filterPrefix keeps the items whose name starts with prefix (all when nil).
func filterPrefix[T any](items []T, name func(T) string, prefix *string) []T {
	if prefix == nil || *prefix == "" {
		return items
	}
	out := items[:0:0]
	for _, it := range items {
		if strings.HasPrefix(name(it), *prefix) {
			out = append(out, it)
		}
	}
	return out
}
