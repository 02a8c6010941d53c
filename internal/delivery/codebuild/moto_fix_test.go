package codebuild_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fixTimestamps puts a reverse proxy in front of moto that corrects one
// flaw of moto 5.2.1's CodeBuild answers: it gives a build's times
// (startTime, endTime, and those of its phases) as text such as
// "2026-01-01 10:00:00.123000+00:00" where the CodeBuild model (awsJson1_1)
// has epoch seconds, and the Go SDK (strict, unlike botocore) refuses the
// whole StartBuild or BatchGetBuilds answer. Everything else passes
// through untouched.
func fixTimestamps(t *testing.T, motoURL string) string {
	t.Helper()
	u, err := url.Parse(motoURL)
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var doc any
		if json.Unmarshal(b, &doc) == nil {
			fixTimes(doc)
			b, _ = json.Marshal(doc)
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL
}

func fixTimes(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && (strings.HasSuffix(k, "Time") || k == "created" || k == "lastModified") {
				for _, layout := range []string{"2006-01-02 15:04:05.999999-07:00", time.RFC3339Nano} {
					if tm, err := time.Parse(layout, s); err == nil {
						v[k] = float64(tm.UnixMilli()) / 1000
						break
					}
				}
				continue
			}
			fixTimes(x)
		}
	case []any:
		for _, x := range v {
			fixTimes(x)
		}
	}
}
