package corsfiber_test

import (
	"net/http"
	"testing"

	"github.com/corskit/corskit/internal/measure"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	corsfiber "github.com/corskit/corskit/fiber"
)

// The requests whose cost the package promises, with the most allocations
// a request may make through the whole app, measured with Fiber v2.52.15
// and fasthttp v1.51.0: none.
var paths = []struct {
	name   string
	method string
	path   string
	header []string
	status int
	allocs float64
}{
	{"actual", "GET", "/posts", []string{"Origin", "https://web.example.com"}, 200, 0},
	{"preflight", "OPTIONS", "/posts/1", []string{
		"Origin", "https://web.example.com",
		"Access-Control-Request-Method", "PUT",
		"Access-Control-Request-Headers", "content-type",
	}, 204, 0},
}

func blogApp() fasthttp.RequestHandler {
	app := fiber.New()
	app.Use(corsfiber.Must(measure.BlogPolicy()))
	app.Get("/posts", func(c *fiber.Ctx) error { return c.SendStatus(http.StatusOK) })
	app.Put("/posts/:id", func(c *fiber.Ctx) error { return c.SendStatus(http.StatusOK) })
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

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			handler, ctx := blogApp(), requestCtx(p.method, p.path, p.header)
			got := testing.AllocsPerRun(200, func() {
				ctx.Response.Reset()
				handler(ctx)
			})
			if ctx.Response.StatusCode() != p.status || len(ctx.Response.Header.Peek("Access-Control-Allow-Origin")) == 0 {
				t.Fatalf("got %s; want %d with CORS headers", ctx.Response.Header.Header(), p.status)
			}
			t.Logf("%v allocs per request", got)
			if got > p.allocs {
				t.Errorf("allocs per request: got %v, want at most %v", got, p.allocs)
			}
		})
	}
}

func BenchmarkMiddleware(b *testing.B) {
	for _, p := range paths {
		b.Run("path="+p.name, func(b *testing.B) {
			handler, ctx := blogApp(), requestCtx(p.method, p.path, p.header)
			b.ReportAllocs()
			for b.Loop() {
				ctx.Response.Reset()
				handler(ctx)
			}
		})
	}
}
