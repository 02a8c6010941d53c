package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// flagsOf lists the flags of a subcommand as its --help shows them.
func flagsOf(t *testing.T, cmd string) map[string]bool {
	t.Helper()
	out, err := exec.Command(binPath, cmd, "--help").Output()
	if err != nil {
		t.Fatalf("switchyard %s --help: %v", cmd, err)
	}
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = true
	}
	if len(flags) == 0 {
		t.Fatalf("no flags in switchyard %s --help:\n%s", cmd, out)
	}
	return flags
}

// TestDocumentedFlags: the README's table of serve flags lists exactly the
// flags serve has, and every switchyard serve or bench command line in the
// README and docs/ uses only flags that command has, so a renamed flag
// cannot leave a command that no longer runs as written.
func TestDocumentedFlags(t *testing.T) {
	root := filepath.Join("..", "..")
	flags := map[string]map[string]bool{"serve": flagsOf(t, "serve"), "bench": flagsOf(t, "bench")}

	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "## `switchyard serve` flags")
	if !ok {
		t.Fatal("README has no section on serve's flags")
	}
	table, _, _ = strings.Cut(table, "\n#")
	var listed []string
	for _, m := range regexp.MustCompile("(?m)^\\| `--([a-z0-9-]+)` \\|").FindAllStringSubmatch(table, -1) {
		listed = append(listed, m[1])
		if !flags["serve"][m[1]] {
			t.Errorf("README lists --%s, which serve does not have", m[1])
		}
	}
	for f := range flags["serve"] {
		if !slices.Contains(listed, f) {
			t.Errorf("serve's --%s is missing from the README's table", f)
		}
	}

	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	invocation := regexp.MustCompile(`switchyard (serve|bench)\b`)
	flag := regexp.MustCompile(`(?:^|[\s\x60\[])--([a-z0-9-]+)`)
	uses := 0
	for _, file := range append(docs, filepath.Join(root, "README.md")) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// A command continued with a backslash is one line.
		text := strings.ReplaceAll(string(b), "\\\n", " ")
		for _, line := range strings.Split(text, "\n") {
			loc := invocation.FindStringSubmatchIndex(line)
			if loc == nil {
				continue
			}
			cmd := line[loc[2]:loc[3]]
			for _, m := range flag.FindAllStringSubmatch(line[loc[1]:], -1) {
				uses++
				if name := m[1]; name != "help" && !flags[cmd][name] {
					t.Errorf("%s: switchyard %s has no --%s: %s", filepath.Base(file), cmd, name, strings.TrimSpace(line))
				}
			}
		}
	}
	if uses == 0 {
		t.Error("no switchyard command lines found in the docs")
	}
}
