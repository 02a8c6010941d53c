// Package testenv decides what a test does when an outside tool it needs
// (moto_server, the aws CLI, the botocore model) is missing. On a
// developer's machine the test is skipped, with a message saying how to
// install the tool, so that a newcomer can run go test ./... at once. In
// CI, where .ci/run sets SWITCHYARD_REQUIRE_TOOLS=1, the test fails
// instead: a broken install must not pass as a green run that tested less.
//
// It imports only the standard library, so any test package (and any
// test helper package such as targettest) can use it without a cycle.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// RequireTools names the environment variable that turns a missing tool
// from a skip into a failure.
const RequireTools = "SWITCHYARD_REQUIRE_TOOLS"

// Required reports whether missing tools fail tests (SWITCHYARD_REQUIRE_TOOLS
// is set to anything but "" or "0").
func Required() bool {
	v := os.Getenv(RequireTools)
	return v != "" && v != "0"
}

// Missing ends the test because tool is unavailable (err says why): a
// failure under SWITCHYARD_REQUIRE_TOOLS, else a skip. install tells how to
// get the tool.
func Missing(t testing.TB, tool, install string, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is required (%s=1) but unavailable: %v; install: %s", tool, RequireTools, err, install)
	}
	t.Skipf("%s is unavailable (%v), skipping; install: %s (CI sets %s=1 and fails instead)", tool, err, install, RequireTools)
}

// LookPath returns the path of the executable name, or ends the test
// through Missing.
func LookPath(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name, install, err)
	}
	return p
}

// Install hints, one place so every test says the same.
const (
	InstallMoto   = "python3 -m pip install 'moto[server]'"
	InstallAWSCLI = "python3 -m pip install awscli"
)
