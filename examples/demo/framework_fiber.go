package main

import (
	"context"
	"net"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/valyala/fasthttp"

	"github.com/corskit/corskit/core"
	corsfiber "github.com/corskit/corskit/fiber"
)

func init() { frameworks["fiber"] = serveFiber }

// serveFiber serves the API with Fiber, with corskit registered with
// app.Use before any route, as corsfiber documents. The blog's handlers
// are net/http ones, run through Fiber's adaptor.
func serveFiber(routes []route, h *core.Holder, j *journal) server {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(j.fiber)
	app.Use(corsfiber.Dynamic(h))
	for _, r := range routes {
		app.Add(r.method, r.path, adaptor.HTTPHandlerFunc(r.handler))
	}
	return newFiberServer(app)
}

// fiber records every request, as wrap does for net/http.
func (j *journal) fiber(c *fiber.Ctx) error {
	if isDebug(c.Path()) {
		return c.Next()
	}
	// Fiber's strings alias buffers it reuses: copy what is kept.
	method, path := strings.Clone(c.Method()), strings.Clone(c.Path())
	origin := string(c.Request().Header.Peek("Origin"))
	err := c.Next()
	if err != nil {
		// Let Fiber's error handler set the status now, so that the
		// journal records what the browser gets.
		if herr := c.App().ErrorHandler(c, err); herr == nil {
			err = nil
		}
	}
	j.request(method, path, origin, c.Response().StatusCode(), func(name string) string {
		if name == "Access-Control-Request-Method" {
			return string(c.Request().Header.Peek(name))
		}
		return string(c.Response().Header.Peek(name))
	})
	return err
}

// fiberServer is a Fiber app as a server. Fiber's shutdown cannot close
// connections, so it keeps track of them to close them itself.
type fiberServer struct {
	app   *fiber.App
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func newFiberServer(app *fiber.App) *fiberServer {
	s := &fiberServer{app: app, conns: make(map[net.Conn]struct{})}
	app.Server().ConnState = func(c net.Conn, state fasthttp.ConnState) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch state {
		case fasthttp.StateNew:
			s.conns[c] = struct{}{}
		case fasthttp.StateClosed, fasthttp.StateHijacked:
			delete(s.conns, c)
		}
	}
	return s
}

func (s *fiberServer) Serve(ln net.Listener) error { return s.app.Listener(ln) }

func (s *fiberServer) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

func (s *fiberServer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
	return nil
}
