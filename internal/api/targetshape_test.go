package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// fillAll sets every member of v (a pointer) reachable through pointers,
// slices and maps: strings, numbers and booleans get distinct values, lists
// two elements (or none when empty is asked for, to tell an empty list from
// an absent one).
func fillAll(v reflect.Value, n *int, empty bool) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), n, empty)
	case reflect.Struct:
		for i := range v.NumField() {
			fillAll(v.Field(i), n, empty)
		}
	case reflect.Slice:
		l := 2
		if empty {
			l = 0
		}
		v.Set(reflect.MakeSlice(v.Type(), l, l))
		for i := range l {
			fillAll(v.Index(i), n, empty)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		if !empty {
			for range 2 {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fillAll(k, n, empty)
				fillAll(e, n, empty)
				m.SetMapIndex(k, e)
			}
		}
		v.Set(m)
	case reflect.String:
		*n++
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Int32, reflect.Int64, reflect.Int:
		*n++
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	default:
		panic("fill: " + v.Kind().String())
	}
}

// TestTargetShapeRoundTrip: every member of a wire target survives the trip
// into the catalog's Target and back, empty lists stay empty, and the
// catalog's stored JSON is the wire target's JSON, so that rule documents an
// earlier version stored (which held wire targets) still read.
func TestTargetShapeRoundTrip(t *testing.T) {
	for _, empty := range []bool{false, true} {
		var in wire.Target
		n := 0
		fillAll(reflect.ValueOf(&in).Elem(), &n, empty)
		c := targetIn(&in)
		out := targetOut(&c)
		if !reflect.DeepEqual(in, out) {
			a, _ := json.Marshal(in)
			b, _ := json.Marshal(out)
			t.Errorf("empty=%v: round trip changed the target:\n in  %s\n out %s", empty, a, b)
		}
		stored, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		wireJSON, _ := json.Marshal(in)
		var a, b any
		_ = json.Unmarshal(stored, &a)
		_ = json.Unmarshal(wireJSON, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("empty=%v: stored JSON differs from the wire target's:\n catalog %s\n wire    %s", empty, stored, wireJSON)
		}
		var back catalog.Target
		if err := json.Unmarshal(wireJSON, &back); err != nil || !reflect.DeepEqual(back, c) {
			t.Errorf("empty=%v: a wire target's JSON does not read as the catalog's Target: %v", empty, err)
		}
	}
}
