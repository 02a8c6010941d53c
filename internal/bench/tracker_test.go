package bench

import "testing"

func TestTrackerAllDelivered(t *testing.T) {
	tr := newTracker(2)
	const n = 3*blockSize + 100
	for seq := range uint64(n) {
		// Half the deliveries arrive before PutEvents answers, as with an
		// endpoint that delivers synchronously.
		if seq%2 == 0 {
			tr.Delivered(0, seq)
			tr.Delivered(1, seq)
			tr.Resolved(seq, true)
		} else {
			tr.Resolved(seq, true)
			tr.Delivered(1, seq)
			tr.Delivered(0, seq)
		}
	}
	if len(tr.blocks) != 1 {
		t.Errorf("%d blocks held, want only the last, incomplete one", len(tr.blocks))
	}
	// A redelivery into a retired block and into the live one.
	if !tr.Delivered(0, 5) || !tr.Delivered(1, n-1) {
		t.Error("redelivery not reported as a duplicate")
	}
	c := tr.Counts()
	want := trackerCounts{Accepted: n, Unique: 2 * n, Duplicates: 2}
	if c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
	if u, e := tr.Progress(); u != 2*n || e != 2*n {
		t.Errorf("progress %d/%d", u, e)
	}
}

func TestTrackerMissingAndUnexpected(t *testing.T) {
	tr := newTracker(1)
	for seq := range uint64(blockSize) {
		accepted := seq != 7 // entry 7 failed
		tr.Resolved(seq, accepted)
		if seq != 3 && seq != 9 { // 3 and 9 never delivered
			tr.Delivered(0, seq)
		}
	}
	c := tr.Counts()
	// 7 was delivered although its entry failed (a request that timed
	// out after the endpoint took it, say).
	want := trackerCounts{Accepted: blockSize - 1, Unique: blockSize - 2, Missing: 2, Unexpected: 1}
	if c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
	if len(tr.blocks) != 1 {
		t.Errorf("an incomplete block was retired")
	}
	// The late deliveries complete the block, which then retires.
	tr.Delivered(0, 3)
	tr.Delivered(0, 9)
	if len(tr.blocks) != 0 {
		t.Errorf("complete block still held")
	}
	c = tr.Counts()
	if c.Missing != 0 || c.Unexpected != 1 {
		t.Errorf("after late deliveries: %+v", c)
	}
}

// TestTrackerBounded: an endpoint that never delivers must not make the
// tracker grow without limit.
func TestTrackerBounded(t *testing.T) {
	tr := newTracker(1)
	tr.limit = 2
	for seq := range uint64(5 * blockSize) {
		tr.Resolved(seq, true)
	}
	if len(tr.blocks) > 2 {
		t.Fatalf("%d blocks held, limit 2", len(tr.blocks))
	}
	if tr.Delivered(0, 0) {
		t.Error("a delivery into a settled block is late, not a duplicate")
	}
	c := tr.Counts()
	if c.Missing != 5*blockSize || c.Late != 1 || c.Accepted != 5*blockSize {
		t.Errorf("counts %+v", c)
	}
}
