package core

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// The kinds of configuration problem [Compile] reports. Each [*ConfigError]
// wraps one of them, so errors.Is(err, core.ErrOriginNotCanonical) tells
// what went wrong without parsing messages; the ConfigError's Detail and
// Fix say the rest.
var (
	ErrOriginMalformed       = errors.New("not a serialized origin")                                                // a path, query, user info, no scheme, a bad host or port
	ErrOriginNotCanonical    = errors.New("not written the way browsers send it")                                   // upper case, trailing slash, default port, odd IP form; Fix has the right form
	ErrOriginScheme          = errors.New("unsupported scheme")                                                     // not a scheme browsers use for origins
	ErrOriginPattern         = errors.New("unsupported wildcard")                                                   // a "*" where patterns cannot have one
	ErrPublicSuffixPattern   = errors.New("subdomain pattern over a public suffix allows sites you do not control") // "https://*.co.uk"
	ErrAnyOriginMixed        = errors.New(`"*" must be the only origin`)                                            // "*" with other origins, or with OriginFunc
	ErrCredentialsAnyOrigin  = errors.New(`credentials cannot be allowed for any origin ("*")`)                     // browsers refuse it; echoing every origin would be worse
	ErrCredentialsNullOrigin = errors.New(`credentials cannot be allowed for the "null" origin`)                    // any site can send "null" from a sandboxed iframe
	ErrCredentialsExposeAll  = errors.New(`ExposeHeaders "*" does not work with credentials`)                       // browsers read it as a header named "*"
	ErrCredentialsNoOrigin   = errors.New("credentials allowed, but no origin is")                                  // Credentials with neither Origins nor OriginFunc
	ErrWildcardMixed         = errors.New(`"*" must be the only entry`)                                             // "*" with other methods or headers
	ErrMethodInvalid         = errors.New("not a valid method name")                                                // not an HTTP token
	ErrMethodForbidden       = errors.New("forbidden method")                                                       // CONNECT, TRACE, TRACK
	ErrMethodCase            = errors.New("well-known method not in upper case")                                    // "patch": methods compare case-sensitively
	ErrHeaderInvalid         = errors.New("not a valid header name")                                                // not an HTTP token, or too long
	ErrHeaderForbidden       = errors.New("header is controlled by the browser")                                    // Cookie, Sec-*, or Set-Cookie exposed
	ErrStatusInvalid         = errors.New("invalid status code")                                                    // a status that does not fit its field
	ErrMaxAgeInvalid         = errors.New("invalid max age")                                                        // negative, under a second, or with NoPreflightCache
	ErrPathPolicyInvalid     = errors.New("invalid path policy")                                                    // no name, no path, nested, or with its own Logger or OnReject
	ErrPathInvalid           = errors.New("not a path routers can match")                                           // not rooted, not clean, encoded, a wildcard, or "/"
	ErrPathConflict          = errors.New("path served by two policies")                                            // the same path, up to case and trailing slash, in two entries
)

// A ConfigError is one problem in a [Config]. [Compile] joins every
// ConfigError it finds with [errors.Join]; use [errors.As] to inspect one and
// [errors.Is] with the Err* variables to test for a kind of problem.
type ConfigError struct {
	Field  string // the Config field, with an index for lists: "Origins[2]", "PathPolicies[1].Paths[0]"
	Value  string // the offending value as written
	Err    error  // one of the Err* variables of this package
	Detail string // what exactly is wrong, if Err alone does not say it
	Fix    string // what to write instead, if there is one answer

	// detail and fix are Detail and Fix with each Config field they
	// mention written {Name}, for Text.
	detail, fix string
}

// Error reads, for example:
//
//	corskit: Origins[2] "https://App.example.com/": not written the way browsers send it (upper case, trailing slash); write "https://app.example.com"
func (e *ConfigError) Error() string { return "corskit: " + e.Text(nil) }

// Text is the message of Error without its "corskit: " prefix, with every
// Config or PathPolicy field it names, in Field and in the explanation,
// spelled by name:
// name("RejectDisallowed") might return "reject_disallowed" for a program
// that reads policies from a file or the environment with keys of its own.
// A nil name, or one returning "", keeps the Go names.
func (e *ConfigError) Text(name func(field string) string) string {
	spell := func(field string) string {
		if name != nil {
			if s := name(field); s != "" {
				return s
			}
		}
		return field
	}
	var b strings.Builder
	indexed := false
	for i, part := range strings.Split(e.Field, ".") {
		if i > 0 {
			b.WriteByte('.')
		}
		field, index, ok := strings.Cut(part, "[")
		b.WriteString(spell(field))
		if indexed = ok; ok {
			b.WriteByte('[')
			b.WriteString(index)
		}
	}
	if e.Value != "" || indexed {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(e.Value))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	detail, fix := e.Detail, e.Fix
	if e.detail != "" || e.fix != "" {
		detail, fix = render(e.detail, spell), render(e.fix, spell)
	}
	if detail != "" {
		b.WriteString(" (")
		b.WriteString(detail)
		b.WriteByte(')')
	}
	if fix != "" {
		b.WriteString("; ")
		b.WriteString(fix)
	}
	return b.String()
}

// render replaces each {Name} in s, where Name is a field of Config, with
// name(Name); other braces stay as they are.
func render(s string, name func(string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		field := s[i+1 : i+j]
		if _, ok := pathPolicyFields.FieldByName(field); !ok || field == "" {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString(name(field))
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// pathPolicyFields has the fields of PathPolicy and, promoted, those of
// Config.
var pathPolicyFields = reflect.TypeFor[PathPolicy]()

// Unwrap returns Err, so that errors.Is matches the Err* variables.
func (e *ConfigError) Unwrap() error { return e.Err }

// problems collects ConfigErrors while compiling.
type problems []error

// add records a problem. detail and fix write the Config fields they
// mention as {Name}; see ConfigError.Text.
func (ps *problems) add(field, value string, err error, detail, fix string) {
	goNames := func(name string) string { return name }
	*ps = append(*ps, &ConfigError{
		Field: field, Value: value, Err: err,
		Detail: render(detail, goNames), Fix: render(fix, goNames),
		detail: detail, fix: fix,
	})
}

func indexed(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
