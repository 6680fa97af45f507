package corsgin_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/corskit/corskit/conformance"
	"github.com/corskit/corskit/core"
	corsgin "github.com/corskit/corskit/gin"
	"github.com/corskit/corskit/internal/measure"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// harness puts corskit in front of a Gin engine with Wrap, the registration
// the package documentation guarantees, or, if use is set, with r.Use.
type harness struct{ use bool }

// Framework names the framework for the rows whose routing differs by
// framework (see conformance.FrameworkHarness).
func (harness) Framework() string { return "gin" }

func (h harness) Serve(t *testing.T, cfg core.Config, app conformance.App) (func(*http.Request) *http.Response, error) {
	r := gin.New()
	r.RedirectTrailingSlash = app.RedirectTrailingSlash
	var handler http.Handler = r
	if h.use {
		if app.RedirectTrailingSlash {
			t.Skip("Gin redirects before global middleware runs; Wrap covers this")
		}
		mw, err := corsgin.New(cfg)
		if err != nil {
			return nil, err
		}
		r.Use(mw)
	} else {
		var err error
		if handler, err = corsgin.Wrap(r, cfg); err != nil {
			return nil, err
		}
	}
	groups := map[string]*gin.RouterGroup{}
	for _, rt := range app.Routes {
		var routes gin.IRoutes = r
		if rt.Group != "" {
			if groups[rt.Group] == nil {
				groups[rt.Group] = r.Group(rt.Group)
			}
			routes = groups[rt.Group]
		}
		routes.Handle(rt.Method, strings.TrimPrefix(rt.Path, rt.Group), gin.WrapH(rt.Behavior))
	}
	if app.EditsAfter {
		handler = conformance.EditAfter(handler)
	}
	return func(req *http.Request) *http.Response {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		return rec.Result()
	}, nil
}

func TestConformance(t *testing.T) { conformance.Run(t, harness{}) }

// TestConformance_use runs the table with corskit registered with r.Use,
// skipping the rows whose engine redirects trailing slashes.
func TestConformance_use(t *testing.T) { conformance.Run(t, harness{use: true}) }

// TestUse_redirects pins down why Wrap exists: with r.Use, Gin's
// trailing-slash redirect answers before the middleware runs, for actual
// requests and, once some OPTIONS route exists, for preflights.
func TestUse_redirects(t *testing.T) {
	r := gin.New()
	r.Use(corsgin.Must(measure.BlogPolicy()))
	r.GET("/posts", func(c *gin.Context) {})
	r.OPTIONS("/posts", func(c *gin.Context) {})
	for _, tc := range []struct {
		method, acrm string
		status       int
	}{
		{"GET", "", http.StatusMovedPermanently},
		{"OPTIONS", "PUT", http.StatusTemporaryRedirect},
	} {
		req := httptest.NewRequest(tc.method, "/posts/", nil)
		req.Header.Set("Origin", "https://web.example.com")
		if tc.acrm != "" {
			req.Header.Set("Access-Control-Request-Method", tc.acrm)
		}
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != tc.status || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s /posts/ through r.Use: got %d %v, want a %d redirect without CORS headers (has Gin changed? update the package doc)",
				tc.method, rec.Code, rec.Header(), tc.status)
		}
	}
}
