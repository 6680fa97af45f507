package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// packageDir is the directory the tests start in, the package's.
var packageDir, _ = os.Getwd()

// runIn runs corskit with args in dir, and returns its exit status and
// output.
func runIn(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(packageDir, dir)
	}
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestLint(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // the whole output, if not ""
		has    []string
		stderr string // a substring of stderr, if not ""
	}{
		{name: "clean file with path policies", args: []string{"lint", "cors.yaml"}, code: exitOK,
			stdout: "cors.yaml: ok: 3 policies: default (https://app.example.com, credentials, methods PUT DELETE, headers Content-Type, max age 10m0s); " +
				"public for /public/ /health (any origin); admin for /admin/ (nothing cross-origin)\n"},
		{name: "clean JSON file", args: []string{"lint", "cors.json"}, code: exitOK,
			stdout: "cors.json: ok: 2 policies: default (https://app.example.com, credentials); public for /public/ (any origin)\n"},
		{name: "policy problems, in the order of the file, with lines and keys", args: []string{"lint", "problems.yaml"}, code: exitProblem,
			has: []string{
				`problems.yaml:3: origins[0] "https://App.example.com/": not written the way browsers send it (trailing slash); write "https://app.example.com"` + "\n",
				`problems.yaml:4: origins[1] "null": credentials cannot be allowed for the "null" origin; remove "null", or turn credentials off` + "\n",
				`problems.yaml:6: methods[0] "patch": well-known method not in upper case (servers route "PATCH"); write "PATCH"` + "\n",
				`problems.yaml:9: path_policies[0].paths[0] "public/": not a path routers can match (not starting with /); write "/public/"` + "\n",
				`problems.yaml:10: path_policies[0].origins[0] "*": credentials cannot be allowed for any origin ("*")`,
				`problems.yaml:12: path_policies[1].name "public": invalid path policy`,
				"problems.yaml: 6 problems\n",
			}},
		{name: "key problems, inside entries too", args: []string{"lint", "keys.yaml"}, code: exitProblem,
			stdout: `keys.yaml:2: credentials: "yes" is not a boolean (YAML 1.2 reads it as a string); write true
keys.yaml:6: path_policies[0]: unknown field "orgins"; did you mean "origins"?
keys.yaml:7: path_policies[0].path_policies: path policies do not nest; list every path policy in the path_policies at the top of the file
keys.yaml: 3 problems
`},
		{name: "JSON key problems", args: []string{"lint", "problems.json"}, code: exitProblem,
			stdout: `problems.json:4: path_policies[0]: key "Origins": keys are lower case; write "origins"
problems.json:5: path_policies[1].max_age: "10 minutes": want a duration such as "10m" or "1h30m", or a number of seconds
problems.json: 2 problems
`},
		{name: "YAML the subset refuses", args: []string{"lint", "syntax.yaml"}, code: exitProblem,
			stdout: "syntax.yaml:2: anchors (&name) are not read; write the value out where it is used\nsyntax.yaml: 1 problem\n"},
		{name: "the README's files", args: []string{"lint", "demo.yaml", "broken.yaml"}, code: exitProblem,
			stdout: `demo.yaml: ok: 2 policies: default (http://localhost:1111, credentials, methods PUT DELETE, headers Content-Type X-Requested-With, exposed headers X-Total-Count, max age 10m0s); public for /api/public/ (any origin)
broken.yaml:1: origins[0] "http://localhost:1111/": not written the way browsers send it (trailing slash); write "http://localhost:1111"
broken.yaml:1: origins[1] "http://LOCALHOST:2222": not written the way browsers send it (upper case); write "http://localhost:2222"
broken.yaml:7: path_policies[0].paths[0] "api/public/": not a path routers can match (not starting with /); write "/api/public/"
broken.yaml:8: path_policies[0].origins[0] "*": credentials cannot be allowed for any origin ("*"); list the origins you trust instead
broken.yaml: 4 problems
`},
		{name: "several files: the worst status", args: []string{"lint", "cors.yaml", "keys.yaml", "cors.json"}, code: exitProblem,
			has: []string{"cors.yaml: ok", "keys.yaml: 3 problems", "cors.json: ok"}},
		{name: "flags after the file", args: []string{"lint", "cors.json", "--json"}, code: exitOK, has: []string{`"ok": true`}},
		{name: "no file", args: []string{"lint"}, code: exitError, stderr: "no file: give the policy file to check"},
		{name: "missing file", args: []string{"lint", "missing.yaml"}, code: exitError, stderr: "corskit lint: missing.yaml: open: no such file or directory"},
		{name: "missing file among others", args: []string{"lint", "missing.yaml", "keys.yaml"}, code: exitError,
			has: []string{"keys.yaml: 3 problems"}, stderr: "missing.yaml: open"},
		{name: "not a policy file name", args: []string{"lint", "cors.toml"}, code: exitError, stderr: `unknown format ".toml"; name the file .json, .yaml or .yml`},
		{name: "unknown flag", args: []string{"lint", "--fix", "cors.yaml"}, code: exitError, stderr: "flag provided but not defined: -fix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runIn(t, "testdata", tt.args...)
			if code != tt.code {
				t.Errorf("corskit %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.args, code, tt.code, stdout, stderr)
			}
			if tt.stdout != "" && stdout != tt.stdout {
				t.Errorf("corskit %q:\ngot\n%s\nwant\n%s", tt.args, stdout, tt.stdout)
			}
			for _, s := range tt.has {
				if !strings.Contains(stdout, s) {
					t.Errorf("corskit %q: output lacks %q:\n%s", tt.args, s, stdout)
				}
			}
			if tt.stderr != "" && !strings.Contains(stderr, tt.stderr) {
				t.Errorf("corskit %q: stderr %q lacks %q", tt.args, stderr, tt.stderr)
			}
			if tt.stderr == "" && stderr != "" {
				t.Errorf("corskit %q wrote to stderr: %s", tt.args, stderr)
			}
		})
	}
}

func TestLint_json(t *testing.T) {
	code, stdout, _ := runIn(t, "testdata", "lint", "--json", "problems.yaml", "cors.yaml")
	if code != exitProblem {
		t.Errorf("exit %d, want 1", code)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	var bad, good lintResult
	if err := dec.Decode(&bad); err != nil {
		t.Fatal(err)
	}
	if err := dec.Decode(&good); err != nil {
		t.Fatal(err)
	}
	if bad.File != "problems.yaml" || bad.OK || len(bad.Problems) != 6 {
		t.Fatalf("problems.yaml: %+v", bad)
	}
	first := bad.Problems[0]
	want := lintProblem{Line: 3, Key: "origins[0]", Value: "https://App.example.com/", Error: "not written the way browsers send it",
		Message: `origins[0] "https://App.example.com/": not written the way browsers send it (trailing slash); write "https://app.example.com"`}
	if first != want {
		t.Errorf("first problem:\ngot  %+v\nwant %+v", first, want)
	}
	if p := bad.Problems[3]; p.Key != "path_policies[0].paths[0]" || p.Line != 9 {
		t.Errorf("fourth problem: %+v", p)
	}
	if !good.OK || len(good.Policies) != 3 || good.Policies[1].Name != "public" ||
		strings.Join(good.Policies[1].Paths, " ") != "/public/ /health" || good.Policies[2].Allow != "nothing cross-origin" {
		t.Errorf("cors.yaml: %+v", good)
	}
}

// A file over 1 MiB is a problem of the file, reported without reading
// it whole.
func TestLint_tooLarge(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.yaml"), bytes.Repeat([]byte("# "), 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runIn(t, dir, "lint", "big.yaml")
	if code != exitProblem || !strings.Contains(stdout, "big.yaml: the file is larger than 1 MiB") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestLintUsageMentionsEveryFlag(t *testing.T) {
	if !strings.Contains(lintUsage, "--json") {
		t.Error("lint's usage does not describe --json")
	}
}
