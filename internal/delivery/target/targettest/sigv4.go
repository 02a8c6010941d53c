package targettest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// VerifySignature checks that r carries a SigV4 signature by creds for
// service in region that is valid for what the server received, the way
// AWS checks it: recomputed with the SDK's signer over the method, the URL,
// the body and the headers the Authorization header says were signed.
func VerifySignature(t testing.TB, r Request, creds aws.Credentials, service, region string) {
	t.Helper()
	auth := r.Header.Get("Authorization")
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algo) {
		t.Fatalf("Authorization %q is not SigV4", auth)
	}
	fields := map[string]string{}
	for _, f := range strings.Split(strings.TrimPrefix(auth, algo), ", ") {
		k, v, _ := strings.Cut(f, "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[0] != creds.AccessKeyID || scope[2] != region || scope[3] != service || scope[4] != "aws4_request" {
		t.Fatalf("credential scope %q, want %s/<date>/%s/%s/aws4_request", fields["Credential"], creds.AccessKeyID, region, service)
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		t.Fatalf("X-Amz-Date: %v", err)
	}
	if scope[1] != when.Format("20060102") {
		t.Fatalf("scope date %s, X-Amz-Date %s", scope[1], when)
	}
	// Rebuild the request from what arrived, with only the signed headers.
	re, err := http.NewRequest(r.Method, "http://"+r.Host+r.RequestURI, bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		switch h {
		case "host", "content-length":
			continue // from the URL and the body
		}
		for _, v := range r.Header.Values(h) {
			re.Header.Add(h, v)
		}
	}
	sum := sha256.Sum256(r.Body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, re, hex.EncodeToString(sum[:]), service, region, when); err != nil {
		t.Fatal(err)
	}
	if want := re.Header.Get("Authorization"); want != auth {
		t.Fatalf("signature does not verify:\n got  %s\n want %s", auth, want)
	}
}
