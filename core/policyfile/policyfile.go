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
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/corskit/corskit/core"
	"go.yaml.in/yaml/v3"
)

// File is the format of a policy file. Each field is the [core.Config]
// field of the same name; see there for what it means. The tags are the
// file's keys, here and in error messages: a Config field becomes
// writable in files by adding it here, and nowhere else.
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

// Config returns the core.Config that f describes, without functions:
// each File field sets the Config field of the same name.
func (f *File) Config() core.Config {
	var cfg core.Config
	src, dst := reflect.ValueOf(f).Elem(), reflect.ValueOf(&cfg).Elem()
	for i := range src.NumField() {
		to := dst.FieldByName(src.Type().Field(i).Name)
		to.Set(src.Field(i).Convert(to.Type())) // Duration to time.Duration
	}
	return cfg
}

// keys maps core.Config field names to the file's keys, read from File's
// json tags, which TestFile_mirrorsConfig holds equal to the yaml tags.
var keys = func() map[string]string {
	t := reflect.TypeFor[File]()
	m := make(map[string]string, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		m[f.Name], _, _ = strings.Cut(f.Tag.Get("json"), ",")
	}
	return m
}()

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
		return "corskit: " + e.Path + ": " + ce.Text(func(field string) string { return keys[field] })
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

// fileErrors wraps each error of core.Compile in an *Error naming the file.
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
