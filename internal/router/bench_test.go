package router

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/ingest"
)

// benchEvent is a 1 KB event of the shape the bench command sends.
func benchEvent(i int) []byte {
	pad := strings.Repeat("x", 700)
	return fmt.Appendf(nil, `{"version":"0","id":"e-%d","detail-type":"Order Placed","source":"src-%d","account":"123456789012",`+
		`"time":"2026-11-22T09:07:21Z","region":"us-east-1","resources":[],"detail":{"amount":%d,"customer":{"tier":"gold"},"note":"%s"}}`,
		i, i, i*7, pad)
}

// BenchmarkRoute decodes one stored batch of 10 events and matches each
// against its bus's rules, as the router does for every batch: the work
// between reading a batch and handing its deliveries on.
func BenchmarkRoute(b *testing.B) {
	for _, rules := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("rules=%d", rules), func(b *testing.B) {
			x := newIndex(nil)
			s := catalog.Scope{Account: "123456789012", Region: "us-east-1"}
			for i := range rules {
				p := fmt.Sprintf(`{"source":["src-%d"],"detail":{"amount":[{"numeric":[">",%d]}],"customer":{"tier":["gold","silver"]}}}`, i%10, i)
				x.apply(catalog.Change{Scope: s, Rule: &catalog.Rule{Bus: "default", Name: fmt.Sprintf("r%04d", i), State: catalog.RuleEnabled,
					EventPattern: &p, Targets: []catalog.Target{{ID: "t", ARN: "arn:aws:sqs:us-east-1:123456789012:q"}}}})
			}
			var recs []ingest.Record
			for i := range 10 {
				recs = append(recs, ingest.Record{Bus: s.Bus("default"), Ingested: time.Unix(1767268800, 0), Event: benchEvent(i)})
			}
			batch := ingest.AppendBatch(nil, recs)
			var targets []*Target
			var names []string
			matched := 0
			b.SetBytes(int64(len(batch)))
			b.ReportAllocs()
			for b.Loop() {
				recs, err := ingest.DecodeBatch(batch)
				if err != nil {
					b.Fatal(err)
				}
				for _, rec := range recs {
					targets, names, err = x.Match(targets[:0], rec.Bus, rec.Event, names)
					if err != nil {
						b.Fatal(err)
					}
					matched += len(targets)
				}
			}
			if matched == 0 {
				b.Fatal("nothing matched")
			}
		})
	}
}
