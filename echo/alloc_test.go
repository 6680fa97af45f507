package corsecho_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corskit/corskit/internal/measure"

	"github.com/labstack/echo/v4"

	corsecho "github.com/corskit/corskit/echo"
)

// The requests whose cost the package promises: an allowed actual request
// and an allowed preflight.
var paths = []struct {
	name   string
	req    func() *http.Request
	status int
}{
	{"actual", func() *http.Request {
		r := httptest.NewRequest("GET", "/posts", nil)
		r.Header.Set("Origin", "https://web.example.com")
		return r
	}, 200},
	{"preflight", func() *http.Request {
		r := httptest.NewRequest("OPTIONS", "/posts/1", nil)
		r.Header.Set("Origin", "https://web.example.com")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		r.Header.Set("Access-Control-Request-Headers", "content-type")
		return r
	}, 204},
}

// pass is Echo middleware that does nothing: what Echo charges for running
// any middleware (a closure per request, two with e.Pre) is in the
// reference, not in corskit's count.
func pass(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error { return next(c) }
}

// registrations are the documented ways to put corskit in an Echo server,
// each with its reference: the same place taken by a middleware that does
// nothing.
var registrations = []struct {
	name       string
	build, ref func(e *echo.Echo) http.Handler
}{
	{"pre",
		func(e *echo.Echo) http.Handler { e.Pre(corsecho.Must(measure.BlogPolicy())); return e },
		func(e *echo.Echo) http.Handler { e.Pre(pass); return e }},
	{"use",
		func(e *echo.Echo) http.Handler { e.Use(corsecho.Must(measure.BlogPolicy())); return e },
		func(e *echo.Echo) http.Handler { e.Use(pass); return e }},
	{"wrap",
		func(e *echo.Echo) http.Handler {
			h, err := corsecho.Wrap(e, measure.BlogPolicy())
			if err != nil {
				panic(err)
			}
			return h
		},
		func(e *echo.Echo) http.Handler { return measure.Pass(e) }},
}

func blogServer(register func(*echo.Echo) http.Handler) http.Handler {
	e := echo.New()
	h := register(e)
	e.GET("/posts", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	e.PUT("/posts/:id", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	// The reference's preflight is answered by this route, as it would be
	// without corskit; corskit's is answered before it.
	e.OPTIONS("/posts/:id", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	return h
}

// TestAllocs: corskit adds no allocation to what Echo costs with any
// middleware in its place.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	for _, reg := range registrations {
		for _, p := range paths {
			t.Run(reg.name+"/"+p.name, func(t *testing.T) {
				measure.Promise(t, blogServer(reg.build), blogServer(reg.ref), p.req(), p.status, 0)
			})
		}
	}
}

func BenchmarkMiddleware(b *testing.B) {
	for _, p := range paths {
		for _, reg := range registrations {
			b.Run("path="+p.name+"/registration="+reg.name, func(b *testing.B) {
				e, req := blogServer(reg.build), p.req()
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
