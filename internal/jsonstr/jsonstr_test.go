package jsonstr

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// TestUnicodeAgreesWithEncodingJSON: every \u escape (and pair of them)
// decodes as encoding/json decodes it.
func TestUnicodeAgreesWithEncodingJSON(t *testing.T) {
	for _, esc := range []string{`\u0041`, `\u00e9`, `\uFFFF`, `\ud83d\ude00`, `\uD83D\uDE00`, `\ud83d`, `\ude00`,
		`\ud83dx`, `\ud83d\u0041`, `\ud83d\ud83d`, `\u0000`, `\ude00\ud83d`} {
		var want string
		if err := json.Unmarshal([]byte(`"`+esc+`"`), &want); err != nil {
			t.Fatal(esc, err)
		}
		b := []byte(esc)
		var got []byte
		for i := 0; i < len(b); {
			if b[i] == '\\' && i+1 < len(b) && b[i+1] == 'u' {
				r, next, ok := Unicode(b, i+2)
				if !ok {
					t.Fatalf("%s: not decoded at %d", esc, i)
				}
				got, i = utf8.AppendRune(got, r), next
				continue
			}
			got, i = append(got, b[i]), i+1
		}
		if string(got) != want {
			t.Errorf("%s: %q, encoding/json %q", esc, got, want)
		}
	}
	for _, bad := range []string{"", "12", "12g4", "zzzz"} {
		if _, _, ok := Unicode([]byte(bad), 0); ok {
			t.Errorf("%q decoded", bad)
		}
	}
	if _, _, ok := Unicode([]byte("0041"), 9); ok {
		t.Error("index past the end decoded")
	}
}

func FuzzAppendQuoted(f *testing.F) {
	for _, s := range []string{"", "a", `"\`, "\x00\x1f\n\t", "<&>", "\xff\xfe", "é😀", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := AppendQuoted(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q: %s is not a JSON string: %v", s, b, err)
		}
		if want := string([]rune(s)); back != want && utf8.ValidString(s) {
			t.Fatalf("%q came back as %q", s, back)
		}
		// encoding/json decodes it to the same as its own encoding does.
		enc, _ := json.Marshal(s)
		var viaStd string
		_ = json.Unmarshal(enc, &viaStd)
		if back != viaStd {
			t.Fatalf("%q: %q, encoding/json round trip %q", s, back, viaStd)
		}
	})
}

func FuzzUnicode(f *testing.F) {
	for _, s := range []string{`0041`, `d83d\ude00`, `d83d`, `zz`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		r, next, ok := Unicode(b, 0)
		if !ok {
			return
		}
		if next != 4 && next != 10 || next > len(b) {
			t.Fatalf("%q: next %d", s, next)
		}
		var want string
		if err := json.Unmarshal([]byte(`"\u`+s[:next]+`"`), &want); err == nil && string(utf8.AppendRune(nil, r)) != want {
			t.Fatalf("%q: %q, encoding/json %q", s, r, want)
		}
	})
}

// The tests below moved here with the functions they test, from the
// envelope (internal/event) and the input transformer (internal/transform).

// TestAppendStringMatchesJSON: every string the envelope renders decodes
// back to itself (or, for invalid UTF-8, to what encoding/json makes of it).
func TestAppendStringMatchesJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "new\nline\ttab\r", "\x00\x01\x1f", "<a&b>", "ünï©ødé 日本",
		"bad\xffutf8", "\xed\xa0\x80", "emoji 🎉"} {
		b := AppendQuoted(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("AppendQuoted(%q) = %s: %v", s, b, err)
			continue
		}
		var viaJSON string
		j, _ := json.Marshal(s)
		_ = json.Unmarshal(j, &viaJSON)
		if back != viaJSON {
			t.Errorf("AppendQuoted(%q) decodes to %q, encoding/json gives %q", s, back, viaJSON)
		}
	}
	if got := string(AppendQuoted(nil, "<a&b>")); got != `"<a&b>"` {
		t.Errorf("HTML characters escaped: %s", got)
	}
}

func TestAppendQuotedRoundTrips(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "ctl\x00\x01\x1f", "nl\n\r\t", "é😀", "arn:aws:events:us-east-1:1:rule/a/b"} {
		got := AppendQuoted(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != s {
			t.Errorf("AppendQuoted(%q) = %s: decodes to %q, %v", s, got, back, err)
		}
	}
}

// TestEscapedAgreesWithEncodingJSON: every byte after a backslash is an
// escape exactly when encoding/json takes it as one (\u aside), for the
// same byte.
func TestEscapedAgreesWithEncodingJSON(t *testing.T) {
	for c := range 256 {
		if c == 'u' {
			continue
		}
		var want string
		err := json.Unmarshal([]byte{'"', '\\', byte(c), '"'}, &want)
		got, ok := Escaped(byte(c))
		if ok != (err == nil) || ok && string([]byte{got}) != want {
			t.Errorf("\\%c: Escaped = %q %v; encoding/json %q %v", c, got, ok, want, err)
		}
	}
}
