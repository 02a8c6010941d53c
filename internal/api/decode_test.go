package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
)

// decode and decodeInput are the decoding of an operation whose input v
// is, for tests that hold a value rather than an operation: they compute the
// shape on every call, where op computes it once per operation.
func decode(body []byte, v any) error { return shapeOf(reflect.TypeOf(v)).decode(body, v) }

func decodeInput(body []byte, in any) error {
	return shapeOf(reflect.TypeOf(in)).decodeInput(body, in)
}

// legacyDecode is decode as it was before member names became exact:
// encoding/json alone, folding names. The tests hold decode to it wherever
// names are exact, and to it on the body without the other names where they
// are not.
func legacyDecode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return Errorf(Serialization, "Start of structure or map found where not expected.")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return Errorf(Serialization, "Unexpected value type for member %s.", te.Field)
		}
		return Errorf(Serialization, "Request body is not valid JSON.")
	}
	return nil
}

// rewriteMembers is the reference for what exact names mean, written
// another way than exactNames: it re-encodes a valid JSON body token by
// token (json.Decoder), following t as encoding/json decodes into it, and
// asks rename for the name to write for each member of an object that
// decodes into a struct; "" drops the member. exact says whether the name
// is a field's JSON name. Everything else (values of the wrong kind for
// their type, map keys, duplicates, numbers as written) is kept.
func rewriteMembers(body []byte, t reflect.Type, rename func(name string, exact bool) string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	r := &rewriter{dec: dec, rename: rename}
	if err := r.value(t); err != nil {
		return nil, err
	}
	return r.out.Bytes(), nil
}

type rewriter struct {
	dec    *json.Decoder
	out    bytes.Buffer
	rename func(string, bool) string
}

// decodesInto is the type whose names and elements matter for t: pointers
// followed, nil for types that decode themselves or hold no names.
func decodesInto(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return nil
	}
	for _, u := range []reflect.Type{reflect.TypeFor[json.Unmarshaler](), reflect.TypeFor[encoding.TextUnmarshaler]()} {
		if t.Implements(u) || reflect.PointerTo(t).Implements(u) {
			return nil
		}
	}
	return t
}

func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if n == "" {
			n = f.Name
		}
		if n == name {
			return f.Type, true
		}
	}
	return nil, false
}

func (r *rewriter) value(t reflect.Type) error {
	tok, err := r.dec.Token()
	if err != nil {
		return err
	}
	t = decodesInto(t)
	switch tok {
	case json.Delim('{'):
		r.out.WriteByte('{')
		n := 0
		for r.dec.More() {
			k, err := r.dec.Token()
			if err != nil {
				return err
			}
			name := k.(string)
			var vt reflect.Type
			write := name
			switch {
			case t != nil && t.Kind() == reflect.Struct:
				var exact bool
				vt, exact = jsonField(t, name)
				if write = r.rename(name, exact); write == "" {
					var skip json.RawMessage
					if err := r.dec.Decode(&skip); err != nil {
						return err
					}
					continue
				}
			case t != nil && t.Kind() == reflect.Map:
				vt = t.Elem()
			}
			if n > 0 {
				r.out.WriteByte(',')
			}
			n++
			r.str(write)
			r.out.WriteByte(':')
			if err := r.value(vt); err != nil {
				return err
			}
		}
		_, err := r.dec.Token()
		r.out.WriteByte('}')
		return err
	case json.Delim('['):
		var et reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			et = t.Elem()
		}
		r.out.WriteByte('[')
		for n := 0; r.dec.More(); n++ {
			if n > 0 {
				r.out.WriteByte(',')
			}
			if err := r.value(et); err != nil {
				return err
			}
		}
		_, err := r.dec.Token()
		r.out.WriteByte(']')
		return err
	}
	switch x := tok.(type) {
	case string:
		r.str(x)
	case json.Number:
		r.out.WriteString(string(x))
	case bool:
		fmt.Fprint(&r.out, x)
	case nil:
		r.out.WriteString("null")
	}
	return nil
}

func (r *rewriter) str(s string) {
	b, _ := json.Marshal(s)
	r.out.Write(b)
}

// referenceDecode is what decode must do: a body that is not a JSON object
// fails as it always did; in one that is, the members whose names are not
// exact are gone before encoding/json reads it. dropped reports whether
// there were any.
func referenceDecode(body []byte, v any) (err error, dropped bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return legacyDecode(body, v), false
	}
	exactOnly, err := rewriteMembers(trimmed, reflect.TypeOf(v), func(name string, exact bool) string {
		if !exact {
			dropped = true
			return ""
		}
		return name
	})
	if err != nil {
		panic(fmt.Sprintf("rewriting valid JSON %q: %v", trimmed, err))
	}
	return legacyDecode(exactOnly, v), dropped
}

func newInput(op string) any { return wire.NewInput(op) }

// TestDecodeExactNames: members whose names match a field only with
// another case are ignored, at every level; exact ones decode.
func TestDecodeExactNames(t *testing.T) {
	tests := []struct {
		name string
		op   string
		body string
		want any
	}{
		{"exact", "PutRule", `{"Name":"r"}`, &wire.PutRuleRequest{Name: ptr("r")}},
		{"lower case", "PutRule", `{"name":"r"}`, &wire.PutRuleRequest{}},
		{"upper case", "PutRule", `{"NAME":"r"}`, &wire.PutRuleRequest{}},
		{"exact then twin", "PutRule", `{"Name":"r","name":"x"}`, &wire.PutRuleRequest{Name: ptr("r")}},
		{"twin then exact", "PutRule", `{"name":"x","Name":"r"}`, &wire.PutRuleRequest{Name: ptr("r")}},
		{"escaped exact name", "PutRule", `{"N\u0061me":"r"}`, &wire.PutRuleRequest{Name: ptr("r")}},
		{"escaped twin", "PutRule", `{"n\u0061me":"r"}`, &wire.PutRuleRequest{}},
		{"twin with white space", "PutRule", "{ \"name\" :\t\"x\" , \"Name\" : \"r\" }", &wire.PutRuleRequest{Name: ptr("r")}},
		{"twin of a wrong type", "ListEventBuses", `{"limit":"ten","Limit":5}`, &wire.ListEventBusesRequest{Limit: ptr[int32](5)}},
		{"twin with invalid timestamp", "StartReplay", `{"ReplayName":"r","eventStartTime":"soon"}`, &wire.StartReplayRequest{ReplayName: ptr("r")}},
		{"timestamp", "StartReplay", `{"EventStartTime":1767268800}`,
			&wire.StartReplayRequest{EventStartTime: &wire.Timestamp{Time: time.Unix(1767268800, 0).UTC()}}},
		{"unknown members kept unknown", "PutRule", `{"Name":"r","Bogus":{"name":"x","Name":"y"},"nam":1}`, &wire.PutRuleRequest{Name: ptr("r")}},

		{"list of structs, lower case", "PutTargets", `{"Rule":"r","targets":[{"Id":"t"}]}`, &wire.PutTargetsRequest{Rule: ptr("r")}},
		{"struct in a list", "PutTargets", `{"Rule":"r","Targets":[{"id":"t","Arn":"a"},{"Id":"u","ARN":"b"}]}`,
			&wire.PutTargetsRequest{Rule: ptr("r"), Targets: []wire.Target{{Arn: ptr("a")}, {Id: ptr("u")}}}},
		{"struct in a struct in a list", "PutTargets",
			`{"Targets":[{"Id":"t","InputTransformer":{"inputTemplate":"<a>","InputPathsMap":{"a":"$.a"}}}]}`,
			&wire.PutTargetsRequest{Targets: []wire.Target{{Id: ptr("t"), InputTransformer: &wire.InputTransformer{InputPathsMap: map[string]string{"a": "$.a"}}}}}},
		{"map keys are data", "PutTargets",
			`{"Targets":[{"InputTransformer":{"InputPathsMap":{"InputTemplate":"$.a","inputtemplate":"$.b"},"InputTemplate":"<a>"}}]}`,
			&wire.PutTargetsRequest{Targets: []wire.Target{{InputTransformer: &wire.InputTransformer{
				InputPathsMap: map[string]string{"InputTemplate": "$.a", "inputtemplate": "$.b"}, InputTemplate: ptr("<a>")}}}}},
		{"bool and int in a nested struct", "PutTargets",
			`{"Targets":[{"EcsParameters":{"enableECSManagedTags":true,"EnableExecuteCommand":true,"taskCount":2,"TaskCount":3}}]}`,
			&wire.PutTargetsRequest{Targets: []wire.Target{{EcsParameters: &wire.EcsParameters{EnableExecuteCommand: ptr(true), TaskCount: ptr[int32](3)}}}}},

		{"nested struct, lower case", "CreateConnection", `{"Name":"c","authParameters":{"ApiKeyAuthParameters":{"ApiKeyName":"k"}}}`,
			&wire.CreateConnectionRequest{Name: ptr("c")}},
		{"third level", "CreateConnection", `{"AuthParameters":{"ApiKeyAuthParameters":{"apiKeyName":"k","ApiKeyValue":"v"}}}`,
			&wire.CreateConnectionRequest{AuthParameters: &wire.CreateConnectionAuthRequestParameters{
				ApiKeyAuthParameters: &wire.CreateConnectionApiKeyAuthRequestParameters{ApiKeyValue: ptr("v")}}}},
		{"list in the fourth level", "CreateConnection",
			`{"AuthParameters":{"InvocationHttpParameters":{"HeaderParameters":[{"key":"k","Value":"v","isValueSecret":true}]}}}`,
			&wire.CreateConnectionRequest{AuthParameters: &wire.CreateConnectionAuthRequestParameters{
				InvocationHttpParameters: &wire.ConnectionHttpParameters{HeaderParameters: []wire.ConnectionHeaderParameter{{Value: ptr("v")}}}}}},

		// encoding/json folds with Unicode: ſ (U+017F) is s, the Kelvin
		// sign (U+212A) is k.
		{"long s", "PutEvents", `{"Entries":[{"ſource":"s","Detail":"{}"}]}`,
			&wire.PutEventsRequest{Entries: []wire.PutEventsRequestEntry{{Detail: ptr("{}")}}}},
		{"Kelvin sign, escaped", "TagResource", `{"ResourceARN":"a","Tags":[{"\u212aey":"k","Value":"v"}]}`,
			&wire.TagResourceRequest{ResourceARN: ptr("a"), Tags: []wire.Tag{{Value: ptr("v")}}}},
		{"PutEvents twin", "PutEvents", `{"entries":[{"Source":"s"}]}`, &wire.PutEventsRequest{}},
		{"PutEvents entry twin", "PutEvents", `{"Entries":[{"source":"s","DetailType":"d"}]}`,
			&wire.PutEventsRequest{Entries: []wire.PutEventsRequestEntry{{DetailType: ptr("d")}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newInput(tt.op)
			// decodeInput is what operations call: PutEvents tries its
			// fast path first, which declines twins and hands them here.
			if err := decodeInput([]byte(tt.body), got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(tt.want)
				t.Errorf("decode %s\n got %s\nwant %s", tt.body, g, w)
			}
		})
	}
}

// TestDecodeErrorsUnchanged: every body that was refused is refused with
// the same message, twins or not, and twins of a wrong type are no error.
func TestDecodeErrorsUnchanged(t *testing.T) {
	nested := strings.Repeat(`{"a":`, 20_000) + "1" + strings.Repeat("}", 20_000)
	deepTwin := `{"rule":` + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + `}`
	tests := []struct {
		op, body, want string // want "": no error
	}{
		{"ListEventBuses", `this is not json`, "Start of structure or map found where not expected."},
		{"ListEventBuses", `{this is not json}`, "Request body is not valid JSON."},
		{"ListEventBuses", `[{"NamePrefix":"x"}]`, "Start of structure or map found where not expected."},
		{"ListEventBuses", `null`, "Start of structure or map found where not expected."},
		{"ListEventBuses", `{} {}`, "Request body is not valid JSON."},
		{"ListEventBuses", `{"limit":1} x`, "Request body is not valid JSON."},
		{"CreateEventBus", `{"Name":`, "Request body is not valid JSON."},
		{"CreateEventBus", `{"name":`, "Request body is not valid JSON."},
		{"CreateEventBus", `{"name":"b",}`, "Request body is not valid JSON."},
		{"CreateEventBus", "{\"name\":\"\x01\"}", "Request body is not valid JSON."},
		{"CreateEventBus", `{"name":"\x"}`, "Request body is not valid JSON."},
		{"ListEventBuses", `{"Limit":"ten"}`, "Unexpected value type for member Limit."},
		{"ListEventBuses", `{"Limit":1.5}`, "Unexpected value type for member Limit."},
		{"ListEventBuses", `{"Limit":99999999999}`, "Unexpected value type for member Limit."},
		{"ListEventBuses", `{"limit":"ten"}`, ""},
		{"PutTargets", `{"Rule":"r","Targets":{"Id":"x"}}`, "Unexpected value type for member Targets."},
		{"PutTargets", `{"Rule":"r","Targets":{"id":"x"}}`, "Unexpected value type for member Targets."},
		{"PutTargets", `{"Targets":[{"Id":1}]}`, "Unexpected value type for member Targets.Id."},
		{"PutTargets", `{"Targets":[{"id":1}]}`, ""},
		{"PutTargets", `{"Targets":[{"RetryPolicy":{"MaximumRetryAttempts":"3"}}]}`, "Unexpected value type for member Targets.RetryPolicy.MaximumRetryAttempts."},
		{"PutTargets", `{"Targets":[{"retryPolicy":{"MaximumRetryAttempts":"3"}}]}`, ""},
		{"PutTargets", `{"Targets":[{"InputTransformer":{"InputPathsMap":{"a":1}}}]}`, "Unexpected value type for member Targets.InputTransformer.InputPathsMap."},
		{"StartReplay", `{"EventStartTime":"soon"}`, "Request body is not valid JSON."},
		{"StartReplay", `{"EventStartTime":true}`, "Request body is not valid JSON."},
		{"ListEventBuses", nested, "Request body is not valid JSON."},
		{"PutTargets", deepTwin, "Request body is not valid JSON."},
		{"PutEvents", `{"entries":[{"Source":1}]}`, ""},
		{"PutEvents", `{"Entries":[{"Source":1}]}`, "Unexpected value type for member Entries.Source."},
	}
	for _, tt := range tests {
		got := decodeInput([]byte(tt.body), newInput(tt.op))
		msg := ""
		if got != nil {
			msg = got.Error()
		}
		if want := Errorf(Serialization, "%s", tt.want).Error(); tt.want != "" && msg != want || tt.want == "" && msg != "" {
			t.Errorf("%s %.80q: %q, want %q", tt.op, tt.body, msg, tt.want)
		}
	}
}

// fill sets every field reachable from v, one element in every list and
// map.
func fill(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[wire.Timestamp]() {
			v.Set(reflect.ValueOf(wire.Timestamp{Time: time.UnixMilli(1767268800123).UTC()}))
			return
		}
		for i := range v.NumField() {
			fill(t, v.Field(i))
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(t, s.Index(0))
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(t, k)
		fill(t, e)
		m.SetMapIndex(k, e)
		v.Set(m)
	default:
		t.Fatalf("fill: a %v in the wire types", v.Type())
	}
}

// TestDecodeEveryOperation: for every operation's input, a body that sets
// every member with its exact name decodes to all of it; the same body with
// every member name of every struct in lower case decodes to nothing.
func TestDecodeEveryOperation(t *testing.T) {
	for _, o := range wire.Operations {
		t.Run(o.Name, func(t *testing.T) {
			want := newInput(o.Name)
			fill(t, reflect.ValueOf(want).Elem())
			body, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			got := newInput(o.Name)
			if err := decode(body, got); err != nil || !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				t.Fatalf("exact names: %v\n got %s\nwant %s", err, g, body)
			}

			lower, err := rewriteMembers(body, reflect.TypeOf(want), func(name string, _ bool) string {
				if l := strings.ToLower(name); l != name {
					return l
				}
				return strings.ToUpper(name)
			})
			if err != nil {
				t.Fatal(err)
			}
			got = newInput(o.Name)
			if err := decode(lower, got); err != nil || !reflect.DeepEqual(got, newInput(o.Name)) {
				g, _ := json.Marshal(got)
				t.Errorf("names in lower case: %v, decoded %s from %s", err, g, lower)
			}
		})
	}
}

// node contains itself, as no wire type does.
type node struct {
	Name *string
	Next *node
	Kids []node
}

// TestDecodeRecursiveType: a type that contains itself gets a finite shape:
// its names are exact down to where it recurs and left to encoding/json
// below, and a body nested deep along it decodes.
func TestDecodeRecursiveType(t *testing.T) {
	s := shapeOf(reflect.TypeFor[node]())
	var got node
	if err := s.decode([]byte(`{"name":"a","Next":{"name":"b"},"Kids":[{"name":"c"}]}`), &got); err != nil {
		t.Fatal(err)
	}
	want := node{Next: &node{Name: ptr("b")}, Kids: []node{{Name: ptr("c")}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	deep := strings.Repeat(`{"Next":`, 5000) + `{"name":"x"}` + strings.Repeat("}", 5000)
	if err := s.decode([]byte(deep), new(node)); err != nil {
		t.Errorf("nested 5000 deep: %v", err)
	}
}

// FuzzDecode holds decode to referenceDecode on every operation's input:
// the same value and the same error, and, for bodies whose names are all
// exact, exactly what encoding/json alone gives. It also checks that the
// walk behind exactNames never gives up on valid JSON (where it would let
// folded names through) and never panics.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{}`, ``, ` `, `null`, `[]`, `{"Name":"b"}`, `{"name":"b"}`, `{"NAME":"b","Name":"c"}`,
		`{"Rule":"r","targets":[{"Id":"t"}]}`,
		`{"Rule":"r","Targets":[{"id":"t","Arn":"a","InputTransformer":{"inputTemplate":"<a>","InputPathsMap":{"a":"$.a"}}}]}`,
		`{"Targets":[{"Id":"t"}],"Targets":[{"Arn":"a"},{"id":"u"}]}`,
		`{"Name":"c","AuthParameters":{"ApiKeyAuthParameters":{"apiKeyName":"k","ApiKeyValue":"v"}}}`,
		`{"Entries":[{"ſource":"s","Time":"2026-01-01T00:00:00Z","time":1}]}`,
		`{"N\u0061me":"b","n\u0061me":"c","\u212aey":1}`,
		`{"Limit":"x","limit":1}`, `{"Tags":{"key":"v"}}`, `{"Tags":[{"key":"k","Value":null}]}`,
		`{"EventStartTime":1767268800.5,"eventEndTime":"x"}`,
		`{"Name":"\"name\\\":","name":"\\"}`, `{"a":[{"b":"}"}],"name":1}`,
		`{"name":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`,
	} {
		for i := range wire.Operations {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, opIndex uint8, body []byte) {
		checkDecode(t, wire.Operations[int(opIndex)%len(wire.Operations)].Name, body)
	})
}

// checkDecode holds decode to referenceDecode for one body: see FuzzDecode.
func checkDecode(t *testing.T, op string, body []byte) {
	t.Helper()
	got, want := newInput(op), newInput(op)
	gotErr := decode(body, got)
	wantErr, dropped := referenceDecode(body, want)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("%s %q:\ndecode    %s, %v\nreference %s, %v", op, body, g, gotErr, w, wantErr)
	}
	if !dropped {
		plain := newInput(op)
		plainErr := legacyDecode(body, plain)
		if fmt.Sprint(gotErr) != fmt.Sprint(plainErr) || !reflect.DeepEqual(got, plain) {
			t.Fatalf("%s %q: names all exact, yet decode differs from encoding/json: %v vs %v", op, body, gotErr, plainErr)
		}
	}
	if trimmed := bytes.TrimSpace(body); json.Valid(trimmed) {
		w := nameWalker{b: trimmed}
		if !w.value(shapeOf(reflect.TypeOf(got))) {
			t.Fatalf("%s %q: the name walk gives up on valid JSON at %d", op, body, w.i)
		}
	}
	if op == "PutEvents" {
		// The fast path, where it decodes, agrees with decode.
		fast := newInput(op)
		if decodeInput(body, fast) == nil && gotErr == nil && !reflect.DeepEqual(fast, got) {
			t.Fatalf("%q: decodeInput and decode differ", body)
		}
	}
}

// TestDecodeGenerated checks decode against the reference on bodies built
// from each operation's input type, with what byte-level fuzzing rarely
// puts together: names in other cases, escaped, folded from non-ASCII
// letters, given twice, next to unknown members; values of the wrong type;
// white space; now and then a byte out of place.
func TestDecodeGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 300
	if testing.Short() {
		n = 30
	}
	for _, o := range wire.Operations {
		in := reflect.TypeOf(newInput(o.Name))
		for range n {
			var b bytes.Buffer
			genValue(r, &b, in, true)
			body := b.Bytes()
			if r.IntN(20) == 0 && len(body) > 0 {
				body[r.IntN(len(body))] = "{}[]\",: x\x00\xff"[r.IntN(11)]
			}
			checkDecode(t, o.Name, body)
		}
	}
}

// genValue writes a JSON value for a Go value of type t.
func genValue(r *rand.Rand, b *bytes.Buffer, t reflect.Type, top bool) {
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	space := func() {
		if r.IntN(8) == 0 {
			b.WriteString(pick(" ", "\n", "\t ", "\r\n"))
		}
	}
	space()
	defer space()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if !top && r.IntN(25) == 0 {
		b.WriteString(pick(`null`, `1`, `-0.5e3`, `"s"`, `true`, `[]`, `{}`, `[{"Name":1}]`, `{"name":1,"Name":2}`))
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == reflect.TypeFor[wire.Timestamp]() {
			b.WriteString(pick(`1767268800`, `1767268800.25`, `"2026-01-01T00:00:00Z"`, `"20260101T000000Z"`, `"soon"`, `1e20`))
			return
		}
		b.WriteByte('{')
		n := 0
		member := func(name string, value func()) {
			if n > 0 {
				b.WriteByte(',')
				space()
			}
			n++
			b.WriteString(name)
			space()
			b.WriteByte(':')
			value()
		}
		for range r.IntN(t.NumField() + 2) {
			if r.IntN(6) == 0 {
				member(pick(`"Bogus"`, `""`, `"a"`, `"\u0000"`), func() { genValue(r, b, reflect.TypeFor[[]map[string]string](), false) })
				continue
			}
			f := t.Field(r.IntN(t.NumField()))
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			member(genName(r, name), func() { genValue(r, b, f.Type, false) })
		}
		b.WriteByte('}')
	case reflect.Slice:
		b.WriteByte('[')
		for i := range r.IntN(3) {
			if i > 0 {
				b.WriteByte(',')
			}
			genValue(r, b, t.Elem(), false)
		}
		b.WriteByte(']')
	case reflect.Map:
		b.WriteByte('{')
		for i := range r.IntN(3) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(pick(`"a"`, `"A"`, `"Key"`, `"key"`, `"a"`))
			b.WriteByte(':')
			genValue(r, b, t.Elem(), false)
		}
		b.WriteByte('}')
	case reflect.String:
		b.WriteString(pick(`"x"`, `"\"name\":"`, `"\\"`, `"}]"`, `"\u00e9\ud83d\ude00"`, "\"\xff\"", `"\ud800"`))
	case reflect.Int32, reflect.Int64:
		b.WriteString(pick(`1`, `-3`, `0`, `1.5`, `99999999999`, `"7"`, `1e2`))
	case reflect.Bool:
		b.WriteString(pick(`true`, `false`, `"true"`, `0`))
	default:
		b.WriteString(`null`)
	}
}

// genName writes name as a member name: mostly exact, else in another
// case, with an escape, or folded from a non-ASCII letter.
func genName(r *rand.Rand, name string) string {
	q := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	switch r.IntN(10) {
	case 0:
		return q(strings.ToLower(name))
	case 1:
		return q(strings.ToUpper(name))
	case 2: // one letter in the other case
		i := r.IntN(len(name))
		c := name[i] ^ 0x20
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			c = name[i]
		}
		return q(name[:i] + string(c) + name[i+1:])
	case 3: // one letter escaped, maybe in the other case
		i := r.IntN(len(name))
		c := name[i]
		if r.IntN(2) == 0 && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			c ^= 0x20
		}
		return `"` + name[:i] + fmt.Sprintf(`\u%04x`, c) + name[i+1:] + `"`
	case 4: // ſ for s, the Kelvin sign for k
		s := strings.NewReplacer("s", "ſ", "S", "ſ", "k", "\u212a", "K", "\u212a").Replace(name)
		if r.IntN(2) == 0 {
			return q(s)
		}
		return `"` + strings.ReplaceAll(strings.ReplaceAll(s, "ſ", `\u017f`), "\u212a", `\u212A`) + `"`
	}
	return q(name)
}

// putTargetsTarget is one target as the SDK sends it for an SQS queue with
// an input transformer, a retry policy and a dead-letter queue.
const putTargetsTarget = `{"Id":"orders-to-queue","Arn":"arn:aws:sqs:us-east-1:123456789012:orders",` +
	`"RoleArn":"arn:aws:iam::123456789012:role/events-to-sqs",` +
	`"InputTransformer":{"InputPathsMap":{"id":"$.detail.id","total":"$.detail.total"},"InputTemplate":"{\"order\":<id>,\"total\":<total>}"},` +
	`"RetryPolicy":{"MaximumRetryAttempts":3,"MaximumEventAgeInSeconds":3600},` +
	`"DeadLetterConfig":{"Arn":"arn:aws:sqs:us-east-1:123456789012:orders-dlq"},` +
	`"SqsParameters":{"MessageGroupId":"orders"}}`

// putTargetsBody is a PutTargets request with n such targets.
func putTargetsBody(n int) []byte {
	ts := make([]string, n)
	for i := range ts {
		ts[i] = putTargetsTarget
	}
	return []byte(`{"Rule":"orders","EventBusName":"orders","Targets":[` + strings.Join(ts, ",") + `]}`)
}

// BenchmarkDecode measures decode, the path of every operation but
// PutEvents, on typical bodies.
func BenchmarkDecode(b *testing.B) {
	for _, bc := range []struct {
		name string
		body []byte
		in   func() any
	}{
		{"PutTargets1", putTargetsBody(1), func() any { return new(wire.PutTargetsRequest) }},
		{"PutTargets10", putTargetsBody(10), func() any { return new(wire.PutTargetsRequest) }},
		{"PutRule", []byte(`{"Name":"orders","EventBusName":"orders","EventPattern":"{\"source\":[\"com.example.orders\"],\"detail-type\":[\"Order Placed\"]}","State":"ENABLED","Description":"orders placed","Tags":[{"Key":"team","Value":"orders"}]}`),
			func() any { return new(wire.PutRuleRequest) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := shapeOf(reflect.TypeOf(bc.in())) // once, as op does
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := s.decode(bc.body, bc.in()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExactNames measures the pre-pass alone, the part of decode's
// time that exact names add, on the same bodies and on the PutEvents body
// of BenchmarkDecodePutEvents (which decode reads only when the fast path
// declines it).
func BenchmarkExactNames(b *testing.B) {
	for _, bc := range []struct {
		name string
		body []byte
		in   any
	}{
		{"PutTargets1", putTargetsBody(1), new(wire.PutTargetsRequest)},
		{"PutTargets10", putTargetsBody(10), new(wire.PutTargetsRequest)},
		{"PutEvents10", putEventsBody(b, 10, 1024), new(wire.PutEventsRequest)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := shapeOf(reflect.TypeOf(bc.in))
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				if out := exactNames(bc.body, s); &out[0] != &bc.body[0] {
					b.Fatal("the body was rewritten")
				}
			}
		})
	}
}
