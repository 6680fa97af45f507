// Command fiberv3 serves the blog API of CORS in Action, chapter 6, with Fiber
// v3: the sites on localhost:1111, 2222 and 3333 may use it with cookies.
//
//	go -C examples run ./fiberv3
package main

import (
	"log"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/corskit/corskit/core"
	corsfiberv3 "github.com/corskit/corskit/fiberv3"
)

func main() {
	var mu sync.Mutex
	posts, next := map[string]string{"1": "Hello, CORS"}, 2
	app := fiber.New()
	// corskit first, before any other handler.
	app.Use(corsfiberv3.Must(core.Config{
		Origins:       []string{"http://localhost:1111", "http://localhost:2222", "http://localhost:3333"},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE"},
		Headers:       []string{"Content-Type"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        10 * time.Minute,
	}))
	app.Get("/posts", func(c fiber.Ctx) error {
		mu.Lock()
		defer mu.Unlock()
		c.Set("X-Total-Count", strconv.Itoa(len(posts)))
		return c.JSON(posts)
	})
	app.Post("/posts", func(c fiber.Ctx) error {
		var p struct{ Title string }
		if err := c.Bind().Body(&p); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		// A form-encoded Title aliases a buffer Fiber reuses: keep a copy.
		posts[strconv.Itoa(next)], next = strings.Clone(p.Title), next+1
		return c.SendStatus(fiber.StatusCreated)
	})
	app.Delete("/posts/:id", func(c fiber.Ctx) error {
		mu.Lock()
		defer mu.Unlock()
		delete(posts, c.Params("id"))
		return c.SendStatus(fiber.StatusNoContent)
	})
	log.Fatal(app.Listen("localhost:9999"))
}
