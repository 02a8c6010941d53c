package api

// validBusName reports whether name could be a bus name (the model's
// EventBusName: 1..256 of [/.\-_A-Za-z0-9]). A name that cannot be one names
// a bus that does not exist.
func validBusName(name string) bool {
	return len(name) >= 1 && len(name) <= 256 && onlyNameChars(name, true)
}

// validRuleName reports whether name could be a rule name (RuleName: 1..64
// of [.\-_A-Za-z0-9]).
func validRuleName(name string) bool {
	return len(name) >= 1 && len(name) <= 64 && onlyNameChars(name, false)
}

func onlyNameChars(s string, slash bool) bool {
	for i := range len(s) {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
		case c == '/' && slash:
		default:
			return false
		}
	}
	return true
}
