package e2e_test

import (
	"net"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/corskit/corskit/core"
	corsgin "github.com/corskit/corskit/gin"
)

func init() {
	gin.SetMode(gin.ReleaseMode)

	// The registration corsgin recommends: corsgin.Wrap in front of the
	// engine, with Gin's RedirectTrailingSlash on (the default), which
	// redirects PUT /slash/ to /slash with 307.
	registerE2E(e2eAdapter{
		name:         "gin",
		slashRequest: "/slash/",
		serve: func(t *testing.T, ln net.Listener, cfg core.Config, api *e2eAPI) error {
			h, err := core.NewHolder(cfg)
			if err != nil {
				return err
			}
			serveOn(t, ln, api.rec.wrap(corsgin.WrapDynamic(ginEngine(api), h)))
			return nil
		},
	})

	// The other registration it documents: r.Use, with the engine's
	// redirects off.
	registerE2E(e2eAdapter{
		name: "gin-Use",
		serve: func(t *testing.T, ln net.Listener, cfg core.Config, api *e2eAPI) error {
			cors, err := corsgin.New(cfg)
			if err != nil {
				return err
			}
			r := gin.New()
			r.RedirectTrailingSlash = false
			r.Use(cors)
			addGinRoutes(r, api)
			serveOn(t, ln, api.rec.wrap(r))
			return nil
		},
	})
}

func ginEngine(api *e2eAPI) *gin.Engine {
	r := gin.New()
	addGinRoutes(r, api)
	return r
}

func addGinRoutes(r *gin.Engine, api *e2eAPI) {
	for _, rt := range api.routes() {
		r.Handle(rt.method, rt.path, gin.WrapF(rt.handler))
	}
	r.PUT("/slash", gin.WrapF(api.slash))
}
