// The documentation is read on a checkout or on the repository's web page,
// where a link to a file outside the repository (a sibling folder of the
// developers' machine, an absolute path) leads nowhere. These tests keep
// every link of README.md and docs/ inside the repository or on the web.
package switchyard_test

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docFiles lists README.md and every Markdown file under docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	files := []string{"README.md"}
	err := filepath.WalkDir("docs", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, filepath.ToSlash(p))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var (
	fence     = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	codeSpan  = regexp.MustCompile("`+[^`]*`+")
	inline    = regexp.MustCompile(`!?\[[^\]]*\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+"[^"]*")?\s*\)`)
	reference = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)`)
	heading   = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	climbing  = regexp.MustCompile(`(?:^|[\s(\x60'"=])(\.\./[^\s)\x60'"]*)`)
	scheme    = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// markdown is one file's prose (lines outside fenced code blocks) and the
// anchors of its headings.
type markdown struct {
	prose   []string // "" for lines inside code blocks, so indexes are line numbers - 1
	anchors map[string]bool
}

func readMarkdown(t *testing.T, file string) markdown {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	md := markdown{anchors: map[string]bool{}}
	seen := map[string]int{}
	inFence := false
	for _, line := range strings.Split(string(b), "\n") {
		if fence.MatchString(line) {
			inFence = !inFence
			md.prose = append(md.prose, "")
			continue
		}
		if inFence {
			md.prose = append(md.prose, "")
			continue
		}
		md.prose = append(md.prose, line)
		if m := heading.FindStringSubmatch(line); m != nil {
			a := slug(m[1])
			if n := seen[a]; n > 0 {
				md.anchors[fmt.Sprintf("%s-%d", a, n)] = true
			} else {
				md.anchors[a] = true
			}
			seen[a]++
		}
	}
	return md
}

// slug is the anchor GitHub gives a heading: lower case, punctuation other
// than hyphens and underscores dropped, spaces as hyphens.
func slug(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// links returns the destinations of the inline links, images and reference
// definitions of a line of prose, code spans excluded.
func links(line string) []string {
	line = codeSpan.ReplaceAllString(line, "")
	var dests []string
	for _, m := range inline.FindAllStringSubmatch(line, -1) {
		dests = append(dests, m[1])
	}
	if m := reference.FindStringSubmatch(line); m != nil {
		dests = append(dests, m[1])
	}
	for i, d := range dests {
		dests[i] = strings.Trim(d, "<>")
	}
	return dests
}

// checkLink reports what is wrong with a link of file, or "".
func checkLink(file, dest string, anchorsOf func(string) map[string]bool) string {
	switch {
	case dest == "":
		return "empty link"
	case scheme.MatchString(dest):
		if s := strings.ToLower(dest); strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "mailto:") {
			return ""
		}
		return "not a web address nor a path in the repository"
	case strings.HasPrefix(dest, "/"):
		return "an absolute path; link to files in the repository with a relative path"
	}
	p, frag, _ := strings.Cut(dest, "#")
	target := file
	if p != "" {
		if problem := checkPath(file, p); problem != "" {
			return problem
		}
		target = path.Clean(path.Join(path.Dir(file), p))
	}
	if frag != "" && strings.HasSuffix(target, ".md") && !anchorsOf(target)[frag] {
		return fmt.Sprintf("%s has no heading with the anchor #%s", target, frag)
	}
	return ""
}

// TestDocLinksStayInTheRepository: every relative link of README.md and
// docs/ names a file of the repository (and a heading of it, with #anchor);
// every other link is a web address.
func TestDocLinksStayInTheRepository(t *testing.T) {
	cache := map[string]markdown{}
	doc := func(f string) markdown {
		if md, ok := cache[f]; ok {
			return md
		}
		cache[f] = readMarkdown(t, f)
		return cache[f]
	}
	anchorsOf := func(f string) map[string]bool { return doc(f).anchors }
	n := 0
	for _, file := range docFiles(t) {
		for i, line := range doc(file).prose {
			for _, dest := range links(line) {
				n++
				if problem := checkLink(file, dest, anchorsOf); problem != "" {
					t.Errorf("%s:%d: link %q: %s", file, i+1, dest, problem)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no links found: is the parser broken?")
	}
}

// TestDocPathsStayInTheRepository: a path of the prose that climbs with
// ../, even in code, names a file of the repository relative to the
// document: ../shared/... (a sibling folder on the developers' machines)
// names nothing for a reader. Material that lives elsewhere is described in
// words.
func TestDocPathsStayInTheRepository(t *testing.T) {
	for _, file := range docFiles(t) {
		for i, line := range readMarkdown(t, file).prose {
			for _, m := range climbing.FindAllStringSubmatch(line, -1) {
				if problem := checkPath(file, m[1]); problem != "" {
					t.Errorf("%s:%d: %q: %s", file, i+1, m[1], problem)
				}
			}
		}
	}
}

// checkPath reports what is wrong with a path p named in file, or "".
func checkPath(file, p string) string {
	target := path.Clean(path.Join(path.Dir(file), p))
	if target == ".." || strings.HasPrefix(target, "../") {
		return "outside the repository"
	}
	if _, err := os.Stat(filepath.FromSlash(target)); err != nil {
		return fmt.Sprintf("%s does not exist", target)
	}
	return ""
}

// TestLinkChecker: the checkers themselves, on links and paths that must
// pass and fail.
func TestLinkChecker(t *testing.T) {
	anchors := func(f string) map[string]bool {
		return map[string]bool{"metrics": true, "where-it-differs-from-aws": true}
	}
	for _, c := range []struct {
		file, line string
		ok         bool
	}{
		{"README.md", "see [targets](docs/targets.md)", true},
		{"README.md", "see [metrics](docs/targets.md#metrics)", true},
		{"README.md", "see [nothing](docs/targets.md#no-such-heading)", false},
		{"README.md", "see [differences](#where-it-differs-from-aws)", true},
		{"docs/performance.md", "the reports in [`bench/`](bench/)", true},
		{"docs/pattern.md", "the [notes](../shared/docs/design-notes.md)", false},
		{"docs/pattern.md", "the [notes](../../design-notes.md)", false},
		{"docs/pattern.md", "the [README](../README.md)", true},
		{"README.md", "![diagram](docs/missing.png)", false},
		{"README.md", "the [notes](/work/shared/docs/design-notes.md)", false},
		{"README.md", "the [notes](file:///work/shared/docs/design-notes.md)", false},
		{"README.md", "[Event Ruler](https://github.com/aws/event-ruler)", true},
		{"README.md", "[ruler]: https://github.com/aws/event-ruler", true},
		{"README.md", "[notes]: ../shared/docs/design-notes.md", false},
		{"README.md", "code: `[x](../shared/y)` is not a link", true},
		{"README.md", "[x](docs/../../shared/y.md)", false},
	} {
		var problems []string
		for _, dest := range links(c.line) {
			if p := checkLink(c.file, dest, anchors); p != "" {
				problems = append(problems, p)
			}
		}
		if ok := len(problems) == 0; ok != c.ok {
			t.Errorf("%s: %q: ok %v, want %v (%v)", c.file, c.line, ok, c.ok, problems)
		}
	}
	for _, c := range []struct {
		file, line string
		bad        int
	}{
		{"docs/pattern.md", "cases of `../shared/conformance/event-patterns` that were", 1},
		{"README.md", "per ../shared/docs/design-notes.md, and", 1},
		{"docs/pattern.md", "see (../README.md) and `../docs/targets.md`", 0},
	} {
		bad := 0
		for _, m := range climbing.FindAllStringSubmatch(c.line, -1) {
			if checkPath(c.file, m[1]) != "" {
				bad++
			}
		}
		if bad != c.bad {
			t.Errorf("%s: %q: %d paths refused, want %d", c.file, c.line, bad, c.bad)
		}
	}
	if got := slug("`switchyard serve` flags"); got != "switchyard-serve-flags" {
		t.Errorf("slug = %q", got)
	}
	if got := slug("Accounts, regions and authentication"); got != "accounts-regions-and-authentication" {
		t.Errorf("slug = %q", got)
	}
}
