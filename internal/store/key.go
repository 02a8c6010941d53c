package store

import "fmt"

// ValidateKey returns nil if key is a valid store key: dot-separated,
// non-empty tokens of the characters [-/_=a-zA-Z0-9]. Otherwise it returns
// an error wrapping ErrInvalidKey. Implementations call it before touching
// their backing storage.
func ValidateKey(key string) error {
	if !validTokens(key) {
		return fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	return nil
}

// ValidatePrefix returns nil if prefix is a valid List prefix: the empty
// string (all keys) or one or more whole tokens each followed by a dot, like
// "a." or "a.b.". Otherwise it returns an error wrapping ErrInvalidKey. A
// prefix that ends inside a token ("a.b") is refused rather than matched
// character-wise, so that List("bus.default") can never return
// "bus.default2.x" by accident.
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if prefix[len(prefix)-1] != '.' || !validTokens(prefix[:len(prefix)-1]) {
		return fmt.Errorf("%w: prefix %q", ErrInvalidKey, prefix)
	}
	return nil
}

// validTokens reports whether s is one or more non-empty dot-separated
// tokens of [-/_=a-zA-Z0-9].
func validTokens(s string) bool {
	if s == "" {
		return false
	}
	tokenLen := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if tokenLen == 0 {
				return false
			}
			tokenLen = 0
			continue
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '/', c == '_', c == '=':
		default:
			return false
		}
		tokenLen++
	}
	return tokenLen > 0
}
