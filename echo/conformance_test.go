package corsecho_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/corskit/corskit/conformance"
	"github.com/corskit/corskit/core"
	corsecho "github.com/corskit/corskit/echo"
	"github.com/corskit/corskit/internal/measure"
)

// harness puts corskit in front of an Echo server with e.Pre, the
// registration the package documentation guarantees, or, if use is set,
// with e.Use, or, if wrap is set, with Wrap.
type harness struct{ use, wrap bool }

// Framework names the framework for the rows whose routing differs by
// framework (see conformance.FrameworkHarness).
func (harness) Framework() string { return "echo" }

func (h harness) Serve(t *testing.T, cfg core.Config, app conformance.App) (func(*http.Request) *http.Response, error) {
	if h.use && app.RedirectTrailingSlash {
		t.Skip("Echo's trailing-slash middleware is Pre middleware and redirects before e.Use middleware runs; register corskit with e.Pre")
	}
	cors, err := core.NewHolder(cfg)
	if err != nil {
		return nil, err
	}
	e := echo.New()
	var served http.Handler = e
	switch {
	case h.wrap:
		served = corsecho.WrapDynamic(e, cors)
	case h.use:
		e.Use(corsecho.Dynamic(cors))
	default:
		e.Pre(corsecho.Dynamic(cors))
	}
	if app.RedirectTrailingSlash {
		e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	}
	groups := map[string]*echo.Group{}
	for _, rt := range app.Routes {
		handler := echo.WrapHandler(rt.Behavior)
		if rt.Group == "" {
			e.Add(rt.Method, rt.Path, handler)
			continue
		}
		if groups[rt.Group] == nil {
			groups[rt.Group] = e.Group(rt.Group)
		}
		groups[rt.Group].Add(rt.Method, strings.TrimPrefix(rt.Path, rt.Group), handler)
	}
	if app.EditsAfter {
		served = conformance.EditAfter(served)
	}
	return func(req *http.Request) *http.Response {
		rec := httptest.NewRecorder()
		served.ServeHTTP(rec, req)
		return rec.Result()
	}, nil
}

func TestConformance(t *testing.T) { conformance.Run(t, harness{}) }

// TestConformance_wrap runs the table with corskit in front of the server.
func TestConformance_wrap(t *testing.T) { conformance.Run(t, harness{wrap: true}) }

// TestConformance_use runs the table with corskit registered with e.Use,
// skipping the rows whose server redirects trailing slashes.
func TestConformance_use(t *testing.T) { conformance.Run(t, harness{use: true}) }

// TestUse_routing pins down what the package documentation says about e.Use:
// Echo runs it around the router's answers to OPTIONS requests for paths
// with only a GET route and for unknown paths, but Pre middleware that
// redirects answers before it.
func TestUse_routing(t *testing.T) {
	e := echo.New()
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(corsecho.Must(measure.BlogPolicy()))
	e.GET("/posts", func(c echo.Context) error { return c.String(http.StatusOK, "[]") })
	for _, tc := range []struct {
		path   string
		status int
		cors   bool
	}{
		{"/posts", http.StatusNoContent, true},
		{"/nowhere", http.StatusNoContent, true},
		{"/posts/", http.StatusMovedPermanently, false},
	} {
		req := httptest.NewRequest("OPTIONS", tc.path, nil)
		req.Header.Set("Origin", "https://web.example.com")
		req.Header.Set("Access-Control-Request-Method", "PUT")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if cors := rec.Header().Get("Access-Control-Allow-Origin") != ""; rec.Code != tc.status || cors != tc.cors {
			t.Errorf("preflight to %s through e.Use: got %d %v, want %d with CORS headers %v (has Echo changed? update the package doc)",
				tc.path, rec.Code, rec.Header(), tc.status, tc.cors)
		}
	}
}

func TestWithSkipper(t *testing.T) {
	e := echo.New()
	e.Pre(corsecho.Must(measure.BlogPolicy(), corsecho.WithSkipper(func(c echo.Context) bool {
		return strings.HasPrefix(c.Request().URL.Path, "/internal/")
	})))
	e.Any("/*", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	for _, tc := range []struct {
		path string
		cors bool
	}{
		{"/posts", true},
		{"/internal/metrics", false},
	} {
		req := httptest.NewRequest("OPTIONS", tc.path, nil)
		req.Header.Set("Origin", "https://web.example.com")
		req.Header.Set("Access-Control-Request-Method", "PUT")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if cors := rec.Header().Get("Access-Control-Allow-Origin") != ""; cors != tc.cors {
			t.Errorf("preflight to %s: got %d %v, want CORS headers %v", tc.path, rec.Code, rec.Header(), tc.cors)
		}
	}
}
