package corsgin_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corskit/corskit/internal/measure"

	"github.com/gin-gonic/gin"

	corsgin "github.com/corskit/corskit/gin"
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

// registrations are the two documented ways to put corskit in a Gin app,
// each with its reference: the same place taken by a middleware that does
// nothing.
var registrations = []struct {
	name       string
	build, ref func(r *gin.Engine) http.Handler
}{
	{"wrap",
		func(r *gin.Engine) http.Handler { return must(corsgin.Wrap(r, measure.BlogPolicy())) },
		func(r *gin.Engine) http.Handler { return measure.Pass(r) }},
	{"use",
		func(r *gin.Engine) http.Handler {
			r.RedirectTrailingSlash = false
			r.Use(corsgin.Must(measure.BlogPolicy()))
			return r
		},
		func(r *gin.Engine) http.Handler {
			r.RedirectTrailingSlash = false
			r.Use(func(c *gin.Context) { c.Next() })
			return r
		}},
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func blogEngine(reg func(*gin.Engine) http.Handler) http.Handler {
	r := gin.New()
	h := reg(r)
	r.GET("/posts", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.PUT("/posts/:id", func(c *gin.Context) { c.Status(http.StatusOK) })
	// The reference's preflight is answered by this route, as it would be
	// without corskit; corskit's is answered before it.
	r.OPTIONS("/posts/:id", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return h
}

// TestAllocs: corskit adds no allocation to what Gin costs with any
// middleware in its place.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	for _, reg := range registrations {
		for _, p := range paths {
			t.Run(reg.name+"/"+p.name, func(t *testing.T) {
				measure.Promise(t, blogEngine(reg.build), blogEngine(reg.ref), p.req(), p.status, 0)
			})
		}
	}
}

func BenchmarkMiddleware(b *testing.B) {
	for _, p := range paths {
		for _, reg := range registrations {
			b.Run("path="+p.name+"/registration="+reg.name, func(b *testing.B) {
				h, req := blogEngine(reg.build), p.req()
				w := measure.NewReusableWriter()
				b.ReportAllocs()
				for b.Loop() {
					w.Reset()
					h.ServeHTTP(w, req)
				}
			})
		}
	}
}
