package inspector_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
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
	return target.Request{ARN: pa, Target: &catalog.Target{ARN: a}, Payload: []byte(ev), Event: []byte(ev), EventID: "e1"}
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
			s := targettest.NewStandIn(t, answer(tc.status, tc.errType))
			res := inspector.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, tmpl))
			if (res.Err == nil) != tc.ok || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("%+v; want ok %v retryable %v code %q", res, tc.ok, tc.retryable, tc.code)
			}
			var got []string
			for _, r := range s.Requests() {
				b, _ := json.Marshal(r.JSON())
				got = append(got, r.Target(), string(b), r.Header.Get("Content-Type"))
				if !strings.Contains(r.Header.Get("Authorization"), "/us-west-2/inspector/aws4_request") {
					t.Errorf("signed for %q", r.Header.Get("Authorization"))
				}
			}
			want := []string{"InspectorService.StartAssessmentRun", `{"assessmentTemplateArn":"` + tmpl + `"}`, "application/x-amz-json-1.1"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("request %q\nwant    %q", got, want)
			}
		})
	}
}

// answer is Inspector's answer: success, or the error errType as
// Inspector writes it.
func answer(status int, errType string) func(targettest.Request) targettest.Answer {
	return func(targettest.Request) targettest.Answer {
		if errType == "" {
			return targettest.JSONAnswer(`{"assessmentRunArn":"` + tmpl + `/run/0-1"}`)
		}
		a := targettest.JSONAnswer(`{"__type":"` + errType + `","message":"from the stand-in","errorCode":"ASSESSMENT_TEMPLATE_DOES_NOT_EXIST","canRetry":false}`)
		a.Status = status
		return a
	}
}

// TestConformance: Inspector on the stand-in (moto has no Inspector
// Classic), which counts the runs it started.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		s := targettest.NewStandIn(t, answer(200, ""))
		return targettest.Fixture{
			Kind:      inspector.New(targettest.Clients(s.URL)),
			ARN:       tmpl,
			Source:    targettest.FromNothing,
			SourceWhy: "StartAssessmentRun takes the template alone: nothing of the event is sent",
			Received: func(*testing.T) []targettest.Delivery {
				return make([]targettest.Delivery, s.Calls())
			},
			At: targettest.At(inspector.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				NotFound: targettest.Fault{Status: 400, Code: "NoSuchEntityException", Message: "the assessment template does not exist"}},
			Malformed: []string{
				"arn:aws:inspector:us-west-2:123456789012:target/0-nvgVhaxX",
				"arn:aws:inspector:us-west-2:123456789012:target/0-nvgVhaxX/template/",
				"arn:aws:inspector:us-west-2:123456789012:target/0-a/template/0-b/run/0-c",
				"arn:aws:inspector2:us-west-2:123456789012:target/0-a/template/0-b",
			},
			Without: map[string]string{
				targettest.TraceRow: "nothing of the event reaches Inspector: StartAssessmentRun takes the template alone",
			},
		}
	})
}
