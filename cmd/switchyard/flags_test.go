package main

import (
	"flag"
	"io"
	"maps"
	"testing"
)

func endpointFlags(t *testing.T, args ...string) (endpointsFlag, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e := endpointsFlag{}
	fs.Var(e, "aws-endpoint", "")
	return e, parseFlags(fs, args)
}

// TestEndpointsFlag: --aws-endpoint takes SERVICE=URL pairs from repeated
// flags, comma-separated lists, or SWITCHYARD_AWS_ENDPOINT when no flag is
// given; anything else is refused.
func TestEndpointsFlag(t *testing.T) {
	e, err := endpointFlags(t, "--aws-endpoint", "sqs=http://127.0.0.1:9324", "--aws-endpoint", "lambda=http://127.0.0.1:9001, states=https://sfn.local")
	want := endpointsFlag{"sqs": "http://127.0.0.1:9324", "lambda": "http://127.0.0.1:9001", "states": "https://sfn.local"}
	if err != nil || !maps.Equal(e, want) {
		t.Errorf("flags: %v %v", e, err)
	}
	if s := e.String(); s != "lambda=http://127.0.0.1:9001,sqs=http://127.0.0.1:9324,states=https://sfn.local" {
		t.Errorf("String() = %q", s)
	}

	t.Setenv("SWITCHYARD_AWS_ENDPOINT", "sns=http://127.0.0.1:5000,logs=http://127.0.0.1:5000")
	e, err = endpointFlags(t)
	if err != nil || !maps.Equal(e, endpointsFlag{"sns": "http://127.0.0.1:5000", "logs": "http://127.0.0.1:5000"}) {
		t.Errorf("environment: %v %v", e, err)
	}
	e, err = endpointFlags(t, "--aws-endpoint", "sqs=http://x")
	if err != nil || !maps.Equal(e, endpointsFlag{"sqs": "http://x"}) {
		t.Errorf("a flag wins over the environment: %v %v", e, err)
	}
	t.Setenv("SWITCHYARD_AWS_ENDPOINT", "")

	for _, bad := range []string{"sqs", "=http://x", "sqs=", "sqs=127.0.0.1:9324", "sqs=ftp://x"} {
		if _, err := endpointFlags(t, "--aws-endpoint", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
