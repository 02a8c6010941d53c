package bench

import "strconv"

// Every event's Detail carries a token string that the receiver finds
// without decoding JSON:
//
//	swb1:<run id>:<phase><seq, 12 digits>:<sent, unix nanos, 19 digits>
//
// The phase is 'w' for warmup events, whose deliveries are not measured, and
// 'm' otherwise. The run id keeps deliveries of an earlier run (a bus kept with
// --keep) out of this run's counts. Fixed-width numbers keep every event's
// Detail exactly --event-size bytes.
const (
	seqDigits  = 12
	sentDigits = 19
	tokenTail  = 1 + seqDigits + 1 + sentDigits
)

type token struct {
	warmup bool
	seq    uint64
	sent   int64
}

func tokenPrefix(runID string) string { return "swb1:" + runID + ":" }

// appendToken appends the token of an event to b.
func appendToken(b []byte, runID string, warmup bool, seq uint64, sent int64) []byte {
	b = append(b, tokenPrefix(runID)...)
	if warmup {
		b = append(b, 'w')
	} else {
		b = append(b, 'm')
	}
	b = appendPadded(b, seq, seqDigits)
	b = append(b, ':')
	return appendPadded(b, uint64(sent), sentDigits)
}

func appendPadded(b []byte, v uint64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendUint(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// parseToken reads what follows the prefix of a token.
func parseToken(b []byte) (token, bool) {
	if len(b) < tokenTail || (b[0] != 'w' && b[0] != 'm') || b[1+seqDigits] != ':' {
		return token{}, false
	}
	seq, ok1 := parseDigits(b[1 : 1+seqDigits])
	sent, ok2 := parseDigits(b[2+seqDigits : tokenTail])
	return token{warmup: b[0] == 'w', seq: seq, sent: int64(sent)}, ok1 && ok2
}

func parseDigits(b []byte) (uint64, bool) {
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
