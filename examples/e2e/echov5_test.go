package e2e_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/corskit/corskit/core"
	corsechov5 "github.com/corskit/corskit/echov5"
)

func init() {
	// The registration corsechov5 recommends: e.Pre, first, before Echo's
	// trailing-slash middleware, which redirects PUT /slash/ to /slash.
	registerE2E(e2eAdapter{
		name:         "echov5",
		slashRequest: "/slash/",
		serve: func(t *testing.T, ln net.Listener, cfg core.Config, api *e2eAPI) error {
			cors, err := corsechov5.New(cfg)
			if err != nil {
				return err
			}
			e := echo.New()
			e.Pre(cors)
			e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.RemoveTrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
			for _, r := range api.routes() {
				e.Add(r.method, r.path, echo.WrapHandler(r.handler))
			}
			e.PUT("/slash", echo.WrapHandler(http.HandlerFunc(api.slash)))
			serveOn(t, ln, api.rec.wrap(e))
			return nil
		},
	})
}
