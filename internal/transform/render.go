package transform

// A value is rendered one of two ways, depending on where its placeholder
// stands in the template (see doc.go):
//   - as JSON: the value's own JSON text, minified;
//   - as text: what EventBridge writes inside a string. A string is its
//     decoded content, never re-escaped (rule 5); numbers, booleans and null
//     are their literal; objects and arrays are minified with the quotes of
//     their strings dropped, so {"acc_id":"0a78","sf_id":"baz"} becomes
//     {acc_id:0a78,sf_id:baz} and ["ACTIVE","INACTIVE"] becomes
//     [ACTIVE,INACTIVE], as AWS recorded.

// appendJSON appends raw with whitespace outside strings removed.
func appendJSON(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '"':
			end := stringEnd(raw, i)
			if end < 0 {
				return append(dst, raw[i:]...)
			}
			dst = append(dst, raw[i:end]...)
			i = end
		case isSpace(c):
			i++
		default:
			j := i + 1
			for j < len(raw) && raw[j] != '"' && !isSpace(raw[j]) {
				j++
			}
			dst = append(dst, raw[i:j]...)
			i = j
		}
	}
	return dst
}

// AppendText appends a value returned by Path rendered as text, the way a
// template writes it into a string: a string decoded, a number, boolean or
// null as its literal, an object or array flattened. It is the form for
// values that leave JSON, such as HttpParameters headers and query strings
// or a Kinesis partition key.
func AppendText(dst, raw []byte) []byte { return appendText(dst, raw) }

// appendText appends raw rendered as text.
func appendText(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '"':
			end := stringEnd(raw, i)
			if end < 0 {
				return append(dst, raw[i+1:]...)
			}
			dst = appendUnquoted(dst, raw[i+1:end-1])
			i = end
		case isSpace(c):
			i++
		default:
			j := i + 1
			for j < len(raw) && raw[j] != '"' && !isSpace(raw[j]) {
				j++
			}
			dst = append(dst, raw[i:j]...)
			i = j
		}
	}
	return dst
}

// appendInString appends raw as it renders inside a string literal of a
// JSON template: scalars as text, objects and arrays as JSON.
func appendInString(dst, raw []byte) []byte {
	if len(raw) > 0 && (raw[0] == '{' || raw[0] == '[') {
		return appendJSON(dst, raw)
	}
	return appendText(dst, raw)
}
