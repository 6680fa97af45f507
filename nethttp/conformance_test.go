package corshttp_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/corskit/corskit/conformance"
	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

// harness builds an App on http.ServeMux with Go 1.22 method patterns,
// route groups as sub-muxes mounted with http.StripPrefix, and wraps the
// whole mux with the middleware, as the package documentation recommends.
type harness struct{}

// Framework names the framework for the rows whose routing differs by
// framework (see conformance.FrameworkHarness).
func (harness) Framework() string { return "nethttp" }

func (harness) Serve(t *testing.T, cfg core.Config, app conformance.App) (func(*http.Request) *http.Response, error) {
	mw, err := corshttp.New(cfg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	groups := map[string]*http.ServeMux{}
	redirects := map[string]bool{}
	for _, r := range app.Routes {
		target, path := mux, r.Path
		if r.Group != "" {
			g := groups[r.Group]
			if g == nil {
				g = http.NewServeMux()
				groups[r.Group] = g
				mux.Handle(r.Group+"/", http.StripPrefix(r.Group, g))
			}
			target, path = g, strings.TrimPrefix(r.Path, r.Group)
		}
		target.Handle(r.Method+" "+path, r.Behavior)
		// ServeMux has no switch to redirect "/posts/" to "/posts", so
		// register the redirect Gin's RedirectTrailingSlash would send.
		if app.RedirectTrailingSlash && !redirects[r.Path] {
			redirects[r.Path] = true
			target.Handle(path+"/{$}", trailingSlashRedirect(r.Path))
		}
	}
	h := mw(mux)
	if app.EditsAfter {
		h = conformance.EditAfter(h)
	}
	return func(req *http.Request) *http.Response {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}, nil
}

func trailingSlashRedirect(to string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := http.StatusMovedPermanently
		if r.Method != "GET" && r.Method != "HEAD" {
			code = http.StatusPermanentRedirect
		}
		http.Redirect(w, r, to, code)
	})
}

func TestConformance(t *testing.T) { conformance.Run(t, harness{}) }
