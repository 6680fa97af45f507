package corsechov5_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/corskit/corskit/conformance"
	"github.com/corskit/corskit/core"
	corsechov5 "github.com/corskit/corskit/echov5"
	"github.com/corskit/corskit/internal/measure"
)

// harness puts corskit in front of an Echo v5 server with e.Pre, the
// registration the package documentation guarantees, or, if use is set,
// with e.Use, or, if wrap is set, with Wrap.
type harness struct{ use, wrap bool }

// Framework names the framework for the rows whose routing differs by
// framework (see conformance.FrameworkHarness).
func (harness) Framework() string { return "echov5" }

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
		served = corsechov5.WrapDynamic(e, cors)
	case h.use:
		e.Use(corsechov5.Dynamic(cors))
	default:
		e.Pre(corsechov5.Dynamic(cors))
	}
	if app.RedirectTrailingSlash {
		e.Pre(redirectTrailingSlash())
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

// redirectTrailingSlash is Echo v5's redirect from "/path/" to "/path".
func redirectTrailingSlash() echo.MiddlewareFunc {
	return middleware.RemoveTrailingSlashWithConfig(middleware.RemoveTrailingSlashConfig{RedirectCode: http.StatusMovedPermanently})
}

func TestConformance(t *testing.T) { conformance.Run(t, harness{}) }

// TestConformance_wrap runs the table with corskit in front of the server.
func TestConformance_wrap(t *testing.T) { conformance.Run(t, harness{wrap: true}) }

// TestConformance_use runs the table with corskit registered with e.Use,
// skipping the rows whose server redirects trailing slashes.
func TestConformance_use(t *testing.T) { conformance.Run(t, harness{use: true}) }

// request returns a request from an origin BlogPolicy allows: "OPTIONS
// /path" is a preflight for PUT, any other method an actual request.
func request(methodPath string) *http.Request {
	method, path, _ := strings.Cut(methodPath, " ")
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Origin", "https://web.example.com")
	if method == "OPTIONS" {
		req.Header.Set("Access-Control-Request-Method", "PUT")
	}
	return req
}

// TestRouting pins down what the package documentation says about where
// Echo v5 answers if corskit does not answer first, for each registration.
// Without corskit, the router answers an OPTIONS request for a path that
// has only a GET route 204 with Allow (no CORS headers: the browser fails
// the preflight), an unknown path 404 and another method 405, and
// RemoveTrailingSlashWithConfig, Pre middleware, redirects "/posts/".
// e.Use middleware runs around the router's answers, but after Pre
// middleware that redirects. A group's middleware never runs for paths
// outside the group's prefix.
func TestRouting(t *testing.T) {
	list := func(c *echo.Context) error { return c.String(http.StatusOK, "[]") }
	type want struct {
		status int
		cors   bool
	}
	for _, reg := range []struct {
		name string
		// register registers cors and returns where the /api routes go.
		register func(e *echo.Echo, cors echo.MiddlewareFunc) *echo.Group
		want     map[string]want // by request
	}{
		{"without corskit", func(e *echo.Echo, _ echo.MiddlewareFunc) *echo.Group {
			e.Pre(redirectTrailingSlash())
			return e.Group("/api")
		}, map[string]want{
			"OPTIONS /posts":          {http.StatusNoContent, false},
			"OPTIONS /nowhere":        {http.StatusNotFound, false},
			"OPTIONS /posts/":         {http.StatusMovedPermanently, false},
			"OPTIONS /api/posts":      {http.StatusNoContent, false},
			"OPTIONS /api/elsewhere":  {http.StatusNotFound, false},
			"OPTIONS /outside/called": {http.StatusNotFound, false},
			"PUT /posts":              {http.StatusMethodNotAllowed, false},
			"GET /posts/":             {http.StatusMovedPermanently, false},
		}},
		{"pre", func(e *echo.Echo, cors echo.MiddlewareFunc) *echo.Group {
			e.Pre(cors)
			e.Pre(redirectTrailingSlash())
			return e.Group("/api")
		}, map[string]want{
			"OPTIONS /posts":          {http.StatusNoContent, true},
			"OPTIONS /nowhere":        {http.StatusNoContent, true},
			"OPTIONS /posts/":         {http.StatusNoContent, true},
			"OPTIONS /api/posts":      {http.StatusNoContent, true},
			"OPTIONS /api/elsewhere":  {http.StatusNoContent, true},
			"OPTIONS /outside/called": {http.StatusNoContent, true},
			"PUT /posts":              {http.StatusMethodNotAllowed, true},
			"GET /posts/":             {http.StatusMovedPermanently, true},
		}},
		{"use", func(e *echo.Echo, cors echo.MiddlewareFunc) *echo.Group {
			e.Pre(redirectTrailingSlash())
			e.Use(cors)
			return e.Group("/api")
		}, map[string]want{
			"OPTIONS /posts":          {http.StatusNoContent, true},
			"OPTIONS /nowhere":        {http.StatusNoContent, true},
			"OPTIONS /posts/":         {http.StatusMovedPermanently, false},
			"OPTIONS /api/posts":      {http.StatusNoContent, true},
			"OPTIONS /api/elsewhere":  {http.StatusNoContent, true},
			"OPTIONS /outside/called": {http.StatusNoContent, true},
			"PUT /posts":              {http.StatusMethodNotAllowed, true},
			"GET /posts/":             {http.StatusMovedPermanently, false},
		}},
		{"group", func(e *echo.Echo, cors echo.MiddlewareFunc) *echo.Group {
			return e.Group("/api", cors)
		}, map[string]want{
			// Since Echo v5.3.0, a group with middleware registers 404
			// routes for its prefix, so that its middleware runs for
			// every path under it; before, only for the routes it has,
			// not even for a preflight to one of them. Paths outside
			// the prefix never reach it.
			"OPTIONS /posts":          {http.StatusNoContent, false},
			"OPTIONS /outside/called": {http.StatusNotFound, false},
			"PUT /posts":              {http.StatusMethodNotAllowed, false},
		}},
	} {
		t.Run(reg.name, func(t *testing.T) {
			e := echo.New()
			api := reg.register(e, corsechov5.Must(measure.BlogPolicy()))
			e.GET("/posts", list)
			api.GET("/posts", list)
			for req, w := range reg.want {
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, request(req))
				if cors := rec.Header().Get("Access-Control-Allow-Origin") != ""; rec.Code != w.status || cors != w.cors {
					t.Errorf("%s: got %d %v, want %d with CORS headers %v (has Echo changed? update the package doc)",
						req, rec.Code, rec.Header(), w.status, w.cors)
				}
			}
		})
	}
}

func TestWithSkipper(t *testing.T) {
	e := echo.New()
	e.Pre(corsechov5.Must(measure.BlogPolicy(), corsechov5.WithSkipper(func(c *echo.Context) bool {
		return strings.HasPrefix(c.Request().URL.Path, "/internal/")
	})))
	e.Any("/*", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
	for _, tc := range []struct {
		path string
		cors bool
	}{
		{"/posts", true},
		{"/internal/metrics", false},
	} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, request("OPTIONS "+tc.path))
		if cors := rec.Header().Get("Access-Control-Allow-Origin") != ""; cors != tc.cors {
			t.Errorf("preflight to %s: got %d %v, want CORS headers %v", tc.path, rec.Code, rec.Header(), tc.cors)
		}
	}
}
