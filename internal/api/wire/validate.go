package wire

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ValidationError is the ValidationException of the real service: one
// failure text per violated constraint, in the order AWS reports them.
type ValidationError struct {
	// Failures are "Value '<v>' at '<path>' failed to satisfy constraint: <constraint>".
	Failures []string
}

// Error returns "1 validation error detected: <f1>" or
// "N validation errors detected: <f1>; <f2>; ...".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(e.Failures)))
	if len(e.Failures) == 1 {
		b.WriteString(" validation error detected: ")
	} else {
		b.WriteString(" validation errors detected: ")
	}
	for i, f := range e.Failures {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f)
	}
	return b.String()
}

// Constraint texts, as the service words them.
const (
	notNull    = "Member must not be null"
	lenAtMost  = "Member must have length less than or equal to "
	lenAtLeast = "Member must have length greater than or equal to "
	valAtMost  = "Member must have value less than or equal to "
	valAtLeast = "Member must have value greater than or equal to "
	inEnum     = "Member must satisfy enum value set: "
	matches    = "Member must satisfy regular expression pattern: "
)

// stringRule holds the constraints of a string shape; min and max are -1
// when the model has none.
type stringRule struct {
	min, max  int
	re        *regexp.Regexp
	pattern   string // the model's pattern text, printed verbatim
	enum      []string
	enumText  string // the value set as AWS prints it
	sensitive bool
}

// numberRule holds the value range of an integer or long shape.
type numberRule struct {
	min, max       int64
	hasMin, hasMax bool
}

// countRule holds the element-count range of a list or map shape; min and
// max are -1 when the model has none.
type countRule struct {
	min, max  int
	sensitive bool
}

// violations returns the constraints of r that s violates, in AWS's
// reporting order: enum, pattern, length.
func (r *stringRule) violations(s string, dst []string) []string {
	if r.enum != nil && !slices.Contains(r.enum, s) {
		dst = append(dst, inEnum+r.enumText)
	}
	if r.re != nil && !r.re.MatchString(s) {
		dst = append(dst, matches+r.pattern)
	}
	if r.max >= 0 || r.min >= 0 {
		n := utf8.RuneCountInString(s)
		if r.max >= 0 && n > r.max {
			dst = append(dst, lenAtMost+strconv.Itoa(r.max))
		} else if r.min >= 0 && n < r.min {
			dst = append(dst, lenAtLeast+strconv.Itoa(r.min))
		}
	}
	return dst
}

// describe lists every constraint of r, the way Coral prints the
// constraints of a list element or map key or value: enum, max length,
// min length, pattern.
func (r *stringRule) describe() string {
	var parts []string
	if r.enum != nil {
		parts = append(parts, inEnum+r.enumText)
	}
	if r.max >= 0 {
		parts = append(parts, lenAtMost+strconv.Itoa(r.max))
	}
	if r.min >= 0 {
		parts = append(parts, lenAtLeast+strconv.Itoa(r.min))
	}
	if r.re != nil {
		parts = append(parts, matches+r.pattern)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// collector accumulates failures while a structure tree is validated. p
// arguments are path prefixes ("" or "targets.1.member."), name arguments
// camelCase member names; they are joined only when a failure is recorded.
type collector struct {
	failures []string
}

func (c *collector) err() error {
	if len(c.failures) == 0 {
		return nil
	}
	return &ValidationError{Failures: c.failures}
}

// fail records one failure. A sensitive value is not echoed.
func (c *collector) fail(p, name, value string, sensitive bool, constraint string) {
	var b strings.Builder
	b.WriteString("Value ")
	if !sensitive {
		b.WriteByte('\'')
		b.WriteString(value)
		b.WriteString("' ")
	}
	b.WriteString("at '")
	b.WriteString(p)
	b.WriteString(name)
	b.WriteString("' failed to satisfy constraint: ")
	b.WriteString(constraint)
	c.failures = append(c.failures, b.String())
}

func (c *collector) null(p, name string) {
	c.failures = append(c.failures, "Value null at '"+p+name+"' failed to satisfy constraint: "+notNull)
}

func (c *collector) str(p, name string, s *string, required bool, r *stringRule) {
	if s == nil {
		if required {
			c.null(p, name)
		}
		return
	}
	if r == nil {
		return
	}
	var buf [3]string
	for _, v := range r.violations(*s, buf[:0]) {
		c.fail(p, name, *s, r.sensitive, v)
	}
}

func (c *collector) number(p, name string, n int64, r *numberRule) {
	if r == nil {
		return
	}
	if r.hasMax && n > r.max {
		c.fail(p, name, strconv.FormatInt(n, 10), false, valAtMost+strconv.FormatInt(r.max, 10))
	} else if r.hasMin && n < r.min {
		c.fail(p, name, strconv.FormatInt(n, 10), false, valAtLeast+strconv.FormatInt(r.min, 10))
	}
}

func (c *collector) int32(p, name string, n *int32, required bool, r *numberRule) {
	if n == nil {
		if required {
			c.null(p, name)
		}
		return
	}
	c.number(p, name, int64(*n), r)
}

func (c *collector) int64(p, name string, n *int64, required bool, r *numberRule) {
	if n == nil {
		if required {
			c.null(p, name)
		}
		return
	}
	c.number(p, name, *n, r)
}

// count checks presence and the element count of a list or map; value is
// the list or map, rendered Java-style only when a failure is recorded.
func (c *collector) count(p, name string, isNil bool, n int, required bool, r *countRule, value any) {
	if isNil {
		if required {
			c.null(p, name)
		}
		return
	}
	if r == nil {
		return
	}
	if r.max >= 0 && n > r.max {
		c.fail(p, name, javaString(value), r.sensitive, lenAtMost+strconv.Itoa(r.max))
	} else if r.min >= 0 && n < r.min {
		c.fail(p, name, javaString(value), r.sensitive, lenAtLeast+strconv.Itoa(r.min))
	}
}

// strElems checks the elements of a list of strings. Like Coral, it
// reports one failure at the list itself when any element is invalid.
func (c *collector) strElems(p, name string, list []string, r *stringRule) {
	for _, s := range list {
		if len(r.violations(s, nil)) > 0 {
			c.fail(p, name, javaString(list), r.sensitive, "Member must satisfy constraint: "+r.describe())
			return
		}
	}
}

// strMap checks the keys and values of a map of strings, reporting at most
// one failure for the keys and one for the values, at the map itself.
func (c *collector) strMap(p, name string, m map[string]string, kr, vr *stringRule) {
	var badKey, badVal bool
	for k, v := range m {
		badKey = badKey || (kr != nil && len(kr.violations(k, nil)) > 0)
		badVal = badVal || (vr != nil && len(vr.violations(v, nil)) > 0)
	}
	sensitive := (kr != nil && kr.sensitive) || (vr != nil && vr.sensitive)
	if badKey {
		c.fail(p, name, javaString(m), sensitive, "Map keys must satisfy constraint: "+kr.describe())
	}
	if badVal {
		c.fail(p, name, javaString(m), sensitive, "Map value must satisfy constraint: "+vr.describe())
	}
}

// elemPath is the prefix of the members of element i of a list of
// structures: "targets.1.member.".
func elemPath(p, name string, i int) string {
	return p + name + "." + strconv.Itoa(i+1) + ".member."
}
