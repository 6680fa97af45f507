package corsbench

import (
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/valyala/fasthttp"

	"github.com/corskit/corskit/core"
)

// TunedFiber is a proposal for corsfiber, timed next to it as
// "corskit-tuned": the same engine and the same answers, but the three
// Access-Control-Request-* headers are looked up only on OPTIONS requests,
// the only ones whose answer depends on them (as core.FactsFrom does for
// net/http), and scheme and host (c.Protocol and c.Hostname consult the
// proxy settings) only when there is an Origin. fasthttp's PeekAll copies
// and normalizes its key and walks every request header line, so each
// lookup saved is worth it.
func TunedFiber(h *core.Holder) fiber.Handler {
	return func(c *fiber.Ctx) error {
		req, b := &c.Request().Header, tunedBuffers.Get().(*tunedLines)
		f := core.Facts{
			Method:   c.Method(),
			Origin:   peekLines(req, "Origin", b.origin[:]),
			Path:     c.Path(),
			Volatile: true, // the strings alias fasthttp's buffers
		}
		if f.Origin != nil {
			// Where the request was sent matters only to recognise a
			// same-origin request, which has an Origin.
			f.Scheme, f.Host = c.Protocol(), c.Hostname()
		}
		if f.Method == fiber.MethodOptions {
			f.RequestMethod = peekLines(req, "Access-Control-Request-Method", b.method[:])
			f.RequestHeaders = peekLines(req, "Access-Control-Request-Headers", b.headers[:])
			f.PrivateNetwork = peekLines(req, "Access-Control-Request-Private-Network", b.pna[:])
		}
		d := h.Decide(f)
		d.Write((*tunedHeader)(&c.Response().Header))
		*b = tunedLines{}
		tunedBuffers.Put(b)
		if d.Status != 0 {
			c.Status(d.Status)
			return nil
		}
		return c.Next()
	}
}

// tunedLines are pooled: the Decision may point into them and is passed to
// an interface method in Write, so on the stack they would escape.
type tunedLines struct{ origin, method, headers, pna [2]string }

var tunedBuffers = sync.Pool{New: func() any { return new(tunedLines) }}

func peekLines(h *fasthttp.RequestHeader, name string, buf []string) []string {
	values := h.PeekAll(name)
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

type tunedHeader fasthttp.ResponseHeader

func (h *tunedHeader) Has(name string) bool {
	return len((*fasthttp.ResponseHeader)(h).PeekAll(name)) > 0
}

func (h *tunedHeader) Lists(name, token string) bool {
	for _, line := range (*fasthttp.ResponseHeader)(h).PeekAll(name) {
		if core.ListsToken(utils.UnsafeString(line), token) {
			return true
		}
	}
	return false
}

func (h *tunedHeader) Add(name, value string) { (*fasthttp.ResponseHeader)(h).Add(name, value) }

func init() {
	register(Candidate{Framework: "fiber", Name: "corskit-tuned", Module: "a proposal for corsfiber (fiber_tuned.go)",
		Build: func(p Policy) (func(Request) Runner, error) {
			h, err := core.NewHolder(p.Corskit())
			if err != nil {
				return nil, err
			}
			return fiberApp(TunedFiber(h)), nil
		}})
}
