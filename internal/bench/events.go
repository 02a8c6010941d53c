package bench

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// The generated events. Matching rules select them on a Detail field, not
// only on the source, so an endpoint has to look inside each event to route
// it; non-matching rules test the same field against values it never has.
const (
	eventSource     = "switchyard.bench"
	eventDetailType = "switchyard bench event"

	detailHead = `{"kind":"load","swb":"`
	detailMid  = `","pad":"`
	detailTail = `"}`

	matchingPattern = `{"source":["` + eventSource + `"],"detail":{"kind":["load"]}}`
)

func nonMatchingPattern(i int) string {
	return fmt.Sprintf(`{"source":["%s"],"detail":{"kind":["other-%d"]}}`, eventSource, i)
}

// newRunID returns 12 random hex digits naming a run and its resources.
func newRunID() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// detailBuilder writes Details of exactly size bytes into one reused buffer.
type detailBuilder struct {
	runID string
	size  int
	pad   string
	buf   []byte
}

func newDetailBuilder(runID string, size int) *detailBuilder {
	fixed := len(detailHead) + len(tokenPrefix(runID)) + tokenTail + len(detailMid) + len(detailTail)
	return &detailBuilder{
		runID: runID,
		size:  size,
		pad:   strings.Repeat("x", max(size-fixed, 0)),
		buf:   make([]byte, 0, size),
	}
}

// Detail returns the Detail of event seq sent at unix nanos sent.
func (d *detailBuilder) Detail(warmup bool, seq uint64, sent int64) string {
	b := append(d.buf[:0], detailHead...)
	b = appendToken(b, d.runID, warmup, seq, sent)
	b = append(b, detailMid...)
	b = append(b, d.pad...)
	b = append(b, detailTail...)
	d.buf = b
	return string(b)
}
