// Package redshift delivers to Amazon Redshift targets through the
// Redshift Data API (aws-sdk-go-v2 service/redshiftdata, service key
// "redshift-data"): one ExecuteStatement, or one BatchExecuteStatement, per
// event. Where the Data API is, which credentials are used and how failures
// are classified is the target package's. Its Kind is the target.Kind of
// ARNs of services redshift and redshift-serverless; New makes it on the
// shared target.Clients. An ARN that names neither a cluster nor a
// workgroup (CheckARN refuses it) fails NO_RESOURCE without a call.
//
// The target ARN names the warehouse:
//
//   - arn:<partition>:redshift:<region>:<account>:cluster:<name> — a
//     provisioned cluster: ClusterIdentifier = <name>;
//   - arn:<partition>:redshift-serverless:<region>:<account>:workgroup/<id>
//     — a serverless workgroup: WorkgroupName = the whole ARN (the Data API
//     takes a workgroup's name or ARN, and the ARN carries its id, not its
//     name).
//
// RedshiftDataParameters map one to one: Database (required), DbUser,
// SecretManagerArn (as SecretArn), StatementName and WithEvent; Sql goes to
// ExecuteStatement, Sqls (1 to 40 statements, one transaction) to
// BatchExecuteStatement, Sqls winning when both are set. The event itself
// is not sent: EventBridge documents Redshift as a target that treats the
// event as a trigger, its parameters saying what to run.
//
// Dynamic path parameters: EventBridge's target guide says a parameter may
// be a JSON path into the original event when the whole value is the path
// ("RedshiftParameters.Sql can be $.detail.state but not
// 'SELECT * FROM $.detail.state'"), and the API's pattern for
// SecretManagerArn admits one. So every string parameter and each entry of
// Sqls that starts with "$." is resolved in the original event
// (target.Request.Dynamic: a string without its quotes, anything else as
// its JSON text). A path that finds nothing gives an empty value: an empty
// Database, Sql or Sqls entry is refused here (INVALID_PARAMETER) without a
// call; an empty optional parameter is left out.
//
// Choices where AWS documents nothing more precise:
//
//   - No ClientToken is set (the SDK fills a random one): like EventBridge,
//     delivery is at least once.
//   - Classification is target.Classify's, which covers the Data API: an
//     answer of 2xx whose body the SDK cannot read counts as delivered (the
//     statement was accepted and a retry would run it again; moto answers
//     CreatedAt as text, which the SDK refuses); a ValidationException whose
//     message says the cluster, workgroup or endpoint does not exist is
//     NO_RESOURCE (the Data API has no "not found" error of its own; the
//     exact AWS texts could not be verified here), other
//     ValidationExceptions INVALID_PARAMETER; ActiveStatementsExceeded and
//     ActiveSessionsExceeded are THROTTLING and retried.
//
// Not verifiable here: moto's Data API stores ExecuteStatement (checked with
// DescribeStatement) but has no BatchExecuteStatement and ignores
// WorkgroupName, StatementName and WithEvent, and does not check that the
// cluster exists; those requests and the error answers are checked against a
// stand-in speaking the Data API's awsJson1_1 protocol.
package redshift
