package core_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/corskit/corskit/core"
)

func ExampleCompile() {
	p, err := core.Compile(core.Config{
		Origins:       []string{"https://web.example.com", "https://mobile.example.com"},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE"},
		Headers:       []string{"Content-Type"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        10 * time.Minute,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := httptest.NewRequest("OPTIONS", "/posts/1", nil)
	r.Header.Set("Origin", "https://web.example.com")
	r.Header.Set("Access-Control-Request-Method", "PUT")
	r.Header.Set("Access-Control-Request-Headers", "content-type")

	d := p.Decide(core.FactsFrom(r))
	fmt.Println(d.Kind, d.Status)
	for _, h := range d.Headers() {
		fmt.Printf("%s: %s\n", h.Name, strings.Join(h.Values, ", "))
	}
	// Output:
	// preflight 204
	// Access-Control-Allow-Origin: https://web.example.com
	// Access-Control-Allow-Credentials: true
	// Access-Control-Allow-Methods: PUT
	// Access-Control-Allow-Headers: content-type
	// Access-Control-Max-Age: 600
}

// Compile reports every problem at once; each says what to write instead.
func ExampleCompile_errors() {
	_, err := core.Compile(core.Config{
		Origins:     []string{"https://Web.example.com/", "https://*.co.uk", "null"},
		Credentials: true,
		Methods:     []string{"PUT, DELETE"},
		MaxAge:      -1,
	})
	fmt.Println(err)
	fmt.Println(errors.Is(err, core.ErrCredentialsNullOrigin))
	var ce *core.ConfigError
	if errors.As(err, &ce) {
		fmt.Println(ce.Field, ce.Fix)
	}
	// Output:
	// corskit: Origins[0] "https://Web.example.com/": not written the way browsers send it (trailing slash); write "https://web.example.com"
	// corskit: Origins[1] "https://*.co.uk": subdomain pattern over a public suffix allows sites you do not control (co.uk is a public suffix); list the sites you control, such as "https://*.example.co.uk"
	// corskit: Origins[2] "null": credentials cannot be allowed for the "null" origin; remove "null", or turn Credentials off
	// corskit: Methods[0] "PUT, DELETE": not a valid method name; write one name per list entry
	// corskit: MaxAge "-1ns": invalid max age (negative); to disable preflight caching, set NoPreflightCache: true
	// true
	// Origins[0] write "https://web.example.com"
}

// The chapter's "only allow request headers that start with X-".
func ExampleConfig_headerFunc() {
	p := core.MustCompile(core.Config{
		Origins:    []string{"https://web.example.com"},
		HeaderFunc: func(name string) bool { return strings.HasPrefix(name, "x-") },
	})
	for _, headers := range []string{"X-One, X-Four", "X-One, Two, Three, X-Four"} {
		r := httptest.NewRequest("OPTIONS", "/posts", nil)
		r.Header.Set("Origin", "https://web.example.com")
		r.Header.Set("Access-Control-Request-Method", "GET")
		r.Header.Set("Access-Control-Request-Headers", headers)
		d := p.Decide(core.FactsFrom(r))
		fmt.Printf("%d %v %q\n", d.Status, d.Reason, d.Detail)
	}
	// Output:
	// 204 allowed ""
	// 403 header not allowed "Two"
}

// Same-origin requests carry Origin too; RejectDisallowed never refuses them.
func ExampleConfig_rejectDisallowed() {
	p := core.MustCompile(core.Config{
		Origins:          []string{"https://web.example.com"},
		RejectDisallowed: true,
	})
	for _, origin := range []string{"https://evil.example", "http://api.example.com"} {
		r := httptest.NewRequest("POST", "http://api.example.com/posts", nil)
		r.Header.Set("Origin", origin)
		d := p.Decide(core.FactsFrom(r))
		fmt.Println(origin, d.Kind, d.Status)
	}
	// Output:
	// https://evil.example actual 403
	// http://api.example.com same origin 0
}

// Config.Logger explains every refusal in one line.
func ExampleConfig_logger() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the output stable
			}
			return a
		},
	}))
	p := core.MustCompile(core.Config{
		Origins: []string{"https://web.example.com"},
		Methods: []string{"PUT"},
		Logger:  logger,
	})
	r := httptest.NewRequest("OPTIONS", "/posts/1", nil)
	r.Header.Set("Origin", "https://web.example.com")
	r.Header.Set("Access-Control-Request-Method", "PUT")
	r.Header.Set("Access-Control-Request-Headers", "content-type,x-api-key")
	p.Decide(core.FactsFrom(r))
	// Output:
	// level=INFO msg="corskit: CORS request refused" kind=preflight reason="header not allowed" origin=https://web.example.com method=OPTIONS path=/posts/1 detail=content-type status=403
}

// A Holder swaps policies at run time; an invalid Config leaves the old one
// serving.
func ExampleHolder() {
	h, _ := core.NewHolder(core.Config{Origins: []string{"https://web.example.com"}})
	err := h.Reconfigure(core.Config{Origins: []string{"*"}, Credentials: true})
	fmt.Println(err != nil)
	_ = h.Reconfigure(core.Config{Origins: []string{"https://web.example.com", "https://new.example.com"}})

	r := httptest.NewRequest("GET", "/posts", nil)
	r.Header.Set("Origin", "https://new.example.com")
	d := h.Decide(core.FactsFrom(r))
	fmt.Println(d.Allowed())
	// Output:
	// true
	// true
}

// Adapters apply a Decision to the response header; Apply appends Vary.
func ExampleDecision_Apply() {
	p := core.MustCompile(core.Config{Origins: []string{"https://web.example.com"}})
	r := httptest.NewRequest("GET", "/posts", nil)
	r.Header.Set("Origin", "https://web.example.com")
	w := http.Header{"Vary": {"Accept-Encoding"}}

	d := p.Decide(core.FactsFrom(r))
	d.Apply(w)
	fmt.Println(w.Get("Access-Control-Allow-Origin"))
	fmt.Println(w.Values("Vary"))
	// Output:
	// https://web.example.com
	// [Accept-Encoding Origin]
}

// Handle is all a net/http middleware needs; corskit's own adapters are
// written this way.
func ExampleHolder_Handle() {
	cors, err := core.NewHolder(core.Config{Origins: []string{"https://web.example.com"}, Methods: []string{"PUT"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	posts := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "[]") })
	middleware := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if status := cors.Handle(r, w.Header()); status != 0 {
				w.WriteHeader(status) // a preflight, or a refusal with RejectDisallowed
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	h := middleware(posts)

	for _, method := range []string{"GET", "OPTIONS"} {
		r := httptest.NewRequest(method, "/posts/1", nil)
		r.Header.Set("Origin", "https://web.example.com")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(method, w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Allow-Methods"), w.Body.String())
	}
	// Output:
	// GET 200 https://web.example.com  []
	// OPTIONS 204 https://web.example.com PUT
}

// One policy per part of the service, chosen by path before routing: a
// public part, the API the company's own site calls with cookies (the
// default), and an admin part nobody may call cross-origin. A path that
// routers could read as another part's gets nothing.
func ExampleConfig_pathPolicies() {
	p := core.MustCompile(core.Config{
		Origins:     []string{"https://app.example.com"},
		Credentials: true,
		PathPolicies: []core.PathPolicy{
			{Name: "public", Paths: []string{"/public/", "/health"}, Config: core.Config{Origins: []string{"*"}}},
			{Name: "admin", Paths: []string{"/admin/"}},
		},
		OnReject: func(r core.Rejection) { fmt.Printf("  refused by policy %q: %s\n", r.Policy, r.Reason) },
	})
	for _, req := range []struct{ origin, path string }{
		{"https://anyone.example", "/public/data.json"},
		{"https://app.example.com", "/posts"},
		{"https://anyone.example", "/posts"},
		{"https://app.example.com", "/admin/users"},
		{"https://anyone.example", "/public/../admin/users"},
	} {
		r := httptest.NewRequest("GET", req.path, nil)
		r.Header.Set("Origin", req.origin)
		fmt.Printf("GET %s from %s\n", req.path, req.origin)
		d := p.Decide(core.FactsFrom(r))
		for _, h := range d.Headers() {
			fmt.Printf("  %s: %s\n", h.Name, strings.Join(h.Values, ", "))
		}
	}
	// Output:
	// GET /public/data.json from https://anyone.example
	//   Access-Control-Allow-Origin: *
	// GET /posts from https://app.example.com
	//   Access-Control-Allow-Origin: https://app.example.com
	//   Access-Control-Allow-Credentials: true
	// GET /posts from https://anyone.example
	//   refused by policy "default": origin not allowed
	// GET /admin/users from https://app.example.com
	//   refused by policy "admin": origin not allowed
	// GET /public/../admin/users from https://anyone.example
	//   refused by policy "ambiguous path": origin not allowed
}

// CrossOriginProtection refuses a forged form POST from another site before
// the handler runs, and lets the allowed origin's credentialed POST through.
func ExampleConfig_crossOriginProtection() {
	p := core.MustCompile(core.Config{
		Origins:               []string{"https://app.example.com"},
		Credentials:           true,
		CrossOriginProtection: true,
	})
	for _, origin := range []string{"https://evil.example", "https://app.example.com"} {
		r := httptest.NewRequest("POST", "https://api.example.com/transfer", strings.NewReader("amount=100"))
		r.Header.Set("Origin", origin)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		d := p.Decide(core.FactsFrom(r))
		fmt.Printf("POST from %s: status %d (%s)\n", origin, d.Status, d.Reason)
	}
	// Output:
	// POST from https://evil.example: status 403 (cross-origin write not allowed)
	// POST from https://app.example.com: status 0 (allowed)
}
