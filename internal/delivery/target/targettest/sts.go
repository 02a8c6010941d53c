package targettest

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// STS is a stand-in STS answering AssumeRole (awsQuery, XML), for tests
// of targets called as their role. The n-th call (from 1) gets the
// credentials Credentials(n), valid for the TTL given to NewSTS; any other
// action is refused.
type STS struct {
	URL string

	mu    sync.Mutex
	calls int
	roles map[string]int // role ARN → AssumeRole calls
}

// NewSTS starts the stand-in; t.Cleanup stops it.
func NewSTS(t testing.TB, ttl time.Duration) *STS {
	t.Helper()
	s := &STS{roles: map[string]int{}}
	s.URL = NewStandIn(t, func(r Request) Answer {
		form := r.Form()
		if form.Get("Action") != "AssumeRole" {
			return QueryError(http.StatusBadRequest, "InvalidAction", "the stand-in STS answers AssumeRole only")
		}
		role := form.Get("RoleArn")
		s.mu.Lock()
		s.calls++
		n := s.calls
		s.roles[role]++
		s.mu.Unlock()
		c := Credentials(n)
		return Answer{Header: http.Header{"Content-Type": {"text/xml"}}, Body: fmt.Sprintf(
			`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>`+
				`<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>`+
				`<AssumedRoleUser><Arn>%s/switchyard</Arn><AssumedRoleId>AROA:switchyard</AssumedRoleId></AssumedRoleUser>`+
				`</AssumeRoleResult><ResponseMetadata><RequestId>targettest</RequestId></ResponseMetadata></AssumeRoleResponse>`,
			c.AccessKeyID, c.SecretAccessKey, c.SessionToken, time.Now().Add(ttl).UTC().Format(time.RFC3339), html.EscapeString(role))}
	}).URL
	return s
}

// Credentials are the credentials of the n-th AssumeRole call.
func Credentials(n int) aws.Credentials {
	s := strconv.Itoa(n)
	return aws.Credentials{AccessKeyID: "ASIAROLE" + s, SecretAccessKey: "secret" + s, SessionToken: "token" + s}
}

// Calls is how many times AssumeRole was called.
func (s *STS) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Assumed is how many times role was assumed.
func (s *STS) Assumed(role string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roles[role]
}
