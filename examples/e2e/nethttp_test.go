package e2e_test

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

func init() {
	registerE2E(e2eAdapter{
		name: "nethttp",
		// http.ServeMux redirects /slash to /slash/ when only /slash/ is
		// registered, with 301.
		slashRequest: "/slash",
		serve: func(t *testing.T, ln net.Listener, cfg core.Config, api *e2eAPI) error {
			mux := http.NewServeMux()
			for _, r := range api.routes() {
				mux.HandleFunc(r.method+" "+strings.ReplaceAll(r.path, ":id", "{id}"), r.handler)
			}
			mux.HandleFunc("PUT /slash/", api.slash)
			cors, err := corshttp.New(cfg)
			if err != nil {
				return err
			}
			// As corshttp's documentation says: wrap the whole mux.
			serveOn(t, ln, api.rec.wrap(cors(mux)))
			return nil
		},
	})
}
