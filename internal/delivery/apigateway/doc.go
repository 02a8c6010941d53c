// Package apigateway delivers events to Amazon API Gateway REST API
// targets: one HTTP request per attempt to the method the target ARN names,
// signed with SigV4, as EventBridge calls IAM-authorized methods as the
// target's role. Its Kind is the target.Kind of ARNs of service
// execute-api; New makes it on the shared target.Clients, with the one HTTP
// client all its targets share. An ARN that names no method of a stage
// (CheckARN refuses it) fails NO_RESOURCE without a call.
//
// The target ARN is arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path...>.
// The request:
//
//   - method: the ARN's METHOD. An ARN may name every method ("*", or
//     API Gateway's ANY); EventBridge's documentation does not say which one
//     it then calls. We call POST, since the event travels as the body.
//   - URL: https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/<path>
//     (amazonaws.com.cn in the aws-cn partition). Each "*" segment of the
//     path is filled, in order, by HttpParameters.PathParameterValues; a
//     value may be a "$." JSONPath into the original event. A value fills
//     exactly one segment (it is path-escaped, so a "/" in it stays inside
//     the segment). Too few values, or a value that resolves to nothing,
//     fails the attempt with INVALID_PARAMETER; values beyond the number of
//     "*" segments are ignored.
//   - query: HttpParameters.QueryStringParameters, values possibly dynamic.
//   - headers: Content-Type: application/json, then
//     HttpParameters.HeaderParameters (values possibly dynamic; they may
//     replace the Content-Type). The header keys EventBridge's user guide
//     forbids (X-Amz*, Authorization, Host, Content-Length, Connection, ...)
//     are never sent from the target's parameters. The PutEvents trace
//     header, when there is one, goes as X-Amzn-Trace-Id. A header value
//     with control characters (a dynamic value holding a newline) fails the
//     attempt with INVALID_PARAMETER: it cannot be sent, ever.
//   - body: the payload (the event, or the target's Input, InputPath or
//     InputTransformer result), always, whatever the method.
//
// Signing: SigV4 for service "execute-api" in the ARN's region, with the
// credentials of Clients.Config("execute-api", region, RoleArn): the target's
// role when role assumption is on, else the base credentials. The payload
// hash is computed (no UNSIGNED-PAYLOAD). A method whose authorization is
// NONE ignores the signature, so signing always is harmless.
//
// Endpoint override: with Clients.Endpoint("execute-api") set to a base URL, the
// request goes to <base>/<stage>/<path> (the API id is then not part of the
// URL). LocalStack-style URLs (<base>/restapis/<id>/<stage>/_user_request_/...
// or <id>.execute-api.localhost.localstack.cloud) are not modelled.
//
// Timeout: 5 seconds per request, as EventBridge's user guide documents for
// API Gateway targets (a slower answer is timed out and retried).
// Redirects are not followed.
//
// Classification, as the user guide states for API Gateway (5xx and 429
// retried, other 4xx not): 2xx delivered; 429 THROTTLING, retried; 5xx
// retried (SDK_CLIENT_ERROR); 401 and 403 NO_PERMISSIONS (API Gateway also
// answers 403 "Missing Authentication Token" for a resource that does not
// exist); 404 NO_RESOURCE; 408 TIMEOUT, not retried; any other status
// SDK_CLIENT_ERROR, not retried; no answer (refused, reset, timed out) as
// target.Classify does: CONNECTION_FAILURE or TIMEOUT, retried. The error
// message quotes the status and the first 512 bytes of the answer.
// Credentials that cannot be obtained are NO_PERMISSIONS, not retried,
// when STS refuses the role; STS failing (5xx) or unreachable is retried. The client, the
// signing and this classification are shared with AppSync, in
// internal/delivery/target (http.go).
//
// Not verifiable here: moto serves no execute-api invocation, so the tests
// use a local HTTP server checking the request and the signature (recomputed
// with the SDK's signer over the headers the request says it signed), not
// API Gateway itself; the exact method EventBridge uses for a "*" ARN; how
// EventBridge escapes path parameter values.
package apigateway
