package main

import (
	"net/http"
	"strings"

	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

func init() { frameworks["nethttp"] = serveNetHTTP }

// serveNetHTTP serves the API with net/http's ServeMux, wrapped whole by
// corskit, as corshttp documents: the mux answers a preflight to a path
// without an OPTIONS route with 405, so corskit must see it first.
func serveNetHTTP(routes []route, h *core.Holder, j *journal) server {
	mux := http.NewServeMux()
	for _, r := range routes {
		mux.HandleFunc(r.method+" "+strings.ReplaceAll(r.path, ":id", "{id}"), r.handler)
	}
	cors := corshttp.Dynamic(h)
	return newHTTPServer(j.wrap(cors(mux)))
}
