package e2e_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/corskit/corskit/core"
	corsfiber "github.com/corskit/corskit/fiber"
)

func init() {
	// The registration corsfiber documents: app.Use, before any route and
	// any other middleware. Fiber has no trailing-slash redirect of its
	// own; with StrictRouting on, a middleware registered after corskit
	// redirects PUT /slash/ to /slash, as an app that wants one would.
	registerE2E(e2eAdapter{
		name:         "fiber",
		slashRequest: "/slash/",
		serve: func(t *testing.T, ln net.Listener, cfg core.Config, api *e2eAPI) error {
			cors, err := corsfiber.New(cfg)
			if err != nil {
				return err
			}
			app := fiber.New(fiber.Config{DisableStartupMessage: true, StrictRouting: true})
			app.Use(api.rec.fiber) // the recorder, in front of everything
			app.Use(cors)
			app.Use(redirectTrailingSlash)
			// The handlers are net/http ones, run through Fiber's adaptor;
			// the routing and corskit are Fiber's.
			for _, r := range api.routes() {
				app.Add(r.method, r.path, adaptor.HTTPHandlerFunc(r.handler))
			}
			app.Put("/slash", adaptor.HTTPHandlerFunc(api.slash))
			go app.Listener(ln)
			// Every scenario has finished by now. Chromium keeps spare
			// connections that never carry a request, and fasthttp counts
			// them as active: an unbounded Shutdown would wait until the
			// browser drops them, minutes later.
			t.Cleanup(func() { app.ShutdownWithTimeout(100 * time.Millisecond) })
			return nil
		},
	})
}

// fiber records every request, as wrap does for net/http.
func (rec *recorder) fiber(c *fiber.Ctx) error {
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

// redirectTrailingSlash redirects a path ending in a slash to the path
// without it, with 301.
func redirectTrailingSlash(c *fiber.Ctx) error {
	p := c.Path()
	if len(p) < 2 || !strings.HasSuffix(p, "/") {
		return c.Next()
	}
	target := strings.TrimSuffix(p, "/")
	if q := c.Request().URI().QueryString(); len(q) > 0 {
		target += "?" + string(q)
	}
	return c.Redirect(target, fiber.StatusMovedPermanently)
}
