package api

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/sigv4"
	"github.com/switchyard-dev/switchyard/internal/arn"
)

// Identity is who a request comes from.
type Identity struct {
	AccessKeyID string
	Account     string
	Region      string
}

// Authenticator decides who sent a request, or refuses it.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte) (Identity, error)
}

// Credential is one line of the credentials file.
type Credential struct {
	AccessKeyID  string
	Secret       string
	Account      string
	SessionToken string
}

// Credentials maps access keys to secrets and accounts.
type Credentials map[string]Credential

// LoadCredentials reads a credentials file: one credential per line, fields
// separated by white space,
//
//	ACCESS_KEY_ID  SECRET_ACCESS_KEY  ACCOUNT_ID  [SESSION_TOKEN]
//
// with blank lines and lines starting with # ignored.
func LoadCredentials(path string) (Credentials, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	creds := Credentials{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) < 3 || len(fs) > 4 {
			return nil, fmt.Errorf("%s:%d: want ACCESS_KEY_ID SECRET ACCOUNT_ID [SESSION_TOKEN], got %d fields", path, n, len(fs))
		}
		if !arn.ValidAccount(fs[2]) {
			return nil, fmt.Errorf("%s:%d: account id %q is not 12 digits", path, n, fs[2])
		}
		if _, dup := creds[fs[0]]; dup {
			return nil, fmt.Errorf("%s:%d: access key %s listed twice", path, n, fs[0])
		}
		c := Credential{AccessKeyID: fs[0], Secret: fs[1], Account: fs[2]}
		if len(fs) == 4 {
			c.SessionToken = fs[3]
		}
		creds[fs[0]] = c
	}
	return creds, sc.Err()
}

// ValidRegion reports whether s has the shape of an AWS region name
// (us-east-1, us-gov-west-1, cn-north-1, ...). The region becomes part of
// resource keys and ARNs, so nothing else is let through.
func ValidRegion(s string) bool {
	if len(s) < 4 || len(s) > 32 {
		return false
	}
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	for i, p := range parts {
		if p == "" {
			return false
		}
		last := i == len(parts)-1
		for j := range len(p) {
			c := p[j]
			if last && (c < '0' || c > '9') || !last && (c < 'a' || c > 'z') {
				return false
			}
		}
	}
	return true
}

// madeUpRegion reports whether s could be the name of a region that does not
// exist ("local", "localhost", "dev-1"): letters, digits and hyphens only.
func madeUpRegion(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func badRegion(region string) error {
	return Errorf(InvalidSignature, "Credential should be scoped to a valid region, not '%s'. ", region)
}

// OpenAuth accepts every well-formed request without checking signatures and
// uses the access key only to pick the account: a 12-digit key is the account
// id (the convention of local AWS emulators), a key in Credentials gets its
// account, any other key (or an unsigned request) the default account.
//
// The region is the signing region when it is a region name. A made-up name
// (letters, digits and hyphens, like "local" in aws-elixir's documented
// setup) is served as DefaultRegion: clients set up for local servers sign
// for such names, and open mode exists for such setups. Anything else ("a*b",
// "us-east-1.bus.x") is a malformed request and refused as AWS refuses it.
// Only region names reach keys and ARNs.
type OpenAuth struct {
	Credentials    Credentials
	DefaultAccount string
	DefaultRegion  string
}

// Authenticate implements Authenticator.
func (o *OpenAuth) Authenticate(r *http.Request, _ []byte) (Identity, error) {
	id := Identity{Account: o.DefaultAccount, Region: o.DefaultRegion}
	if r.Header.Get("Authorization") == "" {
		return id, nil
	}
	auth, err := sigv4.Identify(r)
	if err != nil {
		return Identity{}, authError(err)
	}
	id.AccessKeyID = auth.AccessKeyID
	switch {
	case ValidRegion(auth.Region):
		id.Region = auth.Region
	case auth.Region != "" && !madeUpRegion(auth.Region):
		return Identity{}, badRegion(auth.Region)
	}
	switch c, ok := o.Credentials[auth.AccessKeyID]; {
	case ok:
		id.Account = c.Account
	case arn.ValidAccount(auth.AccessKeyID):
		id.Account = auth.AccessKeyID
	}
	return id, nil
}

// SigV4Auth verifies every request's signature against Credentials.
//
// A signature is verified with the credential scope it names, whatever its
// region; a verified request whose region is not a region name ("local") is
// then refused as AWS refuses it, since sigv4 mode stands in for AWS and a
// client that signs for a made-up region would fail there too. Only clients
// holding a valid credential learn of the region check.
type SigV4Auth struct {
	Credentials   Credentials
	DefaultRegion string
	MaxSkew       time.Duration
	verifier      *sigv4.Verifier
}

// NewSigV4Auth returns a verifier for the credentials.
func NewSigV4Auth(creds Credentials, region string, maxSkew time.Duration) *SigV4Auth {
	s := &SigV4Auth{Credentials: creds, DefaultRegion: region, MaxSkew: maxSkew}
	s.verifier = &sigv4.Verifier{
		MaxSkew: maxSkew,
		Lookup: func(akid string) (sigv4.Credential, bool) {
			c, ok := creds[akid]
			return sigv4.Credential{Secret: c.Secret, SessionToken: c.SessionToken}, ok
		},
	}
	return s
}

// Authenticate implements Authenticator.
func (s *SigV4Auth) Authenticate(r *http.Request, body []byte) (Identity, error) {
	auth, err := s.verifier.Verify(r, body)
	if err != nil {
		return Identity{}, authError(err)
	}
	region := auth.Region
	if region == "" {
		region = s.DefaultRegion
	} else if !ValidRegion(region) {
		return Identity{}, badRegion(region)
	}
	return Identity{AccessKeyID: auth.AccessKeyID, Account: s.Credentials[auth.AccessKeyID].Account, Region: region}, nil
}

// authError translates the sigv4 package's errors to wire errors.
func authError(err error) error {
	if e, ok := err.(*sigv4.Error); ok {
		return &Error{Code: ErrorCode(e.Code), Message: e.Message}
	}
	return Errorf(IncompleteSignature, "%s", err.Error())
}
