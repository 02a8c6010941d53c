package store

import (
	"errors"
	"testing"
)

func TestValidateKey(t *testing.T) {
	for _, tc := range []struct {
		key string
		ok  bool
	}{
		{"a", true},
		{"a.b.c", true},
		{"A-Z_a=z/0.9", true},
		{"bus.default.rule.my-rule", true},
		{"", false},
		{".", false},
		{".a", false},
		{"a.", false},
		{"a..b", false},
		{"a b", false},
		{"a*", false},
		{"a.>", false},
		{"a.*.b", false},
		{"é", false},
		{"a\x00", false},
		{"a:b", false},
		{"a\tb", false},
	} {
		err := ValidateKey(tc.key)
		if tc.ok && err != nil {
			t.Errorf("ValidateKey(%q) = %v, want nil", tc.key, err)
		}
		if !tc.ok && !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ValidateKey(%q) = %v, want ErrInvalidKey", tc.key, err)
		}
	}
}

func TestValidatePrefix(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		ok     bool
	}{
		{"", true},
		{"a.", true},
		{"a.b.", true},
		{"a", false},
		{"a.b", false},
		{".", false},
		{"a..", false},
		{"..", false},
		{"a.*.", false},
		{"a.>.", false},
		{"a b.", false},
	} {
		err := ValidatePrefix(tc.prefix)
		if tc.ok && err != nil {
			t.Errorf("ValidatePrefix(%q) = %v, want nil", tc.prefix, err)
		}
		if !tc.ok && !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ValidatePrefix(%q) = %v, want ErrInvalidKey", tc.prefix, err)
		}
	}
}

func FuzzValidateKey(f *testing.F) {
	for _, s := range []string{"a", "a.b", "a..b", ".a", "a.", "a*b", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		err := ValidateKey(key)
		// Reference: split on dots, every token non-empty and in the set.
		ok := key != ""
		tok := 0
		for _, r := range key + "." {
			if r == '.' {
				if tok == 0 {
					ok = false
				}
				tok = 0
				continue
			}
			tok++
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '/' || r == '_' || r == '=') {
				ok = false
			}
		}
		if ok != (err == nil) {
			t.Fatalf("ValidateKey(%q) = %v, reference says ok=%v", key, err, ok)
		}
		if ok && ValidatePrefix(key+".") != nil {
			t.Fatalf("ValidatePrefix(%q) refused a valid key plus dot", key+".")
		}
	})
}
