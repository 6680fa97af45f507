package core

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

// unsafeString returns a string sharing b's bytes, as Fiber's adapter does.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// Policies of the chapter's scenarios, shared by the tables.
var (
	publicAPI = Config{Origins: []string{"*"}, Methods: []string{"PUT", "DELETE"}, Headers: []string{"Content-Type"}, ExposeHeaders: []string{"X-Total-Count"}}
	allowList = Config{
		Origins:       []string{"https://web.example.com", "https://mobile.example.com", "https://tablet.example.com"},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE", "PATCH"},
		Headers:       []string{"Content-Type", "X-Requested-With"},
		ExposeHeaders: []string{"X-Total-Count", "ETag"},
		MaxAge:        10 * time.Minute,
	}
	development = Config{Origins: []string{"http://localhost:*"}, Methods: []string{"PUT"}, Headers: []string{"*"}}
	patterns    = Config{Origins: []string{"https://*.example.com", "https://*.example.org:*", "http://[::1]:*"}}
	nullOrigin  = Config{Origins: []string{"null"}}
	rejecting   = Config{Origins: []string{"https://web.example.com"}, RejectDisallowed: true}
	xHeaders    = Config{Origins: []string{"https://web.example.com"}, HeaderFunc: func(name string) bool { return strings.HasPrefix(name, "x-") }}
	anyHeaders  = Config{Origins: []string{"https://web.example.com"}, Credentials: true, Methods: []string{"*"}, Headers: []string{"*"}}
	privateNet  = Config{Origins: []string{"https://web.example.com"}, PrivateNetwork: true}
	statuses    = Config{Origins: []string{"https://web.example.com"}, PreflightStatus: 200, PreflightFailureStatus: 400, NoPreflightCache: true}
	passthrough = Config{Origins: []string{"https://web.example.com"}, PreflightPassthrough: true, Methods: []string{"PUT"}}
)

func get(origin ...string) Facts {
	return Facts{Method: "GET", Origin: origin, Scheme: "https", Host: "api.example.com", Path: "/posts"}
}

func preflight(origin, method string, headers ...string) Facts {
	f := Facts{Method: "OPTIONS", Origin: []string{origin}, RequestMethod: []string{method}, Scheme: "https", Host: "api.example.com", Path: "/posts"}
	if len(headers) > 0 {
		f.RequestHeaders = headers
	}
	return f
}

func with(f Facts, edit func(*Facts)) Facts { edit(&f); return f }

type decideCase struct {
	name    string
	cfg     Config
	facts   Facts
	kind    Kind
	reason  Reason
	detail  string
	status  int
	headers map[string]string // all the headers set, lines joined with ", "
	vary    string
}

var decideCases = []decideCase{
	// Rule 1: classification.
	{name: "no Origin is not CORS", cfg: allowList, facts: Facts{Method: "GET"}, kind: NotCORS, vary: "Origin"},
	{name: "no Origin with any origin: static answer, no Vary", cfg: publicAPI, facts: Facts{Method: "GET"}, kind: NotCORS,
		headers: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Total-Count"}},
	{name: "OPTIONS without ACRM is actual", cfg: allowList, facts: Facts{Method: "OPTIONS", Origin: []string{"https://web.example.com"}},
		kind: Actual, headers: allowedActual("https://web.example.com"), vary: "Origin"},
	{name: "OPTIONS with empty ACRM is actual", cfg: allowList, facts: with(preflight("https://web.example.com", ""), func(f *Facts) {}),
		kind: Actual, headers: allowedActual("https://web.example.com"), vary: "Origin"},
	{name: "GET with ACRM is actual", cfg: allowList, facts: with(get("https://web.example.com"), func(f *Facts) { f.RequestMethod = []string{"PUT"} }),
		kind: Actual, headers: allowedActual("https://web.example.com"), vary: "Origin"},
	{name: "lower-case options is not a preflight", cfg: allowList, facts: with(preflight("https://web.example.com", "PUT"), func(f *Facts) { f.Method = "options" }),
		kind: Actual, headers: allowedActual("https://web.example.com"), vary: "Origin"},

	// Rule 2: origins.
	{name: "listed origin", cfg: allowList, facts: get("https://mobile.example.com"), kind: Actual, headers: allowedActual("https://mobile.example.com"), vary: "Origin"},
	{name: "unlisted origin", cfg: allowList, facts: get("https://evil.example"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "origin with trailing slash", cfg: allowList, facts: get("https://web.example.com/"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "origin in upper case", cfg: allowList, facts: get("https://WEB.example.com"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "origin with default port", cfg: allowList, facts: get("https://web.example.com:443"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "origin with path", cfg: allowList, facts: get("https://web.example.com/x"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "origin with user info", cfg: allowList, facts: get("https://u@web.example.com"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "origin with control byte", cfg: allowList, facts: get("https://web.example.com\r\nX: y"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "origin with non-ASCII", cfg: allowList, facts: get("https://wéb.example.com"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "empty origin", cfg: allowList, facts: get(""), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "two Origin lines never match", cfg: allowList, facts: get("https://web.example.com", "https://web.example.com"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "two Origin lines with any origin: static answer", cfg: publicAPI, facts: get("https://a.example", "https://b.example"), kind: Actual,
		headers: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Total-Count"}},
	{name: "any origin", cfg: publicAPI, facts: get("https://anyone.example"), kind: Actual,
		headers: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Total-Count"}},
	{name: "subdomain pattern", cfg: patterns, facts: get("https://api.example.com"), kind: Actual, headers: map[string]string{"Access-Control-Allow-Origin": "https://api.example.com"}, vary: "Origin"},
	{name: "subdomain pattern, deep", cfg: patterns, facts: get("https://a.b.c.example.com"), kind: Actual, headers: map[string]string{"Access-Control-Allow-Origin": "https://a.b.c.example.com"}, vary: "Origin"},
	{name: "subdomain pattern, apex", cfg: patterns, facts: get("https://example.com"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "subdomain pattern, other scheme", cfg: patterns, facts: get("http://api.example.com"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "subdomain pattern, port", cfg: patterns, facts: get("https://api.example.com:8443"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "subdomain pattern, suffix trick", cfg: patterns, facts: get("https://evilexample.com"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "subdomain pattern, prefix trick", cfg: patterns, facts: get("https://example.com.evil.example"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "subdomain pattern, empty label", cfg: patterns, facts: get("https://.example.com"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
	{name: "subdomain pattern, any port", cfg: patterns, facts: get("https://a.example.org:8443"), kind: Actual, headers: map[string]string{"Access-Control-Allow-Origin": "https://a.example.org:8443"}, vary: "Origin"},
	{name: "subdomain pattern, any port needs a port", cfg: patterns, facts: get("https://a.example.org"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "port pattern", cfg: development, facts: get("http://localhost:1111"), kind: Actual, headers: map[string]string{"Access-Control-Allow-Origin": "http://localhost:1111"}, vary: "Origin"},
	{name: "port pattern, no port", cfg: development, facts: get("http://localhost"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "port pattern, other host", cfg: development, facts: get("http://localhost.evil.example:1111"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "port pattern, https", cfg: development, facts: get("https://localhost:1111"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "port pattern, IPv6", cfg: patterns, facts: get("http://[::1]:3000"), kind: Actual, headers: map[string]string{"Access-Control-Allow-Origin": "http://[::1]:3000"}, vary: "Origin"},
	{name: "null listed", cfg: nullOrigin, facts: get("null"), kind: Actual, headers: map[string]string{"Access-Control-Allow-Origin": "null"}, vary: "Origin"},
	{name: "null not listed", cfg: allowList, facts: get("null"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "null not matched by patterns", cfg: patterns, facts: get("null"), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},

	// Rule 3: Allow-Origin and credentials.
	{name: "credentials echo the origin", cfg: allowList, facts: get("https://tablet.example.com"), kind: Actual, headers: allowedActual("https://tablet.example.com"), vary: "Origin"},
	{name: "no credentials header without credentials", cfg: nullOrigin, facts: get("null"), kind: Actual, headers: map[string]string{"Access-Control-Allow-Origin": "null"}, vary: "Origin"},

	// Rule 5: preflight.
	{name: "preflight allowed", cfg: allowList, facts: preflight("https://web.example.com", "PUT", "content-type,x-requested-with"),
		kind: Preflight, status: 204, headers: allowedPreflight("https://web.example.com", "PUT", "content-type,x-requested-with")},
	{name: "preflight of a safelisted method", cfg: allowList, facts: preflight("https://web.example.com", "POST", "content-type"),
		kind: Preflight, status: 204, headers: allowedPreflight("https://web.example.com", "POST", "content-type")},
	{name: "preflight without headers", cfg: allowList, facts: preflight("https://web.example.com", "DELETE"),
		kind: Preflight, status: 204, headers: allowedPreflight("https://web.example.com", "DELETE", "")},
	{name: "preflight, method not listed", cfg: allowList, facts: preflight("https://web.example.com", "POST2"), kind: Preflight, reason: MethodNotAllowed, detail: "POST2", status: 403},
	{name: "preflight, method case matters", cfg: allowList, facts: preflight("https://web.example.com", "patch"), kind: Preflight, reason: MethodNotAllowed, detail: "patch", status: 403},
	{name: "preflight, invalid method", cfg: allowList, facts: preflight("https://web.example.com", "PU T"), kind: Preflight, reason: RequestMalformed, status: 403, detail: "invalid Access-Control-Request-Method"},
	{name: "preflight, two ACRM lines", cfg: allowList, facts: with(preflight("https://web.example.com", "PUT"), func(f *Facts) { f.RequestMethod = []string{"PUT", "PUT"} }),
		kind: Preflight, reason: RequestMalformed, status: 403, detail: "invalid Access-Control-Request-Method"},
	{name: "preflight, header not listed", cfg: allowList, facts: preflight("https://web.example.com", "PUT", "content-type,x-foo"), kind: Preflight, reason: HeaderNotAllowed, detail: "x-foo", status: 403},
	{name: "preflight, Authorization not listed", cfg: allowList, facts: preflight("https://web.example.com", "PUT", "authorization"), kind: Preflight, reason: HeaderNotAllowed, detail: "authorization", status: 403},
	{name: "preflight, origin not allowed", cfg: allowList, facts: preflight("https://evil.example", "PUT"), kind: Preflight, reason: OriginNotAllowed, status: 403},
	{name: "preflight, headers in any case and order", cfg: allowList, facts: preflight("https://web.example.com", "PUT", "X-Requested-With , CONTENT-TYPE"),
		kind: Preflight, status: 204, headers: allowedPreflight("https://web.example.com", "PUT", "X-Requested-With , CONTENT-TYPE")},
	{name: "preflight, headers over several lines with empty elements", cfg: allowList, facts: preflight("https://web.example.com", "PUT", "content-type,,", "\tx-requested-with", ""),
		kind: Preflight, status: 204, headers: allowedPreflight("https://web.example.com", "PUT", "content-type,,, \tx-requested-with, ")},
	{name: "preflight, only empty elements", cfg: allowList, facts: preflight("https://web.example.com", "PUT", " , ,"),
		kind: Preflight, status: 204, headers: allowedPreflight("https://web.example.com", "PUT", "")},
	{name: "preflight, headers * allows Authorization with credentials", cfg: anyHeaders, facts: preflight("https://web.example.com", "PATCH", "authorization,x-anything"),
		kind: Preflight, status: 204, headers: map[string]string{
			"Access-Control-Allow-Origin": "https://web.example.com", "Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods": "PATCH", "Access-Control-Allow-Headers": "authorization,x-anything"}},
	{name: "preflight, header filter allows X-", cfg: xHeaders, facts: preflight("https://web.example.com", "GET", "X-One, x-four"),
		kind: Preflight, status: 204, headers: map[string]string{
			"Access-Control-Allow-Origin": "https://web.example.com", "Access-Control-Allow-Methods": "GET", "Access-Control-Allow-Headers": "X-One, x-four"}},
	{name: "preflight, header filter refuses others", cfg: xHeaders, facts: preflight("https://web.example.com", "GET", "X-One, Two, Three, X-Four"), kind: Preflight, reason: HeaderNotAllowed, detail: "Two", status: 403},
	{name: "preflight, any origin", cfg: publicAPI, facts: preflight("https://anyone.example", "PUT", "content-type"),
		kind: Preflight, status: 204, headers: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "PUT", "Access-Control-Allow-Headers": "content-type"}},
	{name: "preflight, custom statuses", cfg: statuses, facts: preflight("https://web.example.com", "GET"),
		kind: Preflight, status: 200, headers: map[string]string{"Access-Control-Allow-Origin": "https://web.example.com", "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "0"}},
	{name: "preflight, custom failure status", cfg: statuses, facts: preflight("https://web.example.com", "PUT"), kind: Preflight, reason: MethodNotAllowed, detail: "PUT", status: 400},
	{name: "preflight, passthrough", cfg: passthrough, facts: preflight("https://web.example.com", "PUT"),
		kind: Preflight, headers: map[string]string{"Access-Control-Allow-Origin": "https://web.example.com", "Access-Control-Allow-Methods": "PUT"}, vary: "Origin"},
	{name: "preflight, passthrough still refuses", cfg: passthrough, facts: preflight("https://web.example.com", "DELETE"), kind: Preflight, reason: MethodNotAllowed, detail: "DELETE", status: 403},

	// Rule 6: actual requests and rejection.
	{name: "actual, disallowed, handler runs", cfg: allowList, facts: with(get("https://evil.example"), func(f *Facts) { f.Method = "POST" }), kind: Actual, reason: OriginNotAllowed, vary: "Origin"},
	{name: "actual, rejected", cfg: rejecting, facts: get("https://evil.example"), kind: Actual, reason: OriginNotAllowed, status: 403, vary: "Origin"},
	{name: "actual, rejected malformed", cfg: rejecting, facts: get("https://web.example.com", "https://web.example.com"), kind: Actual, reason: OriginMalformed, status: 403, vary: "Origin"},
	{name: "actual, same origin passes", cfg: rejecting, facts: with(get("https://api.example.com"), func(f *Facts) { f.Method = "POST" }), kind: SameOrigin, vary: "Origin"},
	{name: "actual, same origin with default port in Host", cfg: rejecting, facts: with(get("https://api.example.com"), func(f *Facts) { f.Host = "API.example.com:443" }), kind: SameOrigin, vary: "Origin"},
	{name: "actual, same host other scheme is cross-origin", cfg: rejecting, facts: with(get("http://api.example.com"), func(f *Facts) {}), kind: Actual, reason: OriginNotAllowed, status: 403, vary: "Origin"},
	{name: "actual, same host other port is cross-origin", cfg: rejecting, facts: get("https://api.example.com:8443"), kind: Actual, reason: OriginNotAllowed, status: 403, vary: "Origin"},
	{name: "actual, allowed under rejection", cfg: rejecting, facts: get("https://web.example.com"), kind: Actual, headers: map[string]string{"Access-Control-Allow-Origin": "https://web.example.com"}, vary: "Origin"},

	// Rule 7: max age.
	{name: "max age on preflight", cfg: allowList, facts: preflight("https://web.example.com", "PUT"), kind: Preflight, status: 204, headers: allowedPreflight("https://web.example.com", "PUT", "")},
	{name: "no max age when unset", cfg: passthrough, facts: preflight("https://web.example.com", "GET"), kind: Preflight, headers: map[string]string{"Access-Control-Allow-Origin": "https://web.example.com", "Access-Control-Allow-Methods": "GET"}, vary: "Origin"},

	// Rule 8: expose headers.
	{name: "expose headers on actual", cfg: allowList, facts: get("https://web.example.com"), kind: Actual, headers: allowedActual("https://web.example.com"), vary: "Origin"},
	{name: "expose all", cfg: Config{Origins: []string{"*"}, ExposeHeaders: []string{"*"}}, facts: get("https://a.example"), kind: Actual,
		headers: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "*"}},

	// Rule 9: private network access.
	{name: "private network allowed", cfg: privateNet, facts: with(preflight("https://web.example.com", "GET"), func(f *Facts) { f.PrivateNetwork = []string{"true"} }),
		kind: Preflight, status: 204, headers: map[string]string{"Access-Control-Allow-Origin": "https://web.example.com", "Access-Control-Allow-Methods": "GET", "Access-Control-Allow-Private-Network": "true"}},
	{name: "private network off", cfg: allowList, facts: with(preflight("https://web.example.com", "GET"), func(f *Facts) { f.PrivateNetwork = []string{"true"} }),
		kind: Preflight, reason: PrivateNetworkNotAllowed, status: 403},
	{name: "private network invalid value", cfg: privateNet, facts: with(preflight("https://web.example.com", "GET"), func(f *Facts) { f.PrivateNetwork = []string{"yes"} }),
		kind: Preflight, reason: RequestMalformed, detail: "invalid Access-Control-Request-Private-Network", status: 403},

	// Rule 10: bad input.
	{name: "comma bomb", cfg: anyHeaders, facts: preflight("https://web.example.com", "PUT", strings.Repeat(",", 100_000)),
		kind: Preflight, reason: RequestMalformed, detail: "Access-Control-Request-Headers too long", status: 403},
	{name: "comma bomb under the byte bound", cfg: anyHeaders, facts: preflight("https://web.example.com", "PUT", "content-type"+strings.Repeat(",", 1000)),
		kind: Preflight, reason: RequestMalformed, detail: "too many empty elements in Access-Control-Request-Headers", status: 403},
	{name: "thousands of header lines", cfg: anyHeaders, facts: preflight("https://web.example.com", "PUT", manyLines...),
		kind: Preflight, reason: RequestMalformed, detail: "Access-Control-Request-Headers too long", status: 403},
	{name: "thousands of empty header lines", cfg: anyHeaders, facts: preflight("https://web.example.com", "PUT", make([]string, 5000)...),
		kind: Preflight, reason: RequestMalformed, detail: "Access-Control-Request-Headers too long", status: 403},
	{name: "twelve names on twelve lines", cfg: anyHeaders, facts: preflight("https://web.example.com", "PUT", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12"),
		kind: Preflight, reason: Allowed, status: 204, headers: map[string]string{
			"Access-Control-Allow-Origin": "https://web.example.com", "Access-Control-Allow-Credentials": "true", "Access-Control-Allow-Methods": "PUT",
			"Access-Control-Allow-Headers": "a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12"}},
	{name: "too many names", cfg: anyHeaders, facts: preflight("https://web.example.com", "PUT", strings.Repeat("a,", maxRequestHeaderNames+1)),
		kind: Preflight, reason: RequestMalformed, detail: "too many names in Access-Control-Request-Headers", status: 403},
	{name: "control byte in header names", cfg: anyHeaders, facts: preflight("https://web.example.com", "PUT", "x-a\x00"),
		kind: Preflight, reason: RequestMalformed, detail: "invalid byte in Access-Control-Request-Headers", status: 403},
	{name: "non-ASCII header name", cfg: anyHeaders, facts: preflight("https://web.example.com", "PUT", "x-é"),
		kind: Preflight, reason: RequestMalformed, detail: "invalid byte in Access-Control-Request-Headers", status: 403},
	{name: "very long header name", cfg: allowList, facts: preflight("https://web.example.com", "PUT", strings.Repeat("x", 1000)),
		kind: Preflight, reason: HeaderNotAllowed, detail: strings.Repeat("x", 1000), status: 403},
	{name: "huge origin", cfg: allowList, facts: get("https://" + strings.Repeat("a", 100_000) + ".example.com"), kind: Actual, reason: OriginMalformed, vary: "Origin"},
}

var manyLines = func() []string {
	lines := make([]string, 5000)
	for i := range lines {
		lines[i] = "x-a"
	}
	return lines
}()

func allowedActual(origin string) map[string]string {
	return map[string]string{
		"Access-Control-Allow-Origin":      origin,
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Expose-Headers":    "X-Total-Count, ETag",
	}
}

// allowedPreflight is the answer of allowList to an allowed preflight.
func allowedPreflight(origin, method, headers string) map[string]string {
	h := map[string]string{
		"Access-Control-Allow-Origin":      origin,
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Allow-Methods":     method,
		"Access-Control-Max-Age":           "600",
	}
	if headers != "" {
		h["Access-Control-Allow-Headers"] = headers
	}
	return h
}

func headerMap(d *Decision) map[string]string {
	m := map[string]string{}
	for _, h := range d.Headers() {
		if _, dup := m[h.Name]; dup {
			panic("duplicate header " + h.Name)
		}
		m[h.Name] = strings.Join(h.Values, ", ")
	}
	return m
}

func TestDecide(t *testing.T) {
	t.Parallel()
	for _, c := range decideCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := MustCompile(c.cfg)
			d := p.Decide(c.facts)
			if d.Kind != c.kind || d.Reason != c.reason || d.Status != c.status || d.Vary != c.vary || d.Detail != c.detail {
				t.Errorf("Decide: got kind %v, reason %v, detail %q, status %d, vary %q; want %v, %v, %q, %d, %q",
					d.Kind, d.Reason, d.Detail, d.Status, d.Vary, c.kind, c.reason, c.detail, c.status, c.vary)
			}
			want := c.headers
			if want == nil {
				want = map[string]string{}
			}
			if got := headerMap(&d); !maps.Equal(got, want) {
				t.Errorf("Decide headers:\n got %v\nwant %v", got, want)
			}
			if d.Allowed() != (c.reason == Allowed) {
				t.Errorf("Allowed() = %v with reason %v", d.Allowed(), d.Reason)
			}
		})
	}
}

// TestDecide_allocs runs the same table: Decide allocates nothing on any
// path when no user function is configured.
func TestDecide_allocs(t *testing.T) {
	for _, c := range decideCases {
		if c.cfg.HeaderFunc != nil || c.cfg.OriginFunc != nil {
			continue // handing a copy to user code allocates, by design
		}
		t.Run(c.name, func(t *testing.T) {
			p := MustCompile(c.cfg)
			if n := testing.AllocsPerRun(100, func() { p.Decide(c.facts) }); n != 0 {
				t.Errorf("Decide allocs = %v, want 0", n)
			}
		})
	}
}

func TestDecide_originFunc(t *testing.T) {
	t.Parallel()
	var asked []string
	p := MustCompile(Config{
		Origins: []string{"https://web.example.com"},
		OriginFunc: func(o string) bool {
			asked = append(asked, o)
			return strings.HasSuffix(o, ".trusted.example")
		},
	})
	for _, c := range []struct {
		origin string
		want   Reason
	}{
		{"https://web.example.com", Allowed},       // listed: not asked
		{"https://a.trusted.example", Allowed},     // asked: yes
		{"https://evil.example", OriginNotAllowed}, // asked: no
		{"null", OriginNotAllowed},                 // never asked
		{"https://A.trusted.example", OriginMalformed},
	} {
		if d := p.Decide(get(c.origin)); d.Reason != c.want {
			t.Errorf("Decide(%q): got %v, want %v", c.origin, d.Reason, c.want)
		}
	}
	want := []string{"https://a.trusted.example", "https://evil.example"}
	if fmt.Sprint(asked) != fmt.Sprint(want) {
		t.Errorf("OriginFunc asked %q, want %q", asked, want)
	}
}

// With immutable strings (net/http), asking OriginFunc costs nothing.
func TestDecide_originFuncAllocs(t *testing.T) {
	p := MustCompile(Config{OriginFunc: func(o string) bool { return true }})
	f := get("https://a.example")
	if n := testing.AllocsPerRun(100, func() { p.Decide(f) }); n != 0 {
		t.Errorf("Decide with OriginFunc allocs = %v, want 0", n)
	}
	f.Volatile = true
	if n := testing.AllocsPerRun(100, func() { p.Decide(f) }); n != 1 {
		t.Errorf("Decide with OriginFunc and volatile facts allocs = %v, want 1 (the copy)", n)
	}
}

func TestDecide_userFuncsGetCopies(t *testing.T) {
	t.Parallel()
	var kept []string
	p := MustCompile(Config{
		OriginFunc: func(o string) bool { kept = append(kept, o); return true },
		Headers:    []string{"x-b"},
		HeaderFunc: func(h string) bool { kept = append(kept, h); return true },
		OnReject:   func(r Rejection) { kept = append(kept, r.Origin, r.Path) },
	})
	buf := []byte("https://a.example")
	hdr := []byte("X-A, x-b")
	f := preflight(string(buf), "GET", string(hdr))
	f.Origin = []string{unsafeString(buf)}
	f.RequestHeaders = []string{unsafeString(hdr)}
	f.Volatile = true
	if d := p.Decide(f); !d.Allowed() {
		t.Fatalf("Decide: %v", d.Reason)
	}
	copy(buf, "XXXXXXXXXXXXXXXXX")
	copy(hdr, "XXXXXXXX")
	if want := "[https://a.example x-a]"; fmt.Sprint(kept) != want {
		t.Errorf("kept %q, want %s: user code got strings aliasing the request", kept, want)
	}
}

func TestDecide_reports(t *testing.T) {
	t.Parallel()
	var got []Rejection
	cfg := allowList
	cfg.OnReject = func(r Rejection) { got = append(got, r) }
	p := MustCompile(cfg)
	p.Decide(preflight("https://web.example.com", "PUT", "x-foo"))
	p.Decide(get("https://evil.example"))
	p.Decide(get("https://web.example.com")) // allowed: no report
	p.Decide(Facts{Method: "GET"})           // not CORS: no report
	long := get("https://" + strings.Repeat("a", 1000) + ".example")
	p.Decide(long)
	if len(got) != 3 {
		t.Fatalf("got %d rejections, want 3: %v", len(got), got)
	}
	if s := got[0].String(); s != `preflight from "https://web.example.com" refused: header not allowed: x-foo` {
		t.Errorf("String() = %q", s)
	}
	if got[0].Path != "/posts" || got[0].Method != "OPTIONS" || !got[0].Rejected {
		t.Errorf("rejection = %+v", got[0])
	}
	if got[1].Reason != OriginNotAllowed || got[1].Rejected {
		t.Errorf("rejection = %+v, want origin not allowed, not rejected", got[1])
	}
	if len(got[2].Origin) != maxReported {
		t.Errorf("long origin reported with %d bytes, want %d", len(got[2].Origin), maxReported)
	}
}

func TestHolder(t *testing.T) {
	t.Parallel()
	h, err := NewHolder(Config{Origins: []string{"https://a.example"}})
	if err != nil {
		t.Fatal(err)
	}
	allowed := func(o string) bool { d := h.Decide(get(o)); return d.Allowed() }
	if !allowed("https://a.example") || allowed("https://b.example") {
		t.Fatal("initial policy not served")
	}
	if err := h.Reconfigure(Config{Origins: []string{"https://b.example"}}); err != nil {
		t.Fatal(err)
	}
	if allowed("https://a.example") || !allowed("https://b.example") {
		t.Fatal("new policy not served")
	}
	before := h.Policy()
	if err := h.Reconfigure(Config{Origins: []string{"*"}, Credentials: true}); err == nil {
		t.Fatal("Reconfigure accepted an invalid Config")
	}
	if h.Policy() != before || !allowed("https://b.example") {
		t.Fatal("an invalid Config replaced the policy")
	}
	var zero Holder
	if d := zero.Decide(get("https://a.example")); d.Allowed() {
		t.Error("the zero Holder allowed a cross-origin request")
	}
}

// TestHolder_concurrent swaps policies while requests are decided; run it
// with -race.
func TestHolder_concurrent(t *testing.T) {
	t.Parallel()
	h, _ := NewHolder(Config{Origins: []string{"https://a.example"}})
	configs := []Config{{Origins: []string{"https://a.example"}}, {Origins: []string{"https://b.example"}}, {Origins: []string{"*"}, Credentials: true}}
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; !stop.Load() && i < 10_000; i++ {
			_ = h.Reconfigure(configs[i%len(configs)])
		}
	}()
	for i := 0; i < 20_000; i++ {
		d := h.Decide(get("https://a.example"))
		if d.Allowed() && headerMap(&d)["Access-Control-Allow-Origin"] != "https://a.example" {
			t.Fatalf("inconsistent decision %+v", d)
		}
	}
	stop.Store(true)
	<-done
}

func TestApply(t *testing.T) {
	p := MustCompile(allowList)
	t.Run("appends Vary without duplicates", func(t *testing.T) {
		h := http.Header{"Vary": {"Accept-Encoding"}}
		d := p.Decide(get("https://web.example.com"))
		d.Apply(h)
		d.Apply(h)
		if got := h.Values("Vary"); fmt.Sprint(got) != "[Accept-Encoding Origin]" {
			t.Errorf("Vary = %q", got)
		}
	})
	t.Run("Vary listed in another case", func(t *testing.T) {
		h := http.Header{"Vary": {"accept, origin"}}
		d := p.Decide(Facts{Method: "GET"})
		d.Apply(h)
		if got := h.Values("Vary"); fmt.Sprint(got) != "[accept, origin]" {
			t.Errorf("Vary = %q", got)
		}
	})
	t.Run("Vary star", func(t *testing.T) {
		h := http.Header{"Vary": {"*"}}
		d := p.Decide(Facts{Method: "GET"})
		d.Apply(h)
		if got := h.Values("Vary"); fmt.Sprint(got) != "[*]" {
			t.Errorf("Vary = %q", got)
		}
	})
	t.Run("another CORS layer answered first", func(t *testing.T) {
		h := http.Header{"Access-Control-Allow-Origin": {"https://other.example"}}
		d := p.Decide(get("https://web.example.com"))
		d.Apply(h)
		if got := h.Values("Access-Control-Allow-Origin"); fmt.Sprint(got) != "[https://other.example]" {
			t.Errorf("Allow-Origin = %q", got)
		}
		if h.Get("Access-Control-Allow-Credentials") != "" {
			t.Error("a second set of CORS headers was added")
		}
		if h.Get("Vary") != "Origin" {
			t.Error("Vary: Origin missing")
		}
	})
	t.Run("handler cannot change shared values", func(t *testing.T) {
		for _, f := range []Facts{get("https://web.example.com"), Facts{Method: "GET"}, with(preflight("https://web.example.com", "PUT"), func(*Facts) {})} {
			pp := p
			if f.Method == "OPTIONS" {
				pp = MustCompile(passthrough)
			}
			d := pp.Decide(f)
			h := http.Header{}
			d.Apply(h)
			for _, vs := range h {
				vs[0] = "changed by the handler"
			}
			again := pp.Decide(f)
			h2 := http.Header{}
			again.Apply(h2)
			for name, vs := range h2 {
				if vs[0] == "changed by the handler" {
					t.Errorf("%s: a handler's change reached the next request", name)
				}
			}
		}
	})
	t.Run("one allocation when the handler runs", func(t *testing.T) {
		f := get("https://web.example.com")
		h := make(http.Header, 8)
		n := testing.AllocsPerRun(100, func() {
			clear(h)
			d := p.Decide(f)
			d.Apply(h)
		})
		if n > 1 {
			t.Errorf("Decide+Apply allocs = %v, want at most 1", n)
		}
	})
	t.Run("no allocation when corskit answers", func(t *testing.T) {
		f := preflight("https://web.example.com", "PUT", "content-type")
		h := make(http.Header, 8)
		n := testing.AllocsPerRun(100, func() {
			clear(h)
			d := p.Decide(f)
			d.Apply(h)
		})
		if n != 0 {
			t.Errorf("Decide+Apply allocs = %v, want 0", n)
		}
	})
}

type recordingWriter map[string][]string

func (w recordingWriter) Values(name string) []string { return w[name] }
func (w recordingWriter) Set(name, value string)      { w[name] = []string{value} }
func (w recordingWriter) Add(name, value string)      { w[name] = append(w[name], value) }

func TestWrite(t *testing.T) {
	t.Parallel()
	p := MustCompile(allowList)
	for _, c := range []struct {
		name  string
		facts Facts
		want  string
	}{
		{"actual", Facts{Method: "GET", Origin: []string{"https://web.example.com"}},
			"map[Access-Control-Allow-Credentials:[true] Access-Control-Allow-Origin:[https://web.example.com] Access-Control-Expose-Headers:[X-Total-Count, ETag] Vary:[Accept-Encoding Origin]]"},
		{"preflight, a line per requested headers line, no Vary", preflight("https://web.example.com", "PUT", "content-type", "x-requested-with"),
			"map[Access-Control-Allow-Credentials:[true] Access-Control-Allow-Headers:[content-type x-requested-with] Access-Control-Allow-Methods:[PUT] Access-Control-Allow-Origin:[https://web.example.com] Access-Control-Max-Age:[600] Vary:[Accept-Encoding]]"},
	} {
		w := recordingWriter{"Vary": {"Accept-Encoding"}}
		d := p.Decide(c.facts)
		d.Write(w)
		d.Write(w) // sees Allow-Origin and the Vary token: adds nothing
		if got := fmt.Sprint(map[string][]string(w)); got != c.want {
			t.Errorf("%s: Write twice:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestListsToken(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line, token string
		want        bool
	}{
		{"Origin", "Origin", true},
		{"origin", "Origin", true},
		{"Accept-Encoding, Origin", "Origin", true},
		{"Accept-Encoding,\tORIGIN ", "Origin", true},
		{"*", "Origin", true},
		{"Origins", "Origin", false},
		{"X-Origin", "Origin", false},
		{"", "Origin", false},
		{",,", "Origin", false},
	} {
		if got := listsToken([]string{"Accept", c.line}, c.token); got != c.want {
			t.Errorf("listsToken(%q, %q) = %v, want %v", c.line, c.token, got, c.want)
		}
	}
}

// countingTarget is a Facts.Target that counts its calls.
type countingTarget struct {
	scheme, host string
	calls        int
}

func (t *countingTarget) Host() string   { t.calls++; return t.host }
func (t *countingTarget) Scheme() string { t.calls++; return t.scheme }

// Facts.Target is asked for the scheme and host only when the answer
// depends on them: an Origin the policy does not allow, which may be the
// server's own.
func TestDecide_target(t *testing.T) {
	t.Parallel()
	p := MustCompile(rejecting)
	for _, c := range []struct {
		name   string
		origin string
		host   string // Facts.Host; "" leaves it to the Target
		kind   Kind
		reason Reason
		calls  int
	}{
		{"allowed origin: not asked", "https://web.example.com", "", Actual, Allowed, 0},
		{"the server's own origin: asked host and scheme, same origin", "https://api.example.com", "", SameOrigin, Allowed, 2},
		{"the server's own host, another scheme: refused", "http://api.example.com", "", Actual, OriginNotAllowed, 2},
		{"the server's own host, another port: refused", "https://api.example.com:8443", "", Actual, OriginNotAllowed, 1},
		{"another origin: asked the host only, refused", "https://evil.example", "", Actual, OriginNotAllowed, 1},
		{"malformed origin: not asked", "https://api.example.com/", "", Actual, OriginMalformed, 0},
		{"Host given: not asked", "https://api.example.com", "api.example.com", SameOrigin, Allowed, 0},
	} {
		target := &countingTarget{scheme: "https", host: "api.example.com"}
		f := Facts{Method: "POST", Origin: []string{c.origin}, Target: target}
		if c.host != "" {
			f.Scheme, f.Host = "https", c.host
		}
		d := p.Decide(f)
		if d.Kind != c.kind || d.Reason != c.reason || target.calls != c.calls {
			t.Errorf("%s: got %v, %v, %d calls; want %v, %v, %d calls", c.name, d.Kind, d.Reason, target.calls, c.kind, c.reason, c.calls)
		}
	}
}

// A refused request with 100,000 Origin lines is reported with its Origin
// cut to 256 bytes, and reporting it costs no more than a short one: the
// lines are never joined whole.
func TestReport_manyOriginLinesCutFirst(t *testing.T) {
	var got Rejection
	p := MustCompile(Config{Origins: []string{"https://web.example.com"}, OnReject: func(r Rejection) { got = r }})
	f := get(slices.Repeat([]string{"https://web.example.com"}, 100_000)...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	p.Decide(f)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<10 {
		t.Errorf("reporting allocated %d bytes, want a few hundred", n)
	}
	want := strings.Repeat("https://web.example.com, ", 11)[:maxReported]
	if got.Reason != OriginMalformed || got.Origin != want {
		t.Errorf("OnReject: got %v, %q; want %v, %q", got.Reason, got.Origin, OriginMalformed, want)
	}
}

func TestClipJoin(t *testing.T) {
	long := strings.Repeat("a", 300)
	for _, lines := range [][]string{
		nil, {""}, {"https://a.example"}, {"https://a.example", "https://b.example"},
		{long}, {"x", long}, {strings.Repeat("b", 255), "c"}, {strings.Repeat("b", 254), "c"},
		{strings.Repeat("b", 256), "c"}, {"", "", ""},
	} {
		if got, want := clipJoin(lines), clip(strings.Join(lines, ", ")); got != want {
			t.Errorf("clipJoin(%.40q): got %.40q (%d bytes), want %.40q (%d bytes)", lines, got, len(got), want, len(want))
		}
	}
}

// ctxHandler is a slog.Handler that keeps the value of ctxKey{} from the
// context of each record it handles.
type ctxHandler struct{ got *atomic.Value }

type ctxKey struct{}

func (h ctxHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h ctxHandler) Handle(ctx context.Context, _ slog.Record) error {
	h.got.Store(fmt.Sprint(ctx.Value(ctxKey{})))
	return nil
}
func (h ctxHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h ctxHandler) WithGroup(string) slog.Handler      { return h }

// The line about a refusal is logged with the request's context, so that
// a handler can add the request's trace or request ID.
func TestReport_logsWithRequestContext(t *testing.T) {
	var got atomic.Value
	h := mustHolder(t, Config{Origins: []string{"https://web.example.com"}, Logger: slog.New(ctxHandler{&got})})
	r := httptest.NewRequest("GET", "http://api.example.com/posts", nil)
	r.Header.Set("Origin", "https://evil.example")
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request-42"))
	h.Handle(r, http.Header{})
	if v, _ := got.Load().(string); v != "request-42" {
		t.Errorf("the log record's context carries %q, want the request's %q", v, "request-42")
	}
	got.Store("")
	h.Decide(Facts{Method: "GET", Origin: []string{"https://evil.example"}})
	if v, _ := got.Load().(string); v != "<nil>" {
		t.Errorf("without a Context: got %q, want a record with context.Background()", v)
	}
}

// linesTarget is a Facts.Target that also reads header lines, and counts
// how often it is asked.
type linesTarget struct {
	countingTarget
	header map[string][]string
	asked  []string
}

func (t *linesTarget) Lines(name string) []string {
	t.asked = append(t.asked, name)
	return t.header[name]
}

// A Target with Lines is asked for the Access-Control-Request-* lines only
// when the request may be a preflight, and what it returns decides the
// preflight as if the adapter had read the lines itself.
func TestDecide_targetLines(t *testing.T) {
	t.Parallel()
	p := MustCompile(Config{Origins: []string{"https://app.example"}, Methods: []string{"PUT"}, Headers: []string{"X-Key"}})
	preflight := map[string][]string{
		"Access-Control-Request-Method":  {"PUT"},
		"Access-Control-Request-Headers": {"x-key"},
	}
	for _, c := range []struct {
		name   string
		f      Facts
		header map[string][]string
		asked  int
		kind   Kind
		reason Reason
	}{
		{"preflight", Facts{Method: "OPTIONS", Origin: []string{"https://app.example"}}, preflight, 3, Preflight, Allowed},
		{"refused header", Facts{Method: "OPTIONS", Origin: []string{"https://app.example"}},
			map[string][]string{"Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"x-other"}}, 3, Preflight, HeaderNotAllowed},
		{"OPTIONS without the request method", Facts{Method: "OPTIONS", Origin: []string{"https://app.example"}}, nil, 3, Actual, Allowed},
		{"OPTIONS without Origin", Facts{Method: "OPTIONS"}, preflight, 0, NotCORS, Allowed},
		{"GET", Facts{Method: "GET", Origin: []string{"https://app.example"}}, preflight, 0, Actual, Allowed},
		{"lines given by the adapter", Facts{Method: "OPTIONS", Origin: []string{"https://app.example"}, RequestMethod: []string{"PUT"}}, preflight, 0, Preflight, Allowed},
	} {
		target := &linesTarget{countingTarget: countingTarget{scheme: "https", host: "api.example"}, header: c.header}
		c.f.Target = target
		d := p.Decide(c.f)
		if len(target.asked) != c.asked || d.Kind != c.kind || d.Reason != c.reason {
			t.Errorf("%s: asked for %q, decided %v %v; want %d lines asked, %v %v", c.name, target.asked, d.Kind, d.Reason, c.asked, c.kind, c.reason)
		}
	}
}
