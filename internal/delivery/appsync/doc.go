// Package appsync delivers events to AWS AppSync GraphQL API targets: it
// runs the target's GraphQL operation (a mutation, as EventBridge's user
// guide describes) with the event as its variables, in one SigV4-signed
// HTTP request per attempt. AppSync targets only support APIs with the
// AWS_IAM authorization type, so the request is always signed. Its Kind
// is the target.Kind of ARNs of service appsync; New makes it on the
// shared target.Clients, with the one HTTP client all its targets share.
// An ARN that names no GraphQL API (CheckARN refuses it) fails NO_RESOURCE
// without a call.
//
// The target ARN is arn:<partition>:appsync:<region>:<account>:endpoints/graphql-api/<graphql-api-id>.
// The request:
//
//   - POST https://<graphql-api-id>.appsync-api.<region>.amazonaws.com/graphql
//     (amazonaws.com.cn in the aws-cn partition);
//   - body {"query": AppSyncParameters.GraphQLOperation, "variables": payload},
//     the payload being the event or what the target's Input, InputPath or
//     InputTransformer made of it, in its own text (compacted; no character
//     escaped that it did not escape). GraphQL variables are an object: a payload
//     that is not a JSON object fails with INVALID_INPUT, not retried, and
//     no request is made; a target without a GraphQLOperation fails with
//     INVALID_PARAMETER;
//   - Content-Type: application/json, and the PutEvents trace header as
//     X-Amzn-Trace-Id when there is one.
//
// Signing: SigV4 for service "appsync" in the ARN's region, with the
// credentials of Clients.Config("appsync", region, RoleArn): the target's role
// when role assumption is on, else the base credentials; the payload hash
// is computed.
//
// Endpoint override: with Clients.Endpoint("appsync") set to a base URL, the
// request goes to <base>/graphql (the API id is then not part of the URL).
//
// Classification. A non-2xx answer as for any HTTP target: 429 THROTTLING
// and 5xx retried; 401 and 403 NO_PERMISSIONS (AppSync answers 401
// UnauthorizedException to a request it cannot authorize); 404
// NO_RESOURCE; 408 TIMEOUT, not retried; any other status SDK_CLIENT_ERROR,
// not retried; no answer (refused, reset, timed out) as target.Classify
// does: CONNECTION_FAILURE or TIMEOUT, retried. The client, the signing and
// this classification are shared with API Gateway, in
// internal/delivery/target (http.go).
//
// A 2xx answer whose "errors" array is not empty is a failure. AWS does
// not document how EventBridge treats GraphQL errors; we count them as a
// failed invocation, since the mutation did not (wholly) happen and a
// dead-letter queue is the only place the user would see it. It is not
// retried (the same operation with the same variables fails the same way):
// NO_PERMISSIONS when an error's errorType says Unauthorized, else
// SDK_CLIENT_ERROR; the message quotes the first error. A 2xx answer that
// is not JSON, or larger than 1 MiB, counts as delivered.
//
// Timeout: EventBridge documents none for AppSync; 30 seconds per request,
// AppSync's own limit on a GraphQL request, so that a slow mutation AppSync
// still completes is not cut short and run again. Redirects are not
// followed.
//
// Not verifiable here: moto serves no AppSync GraphQL endpoint, so the
// tests use a local HTTP server checking the request and the signature
// (recomputed with the SDK's signer over the headers the request says it
// signed), not AppSync itself; how EventBridge really treats GraphQL
// errors, and which ERROR_CODE it gives them.
package appsync
