package catalog

// Tag is a key-value pair on a bus or rule.
type Tag struct {
	Key   string
	Value string
}

// MergeTags sets each tag of add on tags, replacing the value of a key that is
// already there and appending new keys in order.
func MergeTags(tags, add []Tag) []Tag {
	out := append([]Tag(nil), tags...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value = t.Value
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	return out
}

// RemoveTags drops the tags with the given keys; unknown keys are ignored.
func RemoveTags(tags []Tag, keys []string) []Tag {
	drop := make(map[string]bool, len(keys))
	for _, k := range keys {
		drop[k] = true
	}
	out := tags[:0:0]
	for _, t := range tags {
		if !drop[t.Key] {
			out = append(out, t)
		}
	}
	return out
}

// CountTags counts tags against the 50-per-resource quota: keys with the
// reserved aws: prefix do not count.
func CountTags(tags []Tag) int {
	n := 0
	for _, t := range tags {
		if len(t.Key) < 4 || t.Key[:4] != "aws:" {
			n++
		}
	}
	return n
}
