package codebuild_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// fixTimestamps puts a proxy in front of moto that corrects one flaw of
// moto 5.2.1's CodeBuild answers: it gives a build's times (startTime,
// endTime, and those of its phases) as text such as
// "2026-01-01 10:00:00.123000+00:00" where the CodeBuild model
// (awsJson1_1) has epoch seconds, and the Go SDK (strict, unlike botocore)
// refuses the whole StartBuild or BatchGetBuilds answer. Everything else
// passes through untouched.
func fixTimestamps(t *testing.T, motoURL string) string {
	t.Helper()
	return targettest.NewProxy(t, motoURL, func(_ targettest.Request, status int, b []byte) []byte {
		if status != 200 {
			return b
		}
		var doc any
		if json.Unmarshal(b, &doc) != nil {
			return b
		}
		fixTimes(doc)
		fixed, _ := json.Marshal(doc)
		return fixed
	}).URL
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
