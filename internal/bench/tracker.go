package bench

import (
	"math/bits"
	"sync"
)

// tracker counts deliveries per (rule, event) to find duplicates and missing
// ones without memory that grows with the length of a run.
//
// Sequence numbers are grouped in blocks of blockSize. A block keeps one bit
// per event saying whether PutEvents accepted it, and one bit per event and
// matching rule saying whether a delivery arrived. Once every event of a block
// has its PutEvents answer and every accepted event has been delivered by
// every matching rule, the block is retired: its bits are freed and only its
// number is remembered, so a later delivery into it is a duplicate. In a
// healthy run only the blocks still in flight hold memory. Blocks that never
// complete (the endpoint loses or never makes deliveries) are kept until the
// end, one bit per event and rule, up to maxTrackBytes; beyond that the oldest
// block is settled early, its undelivered events counted as missing and any
// later delivery into it as late.
//
// A delivery may arrive before the PutEvents response that accepted its event
// (an endpoint that delivers synchronously always does this), so the accepted
// and seen bits are only compared once a block is complete or at the end.
type tracker struct {
	rules int // matching rules: expected deliveries per accepted event
	limit int // most blocks held before the oldest is settled early

	mu      sync.Mutex
	blocks  map[uint64]*block
	retired map[uint64]bool // true: retired complete; false: settled early
	// Totals, under mu.
	accepted   uint64
	unique     uint64 // first delivery of an (event, rule)
	duplicates uint64
	late       uint64 // deliveries into a block settled early
	missing    uint64 // from blocks settled early
	unexpected uint64 // from retired blocks: deliveries of events not accepted
}

const (
	blockBits     = 14
	blockSize     = 1 << blockBits
	blockWords    = blockSize / 64
	maxTrackBytes = 64 << 20
)

type block struct {
	accepted []uint64 // blockWords
	seen     []uint64 // rules * blockWords
	resolved int      // events of this block with a PutEvents answer
	nAcc     int
	nSeen    int
}

func newTracker(rules int) *tracker {
	rules = max(rules, 1)
	return &tracker{
		rules:   rules,
		limit:   max(maxTrackBytes/((rules+1)*blockWords*8), 2),
		blocks:  map[uint64]*block{},
		retired: map[uint64]bool{},
	}
}

// blockFor returns the block of seq, creating it, or nil if it was retired
// (complete reports whether it retired complete).
func (t *tracker) blockFor(seq uint64) (b *block, complete bool) {
	id := seq >> blockBits
	if b := t.blocks[id]; b != nil {
		return b, false
	}
	if c, ok := t.retired[id]; ok {
		return nil, c
	}
	if len(t.blocks) >= t.limit {
		t.settleOldest()
	}
	b = &block{accepted: make([]uint64, blockWords), seen: make([]uint64, t.rules*blockWords)}
	t.blocks[id] = b
	return b, false
}

// Resolved records the PutEvents answer for event seq.
func (t *tracker) Resolved(seq uint64, accepted bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, _ := t.blockFor(seq)
	if b == nil {
		return // settled early; the answer no longer matters
	}
	b.resolved++
	if accepted {
		t.accepted++
		b.nAcc++
		off := seq & (blockSize - 1)
		b.accepted[off/64] |= 1 << (off % 64)
	}
	t.maybeRetire(seq>>blockBits, b)
}

// Delivered records a delivery of event seq by matching rule r and reports
// whether it was a duplicate.
func (t *tracker) Delivered(r int, seq uint64) (dup bool) {
	if r < 0 || r >= t.rules {
		r = 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	b, complete := t.blockFor(seq)
	if b == nil {
		if complete {
			t.duplicates++
			return true
		}
		t.late++
		return false
	}
	off := seq & (blockSize - 1)
	w, bit := &b.seen[r*blockWords+int(off/64)], uint64(1)<<(off%64)
	if *w&bit != 0 {
		t.duplicates++
		return true
	}
	*w |= bit
	b.nSeen++
	t.unique++
	t.maybeRetire(seq>>blockBits, b)
	return false
}

func (t *tracker) maybeRetire(id uint64, b *block) {
	if b.resolved < blockSize || b.nSeen < b.nAcc*t.rules {
		return
	}
	missing, unexpected := t.scan(b)
	if missing > 0 {
		return // some seen bits are for events that were not accepted
	}
	t.unexpected += unexpected
	delete(t.blocks, id)
	t.retired[id] = true
}

// settleOldest gives up waiting on the lowest block still held.
func (t *tracker) settleOldest() {
	first := true
	var oldest uint64
	for id := range t.blocks {
		if first || id < oldest {
			oldest, first = id, false
		}
	}
	missing, unexpected := t.scan(t.blocks[oldest])
	t.missing += missing
	t.unexpected += unexpected
	delete(t.blocks, oldest)
	t.retired[oldest] = false
}

// scan counts the accepted (event, rule) pairs not delivered, and the
// deliveries of events not accepted.
func (t *tracker) scan(b *block) (missing, unexpected uint64) {
	for r := range t.rules {
		seen := b.seen[r*blockWords : (r+1)*blockWords]
		for i, a := range b.accepted {
			missing += uint64(bits.OnesCount64(a &^ seen[i]))
			unexpected += uint64(bits.OnesCount64(seen[i] &^ a))
		}
	}
	return missing, unexpected
}

// trackerCounts is a snapshot of a tracker.
type trackerCounts struct {
	Accepted, Unique, Duplicates, Late, Missing, Unexpected uint64
}

// Counts returns the totals so far. Missing and Unexpected cover every block,
// so they are final only once all events have their PutEvents answer; they
// cost a scan of the blocks still held, so call Counts for the final report,
// and Progress while running.
func (t *tracker) Counts() trackerCounts {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := trackerCounts{
		Accepted: t.accepted, Unique: t.unique, Duplicates: t.duplicates,
		Late: t.late, Missing: t.missing, Unexpected: t.unexpected,
	}
	for _, b := range t.blocks {
		m, u := t.scan(b)
		c.Missing += m
		c.Unexpected += u
	}
	return c
}

// Progress returns the cheap counters: unique deliveries so far and how many
// are expected from the events accepted so far.
func (t *tracker) Progress() (unique, expected uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.unique, t.accepted * uint64(t.rules)
}
