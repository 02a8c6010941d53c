package ingest

import (
	"bytes"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/catalog"
)

func TestBatchRoundTrip(t *testing.T) {
	recs := []Record{
		{Bus: catalog.BusKey{Account: "123456789012", Region: "us-east-1", Name: "default"}, Ingested: time.UnixMilli(1767268800123).UTC(), Event: []byte(`{"id":"1"}`)},
		{Bus: catalog.BusKey{Account: "210987654321", Region: "eu-west-1", Name: "orders.v2/x"}, TraceHeader: "Root=1-abc", Hops: 3,
			Ingested: time.UnixMilli(-5).UTC(), Event: bytes.Repeat([]byte("é"), 70000)},
		{},
	}
	b := AppendBatch(nil, recs)
	got, err := DecodeBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(recs) {
		t.Fatalf("%d records, want %d", len(got), len(recs))
	}
	for i := range recs {
		w, g := recs[i], got[i]
		if w.Bus != g.Bus || w.TraceHeader != g.TraceHeader ||
			w.Hops != g.Hops || !w.Ingested.Equal(g.Ingested) || !bytes.Equal(w.Event, g.Event) {
			t.Errorf("record %d: got %+v, want %+v", i, g, w)
		}
	}
	// Every truncation and a trailing byte are refused, never a panic.
	for n := range len(b) {
		if _, err := DecodeBatch(b[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: accepted", n)
		}
	}
	if _, err := DecodeBatch(append(b, 0)); err == nil {
		t.Error("trailing byte accepted")
	}
	if _, err := DecodeBatch(AppendBatch(nil, nil)); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

// FuzzDecodeBatch: any bytes decode without panic, and whatever decodes
// encodes back to the same bytes.
func FuzzDecodeBatch(f *testing.F) {
	f.Add(AppendBatch(nil, []Record{{Bus: catalog.BusKey{Account: "a", Region: "r", Name: "b"}, Event: []byte("{}")}}))
	f.Add([]byte{1, 255, 255, 255, 255, 15})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := DecodeBatch(b)
		if err != nil {
			return
		}
		if again := AppendBatch(nil, recs); !bytes.Equal(again, b) {
			// Varints have one shortest form; a longer one decodes the same.
			back, err := DecodeBatch(again)
			if err != nil || len(back) != len(recs) {
				t.Fatalf("re-encoding does not decode: %v", err)
			}
		}
	})
}
