package corsechov5_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	corsechov5 "github.com/corskit/corskit/echov5"
	"github.com/corskit/corskit/internal/measure"
)

// The requests whose cost the package promises: an allowed actual request
// and an allowed preflight. The promise is relative to the framework: a
// request through corskit makes no more allocations than the same request
// through the same server with a middleware that does nothing in
// corskit's place, registered the same way, so that what Echo charges for
// running any middleware (before v5.2.0, a closure per middleware on every
// request, and one of its own with any Pre middleware; since, nothing) is
// not counted as corskit's. corskit itself adds nothing: Apply copies the
// header values it hands to the handler into slots of a pooled block,
// which AllocsPerRun reports as 0, and a preflight shares the compiled
// values.
var paths = []struct {
	name   string
	req    func() *http.Request
	status int // with corskit
}{
	{"actual", func() *http.Request {
		r := httptest.NewRequest("GET", "/posts", nil)
		r.Header.Set("Origin", "https://web.example.com")
		return r
	}, http.StatusOK},
	{"preflight", func() *http.Request {
		r := httptest.NewRequest("OPTIONS", "/posts/1", nil)
		r.Header.Set("Origin", "https://web.example.com")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		r.Header.Set("Access-Control-Request-Headers", "content-type")
		return r
	}, http.StatusNoContent},
}

// added is how many allocations per request corskit may add to the
// reference's.
const added = 0

// pass is an Echo middleware that does nothing but call the next handler.
func pass(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error { return next(c) }
}

// A registration puts a middleware in front of an Echo server, with corskit
// or, if reference is set, the do-nothing middleware in its place.
var registrations = []struct {
	name     string
	register func(e *echo.Echo, reference bool) http.Handler
}{
	{"pre", func(e *echo.Echo, reference bool) http.Handler {
		e.Pre(pick(reference))
		return e
	}},
	{"use", func(e *echo.Echo, reference bool) http.Handler {
		e.Use(pick(reference))
		return e
	}},
	{"wrap", func(e *echo.Echo, reference bool) http.Handler {
		if reference {
			return measure.Pass(e)
		}
		h, err := corsechov5.Wrap(e, measure.BlogPolicy())
		if err != nil {
			panic(err)
		}
		return h
	}},
}

func pick(reference bool) echo.MiddlewareFunc {
	if reference {
		return pass
	}
	return corsechov5.Must(measure.BlogPolicy())
}

func blogServer(register func(*echo.Echo, bool) http.Handler, reference bool) http.Handler {
	e := echo.New()
	h := register(e, reference)
	e.GET("/posts", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })
	e.PUT("/posts/:id", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })
	// The reference's preflight is answered by this route, as it would be
	// without corskit; corskit's is answered before it.
	e.OPTIONS("/posts/:id", func(c *echo.Context) error { return c.NoContent(http.StatusNoContent) })
	return h
}

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	for _, reg := range registrations {
		for _, p := range paths {
			t.Run(reg.name+"/"+p.name, func(t *testing.T) {
				measure.Promise(t, blogServer(reg.register, false), blogServer(reg.register, true), p.req(), p.status, added)
			})
		}
	}
}

func BenchmarkMiddleware(b *testing.B) {
	for _, p := range paths {
		for _, reg := range registrations {
			b.Run("path="+p.name+"/registration="+reg.name, func(b *testing.B) {
				e, req := blogServer(reg.register, false), p.req()
				w := measure.NewReusableWriter()
				b.ReportAllocs()
				for b.Loop() {
					w.Reset()
					e.ServeHTTP(w, req)
				}
			})
		}
	}
}
