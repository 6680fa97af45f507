package core

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"testing"
)

// threeParts is the typical service of the package documentation: an API
// its own sites call with cookies (the default), a public part and an
// admin part nobody may call cross-origin.
var threeParts = Config{
	Origins:     []string{"https://app.example.com"},
	Credentials: true,
	Methods:     []string{"PUT", "DELETE"},
	PathPolicies: []PathPolicy{
		{Name: "public", Paths: []string{"/public/", "/health"}, Config: Config{Origins: []string{"*"}}},
		{Name: "admin", Paths: []string{"/admin/"}},
		{Name: "reports", Paths: []string{"/public/reports/"}, Config: Config{Origins: []string{"https://partner.example"}}},
		{Name: "Legacy", Paths: []string{"/Legacy/"}, Config: Config{Origins: []string{"https://old.example"}}},
	},
}

func TestPathPolicies_choose(t *testing.T) {
	table := MustCompile(threeParts).paths
	for _, tc := range []struct {
		path, want string
	}{
		// Clean paths: the most specific entry, trailing slash or not.
		{"/public/", "public"},
		{"/public", "public"},
		{"/public/data.json", "public"},
		{"/public/a/b/c", "public"},
		{"/publicity", "default"},
		{"/health", "public"},
		{"/health/", "public"},
		{"/health/deep", "default"}, // "/health" serves that path only
		{"/healthz", "default"},
		{"/public/reports", "reports"},
		{"/public/reports/2026/q1.csv", "reports"},
		{"/public/reportsx", "public"},
		{"/admin/users", "admin"},
		{"/api/posts", "default"},
		{"/", "default"},
		{"/Legacy/x", "Legacy"},
		// Letter case: routers that ignore it would route these to
		// another policy than those that do not.
		{"/PUBLIC/data", AmbiguousPathPolicy},
		{"/Admin/users", AmbiguousPathPolicy},
		{"/legacy/x", AmbiguousPathPolicy},
		{"/api/Posts", "default"}, // no entry in any case
		{"/public/Data", "public"},
		// Not in clean form: every reading must agree.
		{"/public/../admin/users", AmbiguousPathPolicy},
		{"/public/%2e%2e/admin/users", AmbiguousPathPolicy},
		{"/public/%2E%2E/admin/users", AmbiguousPathPolicy},
		{"/public%2F..%2Fadmin/users", AmbiguousPathPolicy},
		{"/admin%2Fusers", AmbiguousPathPolicy},
		{"/%61dmin/users", AmbiguousPathPolicy},    // "/admin/users" decoded
		{"/public/%2561dmin", AmbiguousPathPolicy}, // decodes to "%61dmin", which a second decoding changes again
		{"//admin/users", AmbiguousPathPolicy},
		{"/public//data", "public"},
		{"/public/./data", "public"},
		{"/public/a/../b", "public"},
		{"/public/files/a%20b.txt", "public"},
		{"/admin/x/../y", "admin"},
		{"/admin/..", AmbiguousPathPolicy}, // "/" after cleaning: default
		{`/public\..\admin`, AmbiguousPathPolicy},
		{"/public/%zz", AmbiguousPathPolicy}, // an invalid escape
		{"", AmbiguousPathPolicy},
		{"*", AmbiguousPathPolicy},
		{"public/data", AmbiguousPathPolicy},
		{"/public/" + strings.Repeat("a/", 600) + "%20", AmbiguousPathPolicy}, // too long to rewrite
		{"/public/" + strings.Repeat("a/", 600), "public"},                    // clean: any length
	} {
		if got := table.choose(tc.path).name; got != tc.want {
			t.Errorf("choose(%.80q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// TestPathPolicies_decide checks that a request is decided by its path's
// policy and reported with its name.
func TestPathPolicies_decide(t *testing.T) {
	var got []Rejection
	cfg := threeParts
	cfg.OnReject = func(r Rejection) { got = append(got, r) }
	p := MustCompile(cfg)
	for _, tc := range []struct {
		path, origin string
		acao         string // Access-Control-Allow-Origin, "" for none
		policy       string // the Rejection's, "" for none
	}{
		{"/public/data", "https://evil.example", "*", ""},
		{"/posts", "https://app.example.com", "https://app.example.com", ""},
		{"/posts", "https://evil.example", "", "default"},
		{"/admin/users", "https://app.example.com", "", "admin"},
		{"/public/../admin/users", "https://evil.example", "", AmbiguousPathPolicy},
		{"/public/reports/x", "https://partner.example", "https://partner.example", ""},
	} {
		got = nil
		d := p.Decide(Facts{Method: "GET", Origin: []string{tc.origin}, Path: tc.path, Scheme: "https", Host: "api.example.com"})
		if acao := headerMap(&d)["Access-Control-Allow-Origin"]; acao != tc.acao {
			t.Errorf("GET %s from %s: Allow-Origin %q, want %q", tc.path, tc.origin, acao, tc.acao)
		}
		switch {
		case tc.policy == "" && len(got) > 0:
			t.Errorf("GET %s from %s: reported %v, want nothing", tc.path, tc.origin, got)
		case tc.policy != "" && (len(got) != 1 || got[0].Policy != tc.policy):
			t.Errorf("GET %s from %s: reported %v, want one rejection by policy %q", tc.path, tc.origin, got, tc.policy)
		}
	}
	// Without PathPolicies, Rejections name no policy.
	got = nil
	cfg = allowList
	cfg.OnReject = func(r Rejection) { got = append(got, r) }
	MustCompile(cfg).Decide(get("https://evil.example"))
	if len(got) != 1 || got[0].Policy != "" {
		t.Errorf("without PathPolicies: reported %v, want one rejection naming no policy", got)
	}
}

func TestPathPolicies_configErrors(t *testing.T) {
	entry := func(name string, paths ...string) PathPolicy { return PathPolicy{Name: name, Paths: paths} }
	for _, tc := range []struct {
		name    string
		entries []PathPolicy
		want    []string // substrings of the error, in order
		is      error
	}{
		{"no name", []PathPolicy{entry("", "/a/")}, []string{`PathPolicies[0].Name: invalid path policy (none;`, `name it, such as "public"`}, ErrPathPolicyInvalid},
		{"bad name", []PathPolicy{entry("my policy", "/a/")}, []string{`PathPolicies[0].Name "my policy"`}, ErrPathPolicyInvalid},
		{"default", []PathPolicy{entry("default", "/a/")}, []string{`names the policy of the paths no entry matches`}, ErrPathPolicyInvalid},
		{"same name", []PathPolicy{entry("a", "/a/"), entry("a", "/b/")}, []string{`PathPolicies[1].Name "a"`, "also the name of PathPolicies[0]"}, ErrPathPolicyInvalid},
		{"no paths", []PathPolicy{entry("a")}, []string{`PathPolicies[0].Paths: invalid path policy (it serves no path, so it can never apply)`}, ErrPathPolicyInvalid},
		{"root", []PathPolicy{entry("a", "/")}, []string{`PathPolicies[0].Paths[0] "/"`, "enclosing Config's own fields"}, ErrPathInvalid},
		{"relative", []PathPolicy{entry("a", "public/")}, []string{`write "/public/"`}, ErrPathInvalid},
		{"query", []PathPolicy{entry("a", "/a?x=1")}, []string{`write "/a"`}, ErrPathInvalid},
		{"parameter", []PathPolicy{entry("a", "/posts/:id")}, []string{`write "/posts/" to serve everything under it`}, ErrPathInvalid},
		{"wildcard", []PathPolicy{entry("a", "/files/*")}, []string{`write "/files/"`}, ErrPathInvalid},
		{"mux wildcard", []PathPolicy{entry("a", "/posts/{id}/comments")}, []string{`write "/posts/"`}, ErrPathInvalid},
		{"encoded", []PathPolicy{entry("a", "/caf%C3%A9/")}, []string{"percent-encoded"}, ErrPathInvalid},
		{"encoded ascii", []PathPolicy{entry("a", "/a%2Db/")}, []string{`write "/a-b/"`}, ErrPathInvalid},
		{"unclean", []PathPolicy{entry("a", "/a//b/../c/")}, []string{`(not in clean form); write "/a/c/"`}, ErrPathInvalid},
		{"dot", []PathPolicy{entry("a", "/a/.")}, []string{`write "/a/"`}, ErrPathInvalid},
		{"space", []PathPolicy{entry("a", "/a b")}, []string{"a space, control or non-ASCII byte"}, ErrPathInvalid},
		{"too long", []PathPolicy{entry("a", "/"+strings.Repeat("a", 300))}, []string{"longer than 256 bytes"}, ErrPathInvalid},
		{"twice", []PathPolicy{entry("a", "/a/"), entry("b", "/a/")}, []string{`PathPolicies[1].Paths[0] "/a/": path served by two policies (also served by PathPolicies[0] "a"`}, ErrPathConflict},
		{"trailing slash", []PathPolicy{entry("a", "/a"), entry("b", "/a/")}, []string{`PathPolicies[1].Paths[0] "/a/"`}, ErrPathConflict},
		{"case", []PathPolicy{entry("a", "/api/"), entry("b", "/API/")}, []string{`PathPolicies[1].Paths[0] "/API/"`}, ErrPathConflict},
		{"twice in one", []PathPolicy{entry("a", "/a/", "/a")}, []string{`PathPolicies[0].Paths[1] "/a"`}, ErrPathConflict},
		{"nested", []PathPolicy{{Name: "a", Paths: []string{"/a/"}, Config: Config{PathPolicies: []PathPolicy{entry("b", "/a/b/")}}}}, []string{"PathPolicies[0].PathPolicies: invalid path policy (path policies do not nest)"}, ErrPathPolicyInvalid},
		{"logger", []PathPolicy{{Name: "a", Paths: []string{"/a/"}, Config: Config{OnReject: func(Rejection) {}}}}, []string{"PathPolicies[0].OnReject", "set OnReject on the enclosing Config"}, ErrPathPolicyInvalid},
		{"policy problem", []PathPolicy{{Name: "a", Paths: []string{"/a/"}, Config: Config{Origins: []string{"*"}, Credentials: true}}}, []string{`PathPolicies[0].Origins[0] "*": credentials cannot be allowed`}, ErrCredentialsAnyOrigin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(Config{PathPolicies: tc.entries})
			if err == nil {
				t.Fatal("Compile: no error")
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(err, %v) = false; err: %v", tc.is, err)
			}
			msg := err.Error()
			for _, want := range tc.want {
				i := strings.Index(msg, want)
				if i < 0 {
					t.Fatalf("error %q does not contain %q", msg, want)
				}
				msg = msg[i+len(want):]
			}
		})
	}
}

// TestPathPolicies_allAtOnce checks that every problem of every entry is
// reported in one error, with the entry's fields spelled by name.
func TestPathPolicies_allAtOnce(t *testing.T) {
	_, err := Compile(Config{
		Credentials: true, // no origin
		PathPolicies: []PathPolicy{
			{Name: "a", Paths: []string{"/a/", "b"}, Config: Config{Methods: []string{"patch"}}},
			{Name: "", Paths: []string{"/a"}},
		},
	})
	var n int
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *ConfigError
		if !errors.As(e, &ce) {
			t.Fatalf("not a ConfigError: %v", e)
		}
		n++
	}
	if n != 5 {
		t.Errorf("got %d problems, want 5: %v", n, err)
	}
	var ce *ConfigError
	errors.As(err.(interface{ Unwrap() []error }).Unwrap()[1], &ce)
	snake := map[string]string{"PathPolicies": "path_policies", "Methods": "methods", "Paths": "paths", "Credentials": "credentials", "Origins": "origins"}
	if got, want := ce.Text(func(f string) string { return snake[f] }), `path_policies[0].methods[0] "patch"`; !strings.HasPrefix(got, want) {
		t.Errorf("Text: got %q, want it to start with %q", got, want)
	}
}

// TestPathPolicies_ambiguousIsStrictest checks that a path routers read
// differently is refused before the handler runs when any policy would
// refuse it so.
func TestPathPolicies_ambiguousIsStrictest(t *testing.T) {
	p := MustCompile(Config{
		Origins: []string{"*"},
		PathPolicies: []PathPolicy{
			{Name: "admin", Paths: []string{"/admin/"}, Config: Config{Origins: []string{"https://web.example.com"}, RejectDisallowed: true}},
		},
	})
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/admin/users", 403},
		{"/other", 0},
		{"/other/../admin/users", 403},
		{"/ADMIN/users", 403},
	} {
		d := p.Decide(Facts{Method: "GET", Origin: []string{"https://evil.example"}, Path: tc.path, Host: "api.example.com"})
		if d.Status != tc.status {
			t.Errorf("GET %s from another site: status %d, want %d", tc.path, d.Status, tc.status)
		}
	}
}

// TestPathPolicies_reconfigure checks that a Holder swaps the whole set.
func TestPathPolicies_reconfigure(t *testing.T) {
	h, err := NewHolder(threeParts)
	if err != nil {
		t.Fatal(err)
	}
	f := Facts{Method: "GET", Origin: []string{"https://evil.example"}, Path: "/public/x", Scheme: "https", Host: "api.example.com"}
	if d := h.Decide(f); !d.Allowed() {
		t.Fatalf("before: %v", d.Reason)
	}
	cfg := threeParts
	cfg.PathPolicies = cfg.PathPolicies[1:]
	if err := h.Reconfigure(cfg); err != nil {
		t.Fatal(err)
	}
	if d := h.Decide(f); d.Allowed() {
		t.Fatal("after dropping the public policy, /public/x is still public")
	}
}

// TestPathPolicies_allocs: choosing the policy costs no allocation, for any
// path, clean or not.
func TestPathPolicies_allocs(t *testing.T) {
	p := MustCompile(pathTableOf(100))
	for _, path := range []string{"/api/v1/entry42/items/7", "/API/V1/ENTRY42/x", "/api/v1/entry42/../entry7/%41", "/nothing"} {
		f := Facts{Method: "GET", Origin: []string{"https://web.example.com"}, Path: path}
		if n := testing.AllocsPerRun(100, func() { p.Decide(f) }); n != 0 {
			t.Errorf("Decide for %q: %v allocations, want 0", path, n)
		}
	}
}

// pathTableOf returns a config with n path policies, each allowing one
// origin, the last of them web.example.com, under /api/v1/entryN/.
func pathTableOf(n int) Config {
	cfg := Config{}
	for i := range n {
		origin := fmt.Sprintf("https://app%d.example.com", i)
		if i == n-1 {
			origin = "https://web.example.com"
		}
		cfg.PathPolicies = append(cfg.PathPolicies, PathPolicy{
			Name:   fmt.Sprintf("entry%d", i),
			Paths:  []string{fmt.Sprintf("/api/v1/entry%d/", i)},
			Config: Config{Origins: []string{origin}},
		})
	}
	return cfg
}

func BenchmarkPathPolicies(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		p := MustCompile(pathTableOf(n))
		last := fmt.Sprintf("/api/v1/entry%d/items/42", n-1)
		for _, tc := range []struct{ name, path string }{
			{"clean", last},
			{"default", "/api/v2/other/items/42"},
			{"unclean", "/api/v1/x/../entry" + fmt.Sprint(n-1) + "/items/%34%32"},
		} {
			f := Facts{Method: "GET", Origin: []string{"https://web.example.com"}, Path: tc.path}
			b.Run(fmt.Sprintf("path=%s/entries=%d", tc.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					p.Decide(f)
				}
			})
		}
	}
}

// FuzzPathPolicies checks the invariant of path-chosen policies: the policy
// chosen for any path is the ambiguous-path one (which allows nothing) or
// the one that every reading a router could make of the path leads to, by
// a plain reference matcher over the standard library's decoding and
// cleaning, in both letter cases.
func FuzzPathPolicies(f *testing.F) {
	for _, p := range []string{
		"/public/data", "/public/../admin/x", "/admin%2fx", "/PUBLIC/x", "//admin", "/public/%2e%2e/admin",
		"/health/", "/public/reports/%2e%2e/x", `/a\b`, "/Legacy/x", "/admin/..", "/%", "/public/%252e",
	} {
		f.Add(p)
	}
	p := MustCompile(threeParts)
	f.Fuzz(func(t *testing.T, raw string) {
		got := p.paths.choose(raw).name
		if got == AmbiguousPathPolicy {
			return
		}
		for _, reading := range readings(raw) {
			for _, fold := range []bool{false, true} {
				if want := referenceMatch(threeParts, reading, fold); want != got {
					t.Fatalf("choose(%q) = %q, but a router reading it as %q (ignoring case: %v) would route it to %q", raw, got, reading, fold, want)
				}
			}
		}
	})
}

// readings returns the ways a router may read raw: as sent, decoded,
// cleaned, both in either order, and with a trailing slash added or removed.
func readings(raw string) []string {
	rs := []string{raw, path.Clean(raw)}
	if dec, err := url.PathUnescape(raw); err == nil {
		rs = append(rs, dec, path.Clean(dec))
	}
	if dec, err := url.PathUnescape(path.Clean(raw)); err == nil {
		rs = append(rs, dec)
	}
	for _, r := range rs {
		if strings.HasSuffix(r, "/") {
			rs = append(rs, strings.TrimSuffix(r, "/"))
		} else {
			rs = append(rs, r+"/")
		}
	}
	return rs
}

// referenceMatch is the plain definition of PathPolicy.Paths: the longest
// path that equals p or, written with a trailing slash, is a prefix of it,
// comparing in lower case if fold.
func referenceMatch(cfg Config, p string, fold bool) string {
	if fold {
		p = strings.ToLower(p)
	}
	best, bestLen := DefaultPolicy, 0
	for _, e := range cfg.PathPolicies {
		for _, pattern := range e.Paths {
			if fold {
				pattern = strings.ToLower(pattern)
			}
			key := strings.TrimSuffix(pattern, "/")
			hit := p == key || p == key+"/" || (strings.HasSuffix(pattern, "/") && strings.HasPrefix(p, pattern))
			if hit && len(key) > bestLen {
				best, bestLen = e.Name, len(key)
			}
		}
	}
	return best
}
