// Package corsfiber applies a corskit CORS policy to a Fiber v2 app.
//
// The directory is fiber/, but the package is corsfiber, so that it never
// shadows github.com/gofiber/fiber/v2 in your files:
//
//	import corsfiber "github.com/corskit/corskit/fiber"
//
//	app := fiber.New()
//	app.Use(corsfiber.Must(core.Config{Origins: []string{"https://app.example.com"}}))
//	app.Get("/posts", listPosts)
//
// # Registration
//
// Register the middleware with app.Use before any route and any other
// middleware. Fiber runs handlers in the order they were registered, and
// app.Use matches every method and path, so corskit then sees every request,
// including preflights to paths that have no OPTIONS route or no route at
// all, and answers them before anything that would redirect. Registered on
// a group, it would not see requests for paths the group lacks.
//
// # Behaviour
//
// The middleware sets the CORS headers before the next handler runs, and
// appends Vary: Origin rather than replacing what is there. corskit answers
// a preflight itself, with 204 or, if refused, 403 and no CORS headers,
// unless Config.PreflightPassthrough is set. An actual request from an
// origin that is not allowed continues without CORS headers, unless
// Config.RejectDisallowed (or, for a request that may change state,
// Config.CrossOriginProtection) answers it with 403 first. The request's
// scheme and host, used to recognise same-origin requests, are
// [fiber.Ctx.Protocol] and [fiber.Ctx.Hostname], so they follow the app's
// proxy settings. See package [core] for the policy itself.
//
// # Concurrency and memory
//
// The middleware is safe for concurrent use. With [Dynamic], the policy can
// be replaced while requests are served; see [core.Holder]. It does not
// allocate for requests with at most two lines of each CORS header.
//
// Its header names are canonical already, so it turns fasthttp's header
// name normalising off while it works, and back on before anything else
// runs; an app with Config.DisableHeaderNormalizing
// keeps it off throughout. It asks for the scheme and host only when the
// Origin is not allowed and might be the server's own: with Fiber's default
// proxy settings, finding the scheme reads every request header.
//
// # Header size
//
// With Fiber's default ReadBufferSize of 4096 bytes, fasthttp answers a
// request whose headers do not fit with 431 Request Header Fields Too
// Large, before any middleware runs: a preflight asking for many custom
// headers, with cookies and the other headers a browser sends, can reach
// that size, and the browser then reports a CORS error. corskit accepts an
// Access-Control-Request-Headers list of up to 4 KB; if your pages send
// many custom headers, raise the buffer:
//
//	app := fiber.New(fiber.Config{ReadBufferSize: 16 << 10})
//
// # Module
//
// The package is the module github.com/corskit/corskit/fiber, which
// requires only Fiber, fasthttp and corskit's root module:
//
//	go get github.com/corskit/corskit/fiber
//
// It requires Fiber v2.40.0 and fasthttp v1.41.0 (the first with
// RequestHeader.PeekAll, which the adapter reads every line of a header
// with), the oldest releases it works with, so that adding it never raises
// your versions; it is tested with the newest Fiber v2 release too.
package corsfiber

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/valyala/fasthttp"

	"github.com/corskit/corskit/core"
)

// An Option changes how the middleware is applied, not the policy.
type Option interface{ apply(*options) }

type options struct{ next func(*fiber.Ctx) bool }

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// WithNext makes the middleware call the next handler untouched, adding no
// header, for requests for which next returns true. The default skips
// nothing.
func WithNext(next func(*fiber.Ctx) bool) Option {
	return optionFunc(func(o *options) { o.next = next })
}

// New returns Fiber middleware enforcing cfg, or every problem in cfg (see
// [core.Compile]).
func New(cfg core.Config, opts ...Option) (fiber.Handler, error) {
	h, err := core.NewHolder(cfg)
	if err != nil {
		return nil, err
	}
	return Dynamic(h, opts...), nil
}

// Must is like [New] but panics if cfg is invalid. Use it with policies
// written in the source, where an invalid one is a bug.
func Must(cfg core.Config, opts ...Option) fiber.Handler {
	mw, err := New(cfg, opts...)
	if err != nil {
		panic(err)
	}
	return mw
}

// Dynamic returns Fiber middleware enforcing the policy h serves at the time
// of each request, so that h.Reconfigure applies to the requests that
// follow.
func Dynamic(h *core.Holder, opts ...Option) fiber.Handler {
	var o options
	for _, opt := range opts {
		opt.apply(&o)
	}
	var seen atomic.Pointer[appSettings]
	return func(c *fiber.Ctx) error {
		if o.next != nil && o.next(c) {
			return c.Next()
		}
		req, resp := &c.Request().Header, &c.Response().Header
		// corskit's header names are canonical, the form fasthttp stores
		// names in unless the app disables normalising them, so fasthttp
		// need not normalise them again on every lookup and write (what
		// that saves is in conformance/bench/results). Normalising is off
		// while corskit works: no user code that could see the headers
		// runs then (user functions in the policy get strings).
		normalizing := !disablesNormalizing(c.App(), &seen)
		if normalizing {
			req.DisableNormalizing()
			resp.DisableNormalizing()
		}
		b := buffers.Get().(*lineBuffers)
		b.target.c = c
		// These strings alias Fiber's and fasthttp's buffers, which are
		// reused once the request is answered. That is safe for the length
		// of Decide, which keeps none and, told they are Volatile, copies
		// whatever it hands to user code; nothing here keeps them either.
		// The rest is left to Target, which Decide asks only when the
		// answer needs it: scheme and host (Protocol and Hostname consult
		// the proxy settings), the Access-Control-Request-* lines (each
		// PeekAll walks every header line) and the context for the log.
		f := core.Facts{
			Method:   c.Method(),
			Path:     sentPath(c, req),
			Origin:   strs(req.PeekAll("Origin"), b.origin[:]),
			Volatile: true,
			Target:   &b.target,
		}
		d := h.Decide(f)
		b.response.h = resp
		d.Write(&b.response)
		if normalizing {
			req.EnableNormalizing()
			resp.EnableNormalizing()
		}
		*b = lineBuffers{} // d, which may alias b, is not used below
		buffers.Put(b)
		if d.Status != 0 {
			c.Status(d.Status)
			return nil
		}
		return c.Next()
	}
}

// appSettings is what the middleware remembers of the app it serves.
type appSettings struct {
	app                      *fiber.App
	disableHeaderNormalizing bool
}

// disablesNormalizing reports whether app has Config.DisableHeaderNormalizing
// set. app.Config copies a large struct, so the answer is kept in seen for
// as long as requests come from the same app.
func disablesNormalizing(app *fiber.App, seen *atomic.Pointer[appSettings]) bool {
	s := seen.Load()
	if s == nil || s.app != app {
		s = &appSettings{app: app, disableHeaderNormalizing: app.Config().DisableHeaderNormalizing}
		seen.Store(s)
	}
	return s.disableHeaderNormalizing
}

// target is a request's [core.Target]: its host and scheme as Fiber sees
// them, following the app's proxy settings, its header lines and its
// context.
type target struct {
	c     *fiber.Ctx
	lines [3][2]string // for Lines, one buffer per call
	used  int
}

func (t *target) Host() string   { return t.c.Hostname() }
func (t *target) Scheme() string { return t.c.Protocol() }

// Lines returns the strings in a buffer of its own per call (Decide holds
// the three results at once), aliasing fasthttp's buffers.
func (t *target) Lines(name string) []string {
	var buf []string
	if t.used < len(t.lines) {
		buf = t.lines[t.used][:]
		t.used++
	}
	return strs(t.c.Request().Header.PeekAll(name), buf)
}

// Context is c.UserContext(), which Decide asks for only to log a refusal.
func (t *target) Context() context.Context { return t.c.UserContext() }

// lineBuffers hold what the middleware needs for one request: its Origin
// lines as strings, its Target and its response header. They are pooled
// rather than on the stack: the compiler cannot see that Decide keeps
// nothing of the Facts (it calls their Target, an interface, and writes the
// Decision that points into them through a pointer), and would move them to
// the heap on every request.
type lineBuffers struct {
	origin   [2]string
	target   target
	response responseHeader
}

var buffers = sync.Pool{New: func() any { return new(lineBuffers) }}

// sentPath returns the request's path as the client sent it, without the
// query, as core.Facts.Path asks: the path of the request line, which
// c.Path may have decoded. The string aliases fasthttp's buffer.
func sentPath(c *fiber.Ctx, req *fasthttp.RequestHeader) string {
	uri := req.RequestURI()
	if len(uri) == 0 || uri[0] != '/' {
		return c.Path() // an absolute URI on the request line
	}
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return utils.UnsafeString(uri)
}

// strs returns values as strings, in buf if they fit, or nil if there are
// none. The strings alias values.
func strs(values [][]byte, buf []string) []string {
	if len(values) == 0 {
		return nil
	}
	if len(values) > len(buf) {
		buf = make([]string, len(values))
	}
	buf = buf[:len(values)]
	for i, v := range values {
		buf[i] = utils.UnsafeString(v)
	}
	return buf
}

// responseHeader is fasthttp's response header as a [core.HeaderWriter].
type responseHeader struct {
	h     *fasthttp.ResponseHeader
	lines [2]string
}

// Values returns strings aliasing fasthttp's buffers, in a slice reused
// by the next call: Write keeps neither.
func (r *responseHeader) Values(name string) []string {
	return strs(r.h.PeekAll(name), r.lines[:])
}

// Set uses SetCanonical: core's names are canonical already.
func (r *responseHeader) Set(name, value string) {
	r.h.SetCanonical(utils.UnsafeBytes(name), utils.UnsafeBytes(value))
}

func (r *responseHeader) Add(name, value string) { r.h.Add(name, value) }
