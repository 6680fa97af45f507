// Package conformance is the one table of CORS behaviour every corskit
// adapter must pass.
//
// An adapter's tests implement [Harness] (put the adapter, configured with a
// [core.Config], in front of an [App] built with its framework) and call
// [Run], which runs every row of the table as a subtest named
// "family/situation", so that, in the Gin adapter's module,
//
//	go -C gin test -run 'Conformance/preflight' .
//
// selects one family, and go test -v prints the whole table. Each row cites
// a rule of corskit's behaviour specification (docs/behaviour.md in the
// repository) and says why it is there. Because every adapter runs the same
// rows, they cannot drift apart. Framework pitfalls
// (preflights to paths without an OPTIONS route, trailing-slash redirects,
// route groups, handlers that set their own Vary or CORS headers) are rows
// like any other. Run also checks, for every row, that the adapter reports
// each refusal once through Config.OnReject and Config.Logger and nothing
// for allowed requests, and that user functions which keep the strings they
// are given (as a cache does) are not handed buffers the server reuses.
//
// The package is in corskit's root module, which requires no web framework:
// an adapter for another framework, in a module of its own, imports it in
// its tests without pulling in Gin, Echo or Fiber.
package conformance

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	// RedirectTrailingSlash turns on the framework's redirect from
	// "/path/" to the registered "/path" (Gin's RedirectTrailingSlash, Echo's
	// middleware.RemoveTrailingSlashWithConfig with a RedirectCode; net/http
	// and Fiber, which have no such switch, register a redirecting handler).
	// A GET redirected this way is answered 301 with Location "/path".
	// Preflights must be answered by corskit before any redirect happens.
	RedirectTrailingSlash bool
	// EditsAfter puts a layer outside everything, corskit included, that
	// overwrites every value of every response header in place once the
	// inner chain has returned, as a careless outer middleware may
	// (w.Header()["Access-Control-Allow-Origin"][0] = ...). Wrap the
	// server's http.Handler with [EditAfter]. A framework that keeps header
	// values in buffers of its own (fasthttp) sends the response when the
	// handlers return, so an edit there would change the answer itself: its
	// harness overwrites, in place, the bytes of the headers corskit set,
	// once it has read the response. A row with EditsAfter sends its request
	// several times (row.Times): corskit must never hand two requests the
	// same value slice, so no edit can reach a later answer.
	EditsAfter bool
}

// Edited is the value an EditsAfter layer writes over every header value.
const Edited = "edited by an outer layer"

// EditAfter returns h wrapped in the layer [App.EditsAfter] describes.
func EditAfter(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		for _, values := range w.Header() {
			for i := range values {
				values[i] = Edited
			}
		}
	})
}

// defaultApp has GET, HEAD and POST /posts, PUT and DELETE /posts/1, and
// GET /api/v1/posts on a route group: no OPTIONS route anywhere, as in most
// APIs.
var defaultApp = App{Routes: []Route{
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
	//
	// The send function must be safe for concurrent use, and must accept
	// requests with thousands of header lines and header values of 100 KB
	// or more: the bad-input rows send them, and corskit, not the server,
	// must refuse them.
	Serve(t *testing.T, cfg core.Config, app App) (func(*http.Request) *http.Response, error)
}

// A FrameworkHarness is a [Harness] that names its framework: "nethttp"
// (http.ServeMux), "gin", "echo", "echov5", "fiber" or "fiberv3". The rows
// of paths that routers read differently ("/public/../admin", "/PUBLIC/")
// record, for each of these, whether its router runs a handler for the
// path; [Run] fails such a row for a Harness without a known name.
type FrameworkHarness interface {
	Harness
	Framework() string
}

// A request is the request a row sends. Header lines are pairs of name and
// value, so duplicated lines are expressible.
type request struct {
	Method string
	Path   string   // default "/posts"
	Host   string   // default "api.example.com"; the scheme is always http
	Header []string // "Origin", "https://app.example.com", ...
}

// A row is one row of the table.
type row struct {
	// Name reads as "family/situation", such as "preflight/header not
	// listed"; each family belongs to one rule of docs/behaviour.md.
	Name    string
	Rule    int    // the rule of docs/behaviour.md this row pins down
	Why     string // one sentence: what the row shows, and why it matters
	Config  core.Config
	App     *App // nil means defaultApp
	Request request
	// Times is how often Request is sent, one after the other, each
	// response checked as below; 0 means once.
	Times int

	Status  int               // expected status
	Want    map[string]string // headers that must have exactly this value (lines joined with ", ")
	Absent  []string          // headers that must not appear
	Vary    []string          // tokens the Vary header must list
	Handler bool              // whether the handler must have run

	// Routed, if not nil, replaces Status and Handler for a path that
	// routers read differently: whether the framework named by the
	// harness (see FrameworkHarness) runs the handler. The status is then
	// the router's own (a redirect, 404, 200) and not checked.
	Routed map[string]bool

	// Reason is why corskit refuses the request, or core.Allowed. Run
	// installs Config.OnReject and checks that a refused request is
	// reported exactly once, with this reason, method and path, and that
	// an allowed one is not reported at all.
	Reason core.Reason
	// Log lists strings the line Config.Logger writes for this request must
	// contain, in slog's text format, such as `reason="header not allowed"`.
	// Run installs a Logger on every row and checks that allowed requests
	// log nothing.
	Log []string
}

// Run runs every case of the table against h, each as a parallel subtest,
// and then the buffer-reuse checks (subtests named "buffers/...").
func Run(t *testing.T, h Harness) {
	t.Helper()
	for _, c := range rows() {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			c.run(t, h)
		})
	}
	runBuffers(t, h)
}

// A report collects what the policy reported through OnReject and Logger.
type report struct {
	mu         sync.Mutex
	rejections []core.Rejection
	log        bytes.Buffer
}

func (r *report) onReject(x core.Rejection) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rejections = append(r.rejections, x)
}

func (r *report) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.Write(p)
}

func (c row) run(t *testing.T, h Harness) {
	app := defaultApp
	if c.App != nil {
		app = *c.App
	}
	var rep report
	cfg := c.Config
	if user := cfg.OnReject; user != nil {
		cfg.OnReject = func(x core.Rejection) { user(x); rep.onReject(x) }
	} else {
		cfg.OnReject = rep.onReject
	}
	cfg.Logger = slog.New(slog.NewTextHandler(&rep, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))

	if c.Routed != nil {
		fh, ok := h.(FrameworkHarness)
		if !ok {
			t.Fatalf("this row needs to know the framework: give the harness a Framework method (see FrameworkHarness)")
		}
		ran, known := c.Routed[fh.Framework()]
		if !known {
			t.Fatalf("Framework() = %q, which this row has no routing for; want one of %v", fh.Framework(), slices.Sorted(maps.Keys(c.Routed)))
		}
		c.Handler = ran
	}
	send, err := h.Serve(t, cfg, app)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	times, sent := max(c.Times, 1), 0
	for ; sent < times && !t.Failed(); sent++ {
		if times > 1 {
			t.Logf("request %d of %d", sent+1, times)
		}
		c.check(t, send(c.Request.build(t)))
	}
	c.checkReport(t, &rep, sent)
}

// check checks one response of the row.
func (c row) check(t *testing.T, resp *http.Response) {
	t.Helper()
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)

	if resp.StatusCode != c.Status && c.Routed == nil {
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
		if !listsToken(vary, token) {
			t.Errorf("Vary: got %q, want it to list %q", vary, token)
		}
	}
	if ran := resp.Header.Get(HandlerHeader) == "ran"; ran != c.Handler {
		t.Errorf("handler ran: got %v, want %v", ran, c.Handler)
	}
	checkInvariants(t, resp.Header)
	if t.Failed() {
		t.Logf("request: %s %s %.300q", c.Request.method(), c.Request.path(), c.Request.Header)
		t.Logf("response headers: %.2000v", resp.Header)
	}
}

// checkInvariants checks what must hold for every response whatever the
// row: one Access-Control-Allow-Origin at most (rule 10: never a second set
// of CORS headers), never "*" with credentials (rule 3), and the Origin
// token in Vary at most once (rule 4).
func checkInvariants(t *testing.T, h http.Header) {
	t.Helper()
	acao := h.Values("Access-Control-Allow-Origin")
	if len(acao) > 1 {
		t.Errorf("Access-Control-Allow-Origin: got %q, want one value at most", acao)
	}
	if slices.Contains(acao, "*") && h.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials")
	}
	n := 0
	for _, line := range h.Values("Vary") {
		for _, token := range strings.Split(line, ",") {
			if strings.EqualFold(strings.TrimSpace(token), "Origin") {
				n++
			}
		}
	}
	if n > 1 {
		t.Errorf("Vary: got %q, want Origin listed once", h.Values("Vary"))
	}
}

// checkReport checks what OnReject and Logger were told (rule 12).
// Each of the sent requests must have been reported.
func (c row) checkReport(t *testing.T, rep *report, sent int) {
	t.Helper()
	rep.mu.Lock()
	defer rep.mu.Unlock()
	log := rep.log.String()
	if c.Reason == core.Allowed {
		if len(rep.rejections) > 0 {
			t.Errorf("OnReject: got %v, want no report for an allowed request", rep.rejections)
		}
		if log != "" {
			t.Errorf("Logger: got %q, want nothing for an allowed request", log)
		}
		return
	}
	if len(rep.rejections) != sent {
		t.Errorf("OnReject: got %d reports %v, want %d with reason %q", len(rep.rejections), rep.rejections, sent, c.Reason)
	}
	for _, r := range rep.rejections {
		if r.Reason != c.Reason || r.Method != c.Request.method() || r.Path != c.Request.path() {
			t.Errorf("OnReject: got reason %q, method %q, path %q; want %q, %q, %q",
				r.Reason, r.Method, r.Path, c.Reason, c.Request.method(), c.Request.path())
		}
	}
	if n := strings.Count(log, "\n"); n != sent {
		t.Errorf("Logger: got %d lines %.500q, want %d", n, log, sent)
	}
	if want := fmt.Sprintf("reason=%q", c.Reason.String()); !strings.Contains(log, want) {
		t.Errorf("Logger: got %.500q, want it to contain %s", log, want)
	}
	for _, want := range c.Log {
		if !strings.Contains(log, want) {
			t.Errorf("Logger: got %.500q, want it to contain %s", log, want)
		}
	}
}

// listsToken reports whether some comma-separated line lists token,
// case-insensitively.
func listsToken(lines []string, token string) bool {
	for _, line := range lines {
		for elem := range strings.SplitSeq(line, ",") {
			if strings.EqualFold(strings.TrimSpace(elem), token) {
				return true
			}
		}
	}
	return false
}

func (r request) method() string {
	if r.Method == "" {
		return "GET"
	}
	return r.Method
}

func (r request) path() string {
	if r.Path == "" {
		return "/posts"
	}
	return r.Path
}

func (r request) build(t *testing.T) *http.Request {
	if len(r.Header)%2 != 0 {
		t.Fatalf("Request.Header must hold name, value pairs: %q", r.Header)
	}
	req := httptest.NewRequest(r.method(), "http://api.example.com"+r.path(), nil)
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

// The buffer checks send burst requests per round, at most workers at a
// time, in two rounds with values of the same length, so that a server
// reusing a request's buffers for a later request (Fiber does) would
// overwrite any string that still aliases them.
const (
	burst   = 200
	workers = 16
)

// runBuffers checks that values handed to user code stay intact after the
// request, under concurrent requests: the core copies them, and an adapter
// must not defeat that (for instance by building Facts the core cannot see
// are borrowed, or by deciding after the buffers were recycled).
func runBuffers(t *testing.T, h Harness) {
	t.Run("buffers/OriginFunc keeps its argument", func(t *testing.T) {
		t.Parallel()
		var k keeper
		send := serveOrFail(t, h, core.Config{OriginFunc: func(o string) bool { k.keep(o); return true }, Credentials: true})
		sent := sendRounds(t, send, func(round, i int) (request, string) {
			o := fmt.Sprintf("https://r%d-client-%03d.example", round, i)
			return request{Method: "GET", Header: []string{"Origin", o}}, o
		}, "Access-Control-Allow-Origin")
		k.check(t, "OriginFunc", sent)
	})
	t.Run("buffers/HeaderFunc keeps its argument", func(t *testing.T) {
		t.Parallel()
		var k keeper
		send := serveOrFail(t, h, core.Config{Origins: []string{web}, HeaderFunc: func(name string) bool { k.keep(name); return true }})
		sent := sendRounds(t, send, func(round, i int) (request, string) {
			name := fmt.Sprintf("x-r%d-header-%03d", round, i)
			return request{Method: "OPTIONS", Header: []string{"Origin", web, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", name}}, name
		}, "Access-Control-Allow-Headers")
		k.check(t, "HeaderFunc", sent)
	})
	t.Run("buffers/OnReject keeps its Rejection", func(t *testing.T) {
		t.Parallel()
		var k keeper
		send := serveOrFail(t, h, core.Config{Origins: []string{web}, OnReject: func(r core.Rejection) { k.keep(r.Origin) }})
		sent := sendRounds(t, send, func(round, i int) (request, string) {
			o := fmt.Sprintf("https://r%d-refused-%03d.example", round, i)
			return request{Method: "GET", Header: []string{"Origin", o}}, o
		}, "")
		k.check(t, "OnReject", sent)
	})
}

func serveOrFail(t *testing.T, h Harness, cfg core.Config) func(*http.Request) *http.Response {
	t.Helper()
	send, err := h.Serve(t, cfg, defaultApp)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return send
}

// sendRounds sends two rounds of burst requests made by req, which also
// returns the value the request carries. If echo is not "", the response
// header echo must carry that value. It returns every value sent.
func sendRounds(t *testing.T, send func(*http.Request) *http.Response, req func(round, i int) (request, string), echo string) map[string]bool {
	t.Helper()
	sent := make(map[string]bool, 2*burst)
	var failures atomic.Int32
	for round := range 2 {
		reqs := make([]*http.Request, burst)
		values := make([]string, burst)
		for i := range burst {
			r, v := req(round, i)
			reqs[i], values[i] = r.build(t), v
			sent[v] = true
		}
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					resp := send(reqs[i])
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if got := resp.Header.Get(echo); echo != "" && got != values[i] && failures.Add(1) <= 5 {
						t.Errorf("%s %q: got %s %q", reqs[i].Method, values[i], echo, got)
					}
				}
			}()
		}
		for i := range burst {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	return sent
}

// A keeper keeps every string a user function is given, as a cache would.
type keeper struct {
	mu   sync.Mutex
	kept []string
}

func (k *keeper) keep(s string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.kept = append(k.kept, s)
}

// check checks, after all requests are done, that every kept string is
// still one of the values sent, and that every value sent was kept.
func (k *keeper) check(t *testing.T, who string, sent map[string]bool) {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	seen := make(map[string]bool, len(k.kept))
	bad := 0
	for _, s := range k.kept {
		if !sent[s] {
			if bad++; bad <= 5 {
				t.Errorf("%s kept %q, which no request sent: its buffer was reused", who, s)
			}
			continue
		}
		seen[s] = true
	}
	if bad > 5 {
		t.Errorf("%s: %d corrupted values in all", who, bad)
	}
	if len(seen) != len(sent) {
		t.Errorf("%s was given %d of the %d values sent", who, len(seen), len(sent))
	}
}
