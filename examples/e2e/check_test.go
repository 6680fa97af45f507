package e2e_test

// corskit check against the browser: the engine of "corskit check"
// (internal/fetchcheck), which plays the browser's part from the Fetch
// standard, must reach the verdict Chromium reaches in TestBrowser — each
// scenario's ok — for every scenario it can express, against every adapter.
// It needs no browser: it runs the same API, adapters and policies, and
// asks check instead.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corskit/corskit/internal/fetchcheck"
)

// A checkFetch is one fetch() of a scenario, as corskit check's inputs.
type checkFetch struct {
	// path is appended to the API's base URL; "SLASH" stands for the
	// adapter's trailing-slash path. viaRedirects sends it to the
	// redirecting server in front of the API instead.
	path         string
	viaRedirects bool
	method       string
	headers      []fetchcheck.Header
	body         string
	credentials  bool
	// nullOrigin: the page is a sandboxed iframe, whose origin is opaque.
	nullOrigin bool
	// cookieFromPrevious sends the cookie the previous fetch's response
	// set, as the browser's cookie jar would.
	cookieFromPrevious bool

	// More than the verdict, where the scenario checks more in the
	// browser: the reason of a refusal, the headers the page could read or
	// not, the final status, a header of the preflight's answer.
	reason     fetchcheck.Reason
	readable   []string
	unreadable []string
	status     int
	preflight  fetchcheck.Header
}

var (
	jsonPut = []fetchcheck.Header{{Name: "Content-Type", Value: "application/json"}, {Name: "X-Custom", Value: "1"}}
	// A URLSearchParams body: fetch() sends it with this Content-Type.
	formPost = []fetchcheck.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded;charset=UTF-8"}}
)

// checkScenarios maps the name of each scenario of TestBrowser that corskit
// check can express to its fetches, in order; the scenario's verdict is
// allowed when every fetch is.
var checkScenarios = map[string][]checkFetch{
	"simple GET allowed":                             {{path: "/posts", status: 200, readable: []string{"Content-Type"}}},
	"simple GET from a foreign origin blocked":       {{path: "/posts", reason: fetchcheck.ReasonNoAllowOrigin}},
	"simple POST form allowed":                       {{path: "/posts", method: "POST", headers: formPost, body: "title=hello", status: 201}},
	"simple POST form from a foreign origin blocked": {{path: "/posts", method: "POST", headers: formPost, body: "title=hello", reason: fetchcheck.ReasonNoAllowOrigin}},
	"preflighted PUT allowed":                        {{path: "/posts/1", method: "PUT", headers: jsonPut, body: `{"title":"edited"}`}},
	"preflighted DELETE allowed":                     {{path: "/posts/2", method: "DELETE", headers: []fetchcheck.Header{{Name: "X-Custom", Value: "1"}}}},
	"preflight refused for a header not allowed": {{path: "/posts/1", method: "PUT", body: "{}",
		headers: []fetchcheck.Header{{Name: "Content-Type", Value: "application/json"}, {Name: "X-Other", Value: "1"}},
		reason:  fetchcheck.ReasonPreflightStatus}},
	"preflight refused for a method not allowed": {{path: "/posts/1", method: "PATCH", body: "{}",
		headers: []fetchcheck.Header{{Name: "Content-Type", Value: "application/json"}},
		reason:  fetchcheck.ReasonPreflightStatus}},
	"Authorization allowed by Headers *": {{path: "/posts", headers: []fetchcheck.Header{{Name: "Authorization", Value: "Bearer token"}}}},
	"Authorization with credentials allowed by Headers *": {{path: "/posts", credentials: true,
		headers: []fetchcheck.Header{{Name: "Authorization", Value: "Bearer token"}, {Name: "X-Anything", Value: "1"}}}},
	// The login, then whoami with the session cookie the login set (check
	// keeps no cookie jar: the test hands the cookie over, as the browser's
	// jar does).
	"credentialed fetch carries the login cookie": {
		{path: "/login?as=check", method: "POST", credentials: true, status: 200},
		{path: "/whoami?as=check", credentials: true, cookieFromPrevious: true, status: 200},
	},
	"credentialed fetch fails under an any-origin policy": {{path: "/whoami?as=check", credentials: true, reason: fetchcheck.ReasonWildcardOriginWithCredentials}},
	"exposed header readable, unexposed ETag not": {{path: "/posts",
		readable: []string{"X-Total-Count", "Content-Type"}, unreadable: []string{"ETag"}}},
	"header not exposed is unreadable": {{path: "/posts", unreadable: []string{"X-Total-Count", "ETag"}}},
	"ETag readable when exposed":       {{path: "/posts", readable: []string{"ETag", "X-Total-Count"}}},
	// One fetch: that the browser's preflight cache saves the second
	// preflight is beyond check, which makes one fetch; it checks the
	// Max-Age the cache is kept for.
	"MaxAge: two identical preflighted fetches, one preflight": {{path: "/posts/1", method: "PUT", headers: jsonPut, body: `{"title":"edited"}`,
		preflight: fetchcheck.Header{Name: "Access-Control-Max-Age", Value: "600"}}},
	"NoPreflightCache: two identical preflighted fetches, two preflights": {{path: "/posts/1", method: "PUT", body: "{}",
		headers:   []fetchcheck.Header{{Name: "Content-Type", Value: "application/json"}},
		preflight: fetchcheck.Header{Name: "Access-Control-Max-Age", Value: "0"}}},
	// The iframe itself is the browser's business; what it sends is
	// Origin: null, which check sends with --origin null.
	"null origin from a sandboxed iframe allowed when listed":     {{path: "/posts", nullOrigin: true}},
	"null origin from a sandboxed iframe refused when not listed": {{path: "/posts", nullOrigin: true, reason: fetchcheck.ReasonNoAllowOrigin}},
	"simple request redirected by 301 to the same server":         {{path: "/old", status: 200, readable: []string{"Content-Type"}}},
	"preflighted request redirected by 301 to the same server": {{path: "/old", status: 200,
		headers: []fetchcheck.Header{{Name: "X-Custom", Value: "1"}}}},
	"preflight redirected by a server without corskit fails": {{path: "/posts/1", viaRedirects: true, method: "PUT", headers: jsonPut, body: `{"title":"edited"}`,
		reason: fetchcheck.ReasonPreflightRedirected}},
	"trailing-slash redirect: corskit answers the preflight first": {{path: "SLASH", method: "PUT", headers: jsonPut, body: `{"title":"edited"}`}},
	"rejection mode: foreign origin gets 403 and the handler does not run": {{path: "/posts", method: "POST", headers: formPost, body: "title=csrf",
		reason: fetchcheck.ReasonNoAllowOrigin}},
	"rejection mode: allowed origin passes":                              {{path: "/posts", method: "POST", headers: formPost, body: "title=ok", status: 201}},
	"rejection mode: same-origin POST passes":                            {{path: "/posts", method: "POST", headers: formPost, body: "title=mine", status: 201}},
	"path policies: a foreign origin reads the public part":              {{path: "/public/stats", status: 200}},
	"path policies: the same foreign origin cannot read the private API": {{path: "/posts", reason: fetchcheck.ReasonNoAllowOrigin}},
	"path policies: the allowed page reads the private API with cookies": {{path: "/posts", credentials: true, status: 200}},
	"cross-site form POST from a foreign origin never reaches the handler": {{path: "/posts", method: "POST", headers: formPost, body: "title=forged",
		credentials: true, reason: fetchcheck.ReasonNoAllowOrigin}},
	"credentialed POST from the allowed page passes cross-origin write protection": {{path: "/posts", method: "POST", headers: formPost, body: "title=mine",
		credentials: true, status: 201}},
}

// uncheckable lists the scenarios of TestBrowser corskit check cannot
// express, each with the reason.
var uncheckable = map[string]string{
	"no-cors POST from a foreign origin never reaches the handler": "a no-cors fetch gets an opaque answer whatever the server sends; check judges CORS requests",
}

// TestCheckScenariosExist fails when checkScenarios or uncheckable names a
// scenario TestBrowser no longer has, or when a scenario is in neither.
func TestCheckScenariosExist(t *testing.T) {
	names := make(map[string]bool)
	for _, s := range scenarios {
		names[s.name] = true
		_, mapped := checkScenarios[s.name]
		_, listed := uncheckable[s.name]
		if !mapped && !listed {
			t.Errorf("scenario %q: add its fetches to checkScenarios in check_test.go, or its reason to uncheckable", s.name)
		}
	}
	for name := range checkScenarios {
		if !names[name] {
			t.Errorf("checkScenarios names %q, which is not a scenario of TestBrowser: rename or remove it", name)
		}
	}
	for name := range uncheckable {
		if !names[name] {
			t.Errorf("uncheckable names %q, which is not a scenario of TestBrowser: rename or remove it", name)
		}
	}
}

// checkServer is the API behind one adapter with one policy, and a server
// without corskit that redirects every request to it.
type checkServer struct {
	base, redirects string
}

// TestCheckAgreesWithChromium runs corskit check on every scenario it can
// express, against every adapter, and asserts the verdict Chromium must
// reach (the scenario's ok).
func TestCheckAgreesWithChromium(t *testing.T) {
	page := httptest.NewServer(http.NotFoundHandler()) // origins only: check loads no page
	defer page.Close()
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	policies := e2ePolicies(page.URL)

	adapters := slices.Clone(e2eAdapters)
	slices.SortFunc(adapters, func(a, b e2eAdapter) int { return strings.Compare(a.name, b.name) })
	for _, a := range adapters {
		t.Run(a.name, func(t *testing.T) {
			servers := make(map[string]checkServer)
			for name, cfg := range policies {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				if err := a.serve(t, ln, cfg, newE2EAPI()); err != nil {
					t.Fatalf("%s: New: %v", a.name, err)
				}
				base := "http://" + ln.Addr().String()
				redirects := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, base+r.URL.RequestURI(), http.StatusMovedPermanently)
				}))
				t.Cleanup(redirects.Close)
				servers[name] = checkServer{base: base, redirects: redirects.URL}
			}
			for _, s := range scenarios {
				fetches, ok := checkScenarios[s.name]
				if !ok || (s.slash && a.slashRequest == "") {
					continue // not expressible, or the registration has no trailing-slash redirect
				}
				t.Run(s.name, func(t *testing.T) {
					srv := servers[s.policy]
					origin := map[from]string{fromPage: page.URL, fromOther: other.URL, fromSelf: srv.base}[s.from]
					allowed := true
					var cookie string
					for i, f := range fetches {
						path := f.path
						if path == "SLASH" {
							if a.slashRequest == "" {
								t.Fatalf("the path SLASH in a scenario not marked slash")
							}
							path = a.slashRequest
						}
						base := srv.base
						if f.viaRedirects {
							base = srv.redirects
						}
						req := fetchcheck.Request{
							URL: base + path, Origin: origin, Method: f.method, Headers: f.headers,
							Body: f.body, Credentials: f.credentials,
						}
						if f.nullOrigin {
							req.Origin = "null"
						}
						if f.cookieFromPrevious {
							if cookie == "" {
								t.Fatalf("fetch %d: the previous fetch set no cookie", i+1)
							}
							req.Cookie = cookie
						}
						rep, err := fetchcheck.Check(context.Background(), req, fetchcheck.Options{Timeout: 10 * time.Second})
						if err != nil {
							t.Fatalf("fetch %d: %v", i+1, err)
						}
						if rep.Verdict == fetchcheck.Undecided {
							t.Fatalf("fetch %d: undecided: %s", i+1, rep.Message)
						}
						checkDetails(t, i+1, f, rep)
						cookie = setCookie(rep)
						if rep.Verdict != fetchcheck.Allowed {
							allowed = false
							break
						}
					}
					if allowed != s.ok {
						t.Errorf("corskit check: allowed %v; Chromium: allowed %v", allowed, s.ok)
					}
				})
			}
		})
	}
}

// checkDetails checks what a fetch's checkFetch says beyond the verdict.
func checkDetails(t *testing.T, n int, f checkFetch, rep *fetchcheck.Report) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("fetch %d: "+format+"\n%s", append([]any{n}, append(args, describeReport(rep))...)...)
	}
	if f.reason != "" && rep.Reason != f.reason {
		fail("reason %q, want %q", rep.Reason, f.reason)
	}
	final := rep.Steps[len(rep.Steps)-1]
	if f.status != 0 && rep.Verdict == fetchcheck.Allowed && final.Status != f.status {
		fail("final status %d, want %d", final.Status, f.status)
	}
	// Header names compare in any case (Go writes ETag as Etag).
	for _, h := range f.readable {
		if !containsFold(rep.Readable, h) {
			fail("%s not readable; readable: %v", h, rep.Readable)
		}
	}
	for _, h := range f.unreadable {
		if containsFold(rep.Readable, h) || !containsFold(rep.Unreadable, h) {
			fail("%s readable, or not in the response; unreadable: %v", h, rep.Unreadable)
		}
	}
	if f.preflight.Name != "" {
		var got []fetchcheck.Header
		for _, s := range rep.Steps {
			if s.Kind == fetchcheck.StepPreflight {
				got = append(got, s.Received...)
			}
		}
		if !slices.Contains(got, f.preflight) {
			fail("no preflight answered %s: %s", f.preflight.Name, f.preflight.Value)
		}
	}
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(e string) bool { return strings.EqualFold(e, s) })
}

// setCookie returns the name=value of the cookie the final response set,
// as a browser's jar would send it back.
func setCookie(rep *fetchcheck.Report) string {
	final := rep.Steps[len(rep.Steps)-1]
	for _, h := range final.Received {
		if h.Name == "Set-Cookie" {
			nv, _, _ := strings.Cut(h.Value, ";")
			return nv
		}
	}
	return ""
}

func describeReport(rep *fetchcheck.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\tverdict %s (%s): %s\n", rep.Verdict, rep.Reason, rep.Message)
	for _, s := range rep.Steps {
		fmt.Fprintf(&b, "\t%s %s %s -> %d %v\n", s.Kind, s.Method, s.URL, s.Status, s.Notes)
	}
	return b.String()
}
