package main

import (
	"bytes"
	"errors"
	"flag"
	"os/exec"
	"strings"
	"testing"
)

// TestUsageListsEveryCommand: the usage has one line per subcommand, each
// with its summary, and says how to get a command's flags.
func TestUsageListsEveryCommand(t *testing.T) {
	var b bytes.Buffer
	usage(&b)
	lines := strings.Split(b.String(), "\n")
	for _, c := range commands() {
		n := 0
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 1 && f[0] == c.name && strings.Contains(l, c.summary) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("command %s on %d lines of the usage:\n%s", c.name, n, b.String())
		}
	}
	if !strings.Contains(b.String(), "switchyard <command> --help") {
		t.Errorf("usage does not say how to see a command's flags:\n%s", b.String())
	}
}

// TestExitCodes: 0 for success and help, 2 for a misused command line (with
// the list of commands when the command is unknown), 1 for anything else.
func TestExitCodes(t *testing.T) {
	for _, c := range []struct {
		err       error
		code      int
		stderr    string // a substring; "" means nothing printed
		listsCmds bool
	}{
		{nil, 0, "", false},
		{flag.ErrHelp, 0, "", false},
		{&usageError{err: errors.New("flag provided but not defined: -x"), reported: true}, 2, "", false},
		{&usageError{err: errors.New(`unexpected argument "x"`)}, 2, `switchyard: unexpected argument "x"`, false},
		{&usageError{err: errors.New(`unknown command "x"`), listCommands: true}, 2, `switchyard: unknown command "x"`, true},
		{errors.New("refusing to listen"), 1, "switchyard: refusing to listen", false},
	} {
		var b bytes.Buffer
		if code := exitCode(&b, c.err); code != c.code {
			t.Errorf("%v: exit %d, want %d", c.err, code, c.code)
		}
		if c.stderr == "" && b.Len() > 0 || !strings.Contains(b.String(), c.stderr) {
			t.Errorf("%v: printed %q, want %q", c.err, b.String(), c.stderr)
		}
		if got := strings.Contains(b.String(), "commands:"); got != c.listsCmds {
			t.Errorf("%v: lists the commands: %v, want %v", c.err, got, c.listsCmds)
		}
	}
}

// TestHelpFromTheBinary drives the built binary as a newcomer would.
func TestHelpFromTheBinary(t *testing.T) {
	run := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		var o, e bytes.Buffer
		cmd := exec.Command(binPath, args...)
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			code = ee.ExitCode()
		case err != nil:
			t.Fatalf("%v: %v", args, err)
		}
		return o.String(), e.String(), code
	}
	listsAll := func(s string) bool {
		for _, c := range commands() {
			if !strings.Contains(s, "\n  "+c.name+" ") {
				return false
			}
		}
		return strings.Contains(s, "switchyard <command> --help")
	}

	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"help"}} {
		out, errOut, code := run(args...)
		if code != 0 || !listsAll(out) || errOut != "" {
			t.Errorf("switchyard %s: exit %d, stdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
		}
	}
	for _, args := range [][]string{{"frobnicate"}, {"help", "frobnicate"}, {"help", "serve", "bench"}} {
		out, errOut, code := run(args...)
		if code != 2 || out != "" || !listsAll(errOut) {
			t.Errorf("switchyard %s: exit %d, stdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
		}
	}

	// Each command's help: its flags on standard output, exit 0.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--help"}, "-addr"},
		{[]string{"help", "serve"}, "-credentials"},
		{[]string{"bench", "-h"}, "-endpoint"},
		{[]string{"help", "bench"}, "-matching-rules"},
		{[]string{"version", "--help"}, "usage: switchyard version"},
		{[]string{"--memory", "--help"}, "-addr"}, // bare flags are serve's
	} {
		out, errOut, code := run(c.args...)
		if code != 0 || !strings.Contains(out, c.want) || errOut != "" {
			t.Errorf("switchyard %s: exit %d, stdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), code, out, errOut)
		}
	}

	// Misused flags and arguments: the complaint on standard error, exit 2.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"bench", "--clients", "many"}, "invalid value"},
		{[]string{"serve", "extra"}, `unexpected argument "extra"`},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},
	} {
		out, errOut, code := run(c.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("switchyard %s: exit %d, stdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), code, out, errOut)
		}
	}
}
