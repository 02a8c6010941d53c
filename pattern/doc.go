// Package pattern compiles Amazon EventBridge event patterns and matches
// JSON events against them, with EventBridge's semantics and error reasons.
//
// There are three types: a Pattern is one compiled pattern, a Matcher
// matches an event against many named patterns in one pass, and a
// CompileError carries the reason AWS gives for rejecting a pattern (the
// text after "Event pattern is not valid. Reason: "). Matching an event
// that is not a JSON object fails with ErrNotObject or ErrSyntax.
//
// # Semantics
//
// Behaviour follows AWS's Event Ruler, which EventBridge runs, checked
// against cases validated on the real service (testdata/conformance):
//
//   - An event is flattened into leaf values (strings, numbers, true, false,
//     null) under dotted paths; {"a":{"b":1}} and {"a.b":1} both have the
//     value 1 at "a.b". Objects and empty arrays are not values. An array
//     contributes each of its elements.
//   - Fields of a pattern are ANDed; the values listed for a field are ORed;
//     "$or" (at any level, nested, with at least two objects) expands into
//     alternative branches. A path repeated in a pattern keeps its last value
//     list.
//   - Numbers match by value ([300] matches 3.0e2) when their text is a
//     number float64 holds exactly; otherwise only identical text matches.
//     "numeric" compares float64 values and never matches strings.
//   - prefix, suffix, wildcard, equals-ignore-case and cidr match strings
//     only. equals-ignore-case uses full Unicode case mapping ("straße"
//     equals "STRASSE"). anything-but needs the field present and matches
//     every value not excluded, including null and values of another type;
//     with an array, one non-excluded element suffices.
//   - exists works on leaves: true matches any value including null; false
//     matches a missing field, an empty array or an object value.
//   - Fields matched inside elements of the same array must come from the
//     same element (array consistency).
//
// # Concurrency
//
// Compile, Pattern.Match and all Matcher methods are safe for concurrent
// use. Matcher.Match and MatchAppend never block on each other; they may run
// concurrently with Add and Delete. A change is visible to every Match that
// starts after Add or Delete returns: Match then rebuilds the compiled
// automaton once under the Matcher's mutex and publishes it atomically
// (copy-on-write), so a Match sees either all of a change or none of it.
//
// # Performance
//
// Matching is one pass over the event bytes with the package's own JSON
// scanner. Subtrees whose path no pattern mentions are skipped without being
// decoded, and the scan ends early, leaving the rest of the event unread,
// once no later key can reach a path that a pattern mentions. Values are
// looked up in per-field structures shared by all patterns: maps for exact
// values, byte tries for prefix and suffix (plain and equals-ignore-case),
// a sorted index for numeric ranges, and one automaton for all wildcard
// operands of the field, positive or inside anything-but, which serves
// every operand of every rule in one pass over the string, at a cost
// bounded by the value's length times a factor that does not depend on the
// number of operands (see wildIndex for the exact bound; a field with at
// most four operands checks them one by one, at most four linear searches
// of the value). So cost grows with the event, not with the number of
// patterns, except for cidr and anything-but conditions, which are
// evaluated one by one, once per distinct condition; apart from
// anything-but's wildcards (handled as above) each costs the same whatever
// the value's length (which is case-folded once when a condition needs
// it). Scratch state is pooled: MatchAppend with a reused slice allocates
// nothing. See docs/pattern.md for measured throughput.
package pattern
