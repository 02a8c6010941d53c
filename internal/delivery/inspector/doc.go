// Package inspector delivers to Amazon Inspector Classic targets: an
// assessment template ARN
// (arn:<partition>:inspector:<region>:<account>:target/<id>/template/<id>)
// gets one StartAssessmentRun per event, assessmentTemplateArn = the target
// ARN, through aws-sdk-go-v2 service/inspector (service key "inspector").
// The event is not sent (the call takes no input) and no assessmentRunName
// is given, so Inspector names the run. Where Inspector is, which
// credentials are used and how failures are classified is the target
// package's. Its Kind is the target.Kind of ARNs of service inspector; New
// makes it on the shared target.Clients. An ARN that names no assessment
// template (CheckARN refuses it) fails NO_RESOURCE without a call.
//
// Inspector's codes, in target.Classify's table: NoSuchEntityException
// (the template or its assessment target is gone) is NO_RESOURCE;
// InternalException and ServiceTemporarilyUnavailableException are retried.
// AgentsAlreadyRunningAssessmentException (another run holds the agents) is
// not retried (SDK_CLIENT_ERROR): nothing documents that EventBridge
// retries it. A 2xx answer the SDK cannot read counts as started, as
// target.Classify has it for every kind.
//
// Inspector Classic is not in moto: the tests use a stand-in speaking its
// awsJson1_1 protocol (X-Amz-Target InspectorService.StartAssessmentRun),
// which checks the request and answers success or Inspector's errors. Not
// verifiable here: Inspector's real answers beyond their documented codes.
package inspector
