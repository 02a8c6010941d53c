package appsync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliver makes one attempt to run the target's GraphQL operation on the
// AppSync API its ARN names, with the payload as the operation's
// variables: one signed HTTP request, classified.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	id, ok := strings.CutPrefix(r.ARN.Resource, "endpoints/graphql-api/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return target.Fail(target.CodeNoResource, fmt.Sprintf("appsync: %q is not endpoints/graphql-api/<api-id>", r.ARN.Resource))
	}
	var op string
	if r.Target != nil && r.Target.AppSyncParameters != nil && r.Target.AppSyncParameters.GraphQLOperation != nil {
		op = *r.Target.AppSyncParameters.GraphQLOperation
	}
	if strings.TrimSpace(op) == "" {
		return target.Fail(target.CodeInvalidParameter, "appsync: the target has no AppSyncParameters.GraphQLOperation")
	}
	const notObject = "appsync: the variables of a GraphQL operation must be a JSON object, and the target's input is not one"
	// Only the first byte is looked at here: Marshal compacts a RawMessage,
	// which checks that it is one valid JSON value, so the payload is
	// walked once, and its failing is the payload's fault.
	if p := bytes.TrimSpace(r.Payload); len(p) == 0 || p[0] != '{' {
		return target.Fail(target.CodeInvalidInput, notObject)
	}
	body, err := json.Marshal(struct {
		Query     string          `json:"query"`
		Variables json.RawMessage `json:"variables"`
	}{op, r.Payload})
	if err != nil {
		return target.Fail(target.CodeInvalidInput, notObject)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, graphqlURL(c.Endpoint("appsync"), r.ARN.Partition, r.ARN.Region, id), bytes.NewReader(body))
	if err != nil {
		return target.Fail(target.CodeInvalidParameter, "appsync: cannot build the request: "+err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	if r.TraceHeader != "" {
		req.Header.Set("X-Amzn-Trace-Id", r.TraceHeader)
	}
	if res, ok := c.SignHTTP(ctx, req, body, "appsync", r.ARN.Region, r.Role()); !ok {
		return res
	}
	res, answer, complete := target.SendHTTP(ctx, client, req, "AppSync", maxAnswer)
	if res.Err != nil || !complete {
		return res // an answer too large to read whole is taken as given
	}
	return graphqlErrors(answer)
}

// timeout bounds an AppSync request. EventBridge documents none for
// AppSync targets; AppSync itself ends a GraphQL request after 30 seconds,
// and cutting a mutation short earlier would retry one AppSync may still
// complete.
const timeout = 30 * time.Second

// maxAnswer is how much of a 2xx answer is read to look for GraphQL
// errors; a larger answer is taken as delivered unread.
const maxAnswer = 1 << 20

// client is shared by every AppSync target.
var client = target.NewHTTPClient(timeout)

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
