package core

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// The kinds of configuration problem [Compile] reports. Each [*ConfigError]
// wraps exactly one of them, so errors.Is(err, core.ErrOriginNotCanonical)
// tells what went wrong without parsing messages.
var (
	// ErrOriginMalformed: an entry of Config.Origins is not an origin at all:
	// a path, query, fragment or user info, white space, no scheme, an
	// empty or invalid host, or an invalid port.
	ErrOriginMalformed = errors.New("not a serialized origin")

	// ErrOriginNotCanonical: the entry names an origin, but not the way a
	// browser writes it in the Origin header (upper case, a trailing slash,
	// the default port spelled out, a non-canonical IPv6 or Unicode host), so
	// it would never match. The ConfigError's Fix holds the canonical form.
	ErrOriginNotCanonical = errors.New("not written the way browsers send it")

	// ErrOriginScheme: the scheme is not one browsers use for web origins.
	ErrOriginScheme = errors.New("unsupported scheme")

	// ErrOriginPattern: a wildcard in a place corskit does not support.
	ErrOriginPattern = errors.New("unsupported wildcard")

	// ErrPublicSuffixPattern: a subdomain pattern over a public suffix, such
	// as "https://*.com" or "https://*.co.uk", which would allow sites run
	// by anyone.
	ErrPublicSuffixPattern = errors.New("subdomain pattern over a public suffix allows sites you do not control")

	// ErrAnyOriginMixed: "*" listed together with other origins.
	ErrAnyOriginMixed = errors.New(`"*" must be the only origin`)

	// ErrCredentialsAnyOrigin: Credentials with the "*" origin. Browsers
	// refuse credentialed responses with "Access-Control-Allow-Origin: *",
	// and echoing every origin instead would let any site read your users'
	// data.
	ErrCredentialsAnyOrigin = errors.New(`credentials cannot be allowed for any origin ("*")`)

	// ErrCredentialsNullOrigin: Credentials with the "null" origin. Any
	// site can produce a null origin from a sandboxed iframe.
	ErrCredentialsNullOrigin = errors.New(`credentials cannot be allowed for the "null" origin`)

	// ErrCredentialsExposeAll: Credentials with ExposeHeaders "*". With
	// credentials, browsers read "*" as a header literally named "*".
	ErrCredentialsExposeAll = errors.New(`ExposeHeaders "*" does not work with credentials`)

	// ErrWildcardMixed: "*" listed together with other methods or headers.
	ErrWildcardMixed = errors.New(`"*" must be the only entry`)

	// ErrMethodInvalid: a method that is not an HTTP token.
	ErrMethodInvalid = errors.New("not a valid method name")

	// ErrMethodForbidden: CONNECT, TRACE or TRACK, which browsers never send
	// and which must not be opened to other origins.
	ErrMethodForbidden = errors.New("forbidden method")

	// ErrMethodCase: a well-known method not in upper case, such as
	// "patch". Browsers send DELETE, GET, HEAD, OPTIONS, POST and PUT in
	// upper case whatever the page wrote, so the entry never matches; other
	// methods, PATCH among them, are sent as written, and servers route the
	// upper-case name. Methods compare case-sensitively.
	ErrMethodCase = errors.New("well-known method not in upper case")

	// ErrCredentialsNoOrigin: Credentials with neither Origins nor
	// OriginFunc, which allows credentials to nobody.
	ErrCredentialsNoOrigin = errors.New("credentials allowed, but no origin is")

	// ErrHeaderInvalid: a header name that is not an HTTP token.
	ErrHeaderInvalid = errors.New("not a valid header name")

	// ErrHeaderForbidden: a header name browsers control themselves
	// (forbidden request header names such as Cookie or Sec-*, or Set-Cookie
	// as an exposed header); listing it has no effect.
	ErrHeaderForbidden = errors.New("header is controlled by the browser")

	// ErrStatusInvalid: a status code that does not fit the field.
	ErrStatusInvalid = errors.New("invalid status code")

	// ErrMaxAgeInvalid: a negative or sub-second MaxAge, or MaxAge together
	// with NoPreflightCache.
	ErrMaxAgeInvalid = errors.New("invalid max age")
)

// A ConfigError is one problem in a [Config]. [Compile] joins every
// ConfigError it finds with [errors.Join]; use [errors.As] to inspect one and
// [errors.Is] with the Err* variables to test for a kind of problem.
type ConfigError struct {
	Field  string // the Config field, with an index for lists: "Origins[2]"
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
// Config field it names, in Field and in the explanation, spelled by name:
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
	field, index, indexed := strings.Cut(e.Field, "[")
	b.WriteString(spell(field))
	if indexed {
		b.WriteByte('[')
		b.WriteString(index)
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
		if _, ok := configFields.FieldByName(field); !ok || field == "" {
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

var configFields = reflect.TypeFor[Config]()

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
