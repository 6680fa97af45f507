package e2e_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"

	"github.com/corskit/corskit/core"
	corsfiberv3 "github.com/corskit/corskit/fiberv3"
)

func init() {
	// The registration corsfiberv3 documents: app.Use, before any route
	// and any other middleware. Fiber v3 has no trailing-slash redirect of
	// its own; with StrictRouting on, a middleware registered after
	// corskit redirects PUT /slash/ to /slash, as an app that wants one
	// would.
	registerE2E(e2eAdapter{
		name:         "fiberv3",
		slashRequest: "/slash/",
		serve: func(t *testing.T, ln net.Listener, cfg core.Config, api *e2eAPI) error {
			cors, err := corsfiberv3.New(cfg)
			if err != nil {
				return err
			}
			app := fiber.New(fiber.Config{StrictRouting: true})
			app.Use(api.rec.fiberV3) // the recorder, in front of everything
			app.Use(cors)
			app.Use(redirectTrailingSlashV3)
			// The handlers are net/http ones, run through Fiber's adaptor;
			// the routing and corskit are Fiber's.
			for _, r := range api.routes() {
				app.Add([]string{r.method}, r.path, adaptor.HTTPHandlerFunc(r.handler))
			}
			app.Put("/slash", adaptor.HTTPHandlerFunc(api.slash))
			go app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true})
			// Every scenario has finished by now. Chromium keeps spare
			// connections that never carry a request, and fasthttp counts
			// them as active: an unbounded Shutdown would wait until the
			// browser drops them, minutes later.
			t.Cleanup(func() { app.ShutdownWithTimeout(100 * time.Millisecond) })
			return nil
		},
	})
}

// fiberV3 records every request, as wrap does for net/http.
func (rec *recorder) fiberV3(c fiber.Ctx) error {
	// Fiber's strings alias buffers it reuses: copy what is kept.
	req := &c.Request().Header
	x := exchange{
		Method:    strings.Clone(c.Method()),
		URI:       string(c.Request().RequestURI()),
		Origin:    string(req.Peek("Origin")),
		Preflight: c.Method() == "OPTIONS" && len(req.Peek("Access-Control-Request-Method")) > 0,
	}
	err := c.Next()
	x.Status = c.Response().StatusCode()
	x.MaxAge = string(c.Response().Header.Peek("Access-Control-Max-Age"))
	rec.add(x)
	return err
}

// redirectTrailingSlashV3 redirects a path ending in a slash to the path
// without it, with 301: Fiber v3's redirects default to 303.
func redirectTrailingSlashV3(c fiber.Ctx) error {
	p := c.Path()
	if len(p) < 2 || !strings.HasSuffix(p, "/") {
		return c.Next()
	}
	target := strings.TrimSuffix(p, "/")
	if q := c.Request().URI().QueryString(); len(q) > 0 {
		target += "?" + string(q)
	}
	return c.Redirect().Status(fiber.StatusMovedPermanently).To(target)
}
