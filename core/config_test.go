package core

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCompile_errors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		cfg     Config
		field   string // the ConfigError's Field
		want    error
		message string // a part of the message
	}{
		// Origins: malformed
		{"origin with path", Config{Origins: []string{"https://a.example/api"}}, "Origins[0]", ErrOriginMalformed, `has a path); write "https://a.example"`},
		{"origin with query", Config{Origins: []string{"https://a.example?x=1"}}, "Origins[0]", ErrOriginMalformed, "has a query"},
		{"origin with fragment", Config{Origins: []string{"https://a.example#top"}}, "Origins[0]", ErrOriginMalformed, "has a fragment"},
		{"origin with user info", Config{Origins: []string{"https://user@a.example"}}, "Origins[0]", ErrOriginMalformed, `has user info); write "https://a.example"`},
		{"origin with trailing slash", Config{Origins: []string{"https://a.example/"}}, "Origins[0]", ErrOriginNotCanonical, `trailing slash); write "https://a.example"`},
		{"origin in upper case", Config{Origins: []string{"https://App.Example"}}, "Origins[0]", ErrOriginNotCanonical, `upper case); write "https://app.example"`},
		{"scheme in upper case", Config{Origins: []string{"HTTPS://app.example"}}, "Origins[0]", ErrOriginNotCanonical, `write "https://app.example"`},
		{"origin without scheme", Config{Origins: []string{"app.example"}}, "Origins[0]", ErrOriginMalformed, `write it as "https://app.example"`},
		{"origin with unknown scheme", Config{Origins: []string{"ftp://app.example"}}, "Origins[0]", ErrOriginScheme, "web origins are http or https"},
		{"origin with white space", Config{Origins: []string{" https://app.example"}}, "Origins[0]", ErrOriginMalformed, `write "https://app.example"`},
		{"origin with inner white space", Config{Origins: []string{"https://app .example"}}, "Origins[0]", ErrOriginMalformed, "white space"},
		{"origin with default https port", Config{Origins: []string{"https://app.example:443"}}, "Origins[0]", ErrOriginNotCanonical, `default port spelled out); write "https://app.example"`},
		{"origin with default http port", Config{Origins: []string{"http://app.example:80"}}, "Origins[0]", ErrOriginNotCanonical, `write "http://app.example"`},
		{"origin with port out of range", Config{Origins: []string{"http://app.example:70000"}}, "Origins[0]", ErrOriginMalformed, "port out of range"},
		{"origin with leading zero port", Config{Origins: []string{"http://app.example:080"}}, "Origins[0]", ErrOriginMalformed, "invalid port"},
		{"origin with empty port", Config{Origins: []string{"http://app.example:"}}, "Origins[0]", ErrOriginMalformed, "empty port"},
		{"origin with empty host", Config{Origins: []string{"https://"}}, "Origins[0]", ErrOriginMalformed, "empty host"},
		{"origin with empty label", Config{Origins: []string{"https://app..example"}}, "Origins[0]", ErrOriginMalformed, "empty label"},
		{"unicode host", Config{Origins: []string{"https://bücher.example"}}, "Origins[0]", ErrOriginNotCanonical, `non-ASCII host); write the host in the ASCII form browsers send, each non-ASCII label as "xn--"`},
		{"unicode subdomain pattern", Config{Origins: []string{"https://*.bücher.example"}}, "Origins[0]", ErrOriginNotCanonical, `each non-ASCII label as "xn--"`},
		{"non-canonical IPv6", Config{Origins: []string{"http://[0:0::1]:8080"}}, "Origins[0]", ErrOriginNotCanonical, `write "http://[::1]:8080"`},
		{"IPv4 shorthand", Config{Origins: []string{"http://127.1"}}, "Origins[0]", ErrOriginNotCanonical, `four decimal numbers); write "http://127.0.0.1"`},
		{"IPv4 in hexadecimal", Config{Origins: []string{"http://0x7f.0.0.1:8080"}}, "Origins[0]", ErrOriginNotCanonical, `write "http://127.0.0.1:8080"`},
		{"IPv4 as one number", Config{Origins: []string{"http://2130706433"}}, "Origins[0]", ErrOriginNotCanonical, `write "http://127.0.0.1"`},
		{"IPv4 in octal", Config{Origins: []string{"http://0177.0.0.01"}}, "Origins[0]", ErrOriginNotCanonical, `write "http://127.0.0.1"`},
		{"IPv4 out of range", Config{Origins: []string{"http://1.2.3.256"}}, "Origins[0]", ErrOriginNotCanonical, "four decimal numbers"},
		{"host ending in a number", Config{Origins: []string{"https://example.123"}}, "Origins[0]", ErrOriginNotCanonical, "four decimal numbers"},
		{"IPv4-mapped IPv6 with a dotted tail", Config{Origins: []string{"http://[::ffff:1.2.3.4]"}}, "Origins[0]", ErrOriginNotCanonical, `write "http://[::ffff:102:304]"`},
		{"empty origin", Config{Origins: []string{""}}, "Origins[0]", ErrOriginMalformed, `Origins[0] ""`},
		// Origins: wildcards and credentials
		{"any origin mixed", Config{Origins: []string{"https://a.example", "*"}}, "Origins[1]", ErrAnyOriginMixed, "must be the only origin"},
		{"credentials with any origin", Config{Origins: []string{"*"}, Credentials: true}, "Origins[0]", ErrCredentialsAnyOrigin, "list the origins you trust"},
		{"credentials with null", Config{Origins: []string{"null"}, Credentials: true}, "Origins[0]", ErrCredentialsNullOrigin, `remove "null"`},
		{"pattern over com", Config{Origins: []string{"https://*.com"}}, "Origins[0]", ErrPublicSuffixPattern, "com is a public suffix"},
		{"pattern over co.uk", Config{Origins: []string{"https://*.co.uk"}}, "Origins[0]", ErrPublicSuffixPattern, "co.uk is a public suffix"},
		{"pattern over github.io", Config{Origins: []string{"https://*.github.io"}}, "Origins[0]", ErrPublicSuffixPattern, "github.io"},
		{"wildcard inside a label", Config{Origins: []string{"https://app-*.example.com"}}, "Origins[0]", ErrOriginPattern, "scheme://*.domain"},
		{"wildcard scheme", Config{Origins: []string{"*://app.example.com"}}, "Origins[0]", ErrOriginPattern, ""},
		{"wildcard over an IP", Config{Origins: []string{"http://*.127.0.0.1"}}, "Origins[0]", ErrOriginPattern, "IP address"},
		{"two ports", Config{Origins: []string{"http://localhost:8080:*"}}, "Origins[0]", ErrOriginPattern, "two ports"},
		{"pattern with path", Config{Origins: []string{"https://*.example.com/"}}, "Origins[0]", ErrOriginNotCanonical, `write "https://*.example.com"`},
		{"OriginFunc with any origin", Config{Origins: []string{"*"}, OriginFunc: func(string) bool { return true }}, "OriginFunc", ErrAnyOriginMixed, "never asked"},
		// Methods
		{"invalid method", Config{Methods: []string{"PUT "}}, "Methods[0]", ErrMethodInvalid, `write "PUT"`},
		{"methods in one string", Config{Methods: []string{"PUT, DELETE"}}, "Methods[0]", ErrMethodInvalid, "one name per list entry"},
		{"CONNECT", Config{Methods: []string{"CONNECT"}}, "Methods[0]", ErrMethodForbidden, ""},
		{"trace in lower case", Config{Methods: []string{"trace"}}, "Methods[0]", ErrMethodForbidden, ""},
		{"patch in lower case", Config{Methods: []string{"patch"}}, "Methods[0]", ErrMethodCase, `(servers route "PATCH"); write "PATCH"`},
		{"delete in lower case", Config{Methods: []string{"PUT", "delete"}}, "Methods[1]", ErrMethodCase, `(browsers send it as "DELETE"); write "DELETE"`},
		{"credentials without origins", Config{Credentials: true}, "Credentials", ErrCredentialsNoOrigin, "list the origins you trust in Origins (or give an OriginFunc), or turn Credentials off"},
		{"localhost without scheme", Config{Origins: []string{"localhost:3000"}}, "Origins[0]", ErrOriginMalformed, `write it as "http://localhost:3000"`},
		{"loopback address without scheme", Config{Origins: []string{"127.0.0.1:8080"}}, "Origins[0]", ErrOriginMalformed, `write it as "http://127.0.0.1:8080"`},
		{"TRACK", Config{Methods: []string{"TRACK"}}, "Methods[0]", ErrMethodForbidden, ""},
		{"any method mixed", Config{Methods: []string{"*", "PUT"}}, "Methods[0]", ErrWildcardMixed, ""},
		// Headers
		{"invalid header", Config{Headers: []string{"X-Api-Key:"}}, "Headers[0]", ErrHeaderInvalid, `write "X-Api-Key"`},
		{"header with space", Config{Headers: []string{"X Api"}}, "Headers[0]", ErrHeaderInvalid, ""},
		{"forbidden header Cookie", Config{Headers: []string{"Cookie"}}, "Headers[0]", ErrHeaderForbidden, "scripts cannot set it"},
		{"forbidden header Sec-", Config{Headers: []string{"sec-fetch-mode"}}, "Headers[0]", ErrHeaderForbidden, ""},
		{"forbidden header Proxy-", Config{Headers: []string{"Proxy-Authorization"}}, "Headers[0]", ErrHeaderForbidden, ""},
		{"forbidden header Origin", Config{Headers: []string{"origin"}}, "Headers[0]", ErrHeaderForbidden, ""},
		{"header too long", Config{Headers: []string{"X-" + strings.Repeat("a", maxHeaderNameLen)}}, "Headers[0]", ErrHeaderInvalid, "longer than"},
		{"any header mixed", Config{Headers: []string{"X-A", "*"}}, "Headers[1]", ErrWildcardMixed, ""},
		// Expose headers
		{"expose invalid", Config{ExposeHeaders: []string{"X-Total-Count "}}, "ExposeHeaders[0]", ErrHeaderInvalid, `write "X-Total-Count"`},
		{"expose Set-Cookie", Config{ExposeHeaders: []string{"Set-Cookie"}}, "ExposeHeaders[0]", ErrHeaderForbidden, "never expose"},
		{"expose all with credentials", Config{Origins: []string{"https://a.example"}, Credentials: true, ExposeHeaders: []string{"*"}}, "ExposeHeaders[0]", ErrCredentialsExposeAll, "list the header names"},
		{"expose all mixed", Config{ExposeHeaders: []string{"*", "ETag"}}, "ExposeHeaders[0]", ErrWildcardMixed, ""},
		// Max age
		{"negative max age", Config{MaxAge: -time.Second}, "MaxAge", ErrMaxAgeInvalid, "NoPreflightCache: true"},
		{"sub-second max age", Config{MaxAge: time.Millisecond}, "MaxAge", ErrMaxAgeInvalid, "less than a second"},
		{"max age and no cache", Config{MaxAge: time.Minute, NoPreflightCache: true}, "MaxAge", ErrMaxAgeInvalid, "together with NoPreflightCache"},
		// Statuses
		{"preflight status 3xx", Config{PreflightStatus: 301}, "PreflightStatus", ErrStatusInvalid, "2xx"},
		{"preflight status 403", Config{PreflightStatus: 403}, "PreflightStatus", ErrStatusInvalid, ""},
		{"preflight failure 500", Config{PreflightFailureStatus: 500}, "PreflightFailureStatus", ErrStatusInvalid, ""},
		{"preflight failure 1000", Config{PreflightFailureStatus: 1000}, "PreflightFailureStatus", ErrStatusInvalid, ""},
		{"reject status 200", Config{RejectDisallowed: true, RejectStatus: 200}, "RejectStatus", ErrStatusInvalid, "4xx"},
		{"reject status without rejection", Config{RejectStatus: 403}, "RejectStatus", ErrStatusInvalid, "RejectDisallowed: true"},
		{"negative status", Config{PreflightStatus: -1}, "PreflightStatus", ErrStatusInvalid, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p, err := Compile(c.cfg)
			if p != nil || err == nil {
				t.Fatalf("Compile(%+v): got a policy, want an error", c.cfg)
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("Compile: got %v, want %v", err, c.want)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile: got %T, want a *ConfigError", err)
			}
			if ce.Field != c.field {
				t.Errorf("Field: got %q, want %q", ce.Field, c.field)
			}
			if !strings.Contains(err.Error(), c.message) {
				t.Errorf("message: got %q, want it to contain %q", err.Error(), c.message)
			}
			if !strings.HasPrefix(err.Error(), "corskit: ") {
				t.Errorf("message: got %q, want the prefix %q", err.Error(), "corskit: ")
			}
		})
	}
}

func TestCompile_reportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := Compile(Config{
		Origins:       []string{"https://ok.example", "https://bad.example/", "*"},
		Credentials:   true,
		Methods:       []string{"TRACE"},
		Headers:       []string{"Cookie"},
		ExposeHeaders: []string{"Set-Cookie"},
		MaxAge:        -1,
	})
	var all []*ConfigError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *ConfigError
		if !errors.As(e, &ce) {
			t.Fatalf("joined error %v is a %T, want *ConfigError", e, e)
		}
		all = append(all, ce)
	}
	var fields []string
	for _, ce := range all {
		fields = append(fields, ce.Field)
	}
	want := []string{"Origins[1]", "Origins[2]", "Origins[2]", "Methods[0]", "Headers[0]", "ExposeHeaders[0]", "MaxAge"}
	if strings.Join(fields, " ") != strings.Join(want, " ") {
		t.Errorf("fields: got %v, want %v", fields, want)
	}
}

func TestCompile_valid(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cfg  Config
	}{
		{"zero", Config{}},
		{"any origin", Config{Origins: []string{"*"}, ExposeHeaders: []string{"*"}}},
		{"allow-list with credentials", Config{Origins: []string{"https://web.example.com", "https://mobile.example.com", "https://tablet.example.com"}, Credentials: true}},
		{"null without credentials", Config{Origins: []string{"null"}}},
		{"patterns", Config{Origins: []string{"https://*.example.com", "http://localhost:*", "https://*.example.org:*", "https://*.example.net:8443"}}},
		{"IPs", Config{Origins: []string{"http://127.0.0.1:8080", "http://[::1]:3000", "http://[::1]:*"}}},
		{"app schemes", Config{Origins: []string{"capacitor://localhost", "tauri://localhost", "chrome-extension://abcdefghijklmnop"}}},
		{"wildcards with credentials", Config{Origins: []string{"https://a.example"}, Credentials: true, Methods: []string{"*"}, Headers: []string{"*"}}},
		{"methods and headers", Config{Methods: []string{"PUT", "DELETE", "PATCH", "purge"}, Headers: []string{"Content-Type", "authorization", "X-Requested-With"}}},
		{"statuses", Config{PreflightStatus: 200, PreflightFailureStatus: 204, RejectDisallowed: true, RejectStatus: 451}},
		{"failure status 4xx", Config{PreflightFailureStatus: 400}},
		{"no preflight cache", Config{NoPreflightCache: true}},
		{"max age", Config{MaxAge: 2 * time.Hour}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Compile(c.cfg); err != nil {
				t.Errorf("Compile(%+v): %v", c.cfg, err)
			}
		})
	}
}

func TestMustCompile_panics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("MustCompile with an invalid Config did not panic")
		}
	}()
	MustCompile(Config{Origins: []string{"*"}, Credentials: true})
}

// Text spells the Config fields a message names, in Field and in the
// explanation, the way a program reading policies from elsewhere names
// them; braces that do not hold a field name stay.
func TestConfigError_Text(t *testing.T) {
	t.Parallel()
	key := func(field string) string { return strings.ToLower(field) }
	for _, c := range []struct {
		cfg       Config
		want, std string
	}{
		{
			Config{Origins: []string{"https://a.example"}, RejectStatus: 403},
			`rejectstatus "403": invalid status code (has no effect without rejectdisallowed or crossoriginprotection); set rejectdisallowed: true`,
			`corskit: RejectStatus "403": invalid status code (has no effect without RejectDisallowed or CrossOriginProtection); set RejectDisallowed: true`,
		},
		{
			Config{Origins: []string{"https://a.example"}, Headers: []string{"X-{Origins}"}},
			`headers[0] "X-{Origins}": not a valid header name`,
			`corskit: Headers[0] "X-{Origins}": not a valid header name`,
		},
	} {
		_, err := Compile(c.cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("Compile(%+v): got %v, want a ConfigError", c.cfg, err)
		}
		if got := ce.Text(key); got != c.want {
			t.Errorf("Text:\n got %s\nwant %s", got, c.want)
		}
		if got := ce.Error(); got != c.std {
			t.Errorf("Error:\n got %s\nwant %s", got, c.std)
		}
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	key := func(field string) string { return "<" + field + ">" }
	for in, want := range map[string]string{
		"set {RejectDisallowed}: true":  "set <RejectDisallowed>: true",
		"{Origins} and {Credentials}":   "<Origins> and <Credentials>",
		`write "x-{a}" or {} or { or }`: `write "x-{a}" or {} or { or }`,
		"{{Origins}}":                   "{<Origins>}",
		"":                              "",
	} {
		if got := render(in, key); got != want {
			t.Errorf("render(%q) = %q, want %q", in, got, want)
		}
	}
}
