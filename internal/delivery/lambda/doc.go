// Package lambda delivers an event to a Lambda function target
// (arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>])
// through aws-sdk-go-v2's lambda client, in the ARN's region, as the
// target's role. Its Kind is the target.Kind of ARNs of service lambda;
// New makes it on the shared target.Clients. An ARN that names no function
// (CheckARN refuses it) fails NO_RESOURCE without a call.
//
// What it calls: Invoke with FunctionName = the whole target ARN (a version
// or alias qualifier kept, so that version or alias runs), InvocationType
// Event (asynchronous, as EventBridge invokes functions) and Payload = the
// payload (the event, or what Input/InputPath/InputTransformer made of it).
// Lambda queues the event and answers 202; any 2xx counts as delivered. An
// asynchronous invocation does not run the function before answering, so
// there is no X-Amz-Function-Error to look at: a function that fails later
// is Lambda's own retry and destination business, not the rule's.
//
// Trace header: Invoke has no request parameter for it. X-Ray propagates
// traces between AWS services in the X-Amzn-Trace-Id HTTP header, so when
// PutEvents carried a trace header it is sent in that header (a smithy
// middleware on the call). Whether Lambda continues that trace for an
// asynchronous invocation could not be verified here.
//
// Errors (target.Classify): ResourceNotFoundException → NO_RESOURCE, not
// retried; TooManyRequestsException (429) → THROTTLING, retried; 5xx
// (ServiceException, ...) and ResourceConflictException (a function being
// created or updated) → retried; InvalidRequestContentException (a payload
// that is not JSON) → INVALID_PARAMETER; AccessDeniedException →
// NO_PERMISSIONS.
//
// Not verifiable here: moto runs invoked functions in Docker, which this
// environment lacks, so the tests use a stand-in speaking Lambda's REST API.
package lambda
