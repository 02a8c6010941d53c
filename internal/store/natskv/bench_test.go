package natskv

import (
	"fmt"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/natsd"
)

func benchStore(b *testing.B, cfg natsd.Config) *Store {
	b.Helper()
	n, err := natsd.Open(b.Context(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = n.Close(b.Context()) })
	s, err := Open(b.Context(), n.JetStream(), "bench", n.StorageType())
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkStore(b *testing.B) {
	value := make([]byte, 1024)
	for _, mode := range []struct {
		name string
		cfg  func(b *testing.B) natsd.Config
	}{
		{"memory", func(*testing.B) natsd.Config { return natsd.Config{Memory: true} }},
		{"file", func(b *testing.B) natsd.Config { return natsd.Config{DataDir: b.TempDir()} }},
	} {
		b.Run(mode.name+"/Update", func(b *testing.B) {
			s := benchStore(b, mode.cfg(b))
			rev, err := s.Create(b.Context(), "k", value)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if rev, err = s.Update(b.Context(), "k", value, rev); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(mode.name+"/Get", func(b *testing.B) {
			s := benchStore(b, mode.cfg(b))
			if _, err := s.Create(b.Context(), "k", value); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Get(b.Context(), "k"); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, keys := range []int{10, 2000} {
			b.Run(fmt.Sprintf("%s/List/keys=%d", mode.name, keys), func(b *testing.B) {
				s := benchStore(b, mode.cfg(b))
				for i := range keys {
					if _, err := s.Create(b.Context(), fmt.Sprintf("rule.r%05d", i), value); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				for b.Loop() {
					entries, err := s.List(b.Context(), "rule.")
					if err != nil || len(entries) != keys {
						b.Fatal(len(entries), err)
					}
				}
			})
		}
	}
}
