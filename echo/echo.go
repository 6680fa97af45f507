// Package corsecho applies a corskit CORS policy to an Echo v4 server.
//
// The directory is echo/, but the package is corsecho, so that it never
// shadows github.com/labstack/echo/v4 in your files:
//
//	import corsecho "github.com/corskit/corskit/echo"
//
//	e := echo.New()
//	e.Pre(corsecho.Must(core.Config{Origins: []string{"https://app.example.com"}}))
//	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
//	e.GET("/posts", listPosts)
//
// # Registration
//
// Register the middleware with e.Pre, first. Pre middleware runs before
// Echo routes the request, so corskit sees every request, whatever any
// later middleware or the router would answer.
//
// Or put corskit in front of the whole server with [Wrap], as a plain
// net/http handler: it then sees every request before any of Echo's own
// work, and costs no allocation, where Echo allocates twice per request to
// run any Pre middleware.
//
//	handler, err := corsecho.Wrap(e, cfg)
//	if err != nil {
//		log.Fatal(err) // every problem in cfg, each with its fix
//	}
//	http.ListenAndServe(":8080", handler)
//
// e.Use works too, as long as no Pre middleware answers first: Echo runs
// middleware registered with e.Use around whatever the router found, also
// around its 404 answer for an unknown path and its answer to an OPTIONS
// request for a path that has only other methods, so such preflights reach
// corskit. But Pre middleware runs before it, and Echo's trailing-slash
// middleware (AddTrailingSlash or RemoveTrailingSlash with a RedirectCode)
// redirects there: a preflight to "/posts/" would be redirected, which
// browsers never follow, and a redirected actual request would lack the
// CORS headers the browser needs to follow it. So with any Pre middleware
// that may answer, register corskit with e.Pre before it.
//
// Do not register it on a route group: a group's middleware does not run
// for paths the group lacks.
//
// # Behaviour
//
// The middleware sets the CORS headers before the next handler runs, and
// appends Vary: Origin rather than replacing what is there. corskit answers
// a preflight itself, with 204 or, if refused, 403 and no CORS headers,
// unless Config.PreflightPassthrough is set. An actual request from an
// origin that is not allowed continues without CORS headers, unless
// Config.RejectDisallowed (or, for a request that may change state,
// Config.CrossOriginProtection) answers it with 403 first. See package
// [core] for the policy itself.
//
// # Concurrency
//
// The middleware is safe for concurrent use. With [Dynamic] and
// [WrapDynamic], the policy can be replaced while requests are served; see
// [core.Holder].
//
// # Module
//
// The package is the module github.com/corskit/corskit/echo, which requires
// only Echo v4 and corskit's root module:
//
//	go get github.com/corskit/corskit/echo
//
// It requires Echo v4.5.0, so that adding it never raises your Echo version
// (v4.0.0 to v4.4.x work too, but require the unmaintained
// github.com/dgrijalva/jwt-go); it is tested with the newest v4 release too.
package corsecho

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

// An Option changes how the middleware is applied, not the policy.
type Option interface{ apply(*options) }

type options struct{ skipper middleware.Skipper }

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// WithSkipper makes the middleware call the next handler untouched, adding
// no header, for requests for which skip returns true. The default skips
// nothing.
func WithSkipper(skip middleware.Skipper) Option {
	return optionFunc(func(o *options) { o.skipper = skip })
}

// New returns Echo middleware enforcing cfg, or every problem in cfg (see
// [core.Compile]).
func New(cfg core.Config, opts ...Option) (echo.MiddlewareFunc, error) {
	h, err := core.NewHolder(cfg)
	if err != nil {
		return nil, err
	}
	return Dynamic(h, opts...), nil
}

// Must is like [New] but panics if cfg is invalid. Use it with policies
// written in the source, where an invalid one is a bug.
func Must(cfg core.Config, opts ...Option) echo.MiddlewareFunc {
	mw, err := New(cfg, opts...)
	if err != nil {
		panic(err)
	}
	return mw
}

// Dynamic returns Echo middleware enforcing the policy h serves at the time
// of each request, so that h.Reconfigure applies to the requests that
// follow.
func Dynamic(h *core.Holder, opts ...Option) echo.MiddlewareFunc {
	o := options{skipper: middleware.DefaultSkipper}
	for _, opt := range opts {
		opt.apply(&o)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if o.skipper(c) {
				return next(c)
			}
			if status := h.Handle(c.Request(), c.Response().Header()); status != 0 {
				return c.NoContent(status)
			}
			return next(c)
		}
	}
}

// Wrap returns e with corskit in front of it, enforcing cfg, or every
// problem in cfg (see [core.Compile]). Every request reaches corskit before
// Echo's Pre middleware and router. Skippers do not apply; to leave paths
// out, route them around the returned handler.
func Wrap(e http.Handler, cfg core.Config) (http.Handler, error) {
	h, err := core.NewHolder(cfg)
	if err != nil {
		return nil, err
	}
	return WrapDynamic(e, h), nil
}

// WrapDynamic is [Wrap] enforcing the policy h serves at the time of each
// request, so that h.Reconfigure applies to the requests that follow.
func WrapDynamic(e http.Handler, h *core.Holder) http.Handler {
	// In front of the server, an Echo app is a plain net/http handler.
	return corshttp.Dynamic(h)(e)
}
