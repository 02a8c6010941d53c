// Package sigv4 verifies AWS Signature Version 4 on AWS JSON 1.1 requests
// addressed to the EventBridge service ("events").
//
// The model is three steps. ParseAuthorization reads the Authorization
// header into an Authorization (who signed, for which scope, over which
// headers). Identify does only that, for servers that trust their callers.
// Verifier.Verify additionally rebuilds the canonical request from the
// *http.Request and its already-read body, derives the signing key from the
// secret that Verifier.Lookup returns for the access key, and compares
// signatures in constant time.
//
// Every refusal is an *Error whose Code, Status and Message follow what AWS
// JSON ("Coral") services send, so the api package can put Code in
// "__type" and Message in "message" unchanged. The order of checks also
// follows AWS: header shape, date, clock skew, signed-header rules,
// credential scope, access key, signature, session token. SDKs treat
// InvalidSignatureException as a clock-skew hint and re-sync their clock
// from the response Date header, which is why skew failures use that code.
//
// Out of scope, refused with a clear message: presigned (query-string)
// authentication and SigV4a (AWS4-ECDSA-P256-SHA256). ParseAuthorization and
// Identify still read the access key of a SigV4a header, so a server that
// does not verify signatures can serve SigV4a clients.
//
// The package imports only the standard library.
package sigv4
