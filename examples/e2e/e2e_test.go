package e2e_test

// The end-to-end run: a headless browser (Chromium, Firefox, WebKit) loads a
// page from one loopback origin, the page fetch()es an API served by each
// adapter from another, and the browser itself decides whether the page may
// read each response. The conformance table checks headers; this run checks
// that those headers make real browsers do what the policy says.
//
// Each adapter's <name>_test.go registers an e2eAdapter. TestBrowser
// starts each engine once for the test binary and gives every adapter a tab
// of its own in each; the adapters run in parallel, their scenarios in
// order. Where an engine legitimately differs from Chromium, the scenario
// says so (engines_test.go).

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/examples/internal/browser"
	"github.com/corskit/corskit/examples/internal/status"
)

// An e2eAdapter puts one corskit adapter in front of the end-to-end API.
type e2eAdapter struct {
	name string
	// slashRequest is the path of the trailing-slash scenario: the page
	// sends PUT slashRequest and the framework redirects it to the other
	// spelling, where api.slash is registered. Empty: the registration
	// tested has the framework's trailing-slash redirect off.
	slashRequest string
	// serve builds the API with the adapter's framework, registers the
	// adapter configured with cfg the way its package documentation
	// recommends, puts api.rec in front of everything, and serves on ln
	// until t ends. It returns the adapter's New error, if any.
	serve func(t *testing.T, ln net.Listener, cfg core.Config, api *e2eAPI) error
}

// e2eAdapters is filled by the init functions of <name>_test.go.
var e2eAdapters []e2eAdapter

func registerE2E(a e2eAdapter) { e2eAdapters = append(e2eAdapters, a) }

// An e2eRoute is one handler of the API, in a framework-neutral form: a
// path parameter is written ":id".
type e2eRoute struct {
	method, path string
	handler      http.HandlerFunc
}

// e2eAPI is a small blog API whose handlers count how often they ran,
// keyed by method and request URI.
type e2eAPI struct {
	rec recorder // every request, as seen before corskit

	mu  sync.Mutex
	ran map[string]int
}

func newE2EAPI() *e2eAPI { return &e2eAPI{ran: make(map[string]int)} }

// routes returns every route but the trailing-slash one, api.slash, which
// each adapter registers at its own spelling.
func (a *e2eAPI) routes() []e2eRoute {
	return []e2eRoute{
		{"GET", "/page", a.page},
		{"GET", "/posts", a.listPosts},
		{"POST", "/posts", a.createPost},
		{"PUT", "/posts/:id", a.changePost},
		{"PATCH", "/posts/:id", a.changePost},
		{"DELETE", "/posts/:id", a.changePost},
		{"POST", "/login", a.login},
		{"GET", "/whoami", a.whoami},
		{"GET", "/old", a.moved},
		{"GET", "/public/stats", a.stats},
	}
}

// stats is the public part of the API: numbers anyone may read.
func (a *e2eAPI) stats(w http.ResponseWriter, r *http.Request) {
	a.mark(r)
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"posts":2}`)
}

func (a *e2eAPI) mark(r *http.Request) {
	a.mu.Lock()
	a.ran[r.Method+" "+r.URL.RequestURI()]++
	a.mu.Unlock()
}

// handlerRuns returns how often a handler ran for method and request URI.
func (a *e2eAPI) handlerRuns(method, uri string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ran[method+" "+uri]
}

// page serves the test page from the API's own origin, for same-origin
// requests.
func (a *e2eAPI) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, testPage)
}

func (a *e2eAPI) listPosts(w http.ResponseWriter, r *http.Request) {
	a.mark(r)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Total-Count", "2")
	w.Header().Set("ETag", `"posts-v1"`)
	io.WriteString(w, `[{"id":1,"title":"CORS in Action"},{"id":2,"title":"Best practices"}]`)
}

func (a *e2eAPI) createPost(w http.ResponseWriter, r *http.Request) {
	a.mark(r)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, `{"id":3}`)
}

func (a *e2eAPI) changePost(w http.ResponseWriter, r *http.Request) {
	a.mark(r)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"method":%q}`, r.Method)
}

// login sets a session cookie named after the ?as= parameter, so that the
// adapters, which share the browser's cookie jar for 127.0.0.1, do not
// overwrite each other's. The body is the cookie's value. ?samesite=none
// sets it with SameSite=None instead of Lax, and ?secure=1 with Secure,
// although the API is plain HTTP.
func (a *e2eAPI) login(w http.ResponseWriter, r *http.Request) {
	a.mark(r)
	var b [8]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	// SameSite=Lax: the page and the API are on the same site (127.0.0.1,
	// ports do not count), so the browser sends the cookie on the page's
	// fetches; SameSite=None would need Secure, that is HTTPS.
	sameSite := http.SameSiteLaxMode
	if r.URL.Query().Get("samesite") == "none" {
		sameSite = http.SameSiteNoneMode
	}
	http.SetCookie(w, &http.Cookie{
		Name: "session-" + r.URL.Query().Get("as"), Value: token,
		Path: "/", HttpOnly: true, SameSite: sameSite, Secure: r.URL.Query().Get("secure") == "1",
	})
	io.WriteString(w, token)
}

// whoami answers the session cookie's value, or 401.
func (a *e2eAPI) whoami(w http.ResponseWriter, r *http.Request) {
	a.mark(r)
	c, err := r.Cookie("session-" + r.URL.Query().Get("as"))
	if err != nil {
		http.Error(w, "no session cookie", http.StatusUnauthorized)
		return
	}
	io.WriteString(w, c.Value)
}

// moved is an old address of /posts.
func (a *e2eAPI) moved(w http.ResponseWriter, r *http.Request) {
	a.mark(r)
	http.Redirect(w, r, "/posts", http.StatusMovedPermanently)
}

// slash is the handler of the trailing-slash scenario.
func (a *e2eAPI) slash(w http.ResponseWriter, r *http.Request) {
	a.mark(r)
	io.WriteString(w, "slash")
}

// An exchange is one request as it reached the server, before corskit, and
// the status it was answered with.
type exchange struct {
	Method, URI, Origin string
	Preflight           bool // OPTIONS with Access-Control-Request-Method
	Status              int
	MaxAge              string // the Access-Control-Max-Age answered
}

func (x exchange) String() string {
	kind := ""
	if x.Preflight {
		kind = " (preflight)"
	}
	s := fmt.Sprintf("%s %s%s Origin=%q -> %d", x.Method, x.URI, kind, x.Origin, x.Status)
	if x.MaxAge != "" {
		s += " Max-Age=" + x.MaxAge
	}
	return s
}

// A recorder keeps every exchange of a server.
type recorder struct {
	mu   sync.Mutex
	list []exchange
}

func (rec *recorder) add(x exchange) {
	rec.mu.Lock()
	rec.list = append(rec.list, x)
	rec.mu.Unlock()
}

// find returns the exchanges with method and request URI.
func (rec *recorder) find(method, uri string) []exchange {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var found []exchange
	for _, x := range rec.list {
		if x.Method == method && x.URI == uri {
			found = append(found, x)
		}
	}
	return found
}

func (rec *recorder) String() string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var b strings.Builder
	for _, x := range rec.list {
		fmt.Fprintf(&b, "\t%v\n", x)
	}
	return b.String()
}

// wrap records every request h serves.
func (rec *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := status.NewWriter(w)
		x := exchange{
			Method:    r.Method,
			URI:       r.URL.RequestURI(),
			Origin:    r.Header.Get("Origin"),
			Preflight: r.Method == "OPTIONS" && r.Header.Get("Access-Control-Request-Method") != "",
		}
		h.ServeHTTP(sw, r)
		x.Status = sw.Code
		x.MaxAge = w.Header().Get("Access-Control-Max-Age")
		rec.add(x)
	})
}

// testPage is served by the page origins and by the API itself. probe
// fetches and reports what the page can see: whether the browser let it read
// the response, and the status, body and readable headers if so. probeNull
// does the same from a sandboxed iframe, whose origin is opaque, so that the
// browser sends Origin: null.
const testPage = `<!doctype html>
<meta charset="utf-8">
<title>corskit end-to-end</title>
<script>
async function probe(url, init) {
  try {
    const r = await fetch(url, init);
    const body = await r.text();
    const headers = {};
    r.headers.forEach((v, k) => { headers[k] = v; });
    return {ok: true, status: r.status, body, headers, redirected: r.redirected};
  } catch (e) {
    return {ok: false, error: String(e)};
  }
}
function probeNull(url, init) {
  return new Promise(resolve => {
    const frame = document.createElement("iframe");
    frame.sandbox = "allow-scripts";
    addEventListener("message", function got(ev) {
      if (ev.source !== frame.contentWindow) return;
      removeEventListener("message", got);
      frame.remove();
      resolve(ev.data);
    });
    frame.srcdoc = "<script>" + probe.toString() + "\nprobe(" + JSON.stringify(url) + ", " +
      JSON.stringify(init || {}) + ").then(r => parent.postMessage(r, '*'));<\/script>";
    document.body.appendChild(frame);
  });
}
</script>
<body>corskit end-to-end test page</body>
`

// fetched is what probe reports.
type fetched struct {
	OK         bool              `json:"ok"` // the browser let the page read the response
	Error      string            `json:"error"`
	Status     int               `json:"status"`
	Body       string            `json:"body"`
	Headers    map[string]string `json:"headers"` // the headers the page can read
	Redirected bool              `json:"redirected"`
	Login      string            `json:"login"` // set by the cookie scenario: the session the login started
}

func (f fetched) String() string {
	b, _ := json.Marshal(f)
	return string(b)
}

// Where a scenario's page comes from.
type from uint8

const (
	fromPage  from = iota // the allow-listed page origin
	fromOther             // an origin no policy lists
	fromSelf              // the API's own origin (/page)
)

// The policies of the run, by name. page is the allow-listed page origin.
func e2ePolicies(page string) map[string]core.Config {
	return map[string]core.Config{
		// The chapter's blog: its own client, with cookies.
		"allowlist": {
			Origins:       []string{page},
			Credentials:   true,
			Methods:       []string{"PUT", "DELETE"},
			Headers:       []string{"Content-Type", "X-Custom"},
			ExposeHeaders: []string{"X-Total-Count"},
			MaxAge:        10 * time.Minute,
		},
		// A public API: any origin, no cookies, nothing exposed.
		"any": {
			Origins: []string{"*"},
			Methods: []string{"PUT", "DELETE"},
			Headers: []string{"Content-Type", "X-Custom"},
		},
		// Whatever headers are asked for, Authorization too, with cookies.
		"anyheader": {
			Origins:     []string{page},
			Credentials: true,
			Headers:     []string{"*"},
		},
		// Sandboxed iframes allowed; ETag exposed; no preflight caching.
		"null": {
			Origins:          []string{page, "null"},
			Methods:          []string{"PUT"},
			Headers:          []string{"Content-Type"},
			ExposeHeaders:    []string{"X-Total-Count", "ETag"},
			NoPreflightCache: true,
		},
		// Foreign origins refused before the handler runs.
		"reject": {
			Origins:          []string{page},
			RejectDisallowed: true,
		},
		// The allow-listed page with cookies, except /public/, which any
		// origin may read (PathPolicies).
		"paths": {
			Origins:     []string{page},
			Credentials: true,
			PathPolicies: []core.PathPolicy{
				{Name: "public", Paths: []string{"/public/"}, Config: core.Config{Origins: []string{"*"}}},
			},
		},
		// The allow-listed page with cookies, and forged writes from any
		// other origin refused before the handler runs.
		"csrf": {
			Origins:               []string{page},
			Credentials:           true,
			CrossOriginProtection: true,
		},
	}
}

// An e2eServer is one adapter serving the API with one policy, and a server
// without corskit that redirects every request to it.
type e2eServer struct {
	base      string // http://127.0.0.1:port
	api       *e2eAPI
	redirects string   // base URL of the redirecting server
	redirRec  recorder // what the redirecting server saw
}

// A scenario is one thing a page does and what the browser must make of it.
type scenario struct {
	name   string
	policy string // a key of e2ePolicies
	from   from
	// js is the body of an async function returning a probe result. It
	// can use API (the API's base URL), Q (a query string unique to the
	// scenario, "?s=N"), AS (the adapter's name), SLASH (the adapter's
	// trailing-slash path) and REDIRECTS (the redirecting server's base URL).
	js string
	// ok says whether the browser must let the page read the response: what
	// Chromium must do, and every other engine unless engines says
	// otherwise.
	ok bool
	// slash marks the trailing-slash scenario.
	slash bool
	// submits marks a scenario whose page submits a form rather than
	// calling fetch(): it reports blocked, but not with a fetch error.
	submits bool
	// check, if set, checks more: what the page read, what the server saw.
	check func(t *testing.T, c *checking)
	// engines, if set, holds what an engine other than Chromium does
	// instead of ok and check, by engine name, and why: only where the
	// engines legitimately differ (engines_test.go).
	engines map[string]differs
}

// checking is what a scenario's check gets.
type checking struct {
	got     fetched
	srv     *e2eServer
	q       string // the scenario's Q
	self    string // the API's origin, for same-origin requests
	slash   string // the adapter's slashRequest
	engine  string // the engine's name: browser.Chromium, Firefox or WebKit
	submits bool   // the scenario submits a form (see scenario.submits)
}

// exchanges returns the exchanges of the API with method and path+Q.
func (c *checking) exchanges(method, path string) []exchange {
	return c.srv.api.rec.find(method, path+c.q)
}

func (c *checking) preflights(t *testing.T, path string, want int) {
	t.Helper()
	if got := len(c.exchanges("OPTIONS", path)); got != want {
		t.Errorf("preflights for %s%s seen by the server: got %d, want %d", path, c.q, got, want)
	}
}

func (c *checking) handlerRan(t *testing.T, method, path string, want int) {
	t.Helper()
	if got := c.srv.api.handlerRuns(method, path+c.q); got != want {
		t.Errorf("handler runs for %s %s%s: got %d, want %d", method, path, c.q, got, want)
	}
}

func (c *checking) readable(t *testing.T, header string, want bool) {
	t.Helper()
	if _, got := c.got.Headers[strings.ToLower(header)]; got != want {
		t.Errorf("%s readable by the page: got %v, want %v (readable: %v)", header, got, want, c.got.Headers)
	}
}

const putJSON = `{method: "PUT", headers: {"Content-Type": "application/json", "X-Custom": "1"}, body: '{"title":"edited"}'}`

var scenarios = []scenario{
	{
		name: "simple GET allowed", policy: "allowlist", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q)`,
		check: func(t *testing.T, c *checking) {
			if c.got.Status != 200 || !strings.Contains(c.got.Body, "CORS in Action") {
				t.Errorf("got status %d, body %q", c.got.Status, c.got.Body)
			}
			c.preflights(t, "/posts", 0)
		},
	},
	{
		name: "simple GET from a foreign origin blocked", policy: "allowlist", from: fromOther, ok: false,
		js: `return probe(API + "/posts" + Q)`,
		check: func(t *testing.T, c *checking) {
			c.handlerRan(t, "GET", "/posts", 1) // without RejectDisallowed the handler runs; the browser hides the answer
		},
	},
	{
		name: "simple POST form allowed", policy: "allowlist", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q, {method: "POST", body: new URLSearchParams({title: "hello"})})`,
		check: func(t *testing.T, c *checking) {
			if c.got.Status != 201 {
				t.Errorf("status: got %d, want 201", c.got.Status)
			}
			c.preflights(t, "/posts", 0)
			if x := c.exchanges("POST", "/posts"); len(x) != 1 {
				t.Errorf("POSTs seen: %v", x)
			}
		},
	},
	{
		name: "simple POST form from a foreign origin blocked", policy: "allowlist", from: fromOther, ok: false,
		js: `return probe(API + "/posts" + Q, {method: "POST", body: new URLSearchParams({title: "hello"})})`,
		check: func(t *testing.T, c *checking) {
			c.handlerRan(t, "POST", "/posts", 1)
		},
	},
	{
		name: "preflighted PUT allowed", policy: "allowlist", from: fromPage, ok: true,
		js: `return probe(API + "/posts/1" + Q, ` + putJSON + `)`,
		check: func(t *testing.T, c *checking) {
			c.preflights(t, "/posts/1", 1)
			c.handlerRan(t, "PUT", "/posts/1", 1)
		},
	},
	{
		name: "preflighted DELETE allowed", policy: "allowlist", from: fromPage, ok: true,
		js: `return probe(API + "/posts/2" + Q, {method: "DELETE", headers: {"X-Custom": "1"}})`,
		check: func(t *testing.T, c *checking) {
			c.preflights(t, "/posts/2", 1)
			c.handlerRan(t, "DELETE", "/posts/2", 1)
		},
	},
	{
		name: "preflight refused for a header not allowed", policy: "allowlist", from: fromPage, ok: false,
		js: `return probe(API + "/posts/1" + Q, {method: "PUT", headers: {"Content-Type": "application/json", "X-Other": "1"}, body: "{}"})`,
		check: func(t *testing.T, c *checking) {
			refusedPreflight(t, c, "/posts/1")
			c.handlerRan(t, "PUT", "/posts/1", 0)
		},
	},
	{
		name: "preflight refused for a method not allowed", policy: "allowlist", from: fromPage, ok: false,
		js: `return probe(API + "/posts/1" + Q, {method: "PATCH", headers: {"Content-Type": "application/json"}, body: "{}"})`,
		check: func(t *testing.T, c *checking) {
			refusedPreflight(t, c, "/posts/1")
			c.handlerRan(t, "PATCH", "/posts/1", 0)
		},
	},
	{
		name: "Authorization allowed by Headers *", policy: "anyheader", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q, {headers: {"Authorization": "Bearer token"}})`,
		check: func(t *testing.T, c *checking) {
			c.preflights(t, "/posts", 1)
		},
	},
	{
		name: "Authorization with credentials allowed by Headers *", policy: "anyheader", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q, {headers: {"Authorization": "Bearer token", "X-Anything": "1"}, credentials: "include"})`,
		check: func(t *testing.T, c *checking) {
			c.preflights(t, "/posts", 1)
		},
	},
	{
		name: "credentialed fetch carries the login cookie", policy: "allowlist", from: fromPage, ok: true,
		js: `const login = await probe(API + "/login?as=" + AS, {method: "POST", credentials: "include"});
			if (!login.ok) return login;
			const me = await probe(API + "/whoami?as=" + AS, {credentials: "include"});
			me.login = login.body;
			return me;`,
		check: func(t *testing.T, c *checking) {
			if c.got.Status != 200 || c.got.Body == "" || c.got.Body != c.got.Login {
				t.Errorf("whoami: got status %d, session %q, want 200 and the session of the login, %q", c.got.Status, c.got.Body, c.got.Login)
			}
		},
	},
	{
		name: "credentialed fetch fails under an any-origin policy", policy: "any", from: fromPage, ok: false,
		js: `return probe(API + "/whoami?as=" + AS, {credentials: "include"})`,
	},
	{
		name: "exposed header readable, unexposed ETag not", policy: "allowlist", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q)`,
		check: func(t *testing.T, c *checking) {
			c.readable(t, "X-Total-Count", true)
			c.readable(t, "ETag", false)
			c.readable(t, "Content-Type", true) // CORS-safelisted
		},
	},
	{
		name: "header not exposed is unreadable", policy: "any", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q)`,
		check: func(t *testing.T, c *checking) {
			c.readable(t, "X-Total-Count", false)
			c.readable(t, "ETag", false)
		},
	},
	{
		name: "ETag readable when exposed", policy: "null", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q)`,
		check: func(t *testing.T, c *checking) {
			c.readable(t, "ETag", true)
			c.readable(t, "X-Total-Count", true)
		},
	},
	{
		name: "MaxAge: two identical preflighted fetches, one preflight", policy: "allowlist", from: fromPage, ok: true,
		js: `const first = await probe(API + "/posts/1" + Q, ` + putJSON + `);
			if (!first.ok) return first;
			return probe(API + "/posts/1" + Q, ` + putJSON + `);`,
		check: func(t *testing.T, c *checking) {
			// Without Max-Age Chromium would cache for 5 seconds too; the
			// header is what makes the cache last.
			if x := c.exchanges("OPTIONS", "/posts/1"); len(x) != 1 || x[0].MaxAge != "600" {
				t.Errorf("the API saw %v, want one preflight answered with Max-Age 600", x)
			}
			c.handlerRan(t, "PUT", "/posts/1", 2)
		},
	},
	{
		name: "NoPreflightCache: two identical preflighted fetches, two preflights", policy: "null", from: fromPage, ok: true,
		js: `const put = {method: "PUT", headers: {"Content-Type": "application/json"}, body: "{}"};
			const first = await probe(API + "/posts/1" + Q, put);
			if (!first.ok) return first;
			return probe(API + "/posts/1" + Q, put);`,
		check: func(t *testing.T, c *checking) {
			c.preflights(t, "/posts/1", 2)
			c.handlerRan(t, "PUT", "/posts/1", 2)
			if x := c.exchanges("OPTIONS", "/posts/1"); len(x) > 0 && x[0].MaxAge != "0" {
				t.Errorf("the API saw %v, want preflights answered with Max-Age 0", x)
			}
		},
	},
	{
		name: "null origin from a sandboxed iframe allowed when listed", policy: "null", from: fromPage, ok: true,
		js: `return probeNull(API + "/posts" + Q)`,
		check: func(t *testing.T, c *checking) {
			sawOrigin(t, c, "GET", "/posts", "null")
		},
	},
	{
		name: "null origin from a sandboxed iframe refused when not listed", policy: "allowlist", from: fromPage, ok: false,
		js: `return probeNull(API + "/posts" + Q)`,
		check: func(t *testing.T, c *checking) {
			sawOrigin(t, c, "GET", "/posts", "null")
		},
	},
	{
		name: "simple request redirected by 301 to the same server", policy: "allowlist", from: fromPage, ok: true,
		js: `return probe(API + "/old" + Q)`,
		check: func(t *testing.T, c *checking) {
			if !c.got.Redirected || !strings.Contains(c.got.Body, "CORS in Action") {
				t.Errorf("got redirected=%v, body %q; want the body of /posts after a redirect", c.got.Redirected, c.got.Body)
			}
		},
	},
	{
		name: "preflighted request redirected by 301 to the same server", policy: "allowlist", from: fromPage, ok: true,
		js: `return probe(API + "/old" + Q, {headers: {"X-Custom": "1"}})`,
		check: func(t *testing.T, c *checking) {
			if !c.got.Redirected || !strings.Contains(c.got.Body, "CORS in Action") {
				t.Errorf("got redirected=%v, body %q; want the body of /posts after a redirect", c.got.Redirected, c.got.Body)
			}
			c.preflights(t, "/old", 1)
		},
	},
	{
		name: "preflight redirected by a server without corskit fails", policy: "allowlist", from: fromPage, ok: false,
		js: `return probe(REDIRECTS + "/posts/1" + Q, ` + putJSON + `)`,
		check: func(t *testing.T, c *checking) {
			if x := c.srv.redirRec.find("OPTIONS", "/posts/1"+c.q); len(x) != 1 || x[0].Status != http.StatusMovedPermanently {
				t.Errorf("the redirecting server saw %v, want one preflight answered 301", x)
			}
			// The browser does not follow a redirected preflight.
			if x := c.exchanges("OPTIONS", "/posts/1"); len(x) != 0 {
				t.Errorf("the API saw %v, want nothing", x)
			}
			c.handlerRan(t, "PUT", "/posts/1", 0)
		},
	},
	{
		name: "trailing-slash redirect: corskit answers the preflight first", policy: "allowlist", from: fromPage, ok: true, slash: true,
		js: `return probe(API + SLASH + Q, ` + putJSON + `)`,
		check: func(t *testing.T, c *checking) {
			if x := c.exchanges("OPTIONS", c.slash); len(x) == 0 || x[0].Status != http.StatusNoContent {
				t.Errorf("preflights to %s: got %v, want the first answered 204 by corskit, not redirected", c.slash, x)
			}
			if x := c.exchanges("PUT", c.slash); len(x) != 1 || x[0].Status < 300 || x[0].Status > 399 {
				t.Errorf("PUT %s: got %v, want one redirect", c.slash, x)
			}
			target := c.slash + "/"
			if strings.HasSuffix(c.slash, "/") {
				target = strings.TrimSuffix(c.slash, "/")
			}
			c.handlerRan(t, "PUT", target, 1)
		},
	},
	{
		name: "rejection mode: foreign origin gets 403 and the handler does not run", policy: "reject", from: fromOther, ok: false,
		js: `return probe(API + "/posts" + Q, {method: "POST", body: new URLSearchParams({title: "csrf"})})`,
		check: func(t *testing.T, c *checking) {
			if x := c.exchanges("POST", "/posts"); len(x) != 1 || x[0].Status != http.StatusForbidden {
				t.Errorf("the API saw %v, want one POST answered 403", x)
			}
			c.handlerRan(t, "POST", "/posts", 0)
		},
	},
	{
		name: "rejection mode: allowed origin passes", policy: "reject", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q, {method: "POST", body: new URLSearchParams({title: "ok"})})`,
		check: func(t *testing.T, c *checking) {
			c.handlerRan(t, "POST", "/posts", 1)
		},
	},
	{
		name: "rejection mode: same-origin POST passes", policy: "reject", from: fromSelf, ok: true,
		js: `return probe("/posts" + Q, {method: "POST", body: new URLSearchParams({title: "mine"})})`,
		check: func(t *testing.T, c *checking) {
			// Chromium sends Origin on a same-origin POST; corskit must
			// recognise it as the server's own.
			sawOrigin(t, c, "POST", "/posts", c.self)
			c.handlerRan(t, "POST", "/posts", 1)
		},
	},
	{
		name: "path policies: a foreign origin reads the public part", policy: "paths", from: fromOther, ok: true,
		js: `return probe(API + "/public/stats" + Q)`,
		check: func(t *testing.T, c *checking) {
			if c.got.Status != 200 || !strings.Contains(c.got.Body, "posts") {
				t.Errorf("got status %d, body %q", c.got.Status, c.got.Body)
			}
		},
	},
	{
		name: "path policies: the same foreign origin cannot read the private API", policy: "paths", from: fromOther, ok: false,
		js: `return probe(API + "/posts" + Q)`,
		check: func(t *testing.T, c *checking) {
			c.handlerRan(t, "GET", "/posts", 1) // the default policy does not reject; the browser hides the answer
		},
	},
	{
		name: "path policies: the allowed page reads the private API with cookies", policy: "paths", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q, {credentials: "include"})`,
	},
	{
		name: "cross-site form POST from a foreign origin never reaches the handler", policy: "csrf", from: fromOther, ok: false, submits: true,
		js:    forgedWrite,
		check: refusedWrite,
	},
	{
		name: "no-cors POST from a foreign origin never reaches the handler", policy: "csrf", from: fromOther, ok: true,
		js: `return probe(API + "/posts" + Q, {method: "POST", mode: "no-cors", credentials: "include", body: new URLSearchParams({title: "forged"})})`,
		check: func(t *testing.T, c *checking) {
			if c.got.Status != 0 {
				t.Errorf("no-cors fetch: the page got status %d, want an opaque answer (0)", c.got.Status)
			}
			refusedWrite(t, c)
		},
	},
	{
		name: "credentialed POST from the allowed page passes cross-origin write protection", policy: "csrf", from: fromPage, ok: true,
		js: `return probe(API + "/posts" + Q, {method: "POST", credentials: "include", body: new URLSearchParams({title: "mine"})})`,
		check: func(t *testing.T, c *checking) {
			if c.got.Status != 201 {
				t.Errorf("status: got %d, want 201", c.got.Status)
			}
			c.handlerRan(t, "POST", "/posts", 1)
		},
	},
}

// forgedWrite is the classic cross-site request forgery: the page submits
// a form to the API into a hidden frame, which a browser sends with the
// user's cookies and no preflight. The page can never read the answer; the
// scenario reports blocked once the frame has loaded whatever came back.
const forgedWrite = `const frame = document.createElement("iframe");
			frame.name = "forged" + Q.slice(3);
			document.body.appendChild(frame);
			const form = document.createElement("form");
			form.method = "POST";
			form.action = API + "/posts" + Q;
			form.target = frame.name;
			const field = document.createElement("input");
			field.name = "title";
			field.value = "forged";
			form.appendChild(field);
			document.body.appendChild(form);
			const loaded = new Promise(resolve => frame.addEventListener("load", resolve, {once: true}));
			form.submit();
			await loaded;
			return {ok: false, error: "form submitted: a page cannot read a cross-origin frame"};`

// refusedWrite checks that the API answered one POST /posts, 403, and that
// its handler never ran.
func refusedWrite(t *testing.T, c *checking) {
	t.Helper()
	if x := c.exchanges("POST", "/posts"); len(x) != 1 || x[0].Status != http.StatusForbidden {
		t.Errorf("the API saw %v, want one POST answered 403", x)
	}
	c.handlerRan(t, "POST", "/posts", 0)
}

// refusedPreflight checks that the API answered one preflight to path, 403.
func refusedPreflight(t *testing.T, c *checking, path string) {
	t.Helper()
	if x := c.exchanges("OPTIONS", path); len(x) != 1 || x[0].Status != http.StatusForbidden {
		t.Errorf("the API saw %v, want one preflight answered 403", x)
	}
}

// sawOrigin checks that the API got method path with the Origin origin.
func sawOrigin(t *testing.T, c *checking, method, path, origin string) {
	t.Helper()
	x := c.exchanges(method, path)
	if len(x) == 0 || x[0].Origin != origin {
		t.Errorf("the API saw %v, want %s %s%s with Origin %q", x, method, path, c.q, origin)
	}
}

// TestBrowser runs every scenario against every adapter in each engine:
// TestBrowser/<engine>/<adapter>/<scenario>. Each engine starts once; its
// adapters run in parallel, each in a tab of its own with servers of its
// own, their scenarios in order. Once all ran, what the engines did is
// compared with the README's table (see table_test.go).
func TestBrowser(t *testing.T) {
	page := serveHTTP(t, http.HandlerFunc(servePage))
	other := serveHTTP(t, http.HandlerFunc(servePage))
	policies := e2ePolicies(page)

	adapters := slices.Clone(e2eAdapters)
	slices.SortFunc(adapters, func(a, b e2eAdapter) int { return strings.Compare(a.name, b.name) })
	seen := newOutcomes()
	t.Cleanup(func() { seen.checkREADME(t, adapters) })
	for _, engine := range browser.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			b := browser.ForTest(t, engine)
			seen.started(engine, b.Version())
			for _, a := range adapters {
				t.Run(a.name, func(t *testing.T) {
					t.Parallel()
					runScenarios(t, b, a, page, other, policies, seen)
				})
			}
		})
	}
}

// runScenarios runs every scenario, in order, against the adapter a in a
// tab of b.
func runScenarios(t *testing.T, b browser.Engine, a e2eAdapter, page, other string, policies map[string]core.Config, seen *outcomes) {
	servers := make(map[string]*e2eServer)
	for name, cfg := range policies {
		servers[name] = startE2E(t, a, cfg)
	}
	tab := browser.NewTab(t, b)
	current := ""
	for i, s := range allScenarios() {
		if s.slash && a.slashRequest == "" {
			continue // the registration has the framework's trailing-slash redirect off: nothing to redirect
		}
		srv := servers[s.policy]
		t.Run(s.name, func(t *testing.T) {
			want := s.expect(b.Name())
			url := map[from]string{fromPage: page + "/", fromOther: other + "/", fromSelf: srv.base + "/page"}[s.from]
			if url != current {
				current = ""
				if err := tab.Navigate(url); err != nil {
					t.Fatal(err)
				}
				current = url
			}
			c := &checking{srv: srv, q: fmt.Sprintf("?s=%d", i), self: srv.base, slash: a.slashRequest, engine: b.Name(), submits: s.submits}
			js := fmt.Sprintf("(async () => {\nconst API = %q, Q = %q, AS = %q, SLASH = %q, REDIRECTS = %q;\n%s\n})()",
				srv.base, c.q, a.name, a.slashRequest, srv.redirects, s.js)
			m := markOf(srv)
			got, err := browser.Eval[fetched](tab, js)
			if err != nil {
				t.Fatal(err)
			}
			c.got = got
			seen.add(b.Name(), s.name, a.name, c, m)
			if got.OK != want.ok {
				t.Errorf("browser accepted the response: got %v, want %v\nprobe: %v", got.OK, want.ok, got)
			}
			if !got.OK && !want.ok && !s.submits {
				c.blockedAs(t)
			}
			if want.note != "" {
				t.Logf("%s differs here: %s", b.Name(), want.note)
			}
			if want.check != nil {
				want.check(t, c)
			}
			if t.Failed() {
				t.Logf("the API saw:\n%v", &srv.api.rec)
			}
		})
	}
}

// startE2E serves the API with a behind cfg on a new loopback port, and a
// server without corskit that redirects every request there.
func startE2E(t *testing.T, a e2eAdapter, cfg core.Config) *e2eServer {
	t.Helper()
	ln := listen(t)
	s := &e2eServer{base: "http://" + ln.Addr().String(), api: newE2EAPI()}
	if err := a.serve(t, ln, cfg, s.api); err != nil {
		t.Fatalf("%s: New: %v", a.name, err)
	}
	s.redirects = serveHTTP(t, s.redirRec.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.base+r.URL.RequestURI(), http.StatusMovedPermanently)
	})))
	return s
}

func servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, testPage)
}

// listen listens on a loopback port the system chooses.
func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// serveHTTP serves h on a new loopback port until t ends, and returns its
// base URL.
func serveHTTP(t *testing.T, h http.Handler) string {
	t.Helper()
	ln := listen(t)
	serveOn(t, ln, h)
	return "http://" + ln.Addr().String()
}

// serveOn serves h on ln until t ends.
func serveOn(t *testing.T, ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}
