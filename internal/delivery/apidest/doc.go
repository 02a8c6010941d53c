// Package apidest sends one event to an EventBridge API destination: it
// waits for the destination's rate limit, builds the HTTP request the way
// EventBridge does (headers, connection auth, merged HTTP parameters), sends
// it with a per-attempt timeout and classifies the outcome for the retry
// policy and the dead-letter queue. Retrying is the caller's job; a Client
// only says whether a retry makes sense (Result.Retryable, Result.RetryAfter).
//
// A Client holds two caches and no goroutines: OAuth tokens per connection
// (fetched on demand, shared by concurrent callers, refreshed when less than
// 60 s of life remain, as the EventBridge user guide says) and token buckets
// per destination. Both are swept lazily, so idle entries do not pile up.
//
// Choices where AWS documents nothing precise (the recorded snapshots hold no
// request as received by a destination), each noted where it is made:
//
//   - Rate limit: a bucket of burst 1, so invocations are spaced 1/rate apart;
//     N invocations take (N-1)/rate seconds and never more than rate in any
//     one-second window. Callers wait; nothing is dropped.
//   - "Connection: close" is sent by default, as documented by AWS; it closes
//     the TCP connection after every request. Options.KeepAlive trades that
//     fidelity for connection reuse (see BenchmarkInvoke).
//   - Redirects are not followed: a 3xx is a failure that is not retried.
//   - GET and HEAD requests carry no body.
//   - Connection body parameters become top-level string keys of a JSON
//     object body (the connection wins on conflict); other bodies are sent
//     unchanged.
//   - OAuth client credentials go in an "Authorization: Basic" header
//     (RFC 6749 section 2.3.1); grant_type=client_credentials is added to the
//     form unless the connection's OAuth body parameters set grant_type.
//   - ERROR_CODE values come from the list in the EventBridge DLQ docs:
//     TIMEOUT, THROTTLING (429), CONNECTION_FAILURE (dial/DNS),
//     SDK_CLIENT_ERROR (any other HTTP or protocol failure) and
//     INVALID_PARAMETER (the request cannot be built).
package apidest
