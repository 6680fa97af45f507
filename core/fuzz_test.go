package core

import (
	"strings"
	"testing"
)

// fuzzPolicies are the policies every Decide fuzz input runs against: the
// scenarios of the table tests, one per kind of origin configuration.
var fuzzPolicies = []*Policy{
	MustCompile(publicAPI),
	MustCompile(allowList),
	MustCompile(development),
	MustCompile(patterns),
	MustCompile(nullOrigin),
	MustCompile(rejecting),
	MustCompile(anyHeaders),
	MustCompile(privateNet),
	MustCompile(passthrough),
}

// splitLines turns one fuzz string into header lines: "\n" separates lines,
// so inputs can have zero, one or several lines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func FuzzDecide(f *testing.F) {
	for _, c := range decideCases {
		if len(c.facts.RequestHeaders) > 8 || len(strings.Join(c.facts.Origin, "")) > 1000 {
			continue
		}
		f.Add(c.facts.Method, strings.Join(c.facts.Origin, "\n"), strings.Join(c.facts.RequestMethod, "\n"),
			strings.Join(c.facts.RequestHeaders, "\n"), strings.Join(c.facts.PrivateNetwork, "\n"), c.facts.Host)
	}
	f.Fuzz(func(t *testing.T, method, origin, acrm, acrh, pna, host string) {
		facts := Facts{
			Method: method, Origin: splitLines(origin), RequestMethod: splitLines(acrm),
			RequestHeaders: splitLines(acrh), PrivateNetwork: splitLines(pna),
			Scheme: "https", Host: host,
		}
		for _, p := range fuzzPolicies {
			d := p.Decide(facts)
			checkInvariants(t, p, facts, &d)
		}
	})
}

// checkInvariants asserts what must hold for every request and policy.
func checkInvariants(t *testing.T, p *Policy, f Facts, d *Decision) {
	t.Helper()
	h := headerMap(d)
	acao, hasACAO := h["Access-Control-Allow-Origin"]
	if hasACAO && acao == "*" && h["Access-Control-Allow-Credentials"] != "" {
		t.Fatalf("Allow-Origin * with credentials: %v", h)
	}
	if hasACAO && acao != "*" && (len(f.Origin) != 1 || acao != f.Origin[0]) {
		t.Fatalf("Allow-Origin %q is not the request's one origin %q", acao, f.Origin)
	}
	if len(h) > 0 && !d.Allowed() {
		t.Fatalf("headers %v on a refused request (%v)", h, d.Reason)
	}
	// Allow-Origin goes with every allowed CORS request, and with requests
	// without Origin only under "*", whose answer is static.
	if hasACAO != (d.Allowed() && (d.Kind >= Preflight || d.Kind == NotCORS && p.origins.any)) {
		t.Fatalf("Allow-Origin present = %v for kind %v, reason %v", hasACAO, d.Kind, d.Reason)
	}
	// Every response a cache may store says it depends on the Origin; a
	// preflight corskit answers itself is an OPTIONS response, which caches
	// do not store, and goes without.
	answeredPreflight := d.Kind == Preflight && d.Status != 0
	if p.varyOrigin && !answeredPreflight && d.Vary != "Origin" {
		t.Fatalf("origin-dependent policy without Vary: Origin: %+v", d)
	}
	if answeredPreflight && d.Vary != "" {
		t.Fatalf("Vary %q on a preflight corskit answers: %+v", d.Vary, d)
	}
	if len(f.Origin) == 0 && (d.Kind != NotCORS || d.Status != 0) {
		t.Fatalf("request without Origin decided as %v, status %d", d.Kind, d.Status)
	}
	for name, v := range h {
		if strings.ContainsAny(v, "\r\n\x00") {
			t.Fatalf("%s carries a control byte: %q", name, v)
		}
	}
	if d.Kind == Preflight && d.Allowed() {
		if p.passthrough != (d.Status == 0) {
			t.Fatalf("allowed preflight with status %d", d.Status)
		}
	}
	if d.Kind == Actual && d.Allowed() && d.Status != 0 {
		t.Fatalf("allowed actual request stopped with %d", d.Status)
	}
}

func FuzzOrigin(f *testing.F) {
	for _, s := range []string{
		"https://app.example.com", "http://localhost:1111", "null", "https://a.b.example.com:8443",
		"http://[::1]:3000", "https://App.example.com/", "https://x.example.com:443", "capacitor://localhost",
		"https://*.example.com", "http://localhost:*", "https://*.co.uk",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, fl := parseOrigin(s)
		if fl.err != nil {
			if fl.detail == "" {
				t.Fatalf("parseOrigin(%q): error %v without detail", s, fl.err)
			}
		} else {
			// A parsed origin is canonical: it is exactly its parts, in
			// lower case, without a default port.
			rebuilt := o.scheme + "://" + o.host
			if o.ipv6 {
				rebuilt = o.scheme + "://[" + o.host + "]"
			}
			if o.port != "" {
				rebuilt += ":" + o.port
			}
			if rebuilt != s {
				t.Fatalf("parseOrigin(%q) = %+v, which serializes as %q", s, o, rebuilt)
			}
			if strings.ToLower(s) != s || (o.port != "" && o.port == defaultPort(o.scheme)) {
				t.Fatalf("parseOrigin accepted non-canonical %q", s)
			}
		}
		// Compiling the value as the only origin either fails with a
		// ConfigError or yields a policy that allows exactly it.
		p, cerr := Compile(Config{Origins: []string{s}})
		if cerr != nil {
			return
		}
		if strings.Contains(s, "*") {
			return // a pattern: matching is checked by FuzzDecide
		}
		if d := p.Decide(get(s)); !d.Allowed() {
			t.Fatalf("Origins [%q] does not allow %q: %v", s, s, d.Reason)
		}
		if s != "*" && s != "null" {
			if d := p.Decide(get(s + "x")); d.Allowed() && s+"x" != s {
				t.Fatalf("Origins [%q] allows %q", s, s+"x")
			}
		}
	})
}

func FuzzRequestHeaders(f *testing.F) {
	f.Add("content-type,x-requested-with")
	f.Add("X-Requested-With , CONTENT-TYPE")
	f.Add("content-type,,\n\tx-requested-with\n")
	f.Add(strings.Repeat(",", 5000))
	f.Add("x-a\x00")
	p := MustCompile(allowList)
	pAny := MustCompile(anyHeaders)
	f.Fuzz(func(t *testing.T, s string) {
		lines := splitLines(s)
		got := p.checkRequestHeaders(lines)
		any := pAny.checkRequestHeaders(lines)
		if got.names > maxRequestHeaderNames || any.names > maxRequestHeaderNames {
			t.Fatalf("counted %d names, more than the bound", got.names)
		}
		if any.reason == HeaderNotAllowed {
			t.Fatalf("Headers * refused a header: %+v", any)
		}
		if any.reason == Allowed {
			// Everything "*" accepts is a list of tokens, safe to echo.
			for _, l := range lines {
				for _, e := range strings.Split(l, ",") {
					if e = strings.Trim(e, " \t"); e != "" && !isToken(e) {
						t.Fatalf("accepted %q, which is not a token", e)
					}
				}
			}
		}
		if got.reason == Allowed {
			for _, l := range lines {
				for _, e := range strings.Split(l, ",") {
					if e = strings.ToLower(strings.Trim(e, " \t")); e != "" {
						if !p.headers.has(e) {
							t.Fatalf("allowed %q, which the policy does not list", e)
						}
					}
				}
			}
		}
		if got.reason == Allowed && any.reason != Allowed {
			t.Fatalf("a list policy allowed what * refused: %+v vs %+v", got, any)
		}
		if want := referenceRequestHeaders(p, lines); got.reason != want.reason || got.detail != want.detail {
			t.Fatalf("checkRequestHeaders(%q) = %v %q, the plain reading says %v %q", lines, got.reason, got.detail, want.reason, want.detail)
		}
	})
}

// referenceRequestHeaders is checkRequestHeaders written plainly with
// strings.Split, as the fuzz test's oracle.
func referenceRequestHeaders(p *Policy, lines []string) requestHeaders {
	if len(strings.Join(lines, ",")) > maxRequestHeaderBytes {
		return requestHeaders{reason: RequestMalformed, detail: "Access-Control-Request-Headers too long"}
	}
	var out requestHeaders
	empty := 0
	for _, l := range lines {
		pieces := strings.Split(l, ",")
		for i, piece := range pieces {
			e := strings.Trim(piece, " \t")
			switch {
			case e == "" && piece == "" && i == len(pieces)-1:
				// an empty line, or nothing after a final comma
			case e == "":
				if empty++; empty > maxEmptyElements {
					return requestHeaders{reason: RequestMalformed, detail: "too many empty elements in Access-Control-Request-Headers"}
				}
			case !isToken(e):
				return requestHeaders{reason: RequestMalformed, detail: "invalid byte in Access-Control-Request-Headers"}
			default:
				if out.names++; out.names > maxRequestHeaderNames {
					return requestHeaders{reason: RequestMalformed, detail: "too many names in Access-Control-Request-Headers"}
				}
				lower := strings.ToLower(e)
				if !p.headers.has(lower) && !(len(e) <= maxHeaderNameLen && p.headerFunc != nil && p.headerFunc(lower)) {
					return requestHeaders{reason: HeaderNotAllowed, detail: e}
				}
			}
		}
	}
	return out
}
