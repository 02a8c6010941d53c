package bench

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestBucketBounds(t *testing.T) {
	prev := -1
	check := func(v uint64) {
		i := bucketOf(v)
		if i < 0 || i >= histBuckets {
			t.Fatalf("bucketOf(%d) = %d, out of [0, %d)", v, i, histBuckets)
		}
		lo, hi := bucketRange(i)
		if v < lo || v > hi {
			t.Fatalf("value %d in bucket %d of range [%d, %d]", v, i, lo, hi)
		}
		if v >= linearLimit && float64(hi-lo+1)/float64(lo) > 1.0/subCount+1e-12 {
			t.Fatalf("bucket %d [%d, %d] is wider than 1/%d of its values", i, lo, hi, subCount)
		}
	}
	for v := range uint64(1 << 16) {
		check(v)
		if i := bucketOf(v); i < prev {
			t.Fatalf("bucketOf not monotonic at %d", v)
		} else {
			prev = i
		}
	}
	for s := range 64 {
		for _, d := range []int64{-1, 0, 1} {
			v := uint64(1)<<s + uint64(d)
			check(v)
		}
	}
	check(math.MaxUint64)
	// Adjacent buckets tile the value space without gaps.
	for i := 1; i < histBuckets; i++ {
		_, hi := bucketRange(i - 1)
		lo, _ := bucketRange(i)
		if lo != hi+1 {
			t.Fatalf("gap between bucket %d (hi %d) and %d (lo %d)", i-1, hi, i, lo)
		}
	}
}

// TestHistogramQuantiles compares the histogram's percentiles with the exact
// nearest-rank percentiles of the same random samples.
func TestHistogramQuantiles(t *testing.T) {
	// One seeded generator per distribution, so that each subtest sees
	// the same samples whatever the map's iteration order.
	var rng *rand.Rand
	dists := map[string]func() time.Duration{
		"uniform 0-1ms": func() time.Duration { return time.Duration(rng.Int64N(int64(time.Millisecond))) },
		// Latency-like: log-normal around 2ms with a long tail.
		"lognormal": func() time.Duration {
			return time.Duration(2e6 * math.Exp(rng.NormFloat64()))
		},
		"bimodal": func() time.Duration {
			if rng.IntN(100) < 95 {
				return time.Duration(500_000 + rng.Int64N(100_000))
			}
			return time.Duration(200e6 + rng.Int64N(50e6))
		},
		"tiny exact": func() time.Duration { return time.Duration(rng.Int64N(200)) },
	}
	for name, gen := range dists {
		t.Run(name, func(t *testing.T) {
			rng = rand.New(rand.NewPCG(1, uint64(len(name))))
			var h Histogram
			ref := make([]time.Duration, 100_000)
			for i := range ref {
				ref[i] = gen()
				h.Record(ref[i])
			}
			slices.Sort(ref)
			if h.Count() != uint64(len(ref)) {
				t.Fatalf("count %d, want %d", h.Count(), len(ref))
			}
			for _, q := range []float64{0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 1} {
				rank := max(int(q*float64(len(ref))+0.5), 1)
				want := ref[rank-1]
				got := h.Quantile(q)
				tol := math.Max(float64(want)*0.01, 1)
				if math.Abs(float64(got-want)) > tol {
					t.Errorf("q%.3f = %v, want %v within 1%%", q, got, want)
				}
			}
			if got := h.Quantile(1); got != ref[len(ref)-1] {
				t.Errorf("max quantile %v, want exactly the largest sample %v", got, ref[len(ref)-1])
			}
		})
	}
}

func TestHistogramEmptyAndNegative(t *testing.T) {
	var h Histogram
	if got := h.Quantile(0.99); got != 0 {
		t.Errorf("empty quantile = %v", got)
	}
	if s := h.Summary(); s != (Latency{}) {
		t.Errorf("empty summary = %+v", s)
	}
	h.Record(-time.Second)
	if got := h.Quantile(0.5); got != 0 {
		t.Errorf("negative sample reported as %v, want 0", got)
	}
}

func TestHistogramConcurrent(t *testing.T) {
	var h Histogram
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				h.Record(time.Duration(g*1000+i) * time.Microsecond)
			}
		})
	}
	wg.Wait()
	s := h.Summary()
	if s.Count != 8000 {
		t.Fatalf("count %d, want 8000", s.Count)
	}
	if math.Abs(s.Max-7.999) > 1e-9 {
		t.Errorf("max %vms, want 7.999ms", s.Max)
	}
	if math.Abs(s.P50-4.0) > 0.04 {
		t.Errorf("p50 %vms, want about 4ms", s.P50)
	}
}

func BenchmarkHistogramRecord(b *testing.B) {
	var h Histogram
	b.ReportAllocs()
	d := time.Duration(1)
	for b.Loop() {
		h.Record(d)
		d = (d*3 + 7) & (1<<40 - 1)
	}
}
