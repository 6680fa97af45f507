package core

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// protected allows the site's own front end, its partners by pattern and
// tenants by function, with cookies, and refuses cross-origin writes from
// anyone else.
var protected = Config{
	Origins:               []string{"https://web.example.com", "https://*.partner.example"},
	OriginFunc:            func(o string) bool { return o == "https://tenant.example.org" },
	Credentials:           true,
	CrossOriginProtection: true,
}

func TestCrossOriginProtection(t *testing.T) {
	p := MustCompile(protected)
	open := MustCompile(Config{Origins: []string{"https://web.example.com"}, Credentials: true})
	for _, tc := range []struct {
		name           string
		policy         *Policy
		method, origin string // origin "" for none
		site           []string
		kind           Kind
		reason         Reason
		status         int
		acao           string
	}{
		{"form POST from another site", p, "POST", "https://evil.example", []string{"cross-site"}, Actual, WriteNotAllowed, 403, ""},
		{"form POST from another site, browser without Sec-Fetch-Site", p, "POST", "https://evil.example", nil, Actual, WriteNotAllowed, 403, ""},
		{"DELETE from another site", p, "DELETE", "https://evil.example", []string{"cross-site"}, Actual, WriteNotAllowed, 403, ""},
		{"POST from a sibling subdomain (same-site is not same-origin)", p, "POST", "https://blog.example.com", []string{"same-site"}, Actual, WriteNotAllowed, 403, ""},
		{"POST from a sandboxed frame", p, "POST", "null", []string{"cross-site"}, Actual, WriteNotAllowed, 403, ""},
		{"POST cross-site without Origin", p, "POST", "", []string{"cross-site"}, NotCORS, WriteNotAllowed, 403, ""},
		{"two Sec-Fetch-Site lines", p, "POST", "https://evil.example", []string{"same-origin", "cross-site"}, Actual, WriteNotAllowed, 403, ""},
		{"POST from the listed origin", p, "POST", "https://web.example.com", []string{"cross-site"}, Actual, Allowed, 0, "https://web.example.com"},
		{"POST from a pattern's origin", p, "POST", "https://app.partner.example", []string{"cross-site"}, Actual, Allowed, 0, "https://app.partner.example"},
		{"POST from OriginFunc's origin", p, "POST", "https://tenant.example.org", []string{"cross-site"}, Actual, Allowed, 0, "https://tenant.example.org"},
		{"same-origin POST", p, "POST", "https://api.example.com", []string{"same-origin"}, SameOrigin, Allowed, 0, ""},
		{"same-origin POST behind a TLS proxy (scheme differs)", p, "POST", "http://api.example.com", []string{"same-origin"}, Actual, OriginNotAllowed, 0, ""},
		{"same-origin POST, browser without Sec-Fetch-Site", p, "POST", "https://api.example.com", nil, SameOrigin, Allowed, 0, ""},
		{"navigation the user started", p, "POST", "https://evil.example", []string{"none"}, Actual, OriginNotAllowed, 0, ""},
		{"curl: neither header", p, "POST", "", nil, NotCORS, Allowed, 0, ""},
		{"GET from another site", p, "GET", "https://evil.example", []string{"cross-site"}, Actual, OriginNotAllowed, 0, ""},
		{"HEAD from another site", p, "HEAD", "https://evil.example", []string{"cross-site"}, Actual, OriginNotAllowed, 0, ""},
		{"OPTIONS that is not a preflight", p, "OPTIONS", "https://evil.example", []string{"cross-site"}, Actual, OriginNotAllowed, 0, ""},
		{"without CrossOriginProtection the handler runs", open, "POST", "https://evil.example", []string{"cross-site"}, Actual, OriginNotAllowed, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := Facts{Method: tc.method, FetchSite: tc.site, Scheme: "https", Host: "api.example.com", Path: "/posts"}
			if tc.origin != "" {
				f.Origin = []string{tc.origin}
			}
			d := tc.policy.Decide(f)
			if d.Kind != tc.kind || d.Reason != tc.reason || d.Status != tc.status {
				t.Errorf("got %v, %q, status %d; want %v, %q, status %d", d.Kind, d.Reason, d.Status, tc.kind, tc.reason, tc.status)
			}
			if acao := headerMap(&d)["Access-Control-Allow-Origin"]; acao != tc.acao {
				t.Errorf("Allow-Origin: got %q, want %q", acao, tc.acao)
			}
		})
	}
}

// TestCrossOriginProtection_netHTTP checks that FactsFrom's Target reads
// Sec-Fetch-Site when Decide needs it, without allocating.
func TestCrossOriginProtection_netHTTP(t *testing.T) {
	h, err := NewHolder(protected)
	if err != nil {
		t.Fatal(err)
	}
	forged := httptest.NewRequest("POST", "https://api.example.com/posts", strings.NewReader("title=x"))
	forged.Header.Set("Origin", "https://evil.example")
	forged.Header.Set("Sec-Fetch-Site", "cross-site")
	if status := h.Handle(forged, http.Header{}); status != 403 {
		t.Errorf("forged POST: status %d, want 403", status)
	}
	allowed := httptest.NewRequest("POST", "https://api.example.com/posts", strings.NewReader("title=x"))
	allowed.Header.Set("Origin", "https://web.example.com")
	allowed.Header.Set("Sec-Fetch-Site", "cross-site")
	if status := h.Handle(allowed, http.Header{}); status != 0 {
		t.Errorf("allowed POST: status %d, want 0 (the handler runs)", status)
	}
	for name, r := range map[string]*http.Request{"forged": forged, "allowed": allowed} {
		if n := testing.AllocsPerRun(100, func() { h.Decide(FactsFrom(r)) }); n != 0 {
			t.Errorf("Decide for the %s POST: %v allocations, want 0", name, n)
		}
	}
}

// TestCrossOriginProtection_paths checks that a path routers read
// differently is protected when any path policy is.
func TestCrossOriginProtection_paths(t *testing.T) {
	p := MustCompile(Config{
		Origins: []string{"*"},
		PathPolicies: []PathPolicy{
			{Name: "api", Paths: []string{"/api/"}, Config: Config{Origins: []string{"https://web.example.com"}, CrossOriginProtection: true}},
		},
	})
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/api/posts", 403},
		{"/other", 0},
		{"/other/../api/posts", 403},
		{"/API/posts", 403},
	} {
		d := p.Decide(Facts{Method: "POST", Origin: []string{"https://evil.example"}, FetchSite: []string{"cross-site"}, Path: tc.path, Host: "api.example.com"})
		if d.Status != tc.status {
			t.Errorf("POST %s from another site: status %d, want %d", tc.path, d.Status, tc.status)
		}
	}
}

// FuzzCrossOriginProtection checks what CrossOriginProtection promises for
// any request: safe methods, allowed origins, same-origin requests by
// Sec-Fetch-Site and requests with neither header always pass; a refusal
// is a 403 with no CORS headers.
func FuzzCrossOriginProtection(f *testing.F) {
	for _, s := range [][4]string{
		{"POST", "https://evil.example", "cross-site", "api.example.com"},
		{"POST", "https://web.example.com", "cross-site", "api.example.com"},
		{"PUT", "https://api.example.com", "", "api.example.com"},
		{"GET", "https://evil.example", "cross-site", "api.example.com"},
		{"DELETE", "", "same-site", "api.example.com"},
		{"POST", "null", "cross-site\nsame-origin", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	p := MustCompile(protected)
	f.Fuzz(func(t *testing.T, method, origin, site, host string) {
		facts := Facts{Method: method, Origin: splitLines(origin), FetchSite: splitLines(site), Scheme: "https", Host: host}
		d := p.Decide(facts)
		if d.Reason != WriteNotAllowed {
			return
		}
		switch {
		case method == "GET" || method == "HEAD" || method == "OPTIONS":
			t.Fatalf("%s refused as a cross-origin write", method)
		case p.OriginAllowed(facts):
			t.Fatalf("origin %q is allowed, but its %s was refused", origin, method)
		case site == "same-origin" || site == "none":
			t.Fatalf("Sec-Fetch-Site %q, but the %s was refused", site, method)
		case origin == "" && site == "":
			t.Fatalf("neither Origin nor Sec-Fetch-Site, but the %s was refused", method)
		case d.Status != 403 || d.Headers() != nil:
			t.Fatalf("refusal with status %d and headers %v, want 403 and none", d.Status, d.Headers())
		}
	})
}
