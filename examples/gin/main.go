// Command gin serves the blog API of CORS in Action, chapter 6, with Gin:
// the sites on localhost:1111, 2222 and 3333 may use it with cookies.
//
//	go -C examples run ./gin
package main

import (
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/corskit/corskit/core"
	corsgin "github.com/corskit/corskit/gin"
)

func main() {
	policy := core.Config{
		Origins:       []string{"http://localhost:1111", "http://localhost:2222", "http://localhost:3333"},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE"},
		Headers:       []string{"Content-Type"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        10 * time.Minute,
	}
	var mu sync.Mutex
	posts, next := map[string]string{"1": "Hello, CORS"}, 2
	r := gin.Default()
	r.GET("/posts", func(c *gin.Context) {
		mu.Lock()
		defer mu.Unlock()
		c.Header("X-Total-Count", strconv.Itoa(len(posts)))
		c.JSON(http.StatusOK, posts)
	})
	r.POST("/posts", func(c *gin.Context) {
		var p struct{ Title string }
		if c.BindJSON(&p) == nil {
			mu.Lock()
			defer mu.Unlock()
			posts[strconv.Itoa(next)], next = p.Title, next+1
			c.Status(http.StatusCreated)
		}
	})
	r.DELETE("/posts/:id", func(c *gin.Context) {
		mu.Lock()
		defer mu.Unlock()
		delete(posts, c.Param("id"))
		c.Status(http.StatusNoContent)
	})
	// Wrap, not r.Use: Gin redirects "/posts/" before any middleware runs.
	handler, err := corsgin.Wrap(r, policy)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("localhost:9999", handler))
}
