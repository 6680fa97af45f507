package corsbench

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/corskit/corskit/core"
	corsecho "github.com/corskit/corskit/echo"
)

// The Echo candidates: corskit is registered with e.Pre, before routing, as
// its package documents; Echo's own CORS with e.Use, as Echo documents it.
func init() {
	server := func(pre, use echo.MiddlewareFunc, wrap func(http.Handler) http.Handler) func(Request) Runner {
		var ran int
		e := echo.New()
		if pre != nil {
			e.Pre(pre)
		}
		if use != nil {
			e.Use(use)
		}
		h := func(c echo.Context) error {
			ran++
			if c.Request().Method == "OPTIONS" {
				return c.NoContent(http.StatusNoContent)
			}
			return c.NoContent(http.StatusOK)
		}
		e.GET(path, h)
		e.PUT(path, h)
		e.POST(path, h)
		e.OPTIONS(path, h)
		var handler http.Handler = e
		if wrap != nil {
			handler = wrap(e)
		}
		return func(req Request) Runner { return httpRunner(handler, req, &ran) }
	}
	register(Candidate{Framework: "echo", Name: "bare", Module: "github.com/labstack/echo/v4 v4.16.5",
		Build: func(p Policy) (func(Request) Runner, error) { return server(nil, nil, nil), nil }})
	// The floor of any e.Pre middleware: Echo builds the pre-routing chain
	// per request, which costs two allocations before the middleware runs.
	register(Candidate{Framework: "echo", Name: "bare-pre", Module: "Echo with a no-op e.Pre middleware",
		Build: func(p Policy) (func(Request) Runner, error) {
			noop := func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c echo.Context) error { return next(c) }
			}
			return server(noop, nil, nil), nil
		}})
	register(Candidate{Framework: "echo", Name: "corskit", Module: "corsecho (this repository)",
		Build: func(p Policy) (func(Request) Runner, error) {
			mw, err := corsecho.New(p.Corskit())
			if err != nil {
				return nil, err
			}
			return server(mw, nil, nil), nil
		}})
	// corsecho.Wrap: corskit in front of e as an http.Handler, which, like
	// e.Pre, sees every request before routing, without Echo's
	// per-request Pre middleware chain.
	register(Candidate{Framework: "echo", Name: "corskit-wrap", Module: "corsecho.Wrap in front of e",
		Build: func(p Policy) (func(Request) Runner, error) {
			cors, err := core.NewHolder(p.Corskit())
			if err != nil {
				return nil, err
			}
			return server(nil, nil, func(e http.Handler) http.Handler { return corsecho.WrapDynamic(e, cors) }), nil
		}})
	register(Candidate{Framework: "echo", Name: "echo-cors", Module: "echo/v4/middleware CORSWithConfig v4.16.5",
		Build: func(p Policy) (func(Request) Runner, error) {
			return server(nil, middleware.CORSWithConfig(middleware.CORSConfig{
				AllowOrigins:     p.AllOrigins(),
				AllowCredentials: p.Credentials,
				AllowMethods:     p.Methods,
				AllowHeaders:     p.Headers,
				ExposeHeaders:    p.Expose,
				MaxAge:           p.MaxAge,
			}), nil), nil
		}})
}
