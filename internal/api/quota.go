package api

import (
	"errors"

	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// limitExceeded is AWS's answer to any quota being exceeded (recorded for
// the five-targets limit).
func limitExceeded() *Error {
	return Errorf(LimitExceeded, "The requested resource exceeds the maximum number allowed.")
}

// withinQuota runs right after a resource was created: n is the count of
// its kind listed after the create (listErr the listing's error). Resources
// are separate documents, so a count before the create would let
// concurrent creates all pass it; counting after it and taking the new
// resource back (undo) when the quota is exceeded keeps the quota exact:
// every resource kept was counted, after its creation, together with every
// one kept before it. A race may refuse more creates than necessary.
func withinQuota(n int, listErr error, limit int, undo func() error) error {
	if listErr != nil {
		return listErr
	}
	if n <= limit {
		return nil
	}
	if err := undo(); err != nil && !errors.Is(err, catalog.ErrNotFound) {
		return err
	}
	return limitExceeded()
}
