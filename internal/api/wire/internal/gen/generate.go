package main

import (
	"bytes"
	"fmt"
	"go/format"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// enumDisplayOverrides gives, for enums whose ValidationException text was
// recorded against real AWS, the order in which AWS prints the value set
// (a Java HashSet order, not the model order). Other enums print in model
// order. Each entry must be a permutation of the model's values.
var enumDisplayOverrides = map[string][]string{
	// test_api_destinations_and_connection.snapshot.json,
	// create-api-destination-invalid-parameters-error.
	"ApiDestinationHttpMethod": {"HEAD", "POST", "PATCH", "DELETE", "PUT", "GET", "OPTIONS"},
}

// handWritten lists the identifiers the wire package defines by hand; a
// model shape generating one of them is an error.
var handWritten = []string{
	"Timestamp", "ValidationError", "Operation", "Operations", "NewInput",
	"ErrorShapes", "FaultShapes", "IsFault",
}

type member struct {
	name  string // model member name
	field string // Go field name
	shape string
}

type shape struct {
	name      string
	typ       string
	members   []member
	required  map[string]bool
	elem      string // list member shape
	key, val  string // map key and value shapes
	enum      []string
	min, max  int64
	hasMin    bool
	hasMax    bool
	pattern   string
	sensitive bool
	exception bool
	fault     bool
}

type operation struct{ name, input, output string }

type model struct {
	shapes map[string]*shape
	order  []string // shape names in model order
	ops    []operation
}

func parseModel(o *object) (*model, error) {
	m := &model{shapes: map[string]*shape{}}
	so := o.obj("shapes")
	if so == nil {
		return nil, fmt.Errorf("model has no shapes")
	}
	for _, name := range so.keys {
		s := so.obj(name)
		sh := &shape{name: name, typ: s.str("type"), required: map[string]bool{}}
		sh.min, sh.hasMin = s.num("min")
		sh.max, sh.hasMax = s.num("max")
		sh.pattern = s.str("pattern")
		sh.sensitive = s.boolean("sensitive")
		sh.exception = s.boolean("exception")
		sh.fault = s.boolean("fault")
		if e, ok := s.get("enum").([]any); ok {
			for _, v := range e {
				sh.enum = append(sh.enum, v.(string))
			}
		}
		if r, ok := s.get("required").([]any); ok {
			for _, v := range r {
				sh.required[v.(string)] = true
			}
		}
		switch sh.typ {
		case "structure":
			mo := s.obj("members")
			for _, mn := range mo.keys {
				sh.members = append(sh.members, member{name: mn, field: goIdent(mn), shape: mo.obj(mn).str("shape")})
			}
		case "list":
			sh.elem = s.obj("member").str("shape")
		case "map":
			sh.key = s.obj("key").str("shape")
			sh.val = s.obj("value").str("shape")
		}
		m.shapes[name] = sh
		m.order = append(m.order, name)
	}
	oo := o.obj("operations")
	if oo == nil {
		return nil, fmt.Errorf("model has no operations")
	}
	for _, name := range oo.keys {
		op := oo.obj(name)
		var in, out string
		if x := op.obj("input"); x != nil {
			in = x.str("shape")
		}
		if x := op.obj("output"); x != nil {
			out = x.str("shape")
		}
		m.ops = append(m.ops, operation{name, in, out})
	}
	// Check references.
	for _, n := range m.order {
		s := m.shapes[n]
		refs := []string{s.elem, s.key, s.val}
		for _, mb := range s.members {
			refs = append(refs, mb.shape)
		}
		for _, r := range refs {
			if r != "" && m.shapes[r] == nil {
				return nil, fmt.Errorf("shape %s refers to unknown shape %s", n, r)
			}
		}
	}
	return m, nil
}

// inputShapes returns the shapes reachable from operation inputs.
func (m *model) inputShapes() map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		if n == "" || seen[n] {
			return
		}
		seen[n] = true
		s := m.shapes[n]
		for _, mb := range s.members {
			walk(mb.shape)
		}
		walk(s.elem)
		walk(s.key)
		walk(s.val)
	}
	for _, op := range m.ops {
		walk(op.input)
	}
	return seen
}

// goIdent turns a model name into an exported Go identifier: invalid
// characters become '_', a lower-case first letter is upper-cased
// (capacityProvider -> CapacityProvider) and a leading non-letter gets an
// X prefix.
func goIdent(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i == 0 {
			r = unicode.ToUpper(r)
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	id := b.String()
	if id == "" || !unicode.IsUpper([]rune(id)[0]) {
		id = "X" + id
	}
	return id
}

// camel is the member name as AWS prints it in validation paths and
// Java-style renderings: the first letter lower-cased.
func camel(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// enumConst builds the Go constant name for an enum value: RuleState +
// ENABLED_WITH_X -> RuleStateEnabledWithX; PlacementStrategyType + binpack
// -> PlacementStrategyTypeBinpack; distinctInstance -> DistinctInstance.
func enumConst(shapeName, v string) string {
	words := strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	b.WriteString(shapeName)
	for _, w := range words {
		r := []rune(w)
		if strings.ToUpper(w) == w {
			r = []rune(strings.ToLower(w))
		}
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return goIdent(b.String())
}

// goType is the Go type of a structure member targeting shape n.
func (m *model) goType(n string) (string, error) {
	s := m.shapes[n]
	switch s.typ {
	case "string":
		return "*string", nil
	case "integer":
		return "*int32", nil
	case "long":
		return "*int64", nil
	case "boolean":
		return "*bool", nil
	case "double", "float":
		return "*float64", nil
	case "timestamp":
		return "*Timestamp", nil
	case "structure":
		return "*" + goIdent(n), nil
	case "blob":
		return "[]byte", nil
	case "list", "map":
		return m.elemType(n)
	}
	return "", fmt.Errorf("shape %s: unsupported type %s", n, s.typ)
}

// elemType is the Go type of a list element or map value of shape n.
func (m *model) elemType(n string) (string, error) {
	s := m.shapes[n]
	switch s.typ {
	case "string":
		return "string", nil
	case "integer":
		return "int32", nil
	case "long":
		return "int64", nil
	case "boolean":
		return "bool", nil
	case "double", "float":
		return "float64", nil
	case "timestamp":
		return "Timestamp", nil
	case "structure":
		return goIdent(n), nil
	case "blob":
		return "[]byte", nil
	case "list":
		e, err := m.elemType(s.elem)
		return "[]" + e, err
	case "map":
		if m.shapes[s.key].typ != "string" {
			return "", fmt.Errorf("map %s: non-string key", n)
		}
		v, err := m.elemType(s.val)
		return "map[string]" + v, err
	}
	return "", fmt.Errorf("shape %s: unsupported type %s", n, s.typ)
}

const header = "// Code generated by internal/gen from the botocore events model; DO NOT EDIT.\n\n"

func generate(o *object) (map[string][]byte, error) {
	m, err := parseModel(o)
	if err != nil {
		return nil, err
	}
	types, err := m.genTypes()
	if err != nil {
		return nil, err
	}
	val, err := m.genValidate()
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for name, src := range map[string][]byte{"zz_types.go": types, "zz_validate.go": val} {
		f, err := format.Source(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w\n%s", name, err, src)
		}
		out[name] = f
	}
	return out, nil
}

func (m *model) genTypes() ([]byte, error) {
	var b bytes.Buffer
	idents := map[string]string{}
	for _, h := range handWritten {
		idents[h] = "hand-written"
	}
	declare := func(id, what string) error {
		if prev, ok := idents[id]; ok {
			return fmt.Errorf("identifier %s for %s collides with %s", id, what, prev)
		}
		idents[id] = what
		return nil
	}

	b.WriteString(header)
	b.WriteString("package wire\n\n")

	// Enums.
	for _, n := range m.order {
		s := m.shapes[n]
		if s.typ != "string" || len(s.enum) == 0 {
			continue
		}
		fmt.Fprintf(&b, "// Values of the %s enum.\nconst (\n", n)
		for _, v := range s.enum {
			id := enumConst(goIdent(n), v)
			if err := declare(id, "enum "+n+" "+v); err != nil {
				return nil, err
			}
			fmt.Fprintf(&b, "\t%s = %q\n", id, v)
		}
		b.WriteString(")\n\n")
		id := goIdent(n) + "Values"
		if err := declare(id, "enum values "+n); err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "// %s lists the %s enum in model order.\nvar %s = []string{", id, n, id)
		for i, v := range s.enum {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", v)
		}
		b.WriteString("}\n\n")
	}

	// Structures.
	for _, n := range m.order {
		s := m.shapes[n]
		if s.typ != "structure" || s.exception {
			continue
		}
		id := goIdent(n)
		if err := declare(id, "structure "+n); err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "// %s is the %s shape.\ntype %s struct {\n", id, n, id)
		fields := map[string]bool{"Validate": true}
		for _, mb := range s.members {
			if fields[mb.field] {
				return nil, fmt.Errorf("structure %s: field %s collides", n, mb.field)
			}
			fields[mb.field] = true
			t, err := m.goType(mb.shape)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", n, mb.name, err)
			}
			fmt.Fprintf(&b, "\t%s %s `json:\"%s,omitzero\"`\n", mb.field, t, mb.name)
		}
		b.WriteString("}\n\n")
	}

	// Errors.
	b.WriteString("// ErrorShapes lists the model's exception shapes in model order.\nvar ErrorShapes = []string{\n")
	var faults []string
	for _, n := range m.order {
		if s := m.shapes[n]; s.exception {
			fmt.Fprintf(&b, "\t%q,\n", n)
			if s.fault {
				faults = append(faults, n)
			}
		}
	}
	b.WriteString("}\n\n")
	b.WriteString("// FaultShapes lists the exception shapes the model marks as server faults (HTTP 500).\nvar FaultShapes = []string{\n")
	for _, n := range faults {
		fmt.Fprintf(&b, "\t%q,\n", n)
	}
	b.WriteString("}\n\n")

	// Operations.
	b.WriteString("// Operations lists every operation of the model in model order.\nvar Operations = []Operation{\n")
	for _, op := range m.ops {
		fmt.Fprintf(&b, "\t{Name: %q, Input: %q, Output: %q},\n", op.name, op.input, op.output)
	}
	b.WriteString("}\n\n")
	b.WriteString("// NewInput returns a pointer to a new zero input structure for the\n// operation op, or nil if op is unknown or has no input.\nfunc NewInput(op string) any {\n\tswitch op {\n")
	for _, op := range m.ops {
		if op.input == "" {
			continue
		}
		fmt.Fprintf(&b, "\tcase %q:\n\t\treturn new(%s)\n", op.name, goIdent(op.input))
	}
	b.WriteString("\t}\n\treturn nil\n}\n")
	return b.Bytes(), nil
}

// enumDisplay returns the enum value set as AWS prints it.
func (s *shape) enumDisplay() ([]string, error) {
	o, ok := enumDisplayOverrides[s.name]
	if !ok {
		return s.enum, nil
	}
	a, b := slices.Clone(o), slices.Clone(s.enum)
	sort.Strings(a)
	sort.Strings(b)
	if !slices.Equal(a, b) {
		return nil, fmt.Errorf("enum display override for %s is not a permutation of %v", s.name, s.enum)
	}
	return o, nil
}

func (s *shape) hasConstraints() bool {
	return s.hasMin || s.hasMax || s.pattern != "" || len(s.enum) > 0 || s.sensitive
}

func optInt(has bool, v int64) string {
	if !has {
		return "-1"
	}
	return strconv.FormatInt(v, 10)
}

func (m *model) genValidate() ([]byte, error) {
	in := m.inputShapes()
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package wire\n\nimport \"regexp\"\n\n")

	// Regular expressions, one per distinct translated pattern.
	reVar := map[string]string{} // model pattern -> var name
	var reDecl bytes.Buffer
	for _, n := range m.order {
		s := m.shapes[n]
		if !in[n] || s.typ != "string" || s.pattern == "" {
			continue
		}
		if _, ok := reVar[s.pattern]; ok {
			continue
		}
		g, err := translateRegex(s.pattern)
		if err != nil {
			return nil, fmt.Errorf("shape %s: %w", n, err)
		}
		v := "re" + goIdent(n)
		reVar[s.pattern] = v
		if g != s.pattern {
			fmt.Fprintf(&reDecl, "\t// Model (Java) pattern: %s\n", strings.ReplaceAll(s.pattern, "\n", `\n`))
		}
		fmt.Fprintf(&reDecl, "\t%s = regexp.MustCompile(%s)\n", v, goQuote("^(?:"+g+")$"))
	}
	b.WriteString("// Patterns of the model, matched against whole values.\nvar (\n")
	b.Write(reDecl.Bytes())
	b.WriteString(")\n\n")

	// Rules.
	b.WriteString("// Constraints of the model's constrained input shapes.\nvar (\n")
	var sensitive []string
	for _, n := range m.order {
		s := m.shapes[n]
		if !in[n] {
			continue
		}
		switch s.typ {
		case "string":
			if !s.hasConstraints() {
				continue
			}
			fmt.Fprintf(&b, "\trule%s = stringRule{min: %s, max: %s", goIdent(n), optInt(s.hasMin, s.min), optInt(s.hasMax, s.max))
			if s.pattern != "" {
				fmt.Fprintf(&b, ", re: %s, pattern: %s", reVar[s.pattern], goQuote(s.pattern))
			}
			if len(s.enum) > 0 {
				disp, err := s.enumDisplay()
				if err != nil {
					return nil, err
				}
				// A private copy: the exported Values slices are mutable.
				b.WriteString(", enum: []string{")
				for i, v := range s.enum {
					if i > 0 {
						b.WriteString(", ")
					}
					fmt.Fprintf(&b, "%q", v)
				}
				fmt.Fprintf(&b, "}, enumText: %q", "["+strings.Join(disp, ", ")+"]")
			}
			if s.sensitive {
				b.WriteString(", sensitive: true")
			}
			b.WriteString("}\n")
		case "integer", "long":
			if !s.hasMin && !s.hasMax {
				continue
			}
			fmt.Fprintf(&b, "\trule%s = numberRule{min: %d, max: %d, hasMin: %t, hasMax: %t}\n", goIdent(n), s.min, s.max, s.hasMin, s.hasMax)
		case "list", "map":
			if !s.hasMin && !s.hasMax && !s.sensitive {
				continue
			}
			fmt.Fprintf(&b, "\trule%s = countRule{min: %s, max: %s, sensitive: %t}\n", goIdent(n), optInt(s.hasMin, s.min), optInt(s.hasMax, s.max), s.sensitive)
		}
	}
	b.WriteString(")\n\n")

	// Validators.
	for _, n := range m.order {
		s := m.shapes[n]
		if !in[n] || s.typ != "structure" || s.exception {
			continue
		}
		id := goIdent(n)
		fmt.Fprintf(&b, "// Validate checks v against the constraints of the %s shape and\n// returns nil or a *ValidationError.\n", n)
		fmt.Fprintf(&b, "func (v *%s) Validate() error {\n\tif v == nil {\n\t\treturn nil\n\t}\n\tvar c collector\n\tv.validate(&c, \"\")\n\treturn c.err()\n}\n\n", id)
		if len(s.members) == 0 {
			fmt.Fprintf(&b, "func (v *%s) validate(*collector, string) {}\n\n", id)
			continue
		}
		fmt.Fprintf(&b, "func (v *%s) validate(c *collector, p string) {\n", id)
		for _, mb := range s.members {
			code, err := m.memberCheck(s, mb)
			if err != nil {
				return nil, err
			}
			b.WriteString(code)
			if mt := m.shapes[mb.shape]; mt.sensitive && (mt.typ == "string" || mt.typ == "list" || mt.typ == "map") {
				sensitive = append(sensitive, id+"."+mb.field)
			}
		}
		b.WriteString("}\n\n")
	}

	// Sensitive members, for Java-style renderings of structures.
	for _, n := range m.order {
		s := m.shapes[n]
		if in[n] || s.typ != "structure" {
			continue
		}
		for _, mb := range s.members {
			if m.shapes[mb.shape].sensitive {
				sensitive = append(sensitive, goIdent(n)+"."+mb.field)
			}
		}
	}
	sort.Strings(sensitive)
	b.WriteString("// sensitiveMembers are rendered redacted in validation messages.\nvar sensitiveMembers = map[string]bool{\n")
	for _, k := range sensitive {
		fmt.Fprintf(&b, "\t%q: true,\n", k)
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

func (m *model) ruleRef(n string) string {
	s := m.shapes[n]
	switch s.typ {
	case "string":
		if s.hasConstraints() {
			return "&rule" + goIdent(n)
		}
	case "integer", "long":
		if s.hasMin || s.hasMax {
			return "&rule" + goIdent(n)
		}
	case "list", "map":
		if s.hasMin || s.hasMax || s.sensitive {
			return "&rule" + goIdent(n)
		}
	}
	return "nil"
}

// memberCheck generates the checks of one member, in the order AWS
// reports them: presence, then the member's own constraints, then the
// contents of lists, maps and structures.
func (m *model) memberCheck(owner *shape, mb member) (string, error) {
	t := m.shapes[mb.shape]
	req := owner.required[mb.name]
	path := strconv.Quote(camel(mb.name))
	f := "v." + mb.field
	var b strings.Builder
	switch t.typ {
	case "string":
		if !req && !t.hasConstraints() {
			return "", nil
		}
		fmt.Fprintf(&b, "\tc.str(p, %s, %s, %t, %s)\n", path, f, req, m.ruleRef(mb.shape))
	case "integer":
		if !req && m.ruleRef(mb.shape) == "nil" {
			return "", nil
		}
		fmt.Fprintf(&b, "\tc.int32(p, %s, %s, %t, %s)\n", path, f, req, m.ruleRef(mb.shape))
	case "long":
		if !req && m.ruleRef(mb.shape) == "nil" {
			return "", nil
		}
		fmt.Fprintf(&b, "\tc.int64(p, %s, %s, %t, %s)\n", path, f, req, m.ruleRef(mb.shape))
	case "boolean", "double", "float", "timestamp", "blob":
		if req {
			fmt.Fprintf(&b, "\tif %s == nil {\n\t\tc.null(p, %s)\n\t}\n", f, path)
		}
	case "structure":
		if req {
			fmt.Fprintf(&b, "\tif %s == nil {\n\t\tc.null(p, %s)\n\t} else {\n\t\t%s.validate(c, p+%s)\n\t}\n", f, path, f, strconv.Quote(camel(mb.name)+"."))
		} else {
			fmt.Fprintf(&b, "\tif %s != nil {\n\t\t%s.validate(c, p+%s)\n\t}\n", f, f, strconv.Quote(camel(mb.name)+"."))
		}
	case "list":
		et := m.shapes[t.elem]
		if req || m.ruleRef(mb.shape) != "nil" {
			fmt.Fprintf(&b, "\tc.count(p, %s, %s == nil, len(%s), %t, %s, %s)\n", path, f, f, req, m.ruleRef(mb.shape), f)
		}
		switch et.typ {
		case "structure":
			fmt.Fprintf(&b, "\tfor i := range %s {\n\t\t%s[i].validate(c, elemPath(p, %s, i))\n\t}\n", f, f, path)
		case "string":
			if r := m.ruleRef(t.elem); r != "nil" {
				fmt.Fprintf(&b, "\tc.strElems(p, %s, %s, %s)\n", path, f, r)
			}
		case "integer", "long", "boolean", "double", "timestamp":
			if m.ruleRef(t.elem) != "nil" {
				return "", fmt.Errorf("%s.%s: constrained %s list elements are not supported", owner.name, mb.name, et.typ)
			}
		default:
			return "", fmt.Errorf("%s.%s: list of %s is not supported by the validator generator", owner.name, mb.name, et.typ)
		}
	case "map":
		if req || m.ruleRef(mb.shape) != "nil" {
			fmt.Fprintf(&b, "\tc.count(p, %s, %s == nil, len(%s), %t, %s, %s)\n", path, f, f, req, m.ruleRef(mb.shape), f)
		}
		vt := m.shapes[t.val]
		if vt.typ != "string" {
			return "", fmt.Errorf("%s.%s: map of %s is not supported by the validator generator", owner.name, mb.name, vt.typ)
		}
		kr, vr := m.ruleRef(t.key), m.ruleRef(t.val)
		if kr != "nil" || vr != "nil" {
			fmt.Fprintf(&b, "\tc.strMap(p, %s, %s, %s, %s)\n", path, f, kr, vr)
		}
	default:
		return "", fmt.Errorf("%s.%s: unsupported type %s", owner.name, mb.name, t.typ)
	}
	return b.String(), nil
}

// goQuote prefers a raw string literal for readability of regexes.
func goQuote(s string) string {
	if !strings.ContainsAny(s, "`\r\n") && strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
