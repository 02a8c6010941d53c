package bench

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// Histogram records durations in log-linear buckets, like HdrHistogram: values
// below 256ns are exact, larger ones fall into one of 128 buckets per power of
// two, so a reported percentile is within 1/256 (0.4%) of a recorded value.
// Its size is fixed (about 60 KB) whatever the number of samples, and Record is
// a few atomic adds, safe from any number of goroutines.
type Histogram struct {
	counts [histBuckets]atomic.Uint64
	n      atomic.Uint64
	sum    atomic.Uint64
	max    atomic.Uint64
}

const (
	subBits     = 7 // 128 sub-buckets per power of two: 0.8% bucket width
	subCount    = 1 << subBits
	linearLimit = 2 * subCount // values below this have a bucket each
	// Buckets: 256 exact ones, then 128 for each power of two from 2^8 to 2^63.
	histBuckets = linearLimit + (64-subBits-1)*subCount
)

// bucketOf maps a value to its bucket index.
func bucketOf(v uint64) int {
	if v < linearLimit {
		return int(v)
	}
	shift := bits.Len64(v) - (subBits + 1) // >= 1
	top := v >> shift                      // in [128, 256)
	return linearLimit + (shift-1)*subCount + int(top-subCount)
}

// bucketRange is the inclusive range of values bucket i holds.
func bucketRange(i int) (lo, hi uint64) {
	if i < linearLimit {
		return uint64(i), uint64(i)
	}
	i -= linearLimit
	shift := i/subCount + 1
	top := uint64(i%subCount + subCount)
	return top << shift, (top+1)<<shift - 1
}

// Record adds one sample; negative durations count as zero.
func (h *Histogram) Record(d time.Duration) {
	v := uint64(max(d, 0))
	h.counts[bucketOf(v)].Add(1)
	h.n.Add(1)
	h.sum.Add(v)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			return
		}
	}
}

// Count is the number of samples recorded.
func (h *Histogram) Count() uint64 { return h.n.Load() }

// Quantile returns the value below which a fraction q (0..1) of the samples
// fall: the midpoint of the bucket holding the sample of that rank, clamped to
// the largest sample seen, which is itself reported exactly. It is 0 for an
// empty histogram.
func (h *Histogram) Quantile(q float64) time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	// The rank of the sample, 1-based, as the nearest-rank method defines it.
	rank := uint64(q*float64(n) + 0.5)
	rank = min(max(rank, 1), n)
	if rank == n {
		return time.Duration(h.max.Load()) // known exactly
	}
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			lo, hi := bucketRange(i)
			return time.Duration(min(lo+(hi-lo)/2, h.max.Load()))
		}
	}
	// Samples recorded while we were reading can leave the counts behind n.
	return time.Duration(h.max.Load())
}

// Summary is what reports show of a histogram.
func (h *Histogram) Summary() Latency {
	n := h.n.Load()
	s := Latency{Count: n}
	if n == 0 {
		return s
	}
	s.Mean = ms(time.Duration(h.sum.Load() / n))
	s.P50 = ms(h.Quantile(0.50))
	s.P90 = ms(h.Quantile(0.90))
	s.P99 = ms(h.Quantile(0.99))
	s.Max = ms(time.Duration(h.max.Load()))
	return s
}

// Latency summarises a histogram in milliseconds.
type Latency struct {
	Count uint64  `json:"count"`
	Mean  float64 `json:"mean_ms"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
