// Package corsgin applies a corskit CORS policy to a Gin engine.
//
// The directory is gin/, but the package is corsgin, so that it never
// shadows github.com/gin-gonic/gin in your files:
//
//	import corsgin "github.com/corskit/corskit/gin"
//
// # Registration
//
// Gin routes a request before any middleware runs, and two of its answers
// run no middleware at all: with RedirectTrailingSlash (on in [gin.New] and
// [gin.Default]) or RedirectFixedPath, a request for "/posts/" when only
// "/posts" exists is redirected at once. The redirect of an actual request
// then carries no CORS headers, so the browser refuses to follow it; and if
// the engine has an OPTIONS route for "/posts", a preflight to "/posts/" is
// redirected too, which browsers never follow. To guarantee that corskit sees every
// request, put it in front of the engine with [Wrap]:
//
//	r := gin.New()
//	r.GET("/posts", listPosts)
//	handler, err := corsgin.Wrap(r, cfg)
//	if err != nil {
//		log.Fatal(err) // every problem in cfg, each with its fix
//	}
//	http.ListenAndServe(":8080", handler)
//
// Global middleware is enough when the engine's redirects are off: Gin
// runs it for every request it routes, including the 404 and 405 answers
// to preflights for paths that have no OPTIONS route.
//
//	r := gin.New()
//	r.RedirectTrailingSlash = false
//	r.Use(corsgin.Must(cfg))
//
// Register it with r.Use, before other middleware, not on a route group:
// a group's middleware does not run for paths the group lacks. Use Wrap
// or r.Use, not both.
//
// # Behaviour
//
// The middleware sets the CORS headers before the next handler runs, and
// appends Vary: Origin rather than replacing what is there. corskit answers
// a preflight itself, with 204 or, if refused, 403 and no CORS headers, and
// aborts the chain, unless Config.PreflightPassthrough is set. An actual
// request from an origin that is not allowed continues without CORS headers,
// unless Config.RejectDisallowed (or, for a request that may change state,
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
// The package is the module github.com/corskit/corskit/gin, which requires
// only Gin and corskit's root module:
//
//	go get github.com/corskit/corskit/gin
//
// It requires Gin v1.6.3, so that adding it never raises your Gin version
// (v1.4.0 and v1.5.0 work too, but require a yaml.v2 with a known
// vulnerability); it is tested with the newest release too.
package corsgin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

// New returns Gin middleware enforcing cfg, or every problem in cfg (see
// [core.Compile]).
func New(cfg core.Config) (gin.HandlerFunc, error) {
	h, err := core.NewHolder(cfg)
	if err != nil {
		return nil, err
	}
	return Dynamic(h), nil
}

// Must is like [New] but panics if cfg is invalid. Use it with policies
// written in the source, where an invalid one is a bug.
func Must(cfg core.Config) gin.HandlerFunc {
	mw, err := New(cfg)
	if err != nil {
		panic(err)
	}
	return mw
}

// Dynamic returns Gin middleware enforcing the policy h serves at the time
// of each request, so that h.Reconfigure applies to the requests that
// follow.
func Dynamic(h *core.Holder) gin.HandlerFunc {
	return func(c *gin.Context) {
		if status := h.Handle(c.Request, c.Writer.Header()); status != 0 {
			c.AbortWithStatus(status)
			return
		}
		c.Next()
	}
}

// Wrap returns engine with corskit in front of its router, enforcing cfg,
// or every problem in cfg (see [core.Compile]). Every request reaches
// corskit before Gin routes or redirects it. Pass the engine itself, or
// engine.Handler() if engine.UseH2C is set (Gin v1.8 and later).
func Wrap(engine http.Handler, cfg core.Config) (http.Handler, error) {
	h, err := core.NewHolder(cfg)
	if err != nil {
		return nil, err
	}
	return WrapDynamic(engine, h), nil
}

// WrapDynamic is [Wrap] enforcing the policy h serves at the time of each
// request, so that h.Reconfigure applies to the requests that follow.
func WrapDynamic(engine http.Handler, h *core.Holder) http.Handler {
	// In front of the engine, a Gin app is a plain net/http handler.
	return corshttp.Dynamic(h)(engine)
}
