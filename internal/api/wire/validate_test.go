package wire

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

// recorded returns a ValidationException message recorded against real AWS
// (LocalStack's aws.validated snapshots, copied into testdata).
func recorded(t *testing.T, key string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/aws_recorded.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]struct{ Message string }
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	msg, ok := m[key]
	if !ok {
		t.Fatalf("no recorded message %q", key)
	}
	return msg.Message
}

// validate decodes body into a new input of op and validates it.
func validate(t *testing.T, op, body string) error {
	t.Helper()
	in := NewInput(op)
	if in == nil {
		t.Fatalf("NewInput(%q) = nil", op)
	}
	if err := json.Unmarshal([]byte(body), in); err != nil {
		t.Fatalf("decode %s: %v", op, err)
	}
	return in.(interface{ Validate() error }).Validate()
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestRecordedAWSMessages(t *testing.T) {
	basicAuth := `"AuthParameters":{"BasicAuthParameters":{"Username":"u","Password":"p"}}`
	tests := []struct {
		key, op, body string
	}{
		{"create_connection_exc", "CreateConnection",
			`{"Name":"This should fail with two errors 123467890123412341234123412341234","AuthorizationType":"INVALID",` + basicAuth + `}`},
		{"create-connection-invalid-auth-error", "CreateConnection",
			`{"Name":"conn","AuthorizationType":"INVALID_AUTH_TYPE",` + basicAuth + `}`},
		{"create-connection-invalid-name-error", "CreateConnection",
			`{"Name":"Invalid Name With Spaces!","AuthorizationType":"BASIC",` + basicAuth + `}`},
		{"create-api-destination-invalid-parameters-error", "CreateApiDestination",
			`{"Name":"dest","ConnectionArn":"invalid-connection-arn","InvocationEndpoint":"https://example.com","HttpMethod":"INVALID_METHOD"}`},
		{"create-api-destination-invalid-name-error", "CreateApiDestination",
			`{"Name":"Invalid Name With Spaces!","ConnectionArn":"arn:aws:events:us-east-1:000000000000:connection/c/1","InvocationEndpoint":"https://example.com","HttpMethod":"POST"}`},
		{"put-targets-invalid-id-error", "PutTargets",
			`{"Rule":"r","Targets":[{"Id":"!@#$@!#$","Arn":"arn:aws:sqs:us-east-1:000000000000:q"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			err := validate(t, tt.op, tt.body)
			if got, want := errText(err), recorded(t, tt.key); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("error %T is not a *ValidationError", err)
			}
		})
	}
}

// The recorded UpdateApiDestination-style case: same members, same text.
func TestRecordedUpdateApiDestination(t *testing.T) {
	err := validate(t, "UpdateApiDestination", `{"Name":"dest","ConnectionArn":"invalid-connection-arn","HttpMethod":"INVALID_METHOD"}`)
	if got, want := errText(err), recorded(t, "create-api-destination-invalid-parameters-error"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// The snapshot replaced the over-long id with 'second-invalid-target-id'.
func TestRecordedPutTargetsLength(t *testing.T) {
	id := strings.Repeat("x", 65)
	err := validate(t, "PutTargets", `{"Rule":"r","Targets":[{"Id":"`+id+`","Arn":"arn:aws:sqs:us-east-1:000000000000:q"}]}`)
	got := strings.Replace(errText(err), id, "second-invalid-target-id", 1)
	if want := recorded(t, "put-targets-length-error"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestRecordedPutEventsTooManyEntries(t *testing.T) {
	entry := `{"Source":"core.update-account-command","DetailType":"core.update-account-command",` +
		`"Detail":"{\"command\": \"update-account\", \"payload\": {\"acc_id\": \"0a787ecb-4015\", \"sf_id\": \"baz\"}}","EventBusName":"bus-1234"}`
	entries := strings.TrimSuffix(strings.Repeat(entry+",", 11), ",")
	// The snapshot replaced the bus name with <bus-name>.
	got := strings.ReplaceAll(errText(validate(t, "PutEvents", `{"Entries":[`+entries+`]}`)), "bus-1234", "<bus-name>")
	want := recorded(t, "put-events-exceed-limit-error")
	prefix := "1 validation error detected: Value '[PutEventsRequestEntry(time=null, source=core.update-account-command, resources=null, detailType=core.update-account-command, detail={\"command\""
	suffix := "internalMetadata=null)]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10"
	if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, suffix) {
		t.Errorf("prefix/suffix mismatch:\n%s", got)
	}
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestValidate(t *testing.T) {
	const sqs = `"Arn":"arn:aws:sqs:us-east-1:000000000000:q"`
	tests := []struct {
		name, op, body string
		want           []string // failures; nil = valid
	}{
		{"valid rule", "PutRule", `{"Name":"r1","State":"ENABLED","EventBusName":"default"}`, nil},
		{"no input members", "ListEventBuses", `{}`, nil},
		{"required", "PutRule", `{}`,
			[]string{"Value null at 'name' failed to satisfy constraint: Member must not be null"}},
		{"enum model order", "PutRule", `{"Name":"r","State":"ON"}`,
			[]string{"Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]"}},
		{"pattern and min length", "PutRule", `{"Name":""}`,
			[]string{
				`Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`,
				"Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1",
			}},
		{"max length counts runes", "PutRule", `{"Name":"r","Description":"` + strings.Repeat("é", 512) + `"}`, nil},
		{"max length exceeded", "PutRule", `{"Name":"r","Description":"` + strings.Repeat("é", 513) + `"}`,
			[]string{"Value '" + strings.Repeat("é", 513) + "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512"}},
		{"java dot rejects line terminators", "CreateArchive", `{"ArchiveName":"a","EventSourceArn":"arn:aws:events:us-east-1:000000000000:event-bus/default","Description":"a\u2028b"}`,
			[]string{"Value 'a\u2028b' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: .*"}},
		{"number max", "ListRules", `{"Limit":101}`,
			[]string{"Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"}},
		{"number min", "ListRules", `{"Limit":0}`,
			[]string{"Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"}},
		{"list min", "PutTargets", `{"Rule":"r","Targets":[]}`,
			[]string{"Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1"}},
		{"required list", "PutTargets", `{"Rule":"r"}`,
			[]string{"Value null at 'targets' failed to satisfy constraint: Member must not be null"}},
		{"nested structure paths", "PutTargets",
			`{"Rule":"r","Targets":[{"Id":"ok",` + sqs + `},{"Id":"t2",` + sqs + `,"InputTransformer":{},"RetryPolicy":{"MaximumRetryAttempts":186},"SqsParameters":{"MessageGroupId":"g"}}]}`,
			[]string{
				"Value null at 'targets.2.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null",
				"Value '186' at 'targets.2.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185",
			}},
		{"nested required in list element", "PutTargets", `{"Rule":"r","Targets":[{"Id":"a"}]}`,
			[]string{"Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null"}},
		{"list of lists of structures", "PutTargets",
			`{"Rule":"r","Targets":[{"Id":"a",` + sqs + `,"RunCommandParameters":{"RunCommandTargets":[{"Key":"k","Values":[]}]}}]}`,
			[]string{"Value '[]' at 'targets.1.member.runCommandParameters.runCommandTargets.1.member.values' failed to satisfy constraint: Member must have length greater than or equal to 1"}},
		{"scalar list elements", "RemoveTargets", `{"Rule":"r","Ids":["ok","not ok"]}`,
			[]string{`Value '[ok, not ok]' at 'ids' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 64, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+]`}},
		{"map keys", "PutTargets",
			`{"Rule":"r","Targets":[{"Id":"a",` + sqs + `,"InputTransformer":{"InputPathsMap":{"b":"$.x","bad key":"$.y"},"InputTemplate":"<b>"}}]}`,
			[]string{`Value '{b=$.x, bad key=$.y}' at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [A-Za-z0-9\_\-]+]`}},
		{"map values", "PutTargets",
			`{"Rule":"r","Targets":[{"Id":"a",` + sqs + `,"HttpParameters":{"HeaderParameters":{"X-A":"bad\u0001"}}}]}`,
			[]string{`Value '{X-A=bad` + "\x01" + `}' at 'targets.1.member.httpParameters.headerParameters' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 512, Member must satisfy regular expression pattern: ^[ \t]*[\x20-\x7E]+([ \t]+[\x20-\x7E]+)*[ \t]*$]`}},
		{"translated negative lookahead", "PutTargets",
			`{"Rule":"r","Targets":[{"Id":"a",` + sqs + `,"HttpParameters":{"PathParameterValues":["x","  "]}}]}`,
			[]string{`Value '[x,   ]' at 'targets.1.member.httpParameters.pathParameterValues' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: ^(?!\s*$).+]`}},
		{"sensitive value not echoed", "CreateConnection",
			`{"Name":"c","AuthorizationType":"BASIC","AuthParameters":{"BasicAuthParameters":{"Username":"u","Password":""}}}`,
			[]string{
				`Value at 'authParameters.basicAuthParameters.password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[ \t]*[^\x00-\x1F:\x7F]+([ \t]+[^\x00-\x1F:\x7F]+)*[ \t]*$`,
				"Value at 'authParameters.basicAuthParameters.password' failed to satisfy constraint: Member must have length greater than or equal to 1",
			}},
		{"camelCase of acronyms", "TagResource", `{"Tags":[]}`,
			[]string{"Value null at 'resourceARN' failed to satisfy constraint: Member must not be null"}},
		{"top-level pattern after nested list", "PutEvents",
			`{"Entries":[{"Time":1767268800,"Source":"s","Resources":["a","b"]}],"EndpointId":"x"}`,
			[]string{`Value 'x' at 'endpointId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9\-]+[\.][A-Za-z0-9\-]+$`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validate(t, tt.op, tt.body)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want *ValidationError, got %v", err)
			}
			if strings.Join(ve.Failures, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(ve.Failures, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestValidationErrorText(t *testing.T) {
	one := &ValidationError{Failures: []string{"a"}}
	if got := one.Error(); got != "1 validation error detected: a" {
		t.Errorf("got %q", got)
	}
	three := &ValidationError{Failures: []string{"a", "b", "c"}}
	if got := three.Error(); got != "3 validation errors detected: a; b; c" {
		t.Errorf("got %q", got)
	}
}

func TestNilValidate(t *testing.T) {
	var r *PutRuleRequest
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestJavaString(t *testing.T) {
	ts := Timestamp{time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	tests := []struct {
		v    any
		want string
	}{
		{[]string{"a", "b"}, "[a, b]"},
		{[]string(nil), "null"},
		{[]string{}, "[]"},
		{map[string]string{"b": "2", "a": "1"}, "{a=1, b=2}"},
		{ptr(int32(7)), "7"},
		{ptr(true), "true"},
		{ptr(1.0), "1.0"},
		{ptr(2.5), "2.5"},
		{&ts, "Thu Jan 01 12:00:00 UTC 2026"},
		{Tag{Key: ptr("k")}, "Tag(key=k, value=null)"},
		{[]Target{{Id: ptr("i"), Arn: ptr("a"), InputTransformer: &InputTransformer{InputTemplate: ptr("t")}}},
			"[Target(id=i, arn=a, roleArn=null, input=null, inputPath=null, inputTransformer=InputTransformer(inputPathsMap=null, inputTemplate=t), " +
				"kinesisParameters=null, runCommandParameters=null, ecsParameters=null, batchParameters=null, sqsParameters=null, httpParameters=null, " +
				"redshiftDataParameters=null, sageMakerPipelineParameters=null, deadLetterConfig=null, retryPolicy=null, appSyncParameters=null)]"},
		{CreateConnectionBasicAuthRequestParameters{Username: ptr("u"), Password: ptr("secret")},
			"CreateConnectionBasicAuthRequestParameters(username=u, password=*** Sensitive Data Redacted ***)"},
	}
	for _, tt := range tests {
		if got := javaString(tt.v); got != tt.want {
			t.Errorf("javaString(%#v)\n got %s\nwant %s", tt.v, got, tt.want)
		}
	}
}
