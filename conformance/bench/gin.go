package corsbench

import (
	"net/http"
	"time"

	gincors "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"

	"github.com/corskit/corskit/core"
	corsgin "github.com/corskit/corskit/gin"
)

// The Gin candidates are global middleware (r.Use), as each library
// documents; the engine's trailing-slash redirect is off, as corsgin asks
// for that registration, for every candidate alike.
func init() {
	gin.SetMode(gin.ReleaseMode)
	engine := func(mw gin.HandlerFunc, wrap func(http.Handler) http.Handler) func(Request) Runner {
		var ran int
		r := gin.New()
		r.RedirectTrailingSlash = false
		if mw != nil {
			r.Use(mw)
		}
		h := func(c *gin.Context) {
			ran++
			if c.Request.Method == "OPTIONS" {
				c.Status(http.StatusNoContent)
				return
			}
			c.Status(http.StatusOK)
		}
		r.GET(path, h)
		r.PUT(path, h)
		r.POST(path, h)
		r.OPTIONS(path, h)
		var handler http.Handler = r
		if wrap != nil {
			handler = wrap(r)
		}
		return func(req Request) Runner { return httpRunner(handler, req, &ran) }
	}
	register(Candidate{Framework: "gin", Name: "bare", Module: "github.com/gin-gonic/gin v1.12.0",
		Build: func(p Policy) (func(Request) Runner, error) { return engine(nil, nil), nil }})
	register(Candidate{Framework: "gin", Name: "corskit", Module: "corsgin (this repository)",
		Build: func(p Policy) (func(Request) Runner, error) {
			mw, err := corsgin.New(p.Corskit())
			if err != nil {
				return nil, err
			}
			return engine(mw, nil), nil
		}})
	register(Candidate{Framework: "gin", Name: "corskit-wrap", Module: "corsgin.Wrap in front of the engine",
		Build: func(p Policy) (func(Request) Runner, error) {
			h, err := core.NewHolder(p.Corskit())
			if err != nil {
				return nil, err
			}
			return engine(nil, func(e http.Handler) http.Handler { return corsgin.WrapDynamic(e, h) }), nil
		}})
	register(Candidate{Framework: "gin", Name: "gin-contrib-cors", Module: "github.com/gin-contrib/cors v1.7.7",
		Build: func(p Policy) (func(Request) Runner, error) {
			return engine(gincors.New(gincors.Config{
				AllowOrigins:     p.AllOrigins(),
				AllowWildcard:    true,
				AllowCredentials: p.Credentials,
				AllowMethods:     p.Methods,
				AllowHeaders:     p.Headers,
				ExposeHeaders:    p.Expose,
				MaxAge:           time.Duration(p.MaxAge) * time.Second,
			}), nil), nil
		}})
}
