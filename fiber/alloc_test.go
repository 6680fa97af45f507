package corsfiber_test

import (
	"net/http"
	"testing"

	"github.com/corskit/corskit/internal/measure"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	corsfiber "github.com/corskit/corskit/fiber"
)

// The requests whose cost the package promises: an allowed actual request
// and an allowed preflight.
var paths = []struct {
	name   string
	method string
	path   string
	header []string
	status int
}{
	{"actual", "GET", "/posts", []string{"Origin", "https://web.example.com"}, 200},
	{"preflight", "OPTIONS", "/posts/1", []string{
		"Origin", "https://web.example.com",
		"Access-Control-Request-Method", "PUT",
		"Access-Control-Request-Headers", "content-type",
	}, 204},
}

// blogApp returns the app with mw registered first: corskit, or for the
// reference a middleware that does nothing.
func blogApp(mw fiber.Handler) fasthttp.RequestHandler {
	app := fiber.New()
	app.Use(mw)
	app.Get("/posts", func(c *fiber.Ctx) error { return c.SendStatus(http.StatusOK) })
	app.Put("/posts/:id", func(c *fiber.Ctx) error { return c.SendStatus(http.StatusOK) })
	// The reference's preflight is answered by this route, as it would be
	// without corskit; corskit's is answered before it.
	app.Options("/posts/:id", func(c *fiber.Ctx) error { return c.SendStatus(http.StatusNoContent) })
	return app.Handler()
}

func pass(c *fiber.Ctx) error { return c.Next() }

// allocsPerRequest sends the request of ctx to handler, reusing ctx as
// fasthttp's server reuses its contexts.
func allocsPerRequest(handler fasthttp.RequestHandler, ctx *fasthttp.RequestCtx) float64 {
	return testing.AllocsPerRun(500, func() {
		ctx.Response.Reset()
		handler(ctx)
	})
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

// TestAllocs: corskit adds no allocation to what Fiber costs with any
// middleware in its place.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			ctx := requestCtx(p.method, p.path, p.header)
			got := allocsPerRequest(blogApp(corsfiber.Must(measure.BlogPolicy())), ctx)
			if ctx.Response.StatusCode() != p.status || len(ctx.Response.Header.Peek("Access-Control-Allow-Origin")) == 0 {
				t.Fatalf("got %s; want %d with CORS headers", ctx.Response.Header.Header(), p.status)
			}
			ref := allocsPerRequest(blogApp(pass), requestCtx(p.method, p.path, p.header))
			t.Logf("allocs per request: %v with corskit, %v with a do-nothing middleware", got, ref)
			if got > ref {
				t.Errorf("allocs per request: got %v with corskit, want at most %v, as with a do-nothing middleware", got, ref)
			}
		})
	}
}

func BenchmarkMiddleware(b *testing.B) {
	for _, p := range paths {
		b.Run("path="+p.name, func(b *testing.B) {
			handler, ctx := blogApp(corsfiber.Must(measure.BlogPolicy())), requestCtx(p.method, p.path, p.header)
			b.ReportAllocs()
			for b.Loop() {
				ctx.Response.Reset()
				handler(ctx)
			}
		})
	}
}
