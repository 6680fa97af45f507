// Package conformance is the one table of CORS behaviour every corskit
// adapter must pass.
//
// An adapter's tests implement [Harness] (put the adapter, configured with a
// [core.Config], in front of an [App] built with its framework) and call
// [Run], which runs every [Case] of the table as a subtest named
// "rule/situation", so that
//
//	go test -run 'Conformance/preflight' ./gin/
//
// selects one family, and go test -v prints the whole table. Because all four
// adapters run the same rows, they cannot drift apart. Framework pitfalls
// (preflights to paths without an OPTIONS route, trailing-slash redirects,
// route groups, handlers that set their own Vary) are rows like any other.
package conformance

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/corskit/corskit/core"
)

// HandlerHeader is set to "ran" by every handler of an App, so that a case
// can tell, from the response alone, whether the handler ran.
const HandlerHeader = "X-Conformance-Handler"

// A Behavior is what a route's handler does besides marking that it ran.
type Behavior uint8

const (
	// Plain answers 200 with the body "ok".
	Plain Behavior = iota
	// SetsVary adds "Vary: Accept-Encoding" (with Header().Add or the
	// framework's equivalent that appends) before answering 200.
	SetsVary
	// SetsCORS sets Access-Control-Allow-Origin to HandlerOrigin itself, as
	// handlers written before corskit do, before answering 200.
	SetsCORS
	// Redirects answers 301 with Location: RedirectTarget.
	Redirects
)

// HandlerOrigin is the Access-Control-Allow-Origin a SetsCORS handler sets.
const HandlerOrigin = "https://handler.example"

// RedirectTarget is where a Redirects handler points.
const RedirectTarget = "/posts"

// A Route is one handler of an App.
type Route struct {
	Method string // "GET", "PUT", "OPTIONS", ...
	// Path is the full path, such as "/posts" or "/api/v1/posts". If Group
	// is set, the route is registered on a route group with that prefix
	// (Gin's Group, Echo's Group, Fiber's Group, a sub-mux for net/http) and
	// Path still names the full path.
	Path     string
	Group    string
	Behavior Behavior
}

// An App is the application behind the middleware.
type App struct {
	Routes []Route
	// RedirectTrailingSlash turns on the framework's redirect between
	// "/path" and "/path/" (Gin's RedirectTrailingSlash, Echo's
	// middleware.AddTrailingSlash with RedirectCode, Fiber's StrictRouting
	// off does not redirect, so its harness uses a redirecting handler).
	// Preflights must be answered by corskit before any redirect happens.
	RedirectTrailingSlash bool
}

// DefaultApp has GET and POST /posts, PUT /posts/1 and DELETE /posts/1, and
// GET /api/v1/posts on a route group: no OPTIONS route anywhere, as in most
// APIs.
var DefaultApp = App{Routes: []Route{
	{Method: "GET", Path: "/posts"},
	{Method: "HEAD", Path: "/posts"},
	{Method: "POST", Path: "/posts"},
	{Method: "PUT", Path: "/posts/1"},
	{Method: "DELETE", Path: "/posts/1"},
	{Method: "GET", Path: "/api/v1/posts", Group: "/api/v1"},
}}

// A Harness puts one adapter in front of an App.
type Harness interface {
	// Serve builds app with the harness's framework, registers the adapter
	// configured with cfg the way the adapter's documentation recommends
	// (so that every preflight reaches corskit), and returns a function that
	// sends one request through it in-process. If the adapter's New refuses
	// cfg, Serve returns that error.
	Serve(t *testing.T, cfg core.Config, app App) (func(*http.Request) *http.Response, error)
}

// A Request is the request a Case sends. Header lines are pairs of name and
// value, so duplicated lines are expressible.
type Request struct {
	Method string
	Path   string   // default "/posts"
	Host   string   // default "api.example.com"
	Header []string // "Origin", "https://app.example.com", ...
}

// A Case is one row of the table.
type Case struct {
	// Name reads as "family/situation", such as "preflight/header not
	// listed"; the family is the DESIGN.md rule's topic.
	Name    string
	Rule    int // the DESIGN.md behaviour rule this row pins down
	Config  core.Config
	App     *App // nil means DefaultApp
	Request Request

	Status  int               // expected status
	Want    map[string]string // headers that must have exactly this value (lines joined with ", ")
	Absent  []string          // headers that must not appear
	Vary    []string          // tokens the Vary header must list
	Handler bool              // whether the handler must have run
	// ConfigError, if set, means the adapter's New must refuse Config with
	// an error for which errors.Is(err, ConfigError) holds; nothing is sent.
	ConfigError error
}

// Run runs every case of the table against h, each as a parallel subtest.
func Run(t *testing.T, h Harness) {
	t.Helper()
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			c.run(t, h)
		})
	}
}

func (c Case) run(t *testing.T, h Harness) {
	app := DefaultApp
	if c.App != nil {
		app = *c.App
	}
	send, err := h.Serve(t, c.Config, app)
	if c.ConfigError != nil {
		if err == nil || !errors.Is(err, c.ConfigError) {
			t.Fatalf("New(%+v): got error %v, want %v", c.Config, err, c.ConfigError)
		}
		return
	}
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	resp := send(c.Request.build(t))
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)

	if resp.StatusCode != c.Status {
		t.Errorf("status: got %d, want %d", resp.StatusCode, c.Status)
	}
	for name, want := range c.Want {
		if got := strings.Join(resp.Header.Values(name), ", "); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	for _, name := range c.Absent {
		if got := resp.Header.Values(name); len(got) > 0 {
			t.Errorf("%s: got %q, want no such header", name, got)
		}
	}
	vary := resp.Header.Values("Vary")
	for _, token := range c.Vary {
		if !slices.ContainsFunc(vary, func(line string) bool { return core.ListsToken(line, token) }) {
			t.Errorf("Vary: got %q, want it to list %q", vary, token)
		}
	}
	if ran := resp.Header.Get(HandlerHeader) == "ran"; ran != c.Handler {
		t.Errorf("handler ran: got %v, want %v", ran, c.Handler)
	}
	if t.Failed() {
		t.Logf("request: %s %s %q", c.Request.Method, c.Request.path(), c.Request.Header)
		t.Logf("response headers: %v", resp.Header)
	}
}

func (r Request) path() string {
	if r.Path == "" {
		return "/posts"
	}
	return r.Path
}

func (r Request) build(t *testing.T) *http.Request {
	if len(r.Header)%2 != 0 {
		t.Fatalf("Request.Header must hold name, value pairs: %q", r.Header)
	}
	req := httptest.NewRequest(r.Method, "http://api.example.com"+r.path(), nil)
	req.Host = "api.example.com"
	if r.Host != "" {
		req.Host = r.Host
	}
	for i := 0; i < len(r.Header); i += 2 {
		req.Header.Add(r.Header[i], r.Header[i+1])
	}
	return req
}

// ServeHTTP is the handler of a route for frameworks built on net/http:
// it marks that it ran, does what b says, and answers.
func (b Behavior) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(HandlerHeader, "ran")
	switch b {
	case SetsVary:
		w.Header().Add("Vary", "Accept-Encoding")
	case SetsCORS:
		w.Header().Set("Access-Control-Allow-Origin", HandlerOrigin)
	case Redirects:
		http.Redirect(w, r, RedirectTarget, http.StatusMovedPermanently)
		return
	}
	_, _ = io.WriteString(w, "ok")
}
