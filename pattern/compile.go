package pattern

import (
	"math"
	"strconv"
)

// Compilation follows Event Ruler's JsonRuleCompiler token by token, so that
// for a pattern with several faults the first one reported is the one AWS
// reports. The result is a list of branches (the disjunctive normal form
// after expanding "$or"); each branch maps a dotted field path to the list
// of conditions, any of which may match.

// condKind is the kind of one value condition.
type condKind uint8

const (
	cExactString condKind = iota // s
	cExactNumber                 // num
	cLiteral                     // s is "true", "false" or "null"
	cIPExact                     // ip: a pattern string that is an address literal
	cPrefix                      // s
	cSuffix                      // s
	cEqualsFold                  // s, already folded
	cPrefixFold                  // s, already folded
	cSuffixFold                  // s, already folded
	cWildcard                    // wc
	cNumeric                     // rng
	cCIDR                        // ip
	cAnythingBut                 // ab
	cExists                      // any value at the path
	cAbsent                      // exists: false
)

// number is a JSON number as written, with its float64 value when finite.
type number struct {
	text  string
	f     float64
	exact bool // value equality is meaningful (see number.go)
	ok    bool // f is finite
}

func newNumber(text string) number {
	f, exact, ok := numberValue([]byte(text))
	return number{text: text, f: f, exact: exact && ok, ok: ok}
}

// numRange is an interval over float64; lo/hi are -Inf/+Inf when unbounded.
type numRange struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

func (r *numRange) contains(f float64) bool {
	if f < r.lo || f == r.lo && r.loOpen {
		return false
	}
	if f > r.hi || f == r.hi && r.hiOpen {
		return false
	}
	return true
}

type cond struct {
	kind condKind
	s    string
	num  number
	rng  numRange
	ip   ipRange
	wc   *wildcard
	ab   *anythingBut
}

// branch is one conjunction: every field must have a matching value.
type branch map[string][]cond

// maxBranches bounds the expansion of nested "$or"s (their product) so a
// small pattern cannot ask for an exponential amount of memory. It is a
// Switchyard limit; AWS's exact limit and wording were not recorded.
const maxBranches = 1024

type compiler struct {
	lx *lexer
}

func compileBranches(src []byte) (branches []branch, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			branches, err = nil, b.err
		}
	}()
	c := &compiler{lx: newLexer(src)}
	if c.lx.next() != tokStartObject {
		c.lx.barfHere("Filter is not an object")
	}
	var rules []branch
	c.parseObject(&rules, "", false)
	return rules, nil
}

func join(path, step string) string {
	if path == "" {
		return step
	}
	return path + "." + step
}

// reservedInOr are the names Event Ruler refuses as field names directly
// inside a "$or" element.
var reservedInOr = map[string]bool{
	"exactly": true, "equals-ignore-case": true, "prefix": true, "suffix": true,
	"anything-but": true, "exists": true, "wildcard": true, "numeric": true, "cidr": true,
	"=": true, "<": true, "<=": true, ">": true, ">=": true, "regex": true,
	"not-wildcard": true, "not-equals-ignore-case": true, "date-after": true,
	"date-on-or-after": true, "date-before": true, "date-on-or-before": true,
	"in-date-range": true, "ip-address-in-range": true, "ip-address-not-in-range": true,
}

// parseObject reads the fields of an object whose '{' was just read.
func (c *compiler) parseObject(rules *[]branch, path string, inOr bool) {
	fields := false
	for {
		t := c.lx.next()
		if t == tokEndObject {
			break
		}
		fields = true
		step := c.lx.text
		if step == "$or" {
			c.parseOr(rules, path)
			continue
		}
		if inOr && reservedInOr[step] {
			fail(step + " is Ruler reserved fieldName which cannot be used inside $or.")
		}
		switch c.lx.next() {
		case tokStartObject:
			c.parseObject(rules, join(path, step), inOr)
		case tokStartArray:
			c.writeRules(rules, join(path, step))
		default:
			fail("\"" + step + "\" must be an object or an array")
		}
	}
	if !fields {
		fail("Empty objects are not allowed")
	}
}

func copyRules(rules []branch) []branch {
	out := make([]branch, len(rules))
	for i, r := range rules {
		n := make(branch, len(r))
		for k, v := range r {
			n[k] = v
		}
		out[i] = n
	}
	return out
}

func (c *compiler) parseOr(rules *[]branch, path string) {
	current := copyRules(*rules)
	*rules = (*rules)[:0]
	if c.lx.next() != tokStartArray {
		fail("It must be an Array followed with $or.")
	}
	n := 0
	for {
		t := c.lx.next()
		if t == tokEndArray {
			break
		}
		n++
		if t != tokStartObject {
			fail("Only JSON object is allowed in array of $or relationship.")
		}
		fresh := copyRules(current)
		if len(fresh) == 0 {
			fresh = append(fresh, branch{})
		}
		c.parseObject(&fresh, path, true)
		*rules = append(*rules, fresh...)
		if len(*rules) > maxBranches {
			fail("Event pattern is too complex: its $or conditions expand to more than " + strconv.Itoa(maxBranches) + " combinations")
		}
	}
	if n < 2 {
		fail("There must have at least 2 Objects in $or relationship.")
	}
}

// writeRules reads the value list of a field whose '[' was just read.
func (c *compiler) writeRules(rules *[]branch, name string) {
	var values []cond
	for {
		t := c.lx.next()
		if t == tokEndArray {
			break
		}
		switch t {
		case tokStartObject:
			values = append(values, c.matchExpression())
		case tokString:
			s := c.lx.text
			if looksLikeIP(s) {
				if a, v4, ok := parseIP([]byte(s)); ok {
					values = append(values, cond{kind: cIPExact, ip: ipRange{v4: v4, lo: a, hi: a}})
					break
				}
			}
			values = append(values, cond{kind: cExactString, s: s})
		case tokNumber:
			values = append(values, cond{kind: cExactNumber, num: newNumber(c.lx.text)})
		case tokTrue, tokFalse, tokNull:
			values = append(values, cond{kind: cLiteral, s: c.lx.text})
		default:
			fail("Match value must be String, number, true, false, or null")
		}
	}
	if len(values) == 0 {
		fail("Empty arrays are not allowed")
	}
	if len(*rules) == 0 {
		*rules = append(*rules, branch{})
	}
	for _, r := range *rules {
		r[name] = values // a repeated path overrides, as in Event Ruler
	}
}

func (c *compiler) expectEndObject() {
	if c.lx.next() != tokEndObject {
		fail("Only one key allowed in match expression")
	}
}

// stringOperand reads the operand of prefix/suffix, which is either a
// string or {"equals-ignore-case": string}.
func (c *compiler) stringOperand(op string) (s string, fold bool) {
	switch c.lx.next() {
	case tokString:
		return c.lx.text, false
	case tokStartObject:
		if c.lx.next() != tokName {
			fail(op + " match pattern must be a string")
		}
		if c.lx.text != "equals-ignore-case" {
			fail("Unsupported " + op + " pattern: " + c.lx.text)
		}
		if c.lx.next() != tokString {
			fail("equals-ignore-case match pattern must be a string")
		}
		s = c.lx.text
		c.expectEndObject()
		return s, true
	}
	fail(op + " match pattern must be a string")
	return "", false
}

func folded(s string) string { return string(foldCase(nil, []byte(s))) }

// matchExpression reads {"operator": operand} after its '{'.
func (c *compiler) matchExpression() cond {
	if c.lx.next() != tokName {
		fail("Match expression name not found")
	}
	switch op := c.lx.text; op {
	case "exactly":
		if c.lx.next() != tokString {
			fail("exact match pattern must be a string")
		}
		r := cond{kind: cExactString, s: c.lx.text}
		c.expectEndObject()
		return r
	case "prefix", "suffix":
		s, fold := c.stringOperand(op)
		c.expectEndObject()
		switch {
		case op == "prefix" && fold:
			return cond{kind: cPrefixFold, s: folded(s)}
		case op == "prefix":
			return cond{kind: cPrefix, s: s}
		case fold:
			return cond{kind: cSuffixFold, s: folded(s)}
		}
		return cond{kind: cSuffix, s: s}
	case "numeric":
		if c.lx.next() != tokStartArray {
			fail("Value of numeric must be an array.")
		}
		r := cond{kind: cNumeric, rng: c.numericRange()}
		if c.lx.next() != tokEndObject {
			fail("Too many elements in numeric expression")
		}
		return r
	case "anything-but":
		return c.anythingBut()
	case "exists":
		var r cond
		switch c.lx.next() {
		case tokTrue:
			r.kind = cExists
		case tokFalse:
			r.kind = cAbsent
		default:
			fail("exists match pattern must be either true or false.")
		}
		c.expectEndObject()
		return r
	case "cidr":
		if c.lx.next() != tokString {
			fail("prefix match pattern must be a string")
		}
		r := cond{kind: cCIDR, ip: parseCIDR(c.lx.text)}
		c.expectEndObject()
		return r
	case "equals-ignore-case":
		if c.lx.next() != tokString {
			fail("equals-ignore-case match pattern must be a string")
		}
		r := cond{kind: cEqualsFold, s: folded(c.lx.text)}
		c.expectEndObject()
		return r
	case "wildcard":
		if c.lx.next() != tokString {
			fail("wildcard match pattern must be a string")
		}
		w := compileWildcard(c.lx.text)
		c.expectEndObject()
		return cond{kind: cWildcard, wc: &w}
	default:
		fail("Unrecognized match type " + op)
	}
	return cond{}
}

func compileWildcard(s string) wildcard {
	w := parseWildcard(s)
	if w.complexity() > maxWildcardComplexity {
		fail(tooComplex)
	}
	return w
}

// numericValue reads the number after a numeric operator.
func (c *compiler) numericValue(t tokKind, op string) float64 {
	if t != tokNumber {
		if op == "=" {
			fail("Value of equals must be numeric")
		}
		fail("Value of " + op + " must be numeric")
	}
	n := newNumber(c.lx.text)
	if !n.ok {
		fail("Value must be between -1.7976931348623157E308 and 1.7976931348623157E308, inclusive")
	}
	return n.f
}

func (c *compiler) numericRange() numRange {
	if c.lx.next() != tokString {
		fail("Invalid member in numeric match: " + c.tokenText())
	}
	op := c.lx.text
	all := numRange{lo: math.Inf(-1), hi: math.Inf(1)}
	switch op {
	case "=":
		v := c.numericValue(c.lx.next(), op)
		if c.lx.next() != tokEndArray {
			fail("Too many elements in numeric expression")
		}
		return numRange{lo: v, hi: v}
	case "<", "<=":
		v := c.numericValue(c.lx.next(), op)
		if c.lx.next() != tokEndArray {
			fail("Too many elements in numeric expression")
		}
		all.hi, all.hiOpen = v, op == "<"
		return all
	case ">", ">=":
		v := c.numericValue(c.lx.next(), op)
		all.lo, all.loOpen = v, op == ">"
		t := c.lx.next()
		if t == tokEndArray {
			return all
		}
		if t != tokString {
			fail("Bad value in numeric range: " + c.tokenText())
		}
		top := c.lx.text
		if top != "<" && top != "<=" {
			fail("Bad numeric range operator: " + top)
		}
		v2 := c.numericValue(c.lx.next(), top)
		if c.lx.next() != tokEndArray {
			fail("Too many terms in numeric range expression")
		}
		all.hi, all.hiOpen = v2, top == "<"
		if all.lo >= all.hi {
			fail("Bottom must be less than top")
		}
		return all
	}
	fail("Unrecognized numeric range operator: " + op)
	return all
}

// tokenText is Jackson's getText() of the current token, used in messages.
func (c *compiler) tokenText() string {
	switch c.lx.kind {
	case tokStartObject:
		return "{"
	case tokEndObject:
		return "}"
	case tokStartArray:
		return "["
	case tokEndArray:
		return "]"
	}
	return c.lx.text
}
