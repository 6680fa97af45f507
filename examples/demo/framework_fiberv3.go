package main

import (
	"context"
	"net"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"
	"github.com/valyala/fasthttp"

	"github.com/corskit/corskit/core"
	corsfiberv3 "github.com/corskit/corskit/fiberv3"
)

func init() { frameworks["fiberv3"] = serveFiberV3 }

// serveFiberV3 serves the API with Fiber v3, with corskit registered with
// app.Use before any route, as corsfiberv3 documents. The blog's handlers
// are net/http ones, run through Fiber's adaptor.
func serveFiberV3(routes []route, h *core.Holder, j *journal) server {
	app := fiber.New()
	app.Use(j.fiberV3)
	app.Use(corsfiberv3.Dynamic(h))
	for _, r := range routes {
		app.Add([]string{r.method}, r.path, adaptor.HTTPHandlerFunc(r.handler))
	}
	return newFiberV3Server(app)
}

// fiberV3 records every request, as wrap does for net/http.
func (j *journal) fiberV3(c fiber.Ctx) error {
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

// fiberV3Server is a Fiber v3 app as a server. Fiber's shutdown cannot
// close connections, so it keeps track of them to close them itself.
type fiberV3Server struct {
	app   *fiber.App
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func newFiberV3Server(app *fiber.App) *fiberV3Server {
	s := &fiberV3Server{app: app, conns: make(map[net.Conn]struct{})}
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

// Serve serves on ln. Fiber v3 takes the startup message's switch here,
// not in fiber.Config.
func (s *fiberV3Server) Serve(ln net.Listener) error {
	return s.app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true})
}

func (s *fiberV3Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

func (s *fiberV3Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
	return nil
}
