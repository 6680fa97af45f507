// Package policyfile keeps a corskit policy in a JSON or YAML file and
// reloads it while the server runs.
//
// A policy file holds the data fields of [core.Config], with keys in snake
// case. In YAML:
//
//	origins:
//	  - https://web.example.com
//	  - https://*.example.com
//	credentials: true
//	methods: [PUT, DELETE]
//	headers: [Content-Type]
//	expose_headers: [X-Total-Count]
//	max_age: 10m          # a duration, or a number of seconds: 600
//
// The same in JSON:
//
//	{"origins": ["https://web.example.com", "https://*.example.com"], "credentials": true,
//	 "methods": ["PUT", "DELETE"], "headers": ["Content-Type"],
//	 "expose_headers": ["X-Total-Count"], "max_age": "10m"}
//
// path_policies gives parts of the server policies of their own
// ([core.Config.PathPolicies]): each entry has a name, its paths and the
// keys of its policy, written next to them. The keys at the top of the
// file are the policy of every other path:
//
//	origins: [https://app.example.com]
//	credentials: true
//	path_policies:
//	  - name: public
//	    paths: [/public/, /health]
//	    origins: ["*"]
//	  - name: admin          # nothing cross-origin
//	    paths: [/admin/]
//
// [File] lists every key. Unknown keys are errors, so a misspelt key never
// leaves a default in force; so are a key written twice and a key in
// another letter case, at the top of the file and in path_policies
// entries. A file larger than 1 MiB is refused. The format follows the
// file's extension: .json, .yaml or .yml.
//
// YAML is read by corskit's own decoder, for the part of YAML that policy
// files need: block and flow mappings and lists, plain and quoted values on
// one line, comments. It refuses, naming the line and what to write
// instead, what it does not read: anchors and aliases (so write "*" in
// quotes), tags, block scalars (| and >), merge keys, several documents,
// and values that YAML would read as floats or dates. Whatever it accepts,
// go.yaml.in/yaml/v3 reads the same way.
//
// Functions and loggers cannot be written in a file: pass them in a base
// [core.Config] to [Open], [Reload] and [Watch], which merge them into every
// policy they load. The base's OriginFunc and HeaderFunc serve the policy at
// the top of the file; its Logger and OnReject serve every path policy.
//
//	base := core.Config{Logger: logger, OriginFunc: cache.Allow}
//	h, err := policyfile.Open("cors.yaml", base)
//	if err != nil {
//		log.Fatal(err) // names the file and every problem in it
//	}
//	go policyfile.Watch(ctx, "cors.yaml", h, policyfile.Options{
//		Base:    base,
//		Signals: []os.Signal{syscall.SIGHUP},
//	})
//	handler := corshttp.Dynamic(h)(mux)
//
// A file is checked with [core.Compile] before it is served. A file with
// problems is reported, with the file name and every problem, and the
// policy already serving keeps serving. The corskit command checks a file
// without serving it: corskit lint cors.yaml.
//
// The package is a module of its own, so that only its users get fsnotify
// in their module graph:
//
//	go get github.com/corskit/corskit/core/policyfile
package policyfile

import (
	"errors"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/internal/policyformat"
)

// File is the format of a policy file: the keys of a [Policy], which serve
// the paths no path policy serves, and path_policies, a list of
// [PathPolicy]. The json tags of the three are the file's keys:
//
//	origins, credentials, methods, headers, expose_headers, max_age,
//	no_preflight_cache, private_network, preflight_status,
//	preflight_failure_status, reject_disallowed, reject_status,
//	cross_origin_protection, preflight_passthrough, path_policies
//
// and, in an entry of path_policies, name and paths besides the keys of
// its policy. Each sets the [core.Config] (or [core.PathPolicy]) field of
// the same name; File.Config returns that Config. The yaml tags equal the
// json tags, so a program may also write (or read) a File with
// encoding/json or go.yaml.in/yaml/v3; [Load] and [Parse] read files more
// strictly than either.
type File = policyformat.File

// Policy is the keys of one policy, embedded in [File] and [PathPolicy]:
// the data fields of [core.Config].
type Policy = policyformat.Policy

// PathPolicy is one entry of path_policies: a name, the paths it serves,
// and the keys of its policy, inline.
type PathPolicy = policyformat.PathPolicy

// A Duration is a time.Duration written in a policy file either as a Go
// duration string ("10m", "1h30m") or as a whole number of seconds (600).
type Duration = policyformat.Duration

// An Error is one problem with a policy file: it cannot be read or parsed,
// or its policy does not compile, in which case Err is the
// [*core.ConfigError] that [core.Compile] returned. errors.Is and
// errors.As see through an Error to it.
type Error struct {
	Path string // the file, as given
	Err  error
}

// Error names the file and, for a policy problem, the file's keys rather
// than the Go names of core.Config; for example:
//
//	corskit: cors.yaml: origins[0] "https://App.example.com": not written the way browsers send it (upper case); write "https://app.example.com"
func (e *Error) Error() string {
	var ce *core.ConfigError
	if errors.As(e.Err, &ce) {
		return "corskit: " + e.Path + ": " + ce.Text(policyformat.Key)
	}
	return "corskit: " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Load reads the policy file at path and returns its policy, after
// checking it with [core.Compile]. If the file has problems, Load returns
// every one of them, joined with [errors.Join], each an [*Error]. A file
// larger than 1 MiB is refused without being read whole.
func Load(path string) (core.Config, error) {
	data, err := readFile(path)
	if err != nil {
		return core.Config{}, err
	}
	return Parse(path, data)
}

// maxFileSize bounds what is read of a policy file: a policy is a few
// hundred bytes, and a file that is not one must not cost memory.
const maxFileSize = policyformat.MaxSize

// readFile reads the policy file at path, up to maxFileSize bytes.
func readFile(path string) ([]byte, error) {
	data, err := policyformat.ReadFile(path)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	return data, nil
}

// Parse is [Load] for a file already read, such as one embedded in the
// program: name gives the format (by its extension) and is used in errors.
func Parse(name string, data []byte) (core.Config, error) {
	cfg, err := decode(name, data)
	if err != nil {
		return core.Config{}, err
	}
	if _, err := core.Compile(cfg); err != nil {
		return core.Config{}, fileErrors(name, err)
	}
	return cfg, nil
}

// decode parses data without checking the policy. Its errors are *Error,
// one per problem.
func decode(name string, data []byte) (core.Config, error) {
	doc, err := policyformat.Decode(name, data)
	if err != nil {
		return core.Config{}, fileErrors(name, err)
	}
	return doc.Config(), nil
}

// fileErrors wraps each problem of err (of policyformat.Decode or
// core.Compile, several joined with errors.Join) in an *Error naming the
// file.
func fileErrors(path string, err error) error {
	list := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	}
	out := make([]error, len(list))
	for i, e := range list {
		out[i] = &Error{Path: path, Err: e}
	}
	return errors.Join(out...)
}
