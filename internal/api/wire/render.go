package wire

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// redacted replaces sensitive members in Java-style renderings, as the
// AWS Java SDKs print them.
const redacted = "*** Sensitive Data Redacted ***"

// javaString renders v as the service's Java toString would, for the
// Value '...' part of validation failures: strings verbatim, lists as
// [a, b], maps as {k=v} (keys sorted), structures as
// Shape(memberCamel=value, other=null) in model member order.
func javaString(v any) string {
	var b strings.Builder
	writeJava(&b, reflect.ValueOf(v))
	return b.String()
}

// javaExtraMembers are members the service's own classes carry beyond
// the public model, appended to their renderings so that recorded messages
// match byte for byte (test_events.snapshot.json, put-events-exceed-limit-error).
var javaExtraMembers = map[string]string{
	"PutEventsRequestEntry": ", kmsKeyIdentifier=null, internalMetadata=null",
}

var timestampType = reflect.TypeFor[Timestamp]()

func writeJava(b *strings.Builder, v reflect.Value) {
	if !v.IsValid() {
		b.WriteString("null")
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		writeJava(b, v.Elem())
	case reflect.String:
		b.WriteString(v.String())
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Float32, reflect.Float64:
		s := strconv.FormatFloat(v.Float(), 'f', -1, 64)
		if !strings.ContainsAny(s, ".NI") {
			s += ".0" // Java's Double.toString
		}
		b.WriteString(s)
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJava(b, v.Index(i))
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJava(b, k)
			b.WriteByte('=')
			writeJava(b, v.MapIndex(k))
		}
		b.WriteByte('}')
	case reflect.Struct:
		if v.Type() == timestampType {
			// java.util.Date.toString, in UTC.
			b.WriteString(v.Interface().(Timestamp).UTC().Format("Mon Jan 02 15:04:05 UTC 2006"))
			return
		}
		t := v.Type()
		b.WriteString(t.Name())
		b.WriteByte('(')
		for i := range t.NumField() {
			f := t.Field(i)
			if i > 0 {
				b.WriteString(", ")
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			b.WriteString(strings.ToLower(name[:1]) + name[1:])
			b.WriteByte('=')
			fv := v.Field(i)
			if sensitiveMembers[t.Name()+"."+f.Name] && !fv.IsZero() {
				b.WriteString(redacted)
				continue
			}
			writeJava(b, fv)
		}
		b.WriteString(javaExtraMembers[t.Name()])
		b.WriteByte(')')
	default:
		b.WriteString(v.String())
	}
}
