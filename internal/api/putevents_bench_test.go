package api

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

// discard takes accepted events and stores nothing: the benchmark measures
// the API's own work on PutEvents (reading, decoding, validating, building
// envelopes), not JetStream's.
type discard struct{ n int }

func (d *discard) Write(_ context.Context, recs []ingest.Record) error {
	d.n += len(recs)
	return nil
}

// BenchmarkPutEvents runs whole PutEvents requests of 10 entries with 1 KB
// Details through the handler.
func BenchmarkPutEvents(b *testing.B) {
	ctx := context.Background()
	node, err := natsd.Open(ctx, natsd.Config{Memory: true})
	if err != nil {
		b.Fatal(err)
	}
	defer node.Close(ctx)
	st, err := natskv.Open(ctx, node.JetStream(), "bench", node.StorageType())
	if err != nil {
		b.Fatal(err)
	}
	cat, err := catalog.Open(ctx, st, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer cat.Close()
	w := &discard{}
	a := New(Config{Catalog: cat, Auth: &OpenAuth{DefaultAccount: "123456789012", DefaultRegion: "us-east-1"}, Events: w})
	body := putEventsBody(b, 10, 1024)
	rec := httptest.NewRecorder()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSEvents.PutEvents")
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		rec.Body.Reset()
		a.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
	if w.n == 0 {
		b.Fatal("no event accepted")
	}
}
