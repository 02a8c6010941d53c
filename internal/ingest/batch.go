package ingest

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// Record is one accepted event as stored.
type Record struct {
	Bus         catalog.BusKey
	TraceHeader string
	Ingested    time.Time // when it was accepted (millisecond precision)
	Hops        uint8     // how many times a bus target forwarded it (loop guard)
	Event       []byte    // the envelope JSON, as rules match it
}

// ErrCorrupt is returned by DecodeBatch for bytes that are not a batch.
var ErrCorrupt = errors.New("ingest: corrupt batch")

const batchVersion = 1

// AppendBatch encodes records as one batch message:
//
//	version byte, uvarint count, then per record: account, region, bus,
//	trace header (each a uvarint length and bytes), varint ingestion time in
//	Unix milliseconds, hops byte, uvarint length and the event bytes.
//
// A binary layout rather than JSON: the router decodes every batch, and the
// event bytes are copied as they are.
func AppendBatch(dst []byte, recs []Record) []byte {
	dst = append(dst, batchVersion)
	dst = binary.AppendUvarint(dst, uint64(len(recs)))
	for i := range recs {
		r := &recs[i]
		for _, s := range []string{r.Bus.Account, r.Bus.Region, r.Bus.Name, r.TraceHeader} {
			dst = binary.AppendUvarint(dst, uint64(len(s)))
			dst = append(dst, s...)
		}
		dst = binary.AppendVarint(dst, r.Ingested.UnixMilli())
		dst = append(dst, r.Hops)
		dst = binary.AppendUvarint(dst, uint64(len(r.Event)))
		dst = append(dst, r.Event...)
	}
	return dst
}

// DecodeBatch decodes a batch message. Event slices alias b.
func DecodeBatch(b []byte) ([]Record, error) {
	if len(b) == 0 || b[0] != batchVersion {
		return nil, ErrCorrupt
	}
	b = b[1:]
	n, k := binary.Uvarint(b)
	// A record takes at least 7 bytes (five lengths, the time, the hops), so
	// a count beyond that is corrupt; checking it first keeps a corrupt
	// count from allocating much.
	if k <= 0 || n > uint64(len(b)-k)/7 {
		return nil, ErrCorrupt
	}
	b = b[k:]
	recs := make([]Record, n)
	bytesField := func() ([]byte, bool) {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, false
		}
		v := b[k : k+int(l)]
		b = b[k+int(l):]
		return v, true
	}
	for i := range recs {
		r := &recs[i]
		for _, s := range []*string{&r.Bus.Account, &r.Bus.Region, &r.Bus.Name, &r.TraceHeader} {
			v, ok := bytesField()
			if !ok {
				return nil, ErrCorrupt
			}
			*s = string(v)
		}
		ms, k := binary.Varint(b)
		if k <= 0 || len(b) < k+1 {
			return nil, ErrCorrupt
		}
		r.Ingested = time.UnixMilli(ms).UTC()
		r.Hops = b[k]
		b = b[k+1:]
		ev, ok := bytesField()
		if !ok {
			return nil, ErrCorrupt
		}
		r.Event = ev
	}
	if len(b) != 0 {
		return nil, ErrCorrupt
	}
	return recs, nil
}
