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
// [File] lists every key. Unknown keys are errors, so a misspelt key never
// leaves a default in force; so are a key written twice and, in JSON, a key
// in another letter case, which encoding/json would otherwise take. A file
// larger than 1 MiB is refused. The format follows the file's extension:
// .json, .yaml or .yml.
//
// Functions and loggers cannot be written in a file: pass them in a base
// [core.Config] to [Open], [Reload] and [Watch], which merge them into every
// policy they load.
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
// policy already serving keeps serving.
//
// The package is a module of its own, so that only its users get a YAML
// parser (go.yaml.in/yaml/v3) and fsnotify in their module graph:
//
//	go get github.com/corskit/corskit/core/policyfile
package policyfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/corskit/corskit/core"
	"go.yaml.in/yaml/v3"
)

// File is the format of a policy file. Each field is the [core.Config]
// field of the same name; see there for what it means. Field names are
// the file's keys.
type File struct {
	Origins                []string `json:"origins,omitempty" yaml:"origins,omitempty"`
	Credentials            bool     `json:"credentials,omitempty" yaml:"credentials,omitempty"`
	Methods                []string `json:"methods,omitempty" yaml:"methods,omitempty"`
	Headers                []string `json:"headers,omitempty" yaml:"headers,omitempty"`
	ExposeHeaders          []string `json:"expose_headers,omitempty" yaml:"expose_headers,omitempty"`
	MaxAge                 Duration `json:"max_age,omitempty" yaml:"max_age,omitempty"`
	NoPreflightCache       bool     `json:"no_preflight_cache,omitempty" yaml:"no_preflight_cache,omitempty"`
	PrivateNetwork         bool     `json:"private_network,omitempty" yaml:"private_network,omitempty"`
	PreflightStatus        int      `json:"preflight_status,omitempty" yaml:"preflight_status,omitempty"`
	PreflightFailureStatus int      `json:"preflight_failure_status,omitempty" yaml:"preflight_failure_status,omitempty"`
	RejectDisallowed       bool     `json:"reject_disallowed,omitempty" yaml:"reject_disallowed,omitempty"`
	RejectStatus           int      `json:"reject_status,omitempty" yaml:"reject_status,omitempty"`
	PreflightPassthrough   bool     `json:"preflight_passthrough,omitempty" yaml:"preflight_passthrough,omitempty"`
}

// Config returns the core.Config that f describes, without functions.
func (f *File) Config() core.Config {
	return core.Config{
		Origins:                f.Origins,
		Credentials:            f.Credentials,
		Methods:                f.Methods,
		Headers:                f.Headers,
		ExposeHeaders:          f.ExposeHeaders,
		MaxAge:                 time.Duration(f.MaxAge),
		NoPreflightCache:       f.NoPreflightCache,
		PrivateNetwork:         f.PrivateNetwork,
		PreflightStatus:        f.PreflightStatus,
		PreflightFailureStatus: f.PreflightFailureStatus,
		RejectDisallowed:       f.RejectDisallowed,
		RejectStatus:           f.RejectStatus,
		PreflightPassthrough:   f.PreflightPassthrough,
	}
}

// keys maps core.Config field names to file keys, for error messages.
var keys = map[string]string{
	"Origins":                "origins",
	"Credentials":            "credentials",
	"Methods":                "methods",
	"Headers":                "headers",
	"ExposeHeaders":          "expose_headers",
	"MaxAge":                 "max_age",
	"NoPreflightCache":       "no_preflight_cache",
	"PrivateNetwork":         "private_network",
	"PreflightStatus":        "preflight_status",
	"PreflightFailureStatus": "preflight_failure_status",
	"RejectDisallowed":       "reject_disallowed",
	"RejectStatus":           "reject_status",
	"PreflightPassthrough":   "preflight_passthrough",
}

// A Duration is a time.Duration written in a policy file either as a Go
// duration string ("10m", "1h30m") or as a whole number of seconds (600).
type Duration time.Duration

// UnmarshalJSON reads a duration string or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		return d.parse(s, false)
	}
	return d.parse(string(b), true)
}

// UnmarshalYAML reads a duration string or a number of seconds.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: max_age: want a duration such as \"10m\" or a number of seconds", n.Line)
	}
	var err error
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!int":
		err = d.parse(n.Value, true)
	default:
		err = d.parse(n.Value, false)
	}
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	return nil
}

func (d *Duration) parse(s string, seconds bool) error {
	if seconds {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
			return fmt.Errorf("max_age: %s: want a whole number of seconds or a duration such as \"10m\"", s)
		}
		*d = Duration(time.Duration(n) * time.Second)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("max_age: %q: want a duration such as \"10m\" or \"1h30m\", or a number of seconds", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a string, such as "10m0s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// MarshalYAML writes the duration as a string, such as "10m0s".
func (d Duration) MarshalYAML() (any, error) {
	return time.Duration(d).String(), nil
}

// An Error is one problem with a policy file: it cannot be read or parsed,
// or its policy does not compile. Err is then a [*core.ConfigError] whose
// Field is written as the file's key, such as "origins[2]"; errors.Is and
// errors.As see through an Error to it.
type Error struct {
	Path string // the file, as given
	Err  error
}

// Error reads, for example:
//
//	corskit: cors.yaml: origins[0] "https://App.example.com": not written the way browsers send it (upper case); write "https://app.example.com"
func (e *Error) Error() string {
	return "corskit: " + e.Path + ": " + strings.TrimPrefix(e.Err.Error(), "corskit: ")
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
const maxFileSize = 1 << 20

var errTooLarge = errors.New("the file is larger than 1 MiB; a policy file holds a few hundred bytes")

// readFile reads the policy file at path, up to maxFileSize bytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, readError(path, err)
	}
	if len(data) > maxFileSize {
		return nil, &Error{Path: path, Err: errTooLarge}
	}
	return data, nil
}

// readError wraps an error of os.ReadFile without repeating the path.
func readError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return &Error{Path: path, Err: err}
}

// Parse is [Load] for a file already read, such as one embedded in the
// program: name gives the format (by its extension) and is used in errors.
func Parse(name string, data []byte) (core.Config, error) {
	if len(data) > maxFileSize {
		return core.Config{}, &Error{Path: name, Err: errTooLarge}
	}
	cfg, err := decode(name, data)
	if err != nil {
		return core.Config{}, err
	}
	if _, err := core.Compile(cfg); err != nil {
		return core.Config{}, fileErrors(name, err)
	}
	return cfg, nil
}

// decode parses data without checking the policy.
func decode(name string, data []byte) (core.Config, error) {
	var f File
	var err error
	if len(bytes.TrimSpace(data)) == 0 {
		// An editor saving in two steps can leave the file empty for a
		// moment; an empty file is never taken for the closed policy.
		err = errors.New("the file is empty; write {} for a policy that allows nothing")
	} else {
		switch ext := strings.ToLower(filepath.Ext(name)); ext {
		case ".json":
			err = decodeJSON(data, &f)
		case ".yaml", ".yml":
			err = decodeYAML(data, &f)
		default:
			err = fmt.Errorf("unknown format %q; name the file .json, .yaml or .yml", ext)
		}
	}
	if err != nil {
		return core.Config{}, &Error{Path: name, Err: err}
	}
	return f.Config(), nil
}

func decodeJSON(data []byte, f *File) error {
	// encoding/json matches keys in any letter case and lets a repeated key
	// win; a policy file is read the way YAML is: exact keys, each once.
	if err := checkJSONKeys(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the policy object")
	}
	return nil
}

// checkJSONKeys refuses a top-level key written twice, or in another letter
// case than the file key. Other problems are left to the decoder.
func checkJSONKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	seen := make(map[string]bool)
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := t.(string)
		for _, k := range keys {
			if key != k && strings.EqualFold(key, k) {
				return fmt.Errorf("key %q: keys are lower case; write %q", key, k)
			}
		}
		if seen[key] {
			return fmt.Errorf("key %q appears twice; write it once", key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
	}
	return nil
}

func decodeYAML(data []byte, f *File) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil {
		return err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return errors.New("unexpected second document; a policy file holds one")
	}
	return nil
}

// fileErrors rewrites the errors of core.Compile as *Errors naming the file
// and the file's keys.
func fileErrors(path string, err error) error {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]error, len(list))
	for i, e := range list {
		var ce *core.ConfigError
		if errors.As(e, &ce) {
			c := *ce
			c.Field = fileKey(c.Field)
			c.Detail = goNames.ReplaceAllStringFunc(c.Detail, fileKey)
			c.Fix = goNames.ReplaceAllStringFunc(c.Fix, fileKey)
			e = &c
		}
		out[i] = &Error{Path: path, Err: e}
	}
	return errors.Join(out...)
}

// goNames matches the Config field names that have a file key, as whole
// words, in the explanations of ConfigErrors.
var goNames = func() *regexp.Regexp {
	names := make([]string, 0, len(keys))
	for name := range keys {
		names = append(names, name)
	}
	return regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\b`)
}()

// fileKey turns a Config field such as "Origins[2]" into the file key
// "origins[2]". Fields the file does not have stay as they are.
func fileKey(field string) string {
	name, index, _ := strings.Cut(field, "[")
	if k, ok := keys[name]; ok {
		if index != "" {
			return k + "[" + index
		}
		return k
	}
	return field
}
