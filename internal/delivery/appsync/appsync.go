package appsync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to AppSync GraphQL APIs.
type Kind struct {
	c  *target.Clients
	hc *http.Client // shared by every AppSync target
}

var _ target.Kind = (*Kind)(nil)

// New returns the AppSync kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c, hc: target.NewHTTPClient(timeout)} }

// CheckARN accepts the ARN of a GraphQL API's endpoint:
// arn:<partition>:appsync:<region>:<account>:endpoints/graphql-api/<api-id>.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := apiOf(a)
	return err
}

// apiOf is the id of the API an AppSync ARN names.
func apiOf(a arn.ARN) (string, error) {
	id, ok := strings.CutPrefix(a.Resource, "endpoints/graphql-api/")
	if !ok || !a.Of("appsync") || id == "" || strings.Contains(id, "/") {
		return "", fmt.Errorf("appsync: %q is not an ARN arn:<partition>:appsync:<region>:<account>:endpoints/graphql-api/<api-id>", a)
	}
	return id, nil
}

// Deliver makes one attempt to run the target's GraphQL operation on the
// AppSync API its ARN names, with the payload as the operation's
// variables: one signed HTTP request, classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	id, err := apiOf(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	var op string
	if r.Target != nil && r.Target.AppSync != nil && r.Target.AppSync.GraphQLOperation != nil {
		op = *r.Target.AppSync.GraphQLOperation
	}
	if strings.TrimSpace(op) == "" {
		return target.Fail(target.CodeInvalidParameter, "appsync: the target has no AppSyncParameters.GraphQLOperation")
	}
	const notObject = "appsync: the variables of a GraphQL operation must be a JSON object, and the target's input is not one"
	// Only the first byte is looked at here: encoding compacts a
	// RawMessage, which checks that it is one valid JSON value, so the
	// payload is walked once, and its failing is the payload's fault.
	if p := bytes.TrimSpace(r.Payload); len(p) == 0 || p[0] != '{' {
		return target.Fail(target.CodeInvalidInput, notObject)
	}
	body, err := requestBody(op, r.Payload)
	if err != nil {
		return target.Fail(target.CodeInvalidInput, notObject)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, graphqlURL(k.c.Endpoint("appsync"), r.ARN.Partition, r.ARN.Region, id), bytes.NewReader(body))
	if err != nil {
		return target.Fail(target.CodeInvalidParameter, "appsync: cannot build the request: "+err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	if r.TraceHeader != "" {
		req.Header.Set("X-Amzn-Trace-Id", r.TraceHeader)
	}
	if res, ok := k.c.SignHTTP(ctx, req, body, "appsync", r.ARN.Region, r.Role()); !ok {
		return res
	}
	res, answer, complete := target.SendHTTP(ctx, k.hc, req, "AppSync", maxAnswer)
	if res.Err != nil || !complete {
		return res // an answer too large to read whole is taken as given
	}
	return graphqlErrors(answer)
}

// requestBody is the GraphQL request {"query": op, "variables": vars}. The
// variables keep the input's own text (compacted): json.Marshal would
// rewrite every <, > and & in it as \u003c, \u003e and \u0026, which
// means the same to AppSync but is not the input as the target made it.
func requestBody(op string, vars []byte) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		Query     string          `json:"query"`
		Variables json.RawMessage `json:"variables"`
	}{op, vars})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// timeout bounds an AppSync request. EventBridge documents none for
// AppSync targets; AppSync itself ends a GraphQL request after 30 seconds,
// and cutting a mutation short earlier would retry one AppSync may still
// complete.
const timeout = 30 * time.Second

// maxAnswer is how much of a 2xx answer is read to look for GraphQL
// errors; a larger answer is taken as delivered unread.
const maxAnswer = 1 << 20

// graphqlURL is the API's GraphQL endpoint: AWS's own, or the override's
// /graphql.
func graphqlURL(override, partition, region, id string) string {
	if override != "" {
		return strings.TrimRight(override, "/") + "/graphql"
	}
	host := id + ".appsync-api." + region + ".amazonaws.com"
	if partition == "aws-cn" {
		host += ".cn"
	}
	return "https://" + host + "/graphql"
}

// graphqlErrors: AppSync answers 200 to an operation that failed (a
// resolver error, a variable of the wrong type, a field not authorized)
// and lists why under "errors". Such an answer is a failed invocation:
// not retried, since the same operation with the same variables would
// fail the same way, and NO_PERMISSIONS when AppSync says Unauthorized.
func graphqlErrors(answer []byte) target.Result {
	var doc struct {
		Errors []struct {
			ErrorType string `json:"errorType"`
			Message   string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(answer, &doc); err != nil || len(doc.Errors) == 0 {
		return target.OK // no GraphQL answer to judge: HTTP said 2xx
	}
	code := target.CodeSDKClientError
	for _, e := range doc.Errors {
		if strings.Contains(e.ErrorType, "Unauthorized") {
			code = target.CodeNoPermissions
		}
	}
	first := doc.Errors[0]
	msg := first.Message
	if first.ErrorType != "" {
		msg = first.ErrorType + ": " + msg
	}
	if n := len(doc.Errors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	text := "AppSync answered GraphQL errors"
	if q := target.Excerpt(msg); q != "" {
		text += ": " + q
	}
	return target.Fail(code, text)
}
