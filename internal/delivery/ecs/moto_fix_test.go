package ecs_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// fixContainers puts a proxy in front of moto that corrects one flaw of
// moto 5.2.1's ECS answers: it gives a task's containers[].cpu and
// containers[].memory as JSON numbers where the ECS model has strings,
// and the Go SDK (strict, unlike botocore) refuses the whole RunTask or
// DescribeTasks answer. Everything else passes through untouched.
func fixContainers(t *testing.T, motoURL string) string {
	t.Helper()
	return targettest.NewProxy(t, motoURL, func(r targettest.Request, status int, b []byte) []byte {
		if status != 200 || r.Target() == "" {
			return b
		}
		var doc map[string]any
		if json.Unmarshal(b, &doc) != nil {
			return b
		}
		tasks, ok := doc["tasks"].([]any)
		if !ok {
			return b
		}
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
		fixed, _ := json.Marshal(doc)
		return fixed
	}).URL
}
