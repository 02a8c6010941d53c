package sigv4

import (
	"strconv"
	"strings"
	"testing"
)

// Verify runs on every request: one PutEvents-sized call should cost a few
// microseconds plus hashing the body, and allocate almost nothing.
func BenchmarkVerify(b *testing.B) {
	for _, size := range []int{64, 4 << 10, 256 << 10} {
		b.Run(sizeName(size), func(b *testing.B) {
			q := defaultReq()
			q.body = `{"D":"` + strings.Repeat("x", size-8) + `"}`
			r, body := q.signed(b)
			v := verifierAt(t0)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(r, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseAuthorization(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAuthorization(goodAuth); err != nil {
			b.Fatal(err)
		}
	}
}

func sizeName(n int) string {
	if n >= 1<<10 {
		return strconv.Itoa(n>>10) + "KiB"
	}
	return strconv.Itoa(n) + "B"
}

// The verified path allocates only the SignedHeaders slice; refusals may
// allocate their message.
func TestVerifyAllocs(t *testing.T) {
	r, body := defaultReq().signed(t)
	v := verifierAt(t0)
	n := testing.AllocsPerRun(100, func() {
		if _, err := v.Verify(r, body); err != nil {
			t.Fatal(err)
		}
	})
	if n > 1 {
		t.Errorf("Verify allocates %v times per request, want at most 1", n)
	}
}
