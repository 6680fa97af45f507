package corsfiberv3_test

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/valyala/fasthttp"

	corsfiberv3 "github.com/corskit/corskit/fiberv3"
	"github.com/corskit/corskit/internal/measure"
)

// The requests whose cost the package promises, and how many allocations
// per request corskit may add to what the same app makes with a middleware
// that does nothing, registered the same way: none.
var paths = []struct {
	name   string
	method string
	path   string
	header []string
	status int // with corskit
	extra  float64
}{
	{"actual", "GET", "/posts", []string{"Origin", "https://web.example.com"}, 200, 0},
	{"preflight", "OPTIONS", "/posts/1", []string{
		"Origin", "https://web.example.com",
		"Access-Control-Request-Method", "PUT",
		"Access-Control-Request-Headers", "content-type",
	}, 204, 0},
}

// pass is the reference middleware: it only calls the next handler.
func pass(c fiber.Ctx) error { return c.Next() }

// blogApp returns the blog API's app with mw registered first, and with
// routes of its own for OPTIONS if options is set.
func blogApp(mw fiber.Handler, options bool, cfg ...fiber.Config) fasthttp.RequestHandler {
	app := fiber.New(cfg...)
	app.Use(mw)
	app.Get("/posts", func(c fiber.Ctx) error { return c.SendStatus(http.StatusOK) })
	app.Put("/posts/:id", func(c fiber.Ctx) error { return c.SendStatus(http.StatusOK) })
	if options {
		app.Options("/*", func(c fiber.Ctx) error { return c.SendStatus(http.StatusNoContent) })
	}
	return app.Handler()
}

// requestCtx returns a context for the request, to be reused as fasthttp's
// server reuses its contexts.
func requestCtx(method, path string, header []string) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(path)
	req.Header.SetHost("api.example.com")
	for i := 0; i < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	ctx := new(fasthttp.RequestCtx)
	ctx.Init(&req, nil, nil)
	return ctx
}

// allocs returns the allocations per request of handler for ctx, and ctx
// as the last request left it.
func allocs(handler fasthttp.RequestHandler, ctx *fasthttp.RequestCtx) float64 {
	return testing.AllocsPerRun(200, func() {
		ctx.Response.Reset()
		handler(ctx)
	})
}

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			// Without corskit, Fiber answers the preflight 405 through its
			// error handler, which allocates; the reference is then the
			// cheaper of that and the app answering OPTIONS itself, so that
			// the promise never rests on work corskit saves Fiber.
			plain := allocs(blogApp(pass, false), requestCtx(p.method, p.path, p.header))
			routed := allocs(blogApp(pass, true), requestCtx(p.method, p.path, p.header))
			ref := min(plain, routed)
			ctx := requestCtx(p.method, p.path, p.header)
			got := allocs(blogApp(corsfiberv3.Must(measure.BlogPolicy()), false), ctx)
			if ctx.Response.StatusCode() != p.status || len(ctx.Response.Header.Peek("Access-Control-Allow-Origin")) == 0 {
				t.Fatalf("got %s; want %d with CORS headers", ctx.Response.Header.Header(), p.status)
			}
			t.Logf("allocs per request: %v with corskit; with a middleware that does nothing %v, and %v with an OPTIONS route", got, plain, routed)
			if got > ref+p.extra {
				t.Errorf("allocs per request: got %v, want at most %v (the reference's %v + %v)", got, ref+p.extra, ref, p.extra)
			}
		})
	}
}

// TestAllocs_immutable: with Config.Immutable, Fiber copies every string
// it hands out, but corskit reads the path from the request line, so it
// still adds no allocation.
func TestAllocs_immutable(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	immutable := fiber.Config{Immutable: true}
	p := paths[0]
	ref := allocs(blogApp(pass, false, immutable), requestCtx(p.method, p.path, p.header))
	got := allocs(blogApp(corsfiberv3.Must(measure.BlogPolicy()), false, immutable), requestCtx(p.method, p.path, p.header))
	if got > ref {
		t.Errorf("allocs per request with Config.Immutable: got %v, want at most the %v of a middleware that does nothing", got, ref)
	}
}

func BenchmarkMiddleware(b *testing.B) {
	for _, mw := range []struct {
		name    string
		handler fiber.Handler
	}{
		{"corskit", corsfiberv3.Must(measure.BlogPolicy())},
		{"none", pass},
	} {
		for _, p := range paths {
			b.Run("mw="+mw.name+"/path="+p.name, func(b *testing.B) {
				handler, ctx := blogApp(mw.handler, false), requestCtx(p.method, p.path, p.header)
				b.ReportAllocs()
				for b.Loop() {
					ctx.Response.Reset()
					handler(ctx)
				}
			})
		}
	}
}
