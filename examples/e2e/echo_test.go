package e2e_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/corskit/corskit/core"
	corsecho "github.com/corskit/corskit/echo"
)

func init() {
	// The registration corsecho recommends: e.Pre, first, before Echo's
	// trailing-slash middleware, which redirects PUT /slash/ to /slash.
	registerE2E(e2eAdapter{
		name:         "echo",
		slashRequest: "/slash/",
		serve: func(t *testing.T, ln net.Listener, cfg core.Config, api *e2eAPI) error {
			cors, err := corsecho.New(cfg)
			if err != nil {
				return err
			}
			e := echo.New()
			e.HideBanner, e.HidePort = true, true
			e.Pre(cors)
			e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
			for _, r := range api.routes() {
				e.Add(r.method, r.path, echo.WrapHandler(r.handler))
			}
			e.PUT("/slash", echo.WrapHandler(http.HandlerFunc(api.slash)))
			serveOn(t, ln, api.rec.wrap(e))
			return nil
		},
	})
}
