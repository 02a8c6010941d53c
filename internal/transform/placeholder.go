package transform

import "strings"

// Predefined are the placeholders EventBridge defines for every template;
// InputPathsMap may not redefine them.
var Predefined = []string{
	"aws.events.rule-arn",
	"aws.events.rule-name",
	"aws.events.event.ingestion-time",
	"aws.events.event",
	"aws.events.event.json",
}

// IsPredefined reports whether name is one of Predefined.
func IsPredefined(name string) bool {
	for _, p := range Predefined {
		if p == name {
			return true
		}
	}
	return false
}

// Placeholders returns the names of the <name> placeholders in an
// InputTemplate, in order of first appearance. A name is a run of the
// characters InputPathsMap keys may use ([A-Za-z0-9_-]) or the dots of the
// predefined names; anything else between angle brackets is text.
func Placeholders(template string) []string {
	var names []string
	seen := map[string]bool{}
	for i := 0; i < len(template); i++ {
		if template[i] != '<' {
			continue
		}
		end := strings.IndexByte(template[i+1:], '>')
		if end < 0 {
			break
		}
		name := template[i+1 : i+1+end]
		if name != "" && isPlaceholderName(name) {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
			i += end + 1
		}
	}
	return names
}

func isPlaceholderName(s string) bool {
	for i := range len(s) {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}
