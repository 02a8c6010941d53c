// Package transform shapes what a target receives from an event: the
// constant Input, InputPath extraction and InputTransformer templates, with
// the substitution rules EventBridge applies. Compile turns a target's
// input configuration into a Transformer; Apply renders one event with it.
// Path evaluates a single JSONPath, for the other places a target names a
// value by path (HttpParameters, Kinesis PartitionKeyPath, SQS
// MessageGroupId).
//
// # Paths
//
// Paths are the documented subset: "$", .name, ['name'], [n] and the
// wildcards .* and [*]. A wildcard path yields a JSON array of its matches,
// in document order, possibly empty. A repeated key in the event resolves to
// its last occurrence. Paths are evaluated on the raw event bytes: all paths
// of a template are walked together in one pass, and nothing is decoded
// except the keys being compared.
//
// # Templates
//
// A template whose first non-space byte is '{' or '[' is a JSON template;
// any other template is a string template. A placeholder renders
//
//   - in a JSON template outside a string literal: as the value's JSON,
//     minified ({"id": <userId>} delivers {"id":"0a78..."}); a missing value
//     renders as "";
//   - everywhere else: as text. Strings are inserted decoded and not escaped,
//     numbers, booleans and null as their literal, objects and arrays with
//     the quotes of their strings removed ({acc_id:0a78,sf_id:baz},
//     [ACTIVE,INACTIVE]); a missing value renders as nothing.
//
// Then the result is checked. A JSON template must yield one JSON value,
// which is delivered minified; a string template must yield text that
// begins with one JSON value and is delivered verbatim, surrounding quotes
// included. Anything else is ErrInvalidResult: EventBridge drops such an
// invocation. So an object or array placed inside quotes in a JSON template
// ({"x": "<list>"}) is never delivered, while the same value inside a string
// template ("<list> items") is flattened and is.
//
// The predefined placeholders are <aws.events.rule-arn>,
// <aws.events.rule-name>, <aws.events.event.ingestion-time> (UTC,
// 2006-01-02T15:04:05Z), <aws.events.event> (the envelope without detail,
// keys id, account, detailType, time, source, region, resources, version in
// that order) and <aws.events.event.json> (the whole envelope).
//
// Every rule above is derived from deliveries AWS recorded; testdata holds
// the recording and recorded_test.go replays it. doc comments on the
// unexported pieces say which recording decided what.
package transform
