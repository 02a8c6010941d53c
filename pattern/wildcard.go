package pattern

import (
	"bytes"
	"sort"
	"strconv"
	"unicode/utf8"
)

// wildcard is a compiled "wildcard" operand: literal pieces separated by
// '*', each '*' matching any run of bytes, possibly empty.
type wildcard struct {
	pieces []string // len(pieces) == stars+1; pieces[0] is the required prefix
	mids   [][]byte // pieces[1:len-1] as bytes, for bytes.Index
}

// maxWildcardComplexity bounds how many automaton states one input can keep
// alive at the same time. EventBridge rejects rules above its own (unpublished)
// limit with "Rule is too complex ..."; the value here accepts every pattern
// of the AWS-validated corpus and rejects "*:*:*:*:*:event-bus/*", which AWS
// rejects: they measure 8 ("/Users/*/dir/dir/dir/dir/dir/doc.txt", accepted)
// and 12 (rejected); see TestWildcardComplexity in text_test.go.
const maxWildcardComplexity = 10

const tooComplex = "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"

// parseWildcard decodes the \* and \\ escapes of a wildcard operand.
func parseWildcard(s string) wildcard {
	var w wildcard
	var cur []byte
	lastStar := -2
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '*':
			if lastStar == i-1 {
				fail("Consecutive wildcard characters at pos " + strconv.Itoa(i))
			}
			lastStar = i
			w.pieces = append(w.pieces, string(cur))
			cur = cur[:0]
		case '\\':
			if i+1 >= len(s) {
				// Event Ruler rejects a trailing backslash; its exact
				// wording was not recorded from AWS.
				fail("Wildcard pattern cannot end with an escape character")
			}
			n := s[i+1]
			if n != '*' && n != '\\' {
				r, _ := utf8.DecodeRuneInString(s[i+1:])
				fail("Unrecognized character escape " + jacksonChar(r))
			}
			cur = append(cur, n)
			i++
		default:
			cur = append(cur, c)
		}
	}
	w.pieces = append(w.pieces, string(cur))
	for i := 1; i < len(w.pieces)-1; i++ {
		w.mids = append(w.mids, []byte(w.pieces[i]))
	}
	return w
}

// match reports whether the whole of v matches this one operand. A machine
// calls it only for fields with at most wildFewOperands operands; others
// match all their operands at once (wildIndex).
func (w *wildcard) match(v []byte) bool {
	p := w.pieces
	first := p[0]
	if len(p) == 1 {
		return string(v) == first
	}
	last := p[len(p)-1]
	if len(v) < len(first)+len(last) || string(v[:len(first)]) != first || string(v[len(v)-len(last):]) != last {
		return false
	}
	v = v[len(first) : len(v)-len(last)]
	// Middle pieces: leftmost placement of each is optimal because every
	// gap is a '*'. bytes.Index keeps each search linear in len(v) (it
	// falls back to Rabin-Karp when candidates keep failing).
	for _, m := range w.mids {
		i := bytes.Index(v, m)
		if i < 0 {
			return false
		}
		v = v[i+len(m):]
	}
	return true
}

// complexity is the largest number of states of the pattern's
// nondeterministic automaton that a single input keeps active at once: each
// '*' followed by text that can restart while earlier attempts are still
// alive adds states. It is computed by exploring reachable state sets.
func (w *wildcard) complexity() int {
	// Flatten into a sequence of items: -1 for '*', else a byte.
	var items []int
	for i, piece := range w.pieces {
		if i > 0 {
			items = append(items, -1)
		}
		for j := 0; j < len(piece); j++ {
			items = append(items, int(piece[j]))
		}
	}
	n := len(items)
	alphabet := map[int]bool{256: true} // 256 stands for any other byte
	for _, it := range items {
		if it >= 0 {
			alphabet[it] = true
		}
	}
	letters := make([]int, 0, len(alphabet))
	for c := range alphabet {
		letters = append(letters, c)
	}
	sort.Ints(letters)
	closure := func(set []bool) []bool {
		for i := 0; i < n; i++ {
			if set[i] && items[i] == -1 {
				set[i+1] = true
			}
		}
		return set
	}
	key := func(set []bool) string {
		b := make([]byte, len(set))
		for i, v := range set {
			if v {
				b[i] = 1
			}
		}
		return string(b)
	}
	start := make([]bool, n+1)
	start[0] = true
	closure(start)
	seen := map[string]bool{key(start): true}
	queue := [][]bool{start}
	best := 0
	for len(queue) > 0 && len(seen) < 20000 {
		set := queue[0]
		queue = queue[1:]
		count := 0
		for i := 0; i < n; i++ { // the accepting position holds no work
			if set[i] {
				count++
			}
		}
		if count > best {
			best = count
		}
		for _, c := range letters {
			next := make([]bool, n+1)
			any := false
			for i := 0; i < n; i++ {
				if !set[i] {
					continue
				}
				switch it := items[i]; {
				case it == -1:
					next[i] = true
					any = true
				case it == c:
					next[i+1] = true
					any = true
				}
			}
			if !any {
				continue
			}
			closure(next)
			if k := key(next); !seen[k] {
				seen[k] = true
				queue = append(queue, next)
			}
		}
	}
	return best
}
