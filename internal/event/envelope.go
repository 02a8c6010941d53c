package event

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/switchyard-dev/switchyard/internal/jsonstr"
)

// Envelope is what an accepted event becomes, beside its entry.
type Envelope struct {
	ID         string
	Account    string
	Region     string
	Time       time.Time // the entry's Time, or the ingestion time
	ReplayName string    // set on replayed events
}

// TimeFormat is how the envelope renders time: RFC 3339, UTC, seconds.
const TimeFormat = "2006-01-02T15:04:05Z"

// Append renders the event as rules match it and targets receive it, in
// AWS's key order: version, id, detail-type, source, account, time, region,
// [replay-name,] resources, detail. detail is already-compacted JSON.
func Append(dst []byte, env Envelope, e *Entry, detail []byte) []byte {
	dst = append(dst, `{"version":"0","id":`...)
	dst = jsonstr.AppendQuoted(dst, env.ID)
	dst = append(dst, `,"detail-type":`...)
	dst = jsonstr.AppendQuoted(dst, deref(e.DetailType))
	dst = append(dst, `,"source":`...)
	dst = jsonstr.AppendQuoted(dst, deref(e.Source))
	dst = append(dst, `,"account":`...)
	dst = jsonstr.AppendQuoted(dst, env.Account)
	dst = append(dst, `,"time":"`...)
	dst = env.Time.UTC().AppendFormat(dst, TimeFormat)
	dst = append(dst, `","region":`...)
	dst = jsonstr.AppendQuoted(dst, env.Region)
	if env.ReplayName != "" {
		dst = append(dst, `,"replay-name":`...)
		dst = jsonstr.AppendQuoted(dst, env.ReplayName)
	}
	dst = append(dst, `,"resources":[`...)
	for i, r := range e.Resources {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonstr.AppendQuoted(dst, r)
	}
	dst = append(dst, `],"detail":`...)
	dst = append(dst, detail...)
	return append(dst, '}')
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// NewID returns a random UUID (version 4), the form of AWS's event ids.
func NewID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// FormatTime renders a time as the envelope does.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// idPrefix is how an event rendered by Append starts, up to its id.
const idPrefix = `{"version":"0","id":"`

// idSpan locates the id of an event rendered by Append: ev[len(idPrefix):
// len(idPrefix)+end]; false when ev does not start as Append renders it.
func idSpan(ev []byte) (end int, ok bool) {
	if !bytes.HasPrefix(ev, []byte(idPrefix)) {
		return 0, false
	}
	rest := ev[len(idPrefix):]
	end = bytes.IndexByte(rest, '"')
	if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
		return 0, false
	}
	return end, true
}

// ID is the id of an event rendered by Append, read without parsing the
// event; "" when ev does not start as Append renders it.
func ID(ev []byte) string {
	end, ok := idSpan(ev)
	if !ok {
		return ""
	}
	return string(ev[len(idPrefix) : len(idPrefix)+end])
}

// WithID returns a copy of an event rendered by Append with its id replaced,
// or false when ev does not start as Append renders it.
func WithID(ev []byte, id string) ([]byte, bool) {
	const prefix = idPrefix
	end, ok := idSpan(ev)
	if !ok {
		return nil, false
	}
	rest := ev[len(prefix):]
	out := make([]byte, 0, len(ev)-end+len(id)+8)
	out = append(out, prefix[:len(prefix)-1]...) // up to the id's opening quote
	out = jsonstr.AppendQuoted(out, id)
	return append(out, rest[end+1:]...), true
}
