package wire

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimestampMarshal(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1767268800, 0), "1767268800"},
		{time.Unix(1767268800, 123e6), "1767268800.123"},
		{time.Unix(1767268800, 500e6), "1767268800.5"},
		{time.Unix(1767268800, 120e6), "1767268800.12"},
		{time.Unix(1767268800, 1e6), "1767268800.001"},
		{time.Unix(1767268800, 999999999), "1767268800.999"}, // truncated to ms
		{time.Unix(0, 0), "0"},
		{time.Unix(-1, 500e6), "-0.5"},
		{time.Unix(-2, 0), "-2"},
		{time.Unix(1e12, 0), "1000000000000"}, // never exponent notation
	}
	for _, tt := range tests {
		b, err := json.Marshal(Timestamp{tt.t})
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, want %s", tt.t, b, tt.want)
		}
	}
}

func TestTimestampUnmarshal(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{`1767268800`, time.Unix(1767268800, 0)},
		{`1767268800.123`, time.Unix(1767268800, 123e6)},
		{`1767268800.5`, time.Unix(1767268800, 500e6)},
		{`1767268800.000001`, time.Unix(1767268800, 1000)},
		{`1.7672688e9`, time.Unix(1767268800, 0)},
		{`-0.5`, time.Unix(-1, 500e6)},
		{`0`, time.Unix(0, 0)},
		{`"2026-01-01T12:00:00Z"`, time.Unix(1767268800, 0)},
		{`"2026-01-01T12:00:00.123Z"`, time.Unix(1767268800, 123e6)},
		{`"2026-01-01T14:00:00+02:00"`, time.Unix(1767268800, 0)},
		{`"2026-01-01T14:00:00+0200"`, time.Unix(1767268800, 0)},
		{`"2026-01-01T12:00:00"`, time.Unix(1767268800, 0)},
		{`"20260101T120000Z"`, time.Unix(1767268800, 0)},
		{`"2026-01-01"`, time.Unix(1767225600, 0)},
	}
	for _, tt := range tests {
		var ts Timestamp
		if err := json.Unmarshal([]byte(tt.in), &ts); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.in, err)
			continue
		}
		if !ts.Equal(tt.want) {
			t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, ts.Time, tt.want.UTC())
		}
	}
}

func TestTimestampUnmarshalErrors(t *testing.T) {
	for _, in := range []string{
		`"1767268800"`, `"yesterday"`, `""`, `true`, `{}`, `[]`, `"2026-13-01T00:00:00Z"`,
		`1e300`, `-1e12`, `1e99999`,
	} {
		var ts Timestamp
		if err := json.Unmarshal([]byte(in), &ts); err == nil {
			t.Errorf("Unmarshal(%s) = %v, want error", in, ts.Time)
		}
	}
	// Direct calls see bytes encoding/json would have rejected.
	for _, in := range []string{``, `01`, `1.`, `-`, `1x`, `"unterminated`} {
		var ts Timestamp
		if err := ts.UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("UnmarshalJSON(%q) = %v, want error", in, ts.Time)
		}
	}
}

func TestTimestampNull(t *testing.T) {
	var e PutEventsRequestEntry
	if err := json.Unmarshal([]byte(`{"Time":null}`), &e); err != nil || e.Time != nil {
		t.Fatalf("null: %v %v", err, e.Time)
	}
	ts := Timestamp{time.Unix(5, 0)}
	if err := ts.UnmarshalJSON([]byte("null")); err != nil || ts.Unix() != 5 {
		t.Fatalf("null changed the value: %v %v", err, ts.Time)
	}
}

func TestTimestampRoundTrip(t *testing.T) {
	in := Timestamp{time.UnixMilli(1767268800123)}
	b, _ := json.Marshal(in)
	var out Timestamp
	if err := json.Unmarshal(b, &out); err != nil || !out.Equal(in.Time) {
		t.Fatalf("round trip %s: %v %v", b, out.Time, err)
	}
}
