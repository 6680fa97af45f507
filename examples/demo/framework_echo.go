package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/corskit/corskit/core"
	corsecho "github.com/corskit/corskit/echo"
)

func init() { frameworks["echo"] = serveEcho }

// serveEcho serves the API with Echo, with corskit registered with e.Pre,
// first, as corsecho recommends: Pre middleware runs before routing and
// before the trailing-slash redirect registered after it.
func serveEcho(routes []route, h *core.Holder, j *journal) server {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Pre(corsecho.Dynamic(h))
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	for _, r := range routes {
		e.Add(r.method, r.path, echo.WrapHandler(r.handler))
	}
	return newHTTPServer(j.wrap(e))
}
