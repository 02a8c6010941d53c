// Command gen generates the Switchyard wire types and validators from the
// botocore model of Amazon EventBridge (AWSEvents 2015-10-07).
//
// Usage (from the repository root):
//
//	go run ./internal/api/wire/internal/gen [-model service-2.json.gz] [-out internal/api/wire]
//
// Without -model it uses $BOTOCORE_EVENTS_MODEL, then the botocore package
// of python3. It writes zz_types.go and zz_validate.go into -out.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	model := flag.String("model", "", "path to botocore events service-2.json(.gz)")
	out := flag.String("out", "", "output directory (default: internal/api/wire if it exists, else .)")
	flag.Parse()
	if err := run(*model, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(modelPath, out string) error {
	if out == "" {
		out = "."
		if fi, err := os.Stat(filepath.Join("internal", "api", "wire")); err == nil && fi.IsDir() {
			out = filepath.Join("internal", "api", "wire")
		}
	}
	p, err := findModel(modelPath)
	if err != nil {
		return err
	}
	m, err := loadModel(p)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	files, err := generate(m)
	if err != nil {
		return err
	}
	return writeFiles(out, files)
}

func writeFiles(dir string, files map[string][]byte) error {
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
