// Package corsfiberv3 applies a corskit CORS policy to a Fiber v3 app.
//
// The directory is fiberv3/, but the package is corsfiberv3, so that it
// never shadows github.com/gofiber/fiber/v3 in your files:
//
//	import corsfiberv3 "github.com/corskit/corskit/fiberv3"
//
//	app := fiber.New()
//	app.Use(corsfiberv3.Must(core.Config{Origins: []string{"https://app.example.com"}}))
//	app.Get("/posts", listPosts)
//
// For Fiber v2, use github.com/corskit/corskit/fiber.
//
// # Registration
//
// Register the middleware with app.Use before any route and any other
// middleware. Fiber runs handlers in the order they were registered, and
// app.Use matches every method and path, so corskit then sees every
// request, and answers preflights before the router would answer 405 (a
// path with routes for other methods only) or 404 (no route at all, or a
// trailing slash or capital letter the route lacks, with StrictRouting or
// CaseSensitive), also on the paths of route groups. Fiber v3 does not
// redirect trailing slashes itself; a redirecting middleware of your own
// goes after corskit, since browsers never follow a redirected preflight.
// Registered on a group, corskit would not see requests for paths the
// group lacks. Fiber answers 501 before any middleware runs for a method
// that is not in Config.RequestMethods: if you set that list, keep OPTIONS
// in it.
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
// host and scheme, used to recognise same-origin requests, are
// [fiber.Ctx.Host] and [fiber.Ctx.Scheme], so they follow the app's
// TrustProxy settings, and the line Config.Logger writes about a refusal
// gets [fiber.Ctx.Context], where middleware before corskit puts trace IDs.
// See package [core] for the policy itself.
//
// # Concurrency and memory
//
// The middleware is safe for concurrent use. With [Dynamic], the policy can
// be replaced while requests are served; see [core.Holder]. It does not
// allocate for requests with at most two lines of each CORS header, also
// with Config.Immutable: it reads the path from the request line, which
// Fiber does not copy.
//
// Fiber and fasthttp reuse a request's buffers for later requests: the
// request and response headers, the path Fiber keeps in its pooled
// contexts, the host. The middleware reads them without copying (with
// Config.Immutable, Fiber copies the strings it hands out, but not
// fasthttp's header values), and tells the policy so ([core.Facts].Volatile):
// whatever reaches a function of yours (Config.OriginFunc, HeaderFunc,
// OnReject, Logger) is a copy of its own, which you may keep.
//
// Its header names are canonical already, so it turns fasthttp's header
// name normalising off while it works, and back on before anything else
// runs; an app with Config.DisableHeaderNormalizing keeps it off
// throughout. It asks for the scheme and host only when the Origin is not
// allowed and might be the server's own.
//
// # Header size
//
// With Fiber's default ReadBufferSize of 4096 bytes, fasthttp cannot read a
// request whose headers do not fit, and Fiber answers it 431 Request Header
// Fields Too Large. Fiber v3 runs the app.Use middleware for such a request
// too, but with none of its headers: corskit sees no Origin and adds no
// CORS header. A preflight asking for many custom headers, with cookies and
// the other headers a browser sends, can reach that size, and the browser
// then reports a CORS error. corskit accepts an
// Access-Control-Request-Headers list of up to 4 KB; if your pages send
// many custom headers, raise the buffer:
//
//	app := fiber.New(fiber.Config{ReadBufferSize: 16 << 10})
//
// # Module
//
// The package is the module github.com/corskit/corskit/fiberv3, which
// requires only Fiber v3, fasthttp and corskit's root module:
//
//	go get github.com/corskit/corskit/fiberv3
//
// Its directory is fiberv3, not fiber/v3: in Go, a module path ending in
// /v3 names major version 3 of the module without it, so
// github.com/corskit/corskit/fiber/v3 would be read as version 3 of the
// Fiber v2 adapter, not as an adapter for Fiber v3.
//
// It requires Fiber v3.0.0, the first v3 release, and the fasthttp v1.69.0
// that release requires, so that adding it never raises your versions; it
// is tested with the newest Fiber v3 release too.
package corsfiberv3

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gofiber/fiber/v3"
	"github.com/valyala/fasthttp"

	"github.com/corskit/corskit/core"
)

// An Option changes how the middleware is applied, not the policy.
type Option interface{ apply(*options) }

type options struct{ next func(fiber.Ctx) bool }

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// WithNext makes the middleware call the next handler untouched, adding no
// header, for requests for which next returns true. The default skips
// nothing.
func WithNext(next func(fiber.Ctx) bool) Option {
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
	return func(c fiber.Ctx) error {
		if o.next != nil && o.next(c) {
			return c.Next()
		}
		req, resp := &c.Request().Header, &c.Response().Header
		// corskit's header names are canonical, the form fasthttp stores
		// names in unless the app disables normalising them, so fasthttp
		// need not normalise them again on every lookup and write. It is
		// off while corskit works: no user code that could see the headers
		// runs then (user functions in the policy get strings).
		normalizing := !disablesNormalizing(c.App(), &seen)
		if normalizing {
			req.DisableNormalizing()
			resp.DisableNormalizing()
		}
		b := buffers.Get().(*lineBuffers)
		b.target.c = c
		// These strings alias Fiber's and fasthttp's buffers (the path is
		// the request line's own), which are reused once the request is
		// answered. That is safe for the length of Decide, which keeps
		// none and, told they are Volatile, copies whatever it hands to
		// user code; nothing here keeps them either. The rest is left to
		// Target, which Decide asks only when the answer needs it: scheme
		// and host, the Access-Control-Request-* lines (each PeekAll walks
		// every header line) and the context for the log.
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
	c     fiber.Ctx
	lines [3][2]string // for Lines, one buffer per call
	used  int
}

func (t *target) Host() string   { return t.c.Host() }
func (t *target) Scheme() string { return t.c.Scheme() }

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

// Context is c.Context(), which Decide asks for only to log a refusal.
func (t *target) Context() context.Context { return t.c.Context() }

// lineBuffers hold what the middleware needs for one request: its Origin
// lines as strings, its Target and its response header. They
// are pooled rather than on the stack: the compiler cannot see that Decide
// keeps nothing of the Facts (it calls their Target, an interface, and
// writes the Decision that points into them through a pointer), and would
// move them to the heap on every request.
type lineBuffers struct {
	origin   [2]string
	target   target
	response responseHeader
}

var buffers = sync.Pool{New: func() any { return new(lineBuffers) }}

// sentPath returns the request's path as the client sent it, without the
// query, as core.Facts.Path asks: the path of the request line, which
// c.Path may have decoded. The string aliases fasthttp's buffer.
func sentPath(c fiber.Ctx, req *fasthttp.RequestHeader) string {
	uri := req.RequestURI()
	if len(uri) == 0 || uri[0] != '/' {
		return c.Path() // an absolute URI on the request line
	}
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return unsafe.String(unsafe.SliceData(uri), len(uri))
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
		buf[i] = unsafe.String(unsafe.SliceData(v), len(v))
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

// Set uses SetCanonical, which skips normalising the name: core's names
// are canonical.
func (r *responseHeader) Set(name, value string) {
	r.h.SetCanonical(unsafe.Slice(unsafe.StringData(name), len(name)), unsafe.Slice(unsafe.StringData(value), len(value)))
}

func (r *responseHeader) Add(name, value string) { r.h.Add(name, value) }
