package corsgin_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corskit/corskit/internal/measure"

	"github.com/gin-gonic/gin"

	corsgin "github.com/corskit/corskit/gin"
)

// The requests whose cost the package promises, with the most allocations
// a request may make through the whole engine, measured with Gin v1.12.0:
// none. Apply copies the header values it hands to the handler into slots
// of a pooled 4 KB block (one allocation per dozens of requests, which
// AllocsPerRun reports as 0); a preflight shares them.
var paths = []struct {
	name   string
	req    func() *http.Request
	status int
	allocs float64
}{
	{"actual", func() *http.Request {
		r := httptest.NewRequest("GET", "/posts", nil)
		r.Header.Set("Origin", "https://web.example.com")
		return r
	}, 200, 0},
	{"preflight", func() *http.Request {
		r := httptest.NewRequest("OPTIONS", "/posts/1", nil)
		r.Header.Set("Origin", "https://web.example.com")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		r.Header.Set("Access-Control-Request-Headers", "content-type")
		return r
	}, 204, 0},
}

// registrations are the two documented ways to put corskit in a Gin app.
var registrations = []struct {
	name  string
	build func(r *gin.Engine) http.Handler
}{
	{"wrap", func(r *gin.Engine) http.Handler {
		return must(corsgin.Wrap(r, measure.BlogPolicy()))
	}},
	{"use", func(r *gin.Engine) http.Handler {
		r.RedirectTrailingSlash = false
		r.Use(corsgin.Must(measure.BlogPolicy()))
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
	return h
}

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	for _, reg := range registrations {
		for _, p := range paths {
			t.Run(reg.name+"/"+p.name, func(t *testing.T) {
				got, w := measure.AllocsPerRequest(blogEngine(reg.build), p.req(), 200)
				if w.Status != p.status || w.Header().Get("Access-Control-Allow-Origin") == "" {
					t.Fatalf("got status %d, headers %v; want %d with CORS headers", w.Status, w.Header(), p.status)
				}
				t.Logf("%v allocs per request", got)
				if got > p.allocs {
					t.Errorf("allocs per request: got %v, want at most %v", got, p.allocs)
				}
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
