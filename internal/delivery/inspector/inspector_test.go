package inspector_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/inspector"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const tmpl = "arn:aws:inspector:us-west-2:123456789012:target/0-nvgVhaxX/template/0-7sbz2Kz0"

func request(t *testing.T, a string) target.Request {
	t.Helper()
	pa, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	ev := `{"id":"e1","detail-type":"Scheduled Event","source":"aws.events","detail":{}}`
	return target.Request{ARN: pa, Target: &wire.Target{Arn: aws.String(a)}, Payload: []byte(ev), Event: []byte(ev), EventID: "e1"}
}

// TestStartAssessmentRun: Inspector Classic is not in moto, so a stand-in
// speaks its awsJson1_1 protocol (X-Amz-Target InspectorService.*), checks
// the request and answers as Inspector does.
func TestStartAssessmentRun(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, errType string
		status        int
		ok, retryable bool
		code          string
	}{
		{"started", "", 200, true, false, ""},
		{"template does not exist", "NoSuchEntityException", 400, false, false, target.CodeNoResource},
		{"agents busy", "AgentsAlreadyRunningAssessmentException", 400, false, false, target.CodeSDKClientError},
		{"invalid input", "InvalidInputException", 400, false, false, target.CodeInvalidParameter},
		{"limit exceeded", "LimitExceededException", 400, false, true, target.CodeThrottling},
		{"access denied", "AccessDeniedException", 400, false, false, target.CodeNoPermissions},
		{"internal", "InternalException", 500, false, true, target.CodeSDKClientError},
		{"unavailable", "ServiceTemporarilyUnavailableException", 503, false, true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var body map[string]any
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
					t.Errorf("body: %v", err)
				}
				b, _ := json.Marshal(body)
				got = append(got, r.Header.Get("X-Amz-Target"), string(b), r.Header.Get("Content-Type"))
				if !strings.Contains(r.Header.Get("Authorization"), "/us-west-2/inspector/aws4_request") {
					t.Errorf("signed for %q", r.Header.Get("Authorization"))
				}
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.WriteHeader(tc.status)
				if tc.errType == "" {
					_, _ = w.Write([]byte(`{"assessmentRunArn":"` + tmpl + `/run/0-1"}`))
					return
				}
				_, _ = w.Write([]byte(`{"__type":"` + tc.errType + `","message":"from the stand-in","errorCode":"ASSESSMENT_TEMPLATE_DOES_NOT_EXIST","canRetry":false}`))
			}))
			defer srv.Close()
			res := inspector.Deliver(context.Background(), targettest.Clients(srv.URL), request(t, tmpl))
			if (res.Err == nil) != tc.ok || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("%+v; want ok %v retryable %v code %q", res, tc.ok, tc.retryable, tc.code)
			}
			want := []string{"InspectorService.StartAssessmentRun", `{"assessmentTemplateArn":"` + tmpl + `"}`, "application/x-amz-json-1.1"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("request %q\nwant    %q", got, want)
			}
		})
	}
}

func TestNotATemplate(t *testing.T) {
	t.Parallel()
	for _, a := range []string{"arn:aws:inspector:us-west-2:123456789012:target/0-nvgVhaxX",
		"arn:aws:inspector:us-west-2:123456789012:target/0-nvgVhaxX/template/",
		"arn:aws:inspector:us-west-2:123456789012:target/0-a/template/0-b/run/0-c",
		"arn:aws:inspector2:us-west-2:123456789012:target/0-a/template/0-b"} {
		res := inspector.Deliver(context.Background(), targettest.Clients("http://127.0.0.1:1"), request(t, a))
		if res.Err == nil || res.Retryable || res.Code != target.CodeNoResource {
			t.Errorf("%s: %+v", a, res)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	url := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	res := inspector.Deliver(context.Background(), targettest.Clients(url), request(t, tmpl))
	if res.Err == nil || !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Errorf("%+v", res)
	}
}
