// Package corsechov5 applies a corskit CORS policy to an Echo v5 server.
//
// The package is corsechov5, so that it never shadows
// github.com/labstack/echo/v5 in your files:
//
//	import corsechov5 "github.com/corskit/corskit/echov5"
//
//	cors, err := corsechov5.New(cfg)
//	if err != nil {
//		log.Fatal(err) // every problem in cfg, each with its fix
//	}
//	e := echo.New()
//	e.Pre(cors)
//	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.RemoveTrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
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
// work, and Echo runs no middleware at all (before v5.2.0, Echo allocates
// on every request to run Pre middleware; since, it builds its middleware
// chains once and neither way allocates).
//
//	handler, err := corsechov5.Wrap(e, cfg)
//	if err != nil {
//		log.Fatal(err)
//	}
//	log.Fatal(http.ListenAndServe(":8080", handler))
//
// e.Use works too, as long as no Pre middleware answers first: Echo runs
// middleware registered with e.Use around whatever the router found, also
// around its 404 answer for an unknown path, its 405 answer for a method a
// path lacks and its answer to an OPTIONS request for a path that has only
// other methods (204 with Allow, but no CORS headers, so the browser would
// fail the preflight), so such preflights reach corskit. But Pre
// middleware runs before it, and Echo's trailing-slash middleware
// (AddTrailingSlashWithConfig or RemoveTrailingSlashWithConfig with a
// RedirectCode) redirects there: a preflight to "/posts/" would be
// redirected, which browsers never follow, and a redirected actual request
// would lack the CORS headers the browser needs to follow it. So with any
// Pre middleware that may answer, register corskit with e.Pre before it.
//
// Do not register it on a route group: a group's middleware never runs for
// paths outside the group's prefix, and before Echo v5.3.0 (which gives a
// group with middleware a catch-all 404 route) not even for a preflight to
// a path inside it.
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
// The package is the module github.com/corskit/corskit/echov5, which
// requires only Echo v5 and corskit's root module:
//
//	go get github.com/corskit/corskit/echov5
//
// Its directory is echov5, not echo/v5: a module path ending in /v5 names
// major version 5 of the module without that suffix, so
// github.com/corskit/corskit/echo/v5 would be read as the fifth major
// version of corskit's Echo v4 adapter, github.com/corskit/corskit/echo,
// not as another adapter.
//
// It requires Echo v5.0.0, the first v5 release, so that adding it never
// raises your Echo version. Every v5 release passes its tests, and every
// one requires the same modules and Go 1.25, so requiring the first brings
// into your module graph nothing the newer one you have does not. It is
// tested with the newest v5 release too.
package corsechov5

import (
	"net/http"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

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
		return func(c *echo.Context) error {
			if o.skipper(c) {
				return next(c)
			}
			// In v5, c.Response() is the http.ResponseWriter itself.
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
