package corsbench

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/corskit/corskit/core"
	corsechov5 "github.com/corskit/corskit/echov5"
)

// The Echo v5 candidates, registered as for Echo v4: corskit with e.Pre,
// Echo's own CORS with e.Use, as Echo documents it.
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
		h := func(c *echo.Context) error {
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
	register(Candidate{Framework: "echov5", Name: "bare", Module: "github.com/labstack/echo/v5 v5.4.6",
		Build: func(p Policy) (func(Request) Runner, error) { return server(nil, nil, nil), nil }})
	register(Candidate{Framework: "echov5", Name: "bare-pre", Module: "Echo v5 with a no-op e.Pre middleware",
		Build: func(p Policy) (func(Request) Runner, error) {
			noop := func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c *echo.Context) error { return next(c) }
			}
			return server(noop, nil, nil), nil
		}})
	register(Candidate{Framework: "echov5", Name: "corskit", Module: "corsechov5 (this repository)",
		Build: func(p Policy) (func(Request) Runner, error) {
			mw, err := corsechov5.New(p.Corskit())
			if err != nil {
				return nil, err
			}
			return server(mw, nil, nil), nil
		}})
	register(Candidate{Framework: "echov5", Name: "corskit-wrap", Module: "corsechov5.Wrap in front of e",
		Build: func(p Policy) (func(Request) Runner, error) {
			cors, err := core.NewHolder(p.Corskit())
			if err != nil {
				return nil, err
			}
			return server(nil, nil, func(e http.Handler) http.Handler { return corsechov5.WrapDynamic(e, cors) }), nil
		}})
	// Echo v5's AllowOrigins takes exact origins only; its documentation
	// shows subdomains checked with UnsafeAllowOriginFunc, which replaces
	// the list, so the function checks both.
	register(Candidate{Framework: "echov5", Name: "echo-cors", Module: "echo/v5/middleware CORSWithConfig v5.4.6",
		Build: func(p Policy) (func(Request) Runner, error) {
			scheme, suffix, _ := strings.Cut(p.Pattern, "*")
			return server(nil, middleware.CORSWithConfig(middleware.CORSConfig{
				UnsafeAllowOriginFunc: func(_ *echo.Context, origin string) (string, bool, error) {
					if slices.Contains(p.Origins, origin) ||
						strings.HasPrefix(origin, scheme) && strings.HasSuffix(origin, suffix) && len(origin) > len(scheme)+len(suffix) {
						return origin, true, nil
					}
					return "", false, nil
				},
				AllowCredentials: p.Credentials,
				AllowMethods:     p.Methods,
				AllowHeaders:     p.Headers,
				ExposeHeaders:    p.Expose,
				MaxAge:           p.MaxAge,
			}), nil), nil
		}})
}
