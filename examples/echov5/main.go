// Command echov5 serves the blog API of CORS in Action, chapter 6, with Echo v5:
// the sites on localhost:1111, 2222 and 3333 may use it with cookies.
//
//	go -C examples run ./echov5
package main

import (
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/corskit/corskit/core"
	corsechov5 "github.com/corskit/corskit/echov5"
)

func main() {
	var mu sync.Mutex
	posts, next := map[string]string{"1": "Hello, CORS"}, 2
	e := echo.New()
	// corskit first, so that it answers preflights before the redirect.
	e.Pre(corsechov5.Must(core.Config{
		Origins:       []string{"http://localhost:1111", "http://localhost:2222", "http://localhost:3333"},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE"},
		Headers:       []string{"Content-Type"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        10 * time.Minute,
	}))
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.RemoveTrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.GET("/posts", func(c *echo.Context) error {
		mu.Lock()
		defer mu.Unlock()
		c.Response().Header().Set("X-Total-Count", strconv.Itoa(len(posts)))
		return c.JSON(http.StatusOK, posts)
	})
	e.POST("/posts", func(c *echo.Context) error {
		var p struct{ Title string }
		if err := c.Bind(&p); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		posts[strconv.Itoa(next)], next = p.Title, next+1
		return c.NoContent(http.StatusCreated)
	})
	e.DELETE("/posts/:id", func(c *echo.Context) error {
		mu.Lock()
		defer mu.Unlock()
		delete(posts, c.Param("id"))
		return c.NoContent(http.StatusNoContent)
	})
	log.Fatal(http.ListenAndServe("localhost:9999", e))
}
