package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/internal/policyformat"
)

func init() {
	commands["lint"] = command{
		summary: "check a policy file (YAML or JSON) as corskit would load it, and list every problem",
		usage:   lintUsage,
		run:     runLint,
	}
}

const lintUsage = `Usage:

	corskit lint [--json] FILE...

Lint reads each policy file (.yaml, .yml or .json, the format of package
github.com/corskit/corskit/core/policyfile) and checks it as corskit does before
serving it: the file's syntax and keys (unknown, repeated or other-case keys are
errors, in path_policies entries too), then the policy itself, with the checks of
core.Compile. It prints every problem, each with the file, the line, the key, and
what to write instead; or, for a file without problems, one line saying what it
allows.

Flags:

	--json    print one JSON object per file instead of text: the file, ok, and
	          the problems (line, key, value, error, message) or the policies

Exit status: 0 when every file is clean, 1 when a file has problems, 2 on a usage
error or a file that cannot be read.

Examples:

	corskit lint cors.yaml
	corskit lint --json deploy/*.yaml
`

// lintProblem is one problem of a file, for --json.
type lintProblem struct {
	Line  int    `json:"line,omitempty"`
	Key   string `json:"key,omitempty"`   // the file key, such as "path_policies[1].origins[0]"
	Value string `json:"value,omitempty"` // the value at fault, as written
	// Error is the kind of a policy problem: the text of core's Err*
	// sentinel, such as "not written the way browsers send it".
	Error   string `json:"error,omitempty"`
	Message string `json:"message"` // the whole message, with what to write instead
}

// lintPolicy is one policy of a clean file, for --json.
type lintPolicy struct {
	Name  string   `json:"name"`
	Paths []string `json:"paths,omitempty"`
	Allow string   `json:"allows"`
}

// lintResult is what lint found in one file.
type lintResult struct {
	File     string        `json:"file"`
	OK       bool          `json:"ok"`
	Problems []lintProblem `json:"problems,omitempty"`
	Policies []lintPolicy  `json:"policies,omitempty"`

	doc *policyformat.Document // the file, when OK
}

func runLint(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	files, err := parseFlags(fs, lintUsage, args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitError
	}
	if len(files) == 0 {
		fmt.Fprint(stderr, "corskit lint: no file: give the policy file to check, such as corskit lint cors.yaml\nRun \"corskit help lint\" for usage.\n")
		return exitError
	}
	status := exitOK
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	for _, file := range files {
		res, err := lintFile(file)
		if err != nil {
			fmt.Fprintf(stderr, "corskit lint: %s: %v\n", file, err)
			status = exitError
			continue
		}
		if !res.OK && status == exitOK {
			status = exitProblem
		}
		if *asJSON {
			if err := enc.Encode(res); err != nil {
				fmt.Fprintf(stderr, "corskit lint: %v\n", err)
				return exitError
			}
			continue
		}
		writeLint(stdout, res)
	}
	return status
}

// lintFile reads and checks one policy file. Its error is one that keeps
// the file from being checked at all: it cannot be read, or its name has
// no policy file extension.
func lintFile(file string) (*lintResult, error) {
	if _, err := policyformat.Format(file); err != nil {
		return nil, err
	}
	res := &lintResult{File: file}
	data, err := policyformat.ReadFile(file)
	if errors.Is(err, policyformat.ErrTooLarge) {
		res.Problems = []lintProblem{{Message: err.Error()}}
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	doc, err := policyformat.Decode(file, data)
	if err != nil {
		for _, e := range unjoin(err) {
			var p *policyformat.Problem
			if errors.As(e, &p) {
				res.Problems = append(res.Problems, lintProblem{Line: p.Line, Key: p.Key, Message: p.Text()})
			} else {
				res.Problems = append(res.Problems, lintProblem{Message: e.Error()})
			}
		}
		return res, nil
	}
	cfg := doc.Config()
	if _, err := core.Compile(cfg); err != nil {
		for _, e := range unjoin(err) {
			var ce *core.ConfigError
			if !errors.As(e, &ce) {
				res.Problems = append(res.Problems, lintProblem{Message: e.Error()})
				continue
			}
			res.Problems = append(res.Problems, lintProblem{
				Line:    doc.Line(ce.Field),
				Key:     fieldKey(ce.Field),
				Value:   ce.Value,
				Error:   ce.Err.Error(),
				Message: ce.Text(policyformat.Key),
			})
		}
		// In the order of the file; problems of no line (there are none
		// from Compile) last.
		slices.SortStableFunc(res.Problems, func(a, b lintProblem) int {
			return cmp.Compare(lineOrLast(a.Line), lineOrLast(b.Line))
		})
		return res, nil
	}
	res.OK, res.doc = true, doc
	res.Policies = append(res.Policies, lintPolicy{Name: core.DefaultPolicy, Allow: allows(cfg)})
	for _, pp := range cfg.PathPolicies {
		res.Policies = append(res.Policies, lintPolicy{Name: pp.Name, Paths: pp.Paths, Allow: allows(pp.Config)})
	}
	return res, nil
}

func lineOrLast(line int) int {
	if line == 0 {
		return math.MaxInt
	}
	return line
}

// unjoin returns the errors that errors.Join joined in err, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// fieldKey spells a Go field path of core.ConfigError.Field with the file's
// keys: "PathPolicies[1].Origins[0]" reads "path_policies[1].origins[0]".
func fieldKey(field string) string {
	parts := strings.Split(field, ".")
	for i, part := range parts {
		name, index, indexed := strings.Cut(part, "[")
		if key := policyformat.Key(name); key != "" {
			name = key
		}
		if indexed {
			name += "[" + index
		}
		parts[i] = name
	}
	return strings.Join(parts, ".")
}

func writeLint(w io.Writer, res *lintResult) {
	if res.OK {
		n := len(res.Policies)
		if n == 1 {
			fmt.Fprintf(w, "%s: ok: 1 policy: %s\n", res.File, res.Policies[0].Allow)
			return
		}
		parts := make([]string, n)
		for i, p := range res.Policies {
			if len(p.Paths) == 0 {
				parts[i] = fmt.Sprintf("%s (%s)", p.Name, p.Allow)
			} else {
				parts[i] = fmt.Sprintf("%s for %s (%s)", p.Name, strings.Join(p.Paths, " "), p.Allow)
			}
		}
		fmt.Fprintf(w, "%s: ok: %d policies: %s\n", res.File, n, strings.Join(parts, "; "))
		return
	}
	for _, p := range res.Problems {
		at := res.File
		if p.Line > 0 {
			at += ":" + strconv.Itoa(p.Line)
		}
		fmt.Fprintf(w, "%s: %s\n", at, p.Message)
	}
	if n := len(res.Problems); n == 1 {
		fmt.Fprintf(w, "%s: 1 problem\n", res.File)
	} else {
		fmt.Fprintf(w, "%s: %d problems\n", res.File, n)
	}
}

// allows says in a few words what a compiled policy allows, for the
// summary of a clean file: "2 origins, credentials, methods PUT DELETE".
func allows(cfg core.Config) string {
	var parts []string
	switch n := len(cfg.Origins); {
	case n == 0:
		return "nothing cross-origin"
	case n == 1 && cfg.Origins[0] == "*":
		parts = append(parts, "any origin")
	case n == 1:
		parts = append(parts, cfg.Origins[0])
	default:
		parts = append(parts, strconv.Itoa(n)+" origins")
	}
	if cfg.Credentials {
		parts = append(parts, "credentials")
	}
	list := func(what string, names []string) {
		switch {
		case len(names) == 1 && names[0] == "*":
			parts = append(parts, "any "+strings.TrimSuffix(what, "s"))
		case len(names) > 0:
			parts = append(parts, what+" "+strings.Join(names, " "))
		}
	}
	list("methods", cfg.Methods)
	list("headers", cfg.Headers)
	list("exposed headers", cfg.ExposeHeaders)
	switch {
	case cfg.NoPreflightCache:
		parts = append(parts, "no preflight cache")
	case cfg.MaxAge > 0:
		parts = append(parts, "max age "+cfg.MaxAge.String())
	}
	if cfg.PrivateNetwork {
		parts = append(parts, "private network")
	}
	if cfg.RejectDisallowed {
		parts = append(parts, "rejects other origins")
	}
	if cfg.PreflightPassthrough {
		parts = append(parts, "preflights passed through")
	}
	return strings.Join(parts, ", ")
}
