package corsecho_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corskit/corskit/internal/measure"

	"github.com/labstack/echo/v4"

	corsecho "github.com/corskit/corskit/echo"
)

// The requests whose cost the package promises, with the most allocations
// a request may make through the whole server, measured with Echo v4.16.0.
// Echo asks every middleware for a new handler on every request (one
// closure), and with any Pre middleware it makes one closure of its own.
// Apply copies the header values it hands to the handler into slots of a
// pooled block, which AllocsPerRun reports as 0; a preflight shares them.
// With e.Use, the preflight first goes through Echo's router, which
// allocates 3 times to answer OPTIONS for a path that has only other
// methods. With Wrap, corskit runs before Echo and Echo runs no middleware
// at all: nothing.
var paths = []struct {
	name   string
	req    func() *http.Request
	status int
	allocs map[string]float64 // by registration
}{
	{"actual", func() *http.Request {
		r := httptest.NewRequest("GET", "/posts", nil)
		r.Header.Set("Origin", "https://web.example.com")
		return r
	}, 200, map[string]float64{"pre": 2, "use": 1, "wrap": 0}},
	{"preflight", func() *http.Request {
		r := httptest.NewRequest("OPTIONS", "/posts/1", nil)
		r.Header.Set("Origin", "https://web.example.com")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		r.Header.Set("Access-Control-Request-Headers", "content-type")
		return r
	}, 204, map[string]float64{"pre": 2, "use": 5, "wrap": 0}},
}

var registrations = []struct {
	name     string
	register func(e *echo.Echo) http.Handler
}{
	{"pre", func(e *echo.Echo) http.Handler { e.Pre(corsecho.Must(measure.BlogPolicy())); return e }},
	{"use", func(e *echo.Echo) http.Handler { e.Use(corsecho.Must(measure.BlogPolicy())); return e }},
	{"wrap", func(e *echo.Echo) http.Handler {
		h, err := corsecho.Wrap(e, measure.BlogPolicy())
		if err != nil {
			panic(err)
		}
		return h
	}},
}

func blogServer(register func(*echo.Echo) http.Handler) http.Handler {
	e := echo.New()
	h := register(e)
	e.GET("/posts", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	e.PUT("/posts/:id", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	return h
}

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	for _, reg := range registrations {
		for _, p := range paths {
			t.Run(reg.name+"/"+p.name, func(t *testing.T) {
				got, w := measure.AllocsPerRequest(blogServer(reg.register), p.req(), 200)
				if w.Status != p.status || w.Header().Get("Access-Control-Allow-Origin") == "" {
					t.Fatalf("got status %d, headers %v; want %d with CORS headers", w.Status, w.Header(), p.status)
				}
				t.Logf("%v allocs per request", got)
				if want := p.allocs[reg.name]; got > want {
					t.Errorf("allocs per request: got %v, want at most %v", got, want)
				}
			})
		}
	}
}

func BenchmarkMiddleware(b *testing.B) {
	for _, p := range paths {
		for _, reg := range registrations {
			b.Run("path="+p.name+"/registration="+reg.name, func(b *testing.B) {
				e, req := blogServer(reg.register), p.req()
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
