package main

import (
	"github.com/gin-gonic/gin"

	"github.com/corskit/corskit/core"
	corsgin "github.com/corskit/corskit/gin"
)

func init() { frameworks["gin"] = serveGin }

// serveGin serves the API with Gin, with corskit in front of the engine
// (corsgin.Wrap), as corsgin recommends: Gin redirects a trailing-slash
// path before any middleware runs, and that redirect needs CORS headers
// too.
func serveGin(routes []route, h *core.Holder, j *journal) server {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	for _, rt := range routes {
		r.Handle(rt.method, rt.path, gin.WrapF(rt.handler))
	}
	return newHTTPServer(j.wrap(corsgin.WrapDynamic(r, h)))
}
