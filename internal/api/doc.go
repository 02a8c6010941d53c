// Package api serves the Amazon EventBridge API (AWSEvents 2015-10-07) over
// the AWS JSON 1.1 protocol: one POST / endpoint, the operation named by the
// X-Amz-Target header, JSON in and out, errors as {"__type","message"}.
//
// A request flows through ServeHTTP: read the body (bounded), authenticate
// (SigV4 or open mode) to find the caller's account and region, look up the
// operation, decode and validate the input with the generated wire types,
// run the operation against the catalog, and write the output. Every wire
// error comes from the one table in errors.go.
package api
