package sigv4

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// verifyingServer answers EventBridge calls after Verify and records the
// outcome of each.
type verifyingServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []Authorization
	errs []error
}

func newVerifyingServer(t *testing.T, v *Verifier) *verifyingServer {
	s := &verifyingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		a, err := v.Verify(r, body)
		s.mu.Lock()
		s.seen, s.errs = append(s.seen, a), append(s.errs, err)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		var e *Error
		if errors.As(err, &e) {
			w.Header().Set("X-Amzn-ErrorType", e.Code)
			w.WriteHeader(e.Status)
			json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
			return
		}
		switch r.Header.Get("X-Amz-Target") {
		case "AWSEvents.PutEvents":
			io.WriteString(w, `{"FailedEntryCount":0,"Entries":[{"EventId":"1"}]}`)
		default:
			io.WriteString(w, `{"Rules":[]}`)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *verifyingServer) results() ([]Authorization, []error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Authorization(nil), s.seen...), append([]error(nil), s.errs...)
}

func client(url, akid, secret, token string) *eventbridge.Client {
	return eventbridge.New(eventbridge.Options{
		Region:           testRegion,
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider(akid, secret, token),
		RetryMaxAttempts: 1, // refusals must not be retried into a slow test
	})
}

// The real EventBridge client, pointed at a server with BaseEndpoint, signs
// requests that Verify accepts; with a wrong secret it is refused and sees
// the AWS error code.
func TestEventBridgeClientEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	v := verifierAt(time.Time{})
	v.Now = nil // the SDK signs with the wall clock
	srv := newVerifyingServer(t, v)

	if _, err := client(srv.URL, testAKID, testSecret, "").ListRules(ctx, &eventbridge.ListRulesInput{NamePrefix: aws.String("orders")}); err != nil {
		t.Fatalf("ListRules: %v", err)
	}
	if _, err := client(srv.URL, "AKIDTOKEN", testSecret, testToken).PutEvents(ctx, &eventbridge.PutEventsInput{
		Entries: []types.PutEventsRequestEntry{{
			Source: aws.String("my.app"), DetailType: aws.String("Zoë's   order"), Detail: aws.String(`{"emoji":"🚀","n":1}`),
		}},
	}); err != nil {
		t.Fatalf("PutEvents with session token: %v", err)
	}
	seen, errs := srv.results()
	if len(seen) != 2 || errs[0] != nil || errs[1] != nil {
		t.Fatalf("server saw %+v, errors %v", seen, errs)
	}
	if seen[0].AccessKeyID != testAKID || seen[1].AccessKeyID != "AKIDTOKEN" || seen[0].Region != testRegion {
		t.Errorf("server saw %+v", seen)
	}
	wantHost := strings.TrimPrefix(srv.URL, "http://")
	if !seen[0].signs("host") || !strings.Contains(wantHost, ":") {
		t.Errorf("host %q with port should be signed: %v", wantHost, seen[0].SignedHeaders)
	}

	refusals := []struct {
		name                string
		akid, secret, token string
		code                string
	}{
		{"wrong secret", testAKID, "wrong-secret", "", CodeInvalidSignature},
		{"unknown key", "AKIDNOBODY", testSecret, "", CodeUnrecognizedClient},
		{"wrong session token", "AKIDTOKEN", testSecret, "stolen", CodeUnrecognizedClient},
	}
	for _, tc := range refusals {
		_, err := client(srv.URL, tc.akid, tc.secret, tc.token).ListRules(ctx, &eventbridge.ListRulesInput{})
		if err == nil || !strings.Contains(err.Error(), tc.code) {
			t.Errorf("%s: err = %v, want %s", tc.name, err, tc.code)
		}
	}
	_, errs = srv.results()
	for i, tc := range refusals {
		wantCode(t, errs[2+i], tc.code, "")
	}
}
