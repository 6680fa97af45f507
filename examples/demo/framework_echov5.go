package main

import (
	"net/http"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/corskit/corskit/core"
	corsechov5 "github.com/corskit/corskit/echov5"
)

func init() { frameworks["echov5"] = serveEchoV5 }

// serveEchoV5 serves the API with Echo v5, with corskit registered with
// e.Pre, first, as corsechov5 recommends: Pre middleware runs before
// routing and before the trailing-slash redirect registered after it.
func serveEchoV5(routes []route, h *core.Holder, j *journal) server {
	e := echo.New()
	e.Pre(corsechov5.Dynamic(h))
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.RemoveTrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	for _, r := range routes {
		e.Add(r.method, r.path, echo.WrapHandler(r.handler))
	}
	return newHTTPServer(j.wrap(e))
}
