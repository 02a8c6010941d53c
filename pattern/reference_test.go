package pattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// This file is a deliberately simple, slow matcher for differential tests.
// It shares no matching code with the package: it decodes both documents
// with encoding/json into ordered trees, expands the pattern into branches,
// flattens the event into (path, value, enclosing array elements) triples,
// and tries every combination of candidate values per branch.

type refKV struct {
	key string
	val any
}

// refObject keeps keys in document order (and duplicates), which pattern
// semantics depend on.
type refObject []refKV

func refDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := refValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

func refValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := refObject{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := refValue(dec)
				if err != nil {
					return nil, err
				}
				obj = append(obj, refKV{k.(string), v})
			}
			_, err := dec.Token()
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := refValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
	}
	return tok, nil // string, json.Number, bool, nil
}

// refBranch maps a dotted path to its list of value conditions (JSON).
type refBranch map[string][]any

// refExpand turns a pattern object into branches, Event Ruler style: fields
// after a $or apply to every alternative, and a later path overrides.
func refExpand(obj refObject, prefix string, in []refBranch) []refBranch {
	branches := in
	for _, kv := range obj {
		if kv.key == "$or" {
			var out []refBranch
			for _, alt := range kv.val.([]any) {
				base := branches
				if len(base) == 0 {
					base = []refBranch{{}}
				}
				out = append(out, refExpand(alt.(refObject), prefix, refCopy(base))...)
			}
			branches = out
			continue
		}
		path := kv.key
		if prefix != "" {
			path = prefix + "." + kv.key
		}
		switch v := kv.val.(type) {
		case refObject:
			branches = refExpand(v, path, branches)
		case []any:
			if len(branches) == 0 {
				branches = []refBranch{{}}
			}
			for _, b := range branches {
				b[path] = v
			}
		}
	}
	return branches
}

func refCopy(bs []refBranch) []refBranch {
	out := make([]refBranch, len(bs))
	for i, b := range bs {
		out[i] = refBranch{}
		for k, v := range b {
			out[i][k] = v
		}
	}
	return out
}

type refLeaf struct {
	val  any // string, json.Number, bool, nil
	arrs map[int]int
}

func refFlatten(v any, path string, arrs map[int]int, nextID *int, out map[string][]refLeaf) {
	switch t := v.(type) {
	case refObject:
		for _, kv := range t {
			p := kv.key
			if path != "" {
				p = path + "." + kv.key
			}
			refFlatten(kv.val, p, arrs, nextID, out)
		}
	case []any:
		id := *nextID
		*nextID++
		for i, e := range t {
			m := map[int]int{id: i}
			for k, v := range arrs {
				m[k] = v
			}
			refFlatten(e, path, m, nextID, out)
		}
	default:
		out[path] = append(out[path], refLeaf{val: v, arrs: arrs})
	}
}

// refHasDuplicateKeys reports duplicate keys in any object; encoding-level
// duplicate handling is out of the reference's scope.
func refHasDuplicateKeys(v any) bool {
	switch t := v.(type) {
	case refObject:
		seen := map[string]bool{}
		for _, kv := range t {
			if seen[kv.key] || refHasDuplicateKeys(kv.val) {
				return true
			}
			seen[kv.key] = true
		}
	case []any:
		for _, e := range t {
			if refHasDuplicateKeys(e) {
				return true
			}
		}
	}
	return false
}

// refMatch reports whether the event matches the (already validated)
// pattern.
func refMatch(patternJSON, eventJSON []byte) (bool, error) {
	pv, err := refDecode(patternJSON)
	if err != nil {
		return false, err
	}
	ev, err := refDecode(eventJSON)
	if err != nil {
		return false, err
	}
	eobj, ok := ev.(refObject)
	if !ok {
		return false, errors.New("event is not an object")
	}
	leaves := map[string][]refLeaf{}
	id := 0
	refFlatten(eobj, "", map[int]int{}, &id, leaves)
	for _, b := range refExpand(pv.(refObject), "", nil) {
		if refBranchMatches(b, leaves) {
			return true, nil
		}
	}
	return false, nil
}

func refBranchMatches(b refBranch, leaves map[string][]refLeaf) bool {
	type choice struct {
		free  bool // satisfied by absence
		cands []refLeaf
	}
	var choices []choice
	for path, conds := range b {
		var c choice
		absentOK := false
		for _, cond := range conds {
			if o, ok := cond.(refObject); ok && o[0].key == "exists" && o[0].val == false {
				absentOK = true
			}
		}
		if len(leaves[path]) == 0 {
			if absentOK {
				c.free = true
				choices = append(choices, c)
				continue
			}
			return false
		}
		for _, l := range leaves[path] {
			for _, cond := range conds {
				if refCond(cond, l.val) {
					c.cands = append(c.cands, l)
					break
				}
			}
		}
		if len(c.cands) == 0 {
			return false
		}
		choices = append(choices, c)
	}
	var picked []refLeaf
	var try func(i int) bool
	try = func(i int) bool {
		if i == len(choices) {
			return true
		}
		if choices[i].free {
			return try(i + 1)
		}
		for _, l := range choices[i].cands {
			ok := true
			for _, p := range picked {
				for id, idx := range l.arrs {
					if j, shared := p.arrs[id]; shared && j != idx {
						ok = false
					}
				}
			}
			if !ok {
				continue
			}
			picked = append(picked, l)
			if try(i + 1) {
				return true
			}
			picked = picked[:len(picked)-1]
		}
		return false
	}
	return try(0)
}

// refExact reports whether float64 holds the decimal's value in the
// "shortest form" sense the package documents.
func refNumber(n json.Number) (float64, bool, bool) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false, false
	}
	a, ok1 := new(big.Rat).SetString(string(n))
	b, ok2 := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	return f, ok1 && ok2 && a.Cmp(b) == 0, true
}

func refNumEqual(p, v json.Number) bool {
	if p == v {
		return true
	}
	pf, pe, _ := refNumber(p)
	vf, ve, _ := refNumber(v)
	return pe && ve && pf == vf
}

func refFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if up, ok := specialUpper[unicode.ToLower(unicode.ToUpper(r))]; ok {
			b.WriteString(strings.ToLower(up))
		} else if up, ok := specialUpper[r]; ok {
			b.WriteString(strings.ToLower(up))
		} else {
			b.WriteRune(unicode.ToLower(unicode.ToUpper(r)))
		}
	}
	return b.String()
}

func refWildcard(w, s string) bool {
	var re strings.Builder
	re.WriteString(`(?s)\A`)
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c == '*':
			re.WriteString(".*")
		case c == '\\' && i+1 < len(w):
			i++
			re.WriteString(regexp.QuoteMeta(string(w[i])))
		default:
			re.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	re.WriteString(`\z`)
	return regexp.MustCompile(re.String()).MatchString(s)
}

func refAddr(s string) (netip.Addr, bool) {
	if !looksLikeIPRef(s) {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil && a.Zone() == ""
}

var refIPv4 = regexp.MustCompile(`\A[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+\z`)
var refIPv6 = regexp.MustCompile(`\A[0-9a-fA-F:]*:[0-9a-fA-F:]*\z`)

func looksLikeIPRef(s string) bool { return refIPv4.MatchString(s) || refIPv6.MatchString(s) }

// refCond evaluates one pattern value (JSON) against one event leaf.
func refCond(cond, v any) bool {
	switch c := cond.(type) {
	case string:
		if pa, ok := refAddr(c); ok {
			s, isStr := v.(string)
			va, ok := refAddr(s)
			return isStr && ok && va == pa
		}
		s, ok := v.(string)
		return ok && s == c
	case json.Number:
		n, ok := v.(json.Number)
		return ok && refNumEqual(c, n)
	case bool:
		b, ok := v.(bool)
		return ok && b == c
	case nil:
		return v == nil
	case refObject:
		return refOperator(c[0].key, c[0].val, v)
	}
	panic(fmt.Sprintf("bad condition %T", cond))
}

func refOperator(op string, arg, v any) bool {
	s, isStr := v.(string)
	switch op {
	case "exactly":
		return isStr && s == arg.(string)
	case "prefix", "suffix":
		fold := false
		p, ok := arg.(string)
		if !ok {
			p, fold = arg.(refObject)[0].val.(string), true
		}
		if !isStr {
			return false
		}
		if fold {
			s, p = refFold(s), refFold(p)
		}
		if op == "prefix" {
			return strings.HasPrefix(s, p)
		}
		return strings.HasSuffix(s, p)
	case "equals-ignore-case":
		return isStr && refFold(s) == refFold(arg.(string))
	case "wildcard":
		return isStr && refWildcard(arg.(string), s)
	case "exists":
		return arg == true
	case "cidr":
		pfx := netip.MustParsePrefix(arg.(string)).Masked()
		a, ok := refAddr(s)
		return isStr && ok && pfx.Contains(a)
	case "numeric":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, _, ok := refNumber(n)
		if !ok {
			return false
		}
		terms := arg.([]any)
		for i := 0; i+1 < len(terms); i += 2 {
			b, _ := strconv.ParseFloat(string(terms[i+1].(json.Number)), 64)
			var r bool
			switch terms[i].(string) {
			case "=":
				r = f == b
			case "<":
				r = f < b
			case "<=":
				r = f <= b
			case ">":
				r = f > b
			case ">=":
				r = f >= b
			}
			if !r {
				return false
			}
		}
		return true
	case "anything-but":
		return !refExcluded(arg, v)
	}
	panic("unknown operator " + op)
}

// refExcluded reports whether anything-but's argument excludes v.
func refExcluded(arg, v any) bool {
	s, isStr := v.(string)
	switch a := arg.(type) {
	case string:
		return isStr && s == a
	case json.Number:
		n, ok := v.(json.Number)
		return ok && refNumEqual(a, n)
	case []any:
		for _, e := range a {
			if refExcluded(e, v) {
				return true
			}
		}
		return false
	case refObject:
		if !isStr {
			return false
		}
		var list []any
		if l, ok := a[0].val.([]any); ok {
			list = l
		} else {
			list = []any{a[0].val}
		}
		for _, e := range list {
			p := e.(string)
			var hit bool
			switch a[0].key {
			case "prefix":
				hit = strings.HasPrefix(s, p)
			case "suffix":
				hit = strings.HasSuffix(s, p)
			case "equals-ignore-case":
				hit = refFold(s) == refFold(p)
			case "wildcard":
				hit = refWildcard(p, s)
			}
			if hit {
				return true
			}
		}
	}
	return false
}
