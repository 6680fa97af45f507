package corsfiber_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/corskit/corskit/conformance"
	"github.com/corskit/corskit/core"
	corsfiber "github.com/corskit/corskit/fiber"
	"github.com/corskit/corskit/internal/measure"
)

// harness puts corskit in front of a Fiber app with app.Use, first, as the
// package documentation says, and sends requests through app.Handler() the
// way fasthttp's server does: with pooled request contexts, so that a later
// request reuses an earlier one's buffers, and without the server's size
// limits, so that corskit, not the server, answers the bad-input rows.
//
// With listen, it serves the app on a loopback listener instead, as users'
// servers do, with a ReadBufferSize large enough for the bad-input rows (see
// the package documentation): fasthttp's own limits then apply too.
type harness struct{ listen bool }

// Framework names the framework for the rows whose routing differs by
// framework (see conformance.FrameworkHarness).
func (harness) Framework() string { return "fiber" }

func (h harness) Serve(t *testing.T, cfg core.Config, app conformance.App) (func(*http.Request) *http.Response, error) {
	mw, err := corsfiber.New(cfg)
	if err != nil {
		return nil, err
	}
	fc := fiber.Config{DisableStartupMessage: true}
	if h.listen {
		fc.ReadBufferSize = 1 << 20
	}
	a := fiber.New(fc)
	a.Use(mw)
	if app.RedirectTrailingSlash {
		// Fiber has no trailing-slash redirect; this is the handler users
		// write instead, registered after corskit.
		a.Use(func(c *fiber.Ctx) error {
			if p := c.Path(); len(p) > 1 && strings.HasSuffix(p, "/") {
				return c.Redirect(strings.TrimSuffix(p, "/"), http.StatusMovedPermanently)
			}
			return c.Next()
		})
	}
	groups := map[string]fiber.Router{}
	for _, rt := range app.Routes {
		if rt.Group == "" {
			a.Add(rt.Method, rt.Path, behavior(rt.Behavior))
			continue
		}
		if groups[rt.Group] == nil {
			groups[rt.Group] = a.Group(rt.Group)
		}
		groups[rt.Group].Add(rt.Method, strings.TrimPrefix(rt.Path, rt.Group), behavior(rt.Behavior))
	}
	if h.listen {
		return listen(t, a), nil
	}
	return serve(a.Handler(), app.EditsAfter), nil
}

// listen serves a on a loopback listener until t ends and returns a
// function that sends one request to it. A request Go's client refuses to
// send (a control byte or non-ASCII in a header value) skips the row: no
// browser can send it either.
func listen(t *testing.T, a *fiber.App) func(*http.Request) *http.Response {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.Listener(ln)
	t.Cleanup(func() { a.Shutdown() })
	client := &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	return func(r *http.Request) *http.Response {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.RequestURI = "http", ln.Addr().String(), ""
		resp, err := client.Do(r)
		if err != nil {
			if strings.Contains(err.Error(), "invalid header field") {
				t.Skipf("Go's client refuses to send this request: %v", err)
			}
			t.Fatalf("sending %s %s: %v", r.Method, r.URL, err)
		}
		return resp
	}
}

// behavior is the Fiber handler of a conformance route.
func behavior(b conformance.Behavior) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(conformance.HandlerHeader, "ran")
		switch b {
		case conformance.SetsVary:
			c.Append("Vary", "Accept-Encoding")
		case conformance.SetsCORS:
			c.Set("Access-Control-Allow-Origin", conformance.HandlerOrigin)
		case conformance.Redirects:
			return c.Redirect(conformance.RedirectTarget, http.StatusMovedPermanently)
		}
		return c.SendString("ok")
	}
}

var contexts = sync.Pool{New: func() any {
	ctx := new(fasthttp.RequestCtx)
	ctx.Init(new(fasthttp.Request), nil, nil)
	return ctx
}}

// serve returns a function that sends one request through handler and
// returns a copy of the response. With editAfter, every value of the
// headers corskit sets is then overwritten in place, byte by byte, where
// fasthttp keeps it (conformance.App.EditsAfter): after the response is
// sent, as an outer layer of a net/http server would.
func serve(handler fasthttp.RequestHandler, editAfter bool) func(*http.Request) *http.Response {
	return func(r *http.Request) *http.Response {
		ctx := contexts.Get().(*fasthttp.RequestCtx)
		defer contexts.Put(ctx)
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.Header.SetMethod(r.Method)
		ctx.Request.SetRequestURI(r.URL.RequestURI())
		ctx.Request.Header.SetHost(r.Host)
		for name, values := range r.Header {
			for _, v := range values {
				ctx.Request.Header.Add(name, v) // one line per value
			}
		}
		handler(ctx)

		resp := &http.Response{
			StatusCode: ctx.Response.StatusCode(),
			Header:     http.Header{},
			Body:       io.NopCloser(bytes.NewReader(bytes.Clone(ctx.Response.Body()))),
		}
		ctx.Response.Header.VisitAll(func(name, value []byte) {
			resp.Header.Add(string(name), string(value))
		})
		if editAfter {
			// Only what corskit sets: fasthttp itself hands out a
			// package-level default for Content-Type.
			ctx.Response.Header.VisitAll(func(name, value []byte) {
				if bytes.HasPrefix(name, []byte("Access-Control-")) || string(name) == "Vary" {
					for i := range value {
						value[i] = 'x'
					}
				}
			})
		}
		return resp
	}
}

func TestConformance(t *testing.T) { conformance.Run(t, harness{}) }

// TestConformance_listener runs the table through a real loopback server,
// so that fasthttp's own parsing and limits apply, as in users' servers.
func TestConformance_listener(t *testing.T) { conformance.Run(t, harness{listen: true}) }

func TestWithNext(t *testing.T) {
	app := fiber.New()
	app.Use(corsfiber.Must(measure.BlogPolicy(), corsfiber.WithNext(func(c *fiber.Ctx) bool {
		return strings.HasPrefix(c.Path(), "/internal/")
	})))
	app.All("/*", func(c *fiber.Ctx) error { return c.SendString("ok") })
	send := serve(app.Handler(), false)
	for _, tc := range []struct {
		path string
		cors bool
	}{
		{"/posts", true},
		{"/internal/metrics", false},
	} {
		req, _ := http.NewRequest("OPTIONS", "http://api.example.com"+tc.path, nil)
		req.Header.Set("Origin", "https://web.example.com")
		req.Header.Set("Access-Control-Request-Method", "PUT")
		resp := send(req)
		if cors := resp.Header.Get("Access-Control-Allow-Origin") != ""; cors != tc.cors {
			t.Errorf("preflight to %s: got %d %v, want CORS headers %v", tc.path, resp.StatusCode, resp.Header, tc.cors)
		}
	}
}

// TestDuplicateLines checks that every line of a repeated header reaches the
// policy, as fasthttp keeps them: two Origin lines never match.
func TestDuplicateLines(t *testing.T) {
	app := fiber.New()
	app.Use(corsfiber.Must(measure.BlogPolicy()))
	app.Get("/posts", func(c *fiber.Ctx) error { return c.SendString("ok") })
	send := serve(app.Handler(), false)
	req, _ := http.NewRequest("GET", "http://api.example.com/posts", nil)
	req.Header.Add("Origin", "https://web.example.com")
	req.Header.Add("Origin", "https://web.example.com")
	if resp := send(req); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("two Origin lines: got %v, want no Access-Control-Allow-Origin", resp.Header)
	}
}

// With Fiber's default ReadBufferSize (4096 bytes), fasthttp answers a
// request whose headers do not fit with 431 before any middleware runs;
// with a larger one, corskit sees the request and decides.
func TestReadBufferSize(t *testing.T) {
	names := strings.TrimSuffix(strings.Repeat("x-custom-header,", 300), ",") // 4.8 KB
	for _, tt := range []struct {
		name       string
		readBuffer int
		want       int
		reported   bool
	}{
		{"default: fasthttp answers 431", 0, http.StatusRequestHeaderFieldsTooLarge, false},
		{"16 KB: corskit refuses the oversized list", 16 << 10, http.StatusForbidden, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var reported atomic.Bool
			cfg := measure.BlogPolicy()
			cfg.OnReject = func(core.Rejection) { reported.Store(true) }
			a := fiber.New(fiber.Config{ReadBufferSize: tt.readBuffer, DisableStartupMessage: true})
			a.Use(corsfiber.Must(cfg))
			send := listen(t, a)
			r := httptest.NewRequest("OPTIONS", "http://api.example.com/posts", nil)
			r.Header.Set("Origin", "https://web.example.com")
			r.Header.Set("Access-Control-Request-Method", "PUT")
			r.Header.Set("Access-Control-Request-Headers", names)
			resp := send(r)
			resp.Body.Close()
			if resp.StatusCode != tt.want || reported.Load() != tt.reported {
				t.Errorf("got %d, reported to OnReject: %v; want %d, %v", resp.StatusCode, reported.Load(), tt.want, tt.reported)
			}
		})
	}
}

type traceKey struct{}

// traceHandler is a slog.Handler that keeps the traceKey{} value of each
// record's context.
type traceHandler struct{ got *atomic.Value }

func (h traceHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h traceHandler) Handle(ctx context.Context, _ slog.Record) error {
	h.got.Store(fmt.Sprint(ctx.Value(traceKey{})))
	return nil
}
func (h traceHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h traceHandler) WithGroup(string) slog.Handler      { return h }

// The line about a refusal is logged with the request's c.UserContext(),
// where middleware before corskit puts trace IDs.
func TestLogContext(t *testing.T) {
	var got atomic.Value
	cfg := measure.BlogPolicy()
	cfg.Logger = slog.New(traceHandler{&got})
	a := fiber.New()
	a.Use(func(c *fiber.Ctx) error {
		c.SetUserContext(context.WithValue(c.UserContext(), traceKey{}, "trace-7"))
		return c.Next()
	})
	a.Use(corsfiber.Must(cfg))
	r := httptest.NewRequest("GET", "http://api.example.com/posts", nil)
	r.Header.Set("Origin", "https://evil.example")
	resp := serve(a.Handler(), false)(r)
	resp.Body.Close()
	if v, _ := got.Load().(string); v != "trace-7" {
		t.Errorf("the log record's context carries %q, want %q", v, "trace-7")
	}
}
