// Package policyformat owns corskit's policy file format: the keys a JSON
// or YAML policy file may hold, how a file is read (strictly: unknown,
// repeated and other-case keys are errors, and so is a file over 1 MiB),
// and how it becomes a [core.Config]. It uses the standard library only,
// so that the root module can read policy files (cmd/corskit lint and
// explain do) without a YAML dependency; it reads YAML with a decoder of
// its own for the part of YAML that policy files need (see [ParseYAML]).
//
// Package github.com/corskit/corskit/core/policyfile, which loads and
// reloads policy files while a server runs, reads them with this package,
// and documents the format for users.
//
// A policy file in YAML:
//
//	origins: [https://app.example.com]
//	credentials: true
//	max_age: 10m
//	path_policies:
//	  - name: public
//	    paths: [/public/, /health]
//	    origins: ["*"]
//	  - name: admin
//	    paths: [/admin/]
//
// The keys are the json tags of [Policy], [PathPolicy] and [File]: one place
// defines them, and [Key] spells a Go field name as its key for
// [core.ConfigError.Text].
package policyformat

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
)

// Policy holds the keys of one policy, at the top of a file and in each
// entry of path_policies. Each field is the [core.Config] field of the
// same name; see there for what it means. The json tags are the file's
// keys, here and in error messages (the yaml tags, which must equal them,
// let go.yaml.in/yaml/v3 decode a File too): a Config field becomes
// writable in files by adding it here, and nowhere else.
type Policy struct {
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
	CrossOriginProtection  bool     `json:"cross_origin_protection,omitempty" yaml:"cross_origin_protection,omitempty"`
	PreflightPassthrough   bool     `json:"preflight_passthrough,omitempty" yaml:"preflight_passthrough,omitempty"`
}

// A PathPolicy is one entry of path_policies: the [core.PathPolicy] of the
// same fields, with the policy keys written inline, next to name and
// paths.
type PathPolicy struct {
	Name   string   `json:"name" yaml:"name"`
	Paths  []string `json:"paths" yaml:"paths"`
	Policy `yaml:",inline"`
}

// File is the format of a policy file: the keys of a [Policy], which serve
// the paths no path policy serves, and path_policies.
type File struct {
	Policy       `yaml:",inline"`
	PathPolicies []PathPolicy `json:"path_policies,omitempty" yaml:"path_policies,omitempty"`
}

// Config returns the core.Config that f describes, without functions:
// each field sets the Config field of the same name.
func (f *File) Config() core.Config {
	cfg := f.Policy.config()
	if f.PathPolicies != nil {
		cfg.PathPolicies = make([]core.PathPolicy, len(f.PathPolicies))
		for i, pp := range f.PathPolicies {
			cfg.PathPolicies[i] = core.PathPolicy{Name: pp.Name, Paths: pp.Paths, Config: pp.Policy.config()}
		}
	}
	return cfg
}

// config sets each Config field from the Policy field of the same name.
func (p *Policy) config() core.Config {
	var cfg core.Config
	src, dst := reflect.ValueOf(p).Elem(), reflect.ValueOf(&cfg).Elem()
	for i := range src.NumField() {
		to := dst.FieldByName(src.Type().Field(i).Name)
		to.Set(src.Field(i).Convert(to.Type())) // Duration to time.Duration
	}
	return cfg
}

// keys maps the Go names of the fields of Policy, PathPolicy and File to
// their keys, read from the json tags.
var keys = func() map[string]string {
	m := make(map[string]string)
	for _, t := range []reflect.Type{reflect.TypeFor[File](), reflect.TypeFor[PathPolicy]()} {
		for _, f := range reflect.VisibleFields(t) {
			if key := tagKey(f); key != "" {
				m[f.Name] = key
			}
		}
	}
	return m
}()

// tagKey returns the key of a field, from its json tag.
func tagKey(f reflect.StructField) string {
	if f.Anonymous {
		return ""
	}
	key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return key
}

// Key returns the file key of a Go field name of core.Config or
// core.PathPolicy, such as "max_age" for "MaxAge", or "" for a field that
// files cannot hold (OriginFunc, Logger). Use it to spell a
// [core.ConfigError] with the keys of the file:
//
//	ce.Text(policyformat.Key) // path_policies[1].origins[0] "…": …
func Key(field string) string { return keys[field] }

// A Duration is a time.Duration written in a policy file either as a Go
// duration string ("10m", "1h30m") or as a whole number of seconds (600).
type Duration time.Duration

// UnmarshalJSON reads a duration string or a number of seconds, for
// programs that decode a File with encoding/json.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := string(b)
	switch {
	case s == "null":
		return nil
	case strings.HasPrefix(s, `"`):
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		return d.parse(v)
	}
	return d.seconds(s)
}

// UnmarshalYAML reads a duration string or a number of seconds, for
// programs that decode a File with go.yaml.in/yaml/v3 (or gopkg.in/yaml.v2),
// through the unmarshal function those packages pass; it needs neither.
func (d *Duration) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return d.parse(v)
	case int:
		return d.seconds(strconv.Itoa(v))
	}
	return fmt.Errorf("max_age: %v: want a duration such as \"10m\" or a whole number of seconds", v)
}

// seconds sets d from a whole number of seconds.
func (d *Duration) seconds(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
		return fmt.Errorf("max_age: %s: want a whole number of seconds or a duration such as \"10m\"", s)
	}
	*d = Duration(time.Duration(n) * time.Second)
	return nil
}

// parse sets d from a Go duration string.
func (d *Duration) parse(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("max_age: %q: want a duration such as \"10m\" or \"1h30m\", or a number of seconds", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a string, such as "10m0s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(time.Duration(d).String())), nil
}

// MarshalYAML writes the duration as a string, such as "10m0s".
func (d Duration) MarshalYAML() (any, error) {
	return time.Duration(d).String(), nil
}

// MaxSize bounds what is read of a policy file: a policy is a few hundred
// bytes, and a file that is not one must not cost memory.
const MaxSize = 1 << 20

// ErrTooLarge is the problem of a file larger than MaxSize.
var ErrTooLarge = errors.New("the file is larger than 1 MiB; a policy file holds a few hundred bytes")

// ReadFile reads the file at path, up to MaxSize bytes; a larger file is
// refused with ErrTooLarge without being read whole. Its errors do not
// repeat the path: "open: no such file or directory" (errors.Is sees the
// fs error).
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unpath(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, unpath(err)
	}
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// unpath drops the path from an *fs.PathError, whose caller names it.
func unpath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// A Problem is one thing wrong in a policy file that keeps it from being
// read: its syntax, an unknown key, a value of the wrong type. (What is
// wrong with the policy it describes is core.Compile's to say.)
type Problem struct {
	Line int    // 1-based; 0 when it concerns the whole file
	Key  string // the key it concerns, such as "path_policies[1].origins[0]"; "" if none
	Msg  string // what is wrong and, where there is one answer, what to write instead
}

// Error reads, for example:
//
//	line 4: path_policies[0].max_age: "ten minutes": want a duration such as "10m" or "1h30m", or a number of seconds
func (p *Problem) Error() string {
	s := p.Text()
	if p.Line > 0 {
		s = "line " + strconv.Itoa(p.Line) + ": " + s
	}
	return s
}

// Text is Error without the line.
func (p *Problem) Text() string {
	if p.Key != "" {
		return p.Key + ": " + p.Msg
	}
	return p.Msg
}

// A Document is a decoded policy file: its File, and where each value was
// written.
type Document struct {
	File  File
	lines map[string]int // Go field paths ("PathPolicies[1].Origins[0]") to lines
}

// Config returns the policy the file describes; see [File.Config].
func (d *Document) Config() core.Config { return d.File.Config() }

// Line returns the line where the value of field was written, field being
// a Go field path such as [core.ConfigError] names ("Origins[2]",
// "PathPolicies[1].Paths[0]"); or, if that value is not in the file, the
// line of the nearest enclosing one; or 0.
func (d *Document) Line(field string) int {
	for field != "" {
		if l, ok := d.lines[field]; ok {
			return l
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 0
}

// Format returns the format of a file named name, "json" or "yaml", from
// its extension (.json, .yaml or .yml, in any case); or an error saying
// how to name it.
func Format(name string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".json":
		return "json", nil
	case ".yaml", ".yml":
		return "yaml", nil
	default:
		return "", fmt.Errorf("unknown format %q; name the file .json, .yaml or .yml", ext)
	}
}

// Decode reads a policy file, whose name gives the format by its
// extension: .json, or .yaml and .yml. It does not check the policy (that
// is core.Compile's work). If the file cannot be read, Decode returns
// every problem found, each a [*Problem] (several joined with
// [errors.Join]), or the error of a file that is empty, too large or of an
// unknown format.
func Decode(name string, data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	format, err := Format(name)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		// An editor saving in two steps can leave the file empty for a
		// moment; an empty file is never taken for the closed policy.
		return nil, errors.New("the file is empty; write {} for a policy that allows nothing")
	}
	var root *node
	if format == "json" {
		root, err = parseJSON(data)
	} else {
		root, err = parseYAML(data)
	}
	if err != nil {
		return nil, err
	}
	b := binder{format: format, lines: make(map[string]int)}
	doc := &Document{lines: b.lines}
	b.file(root, &doc.File)
	if problems := b.result(); len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return doc, nil
}
