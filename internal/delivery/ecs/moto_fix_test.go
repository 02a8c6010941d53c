package ecs_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"testing"
)

// fixContainers puts a reverse proxy in front of moto that corrects one
// flaw of moto 5.2.1's ECS answers: it gives a task's containers[].cpu and
// containers[].memory as JSON numbers where the ECS model has strings,
// and the Go SDK (strict, unlike botocore) refuses the whole RunTask or
// DescribeTasks answer. Everything else passes through untouched.
func fixContainers(t *testing.T, motoURL string) string {
	t.Helper()
	u, err := url.Parse(motoURL)
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(resp *http.Response) error {
		if resp.StatusCode != http.StatusOK || resp.Request.Header.Get("X-Amz-Target") == "" {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var doc map[string]any
		if json.Unmarshal(b, &doc) == nil {
			if tasks, ok := doc["tasks"].([]any); ok {
				for _, tk := range tasks {
					cs, _ := tk.(map[string]any)["containers"].([]any)
					for _, c := range cs {
						cm := c.(map[string]any)
						for _, k := range []string{"cpu", "memory"} {
							if n, ok := cm[k].(float64); ok {
								cm[k] = strconv.FormatFloat(n, 'f', -1, 64)
							}
						}
					}
				}
				b, _ = json.Marshal(doc)
			}
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
