package pattern

import (
	"sort"
	"strconv"
)

// anythingBut holds the exclusions of one anything-but condition; a value
// matches when it is excluded by none of them.
type anythingBut struct {
	strs     map[string]bool
	nums     []number
	prefixes []string
	suffixes []string
	folds    map[string]bool
	wcs      []wildcard
	// The longest excluded string and folded string: a longer value is
	// not looked up, so that a long value does not cost its length (to
	// hash it) once per anything-but condition.
	maxStr, maxFold int
}

func (c *compiler) anythingBut() cond {
	ab := &anythingBut{}
	r := cond{kind: cAnythingBut, ab: ab}
	t := c.lx.next()
	if t == tokStartObject {
		if c.lx.next() != tokName {
			fail("Anything-But expression name not found")
		}
		op := c.lx.text
		switch op {
		case "prefix", "suffix", "equals-ignore-case", "wildcard":
		default:
			fail("Unsupported anything-but pattern: " + op)
		}
		t = c.lx.next()
		if t != tokStartArray && t != tokString && t != tokNumber {
			fail("Value of anything-but must be an array or single string/number value.")
		}
		add := func() {
			if c.lx.kind != tokString {
				switch op {
				case "prefix", "suffix":
					fail("prefix/suffix match pattern must be a string")
				case "wildcard":
					fail("wildcard match pattern must be a string")
				default:
					fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
				}
			}
			s := c.lx.text
			switch op {
			case "prefix", "suffix":
				if s == "" {
					fail("Null prefix/suffix not allowed")
				}
				if op == "prefix" {
					ab.prefixes = append(ab.prefixes, s)
				} else {
					ab.suffixes = append(ab.suffixes, s)
				}
			case "wildcard":
				ab.wcs = append(ab.wcs, compileWildcard(s))
			default:
				if ab.folds == nil {
					ab.folds = map[string]bool{}
				}
				f := folded(s)
				ab.folds[f] = true
				ab.maxFold = max(ab.maxFold, len(f))
			}
		}
		if t == tokStartArray {
			for c.lx.next() != tokEndArray {
				add()
			}
		} else {
			add()
		}
		if c.lx.next() != tokEndObject {
			fail("Too many elements in numeric expression")
		}
		if c.lx.next() != tokEndObject {
			fail("Too many elements in numeric expression")
		}
		return r
	}
	switch t {
	case tokStartArray:
		hasNum, hasStr := false, false
		for {
			t := c.lx.next()
			if t == tokEndArray {
				break
			}
			switch t {
			case tokString:
				hasStr = true
				ab.addString(c.lx.text)
			case tokNumber:
				hasNum = true
				ab.nums = append(ab.nums, newNumber(c.lx.text))
			default:
				fail("Inside anything but list, start|null|boolean is not supported.")
			}
		}
		if hasNum == hasStr {
			fail("Inside anything but list, either all values are number or string, mixed type is not supported")
		}
	case tokString:
		ab.addString(c.lx.text)
	case tokNumber:
		ab.nums = append(ab.nums, newNumber(c.lx.text))
	default:
		fail("Value of anything-but must be an array or single string/number value.")
	}
	if c.lx.next() != tokEndObject {
		fail("Too many elements in numeric expression")
	}
	return r
}

func (ab *anythingBut) addString(s string) {
	if ab.strs == nil {
		ab.strs = map[string]bool{}
	}
	ab.strs[s] = true
	ab.maxStr = max(ab.maxStr, len(s))
}

// matches reports whether v escapes every exclusion. Exclusions of strings
// never exclude numbers, booleans or null, and the reverse.
func (ab *anythingBut) matches(v *leaf, fold []byte) bool {
	if !ab.matchesBesidesWildcards(v, fold) {
		return false
	}
	if v.kind != 's' {
		return true
	}
	for i := range ab.wcs {
		if ab.wcs[i].match(v.raw) {
			return false
		}
	}
	return true
}

// matchesBesidesWildcards is matches without the wildcard exclusions, which
// a Matcher decides for all conditions of a field at once (wildIndex).
func (ab *anythingBut) matchesBesidesWildcards(v *leaf, fold []byte) bool {
	if v.kind == 'n' {
		for i := range ab.nums {
			if numbersEqual(&ab.nums[i], v) {
				return false
			}
		}
		return true
	}
	if v.kind != 's' {
		return true
	}
	if len(v.raw) <= ab.maxStr && ab.strs[string(v.raw)] {
		return false
	}
	for _, p := range ab.prefixes {
		if hasPrefix(v.raw, p) {
			return false
		}
	}
	for _, p := range ab.suffixes {
		if hasSuffix(v.raw, p) {
			return false
		}
	}
	if len(ab.folds) > 0 {
		if fold == nil {
			fold = foldCase(nil, v.raw)
		}
		if len(fold) <= ab.maxFold && ab.folds[string(fold)] {
			return false
		}
	}
	return true
}

// key identifies the exclusions, so that equal conditions share a group.
// Each string is written with its length: separators alone would let a
// string containing the separator pass for two strings.
func (ab *anythingBut) key() string {
	sorted := func(tag string, xs []string) string {
		xs = append([]string(nil), xs...)
		sort.Strings(xs)
		b := []byte(tag)
		for _, x := range xs {
			b = strconv.AppendInt(b, int64(len(x)), 10)
			b = append(append(b, ':'), x...)
		}
		return string(append(b, ';'))
	}
	keys := func(m map[string]bool) []string {
		var xs []string
		for k := range m {
			xs = append(xs, k)
		}
		return xs
	}
	var nums, wcs []string
	for _, n := range ab.nums {
		nums = append(nums, n.text)
	}
	for _, w := range ab.wcs {
		wcs = append(wcs, string(w.appendKey(nil)))
	}
	return sorted("s", keys(ab.strs)) + sorted("n", nums) + sorted("p", ab.prefixes) +
		sorted("x", ab.suffixes) + sorted("f", keys(ab.folds)) + sorted("w", wcs)
}
