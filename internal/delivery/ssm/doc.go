// Package ssm delivers to AWS Systems Manager targets through aws-sdk-go-v2
// service/ssm (service key "ssm"). Its Kind is the target.Kind of ARNs of
// service ssm; New makes it on the shared target.Clients. The target ARN's
// resource says which:
//
//   - document/<name> — Run Command: SendCommand with DocumentName = <name>
//     (AWS-owned documents have ARNs without an account) and Targets =
//     RunCommandParameters.RunCommandTargets as they are (Key "InstanceIds"
//     or "tag:<key>", Values). A target without RunCommandTargets is refused
//     (INVALID_PARAMETER).
//   - automation-definition/<name>[:<version>] — Automation:
//     StartAutomationExecution with DocumentName = <name> and
//     DocumentVersion = <version> when the suffix after the last colon is a
//     version ($DEFAULT, $LATEST or a number; document names may contain
//     colons themselves).
//   - opsitem — OpsCenter: CreateOpsItem (its ARN names the account).
//
// Any other ARN (CheckARN refuses it) fails NO_RESOURCE without a call.
//
// Run Command and Automation parameters: EventBridge documents that Run
// Command gets no event by default, so without an Input, InputPath or
// InputTransformer of its own (target.Request.Custom()) no Parameters are
// sent. With one, the target's input must be a JSON object of parameter
// names to a list of strings ({"commands":["uptime"]}) or to a single value
// ({"commands":"uptime"}); a value that is not a string is sent as its JSON
// text. Any other input is INVALID_INPUT, not sent. Automation is treated
// the same way (AWS documents nothing more precise).
//
// OpsItems: OpsCenter's own EventBridge rules build the OpsItem with an
// input transformer whose template is a JSON object with lower-case field
// names — "title", "description", "source", "category", "severity",
// "priority" and "operationalData" (each entry {"type": "SearchableString"
// or "String", "value": ...}, e.g. the deduplication string "/aws/dedup").
// With an input of its own that is such an object, its fields are used.
// What is missing is taken from the event, a choice since AWS documents no
// more: Title = detail-type (cut to 1024 characters), Source = the event's
// source (cut to 128), Description = the target's input, i.e. the event
// unless transformed (cut to 2048). OpsCenter documents that an OpsItem
// EventBridge creates lists the resource that raised the event among its
// related resources: the event's resources go into the "/aws/resources"
// operational data as [{"arn": ...}] unless the template sets it. An
// operationalData entry that is not {"type","value"} is sent as its JSON
// text; a value's type defaults to SearchableString. Cutting is by
// characters, never inside one.
//
// Classification (target.Classify's table): InvalidDocument,
// AutomationDefinitionNotFoundException and
// AutomationDefinitionVersionNotFoundException are NO_RESOURCE,
// AutomationExecutionLimitExceededException THROTTLING (retried), and a 2xx
// answer the SDK cannot read counts as delivered (a retry would run the
// command again). Only this is decided here: OpsItemAlreadyExistsException,
// answered when the deduplication string matches an open OpsItem, counts as
// delivered: deduplicating is what the string is for.
//
// Tested against moto for SendCommand (read back with ListCommands: the
// document, targets and parameters). moto has no StartAutomationExecution
// and no CreateOpsItem, and SendCommand there never fails for a missing
// document, so those requests and SSM's error answers are checked against a
// stand-in speaking awsJson1_1 (X-Amz-Target AmazonSSM.*). Not verifiable
// here: the exact OpsItem fields EventBridge itself fills for an
// untransformed event.
package ssm
