// Package corshttp applies a corskit CORS policy to a net/http server.
//
// The directory is nethttp/, but the package is corshttp, so that it reads
// well next to net/http and the other adapters:
//
//	import corshttp "github.com/corskit/corskit/nethttp"
//
//	mux := http.NewServeMux()
//	mux.HandleFunc("GET /posts", listPosts)
//	cors := corshttp.Must(core.Config{Origins: []string{"https://app.example.com"}})
//	http.ListenAndServe(":8080", cors(mux))
//
// # Behaviour
//
// The middleware asks the policy about every request and does what the
// [core.Decision] says. It sets the CORS headers before the next handler
// runs, so the handler may add to them, and it appends Vary: Origin rather
// than replacing what is there. corskit answers a preflight itself, with 204
// or, if refused, 403 and no CORS headers; the next handler does not run
// unless Config.PreflightPassthrough is set. An actual request from an
// origin that is not allowed reaches the next handler without CORS headers,
// unless Config.RejectDisallowed (or, for a request that may change state,
// Config.CrossOriginProtection) answers it with 403 first. See package
// [core] for the policy itself.
//
// # Registration
//
// Wrap the whole router, not single routes. Routers answer a preflight to a
// path that has no OPTIONS route with 404 or 405, and redirect a path that
// differs by a trailing slash, before any per-route middleware runs; and
// browsers never follow a redirected preflight. Wrapped around the router,
// corskit sees every request first. This works with [http.ServeMux], with
// github.com/go-chi/chi (wrap the router, or call r.Use on the root router
// before any middleware that redirects, such as RedirectSlashes), and with
// github.com/gorilla/mux (wrap the router: middleware added with its Use
// runs only for requests that match a route). Runnable examples with both
// routers are in corskit's examples module, directory examples/routers.
//
// # Cross-site request forgery
//
// core.Config.CrossOriginProtection refuses cross-origin writes from
// origins the policy does not allow. A server that keeps net/http's own
// [http.CrossOriginProtection] must let the policy's origins through it
// with [CrossOriginProtection], or it refuses the POSTs of the very sites
// the policy allows.
//
// # Concurrency
//
// The middleware is safe for concurrent use. With [Dynamic], the policy can
// be replaced while requests are served; see [core.Holder].
package corshttp

import (
	"net/http"

	"github.com/corskit/corskit/core"
)

// New returns middleware enforcing cfg, or every problem in cfg (see
// [core.Compile]).
func New(cfg core.Config) (func(http.Handler) http.Handler, error) {
	h, err := core.NewHolder(cfg)
	if err != nil {
		return nil, err
	}
	return Dynamic(h), nil
}

// Must is like [New] but panics if cfg is invalid. Use it with policies
// written in the source, where an invalid one is a bug.
func Must(cfg core.Config) func(http.Handler) http.Handler {
	mw, err := New(cfg)
	if err != nil {
		panic(err)
	}
	return mw
}

// Dynamic returns middleware enforcing the policy h serves at the time of
// each request, so that h.Reconfigure applies to the requests that follow.
func Dynamic(h *core.Holder) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if status := h.Handle(r, w.Header()); status != 0 {
				w.WriteHeader(status)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOriginProtection returns middleware that protects handlers with cop,
// net/http's defence against cross-site request forgery, except that it
// lets through the requests from origins the corskit policy h allows, as
// cop alone would not: cop refuses every cross-origin POST, PUT or DELETE
// from a site the CORS policy allows with credentials, unless each origin is
// also added with cop.AddTrustedOrigin, which takes exact origins only, not
// corskit's patterns or OriginFunc.
//
// Simpler still, turn on core.Config.CrossOriginProtection and drop cop:
// corskit then refuses the same requests, with its reasons in the log. Use
// this bridge when you keep cop for its other settings (bypass patterns, a
// deny handler), which it keeps applying to every other request:
//
//	h, err := core.NewHolder(cfg)
//	...
//	cop := http.NewCrossOriginProtection()
//	handler := corshttp.Dynamic(h)(corshttp.CrossOriginProtection(cop, h)(mux))
func CrossOriginProtection(cop *http.CrossOriginProtection, h *core.Holder) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		protected := cop.Handler(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if h.OriginAllowed(core.FactsFrom(r)) {
				next.ServeHTTP(w, r)
				return
			}
			protected.ServeHTTP(w, r)
		})
	}
}
