package corsbench

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	fibercors "github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/valyala/fasthttp"

	corsfiber "github.com/corskit/corskit/fiber"
)

// fiberApp returns the Fiber app of the Fiber candidates, with mw, if not
// nil, as global middleware (app.Use), as each library documents.
func fiberApp(mw fiber.Handler) func(Request) Runner {
	var ran int
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	if mw != nil {
		app.Use(mw)
	}
	h := func(c *fiber.Ctx) error {
		ran++
		if c.Method() == "OPTIONS" {
			return c.SendStatus(http.StatusNoContent)
		}
		return c.SendStatus(http.StatusOK)
	}
	app.Get(path, h)
	app.Put(path, h)
	app.Post(path, h)
	app.Options(path, h)
	handler := app.Handler()
	return func(r Request) Runner { return fiberRunner(handler, r, &ran) }
}

// fiberRunner runs r through handler, the app's fasthttp.RequestHandler, as
// fasthttp's server does, with one reused RequestCtx: only the response is
// reset between runs.
func fiberRunner(handler fasthttp.RequestHandler, r Request, ran *int) Runner {
	var req fasthttp.Request
	req.Header.SetMethod(r.Method)
	req.SetRequestURI(r.Path)
	req.Header.SetHost("api.example.com")
	for _, h := range r.Header {
		req.Header.Add(h[0], h[1])
	}
	ctx := new(fasthttp.RequestCtx)
	ctx.Init(&req, nil, nil)
	run := func() {
		ctx.Response.Reset()
		handler(ctx)
	}
	return Runner{
		Run: run,
		Probe: func() Response {
			before := *ran
			run()
			h := http.Header{}
			ctx.Response.Header.VisitAll(func(k, v []byte) {
				h.Add(http.CanonicalHeaderKey(string(k)), string(v))
			})
			return Response{Status: ctx.Response.StatusCode(), Header: h, HandlerRan: *ran > before}
		},
	}
}

func init() {
	register(Candidate{Framework: "fiber", Name: "bare", Module: "github.com/gofiber/fiber/v2 v2.52.15",
		Build: func(p Policy) (func(Request) Runner, error) { return fiberApp(nil), nil }})
	register(Candidate{Framework: "fiber", Name: "corskit", Module: "corsfiber (this repository)",
		Build: func(p Policy) (func(Request) Runner, error) {
			mw, err := corsfiber.New(p.Corskit())
			if err != nil {
				return nil, err
			}
			return fiberApp(mw), nil
		}})
	register(Candidate{Framework: "fiber", Name: "fiber-cors", Module: "fiber/v2/middleware/cors v2.52.15",
		Build: func(p Policy) (func(Request) Runner, error) {
			return fiberApp(fibercors.New(fibercors.Config{
				AllowOrigins:     strings.Join(p.AllOrigins(), ","),
				AllowCredentials: p.Credentials,
				AllowMethods:     strings.Join(p.Methods, ","),
				AllowHeaders:     strings.Join(p.Headers, ","),
				ExposeHeaders:    strings.Join(p.Expose, ","),
				MaxAge:           p.MaxAge,
			})), nil
		}})
}
