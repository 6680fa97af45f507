package corsgin_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"

	"github.com/corskit/corskit/core"
	corsgin "github.com/corskit/corskit/gin"
)

func ExampleNew() {
	cors, err := corsgin.New(core.Config{
		Origins: []string{"https://app.example.com"},
		Methods: []string{"PUT", "DELETE"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := gin.New()
	r.RedirectTrailingSlash = false // else use Wrap; see Registration
	r.Use(cors)
	r.GET("/posts", func(c *gin.Context) { c.String(http.StatusOK, "[]") })

	req := httptest.NewRequest("GET", "/posts", nil)
	req.Header.Set("Origin", "https://app.example.com")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Origin"), rec.Header().Values("Vary"))

	// A preflight to a path with no OPTIONS route reaches the middleware.
	req = httptest.NewRequest("OPTIONS", "/posts/1", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "DELETE")
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Methods"))
	// Output:
	// 200 https://app.example.com [Origin]
	// 204 DELETE
}

// Wrap puts corskit in front of Gin's router, so that it answers before the
// engine redirects "/posts/" to "/posts".
func ExampleWrap() {
	r := gin.New() // RedirectTrailingSlash is on
	r.GET("/posts", func(c *gin.Context) { c.String(http.StatusOK, "[]") })
	r.OPTIONS("/posts", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	h, err := corsgin.Wrap(r, core.Config{
		Origins:     []string{"https://app.example.com"},
		Credentials: true,
		Methods:     []string{"PUT"},
		Headers:     []string{"Content-Type"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	req := httptest.NewRequest("OPTIONS", "/posts/", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Headers"))

	// The redirect of an actual request carries the CORS headers, so the
	// browser follows it.
	req = httptest.NewRequest("GET", "/posts/", nil)
	req.Header.Set("Origin", "https://app.example.com")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Location"), rec.Header().Get("Access-Control-Allow-Origin"))
	// Output:
	// 204 content-type
	// 301 /posts https://app.example.com
}

// Dynamic serves whatever policy the holder has; Reconfigure changes it
// for the requests that follow.
func ExampleDynamic() {
	cors := must(core.NewHolder(core.Config{Origins: []string{"https://old.example.com"}}))
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.Use(corsgin.Dynamic(cors))
	r.GET("/posts", func(c *gin.Context) { c.String(http.StatusOK, "[]") })

	get := func(origin string) string {
		req := httptest.NewRequest("GET", "/posts", nil)
		req.Header.Set("Origin", origin)
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec.Header().Get("Access-Control-Allow-Origin")
	}
	fmt.Printf("%q\n", get("https://new.example.com"))
	if err := cors.Reconfigure(core.Config{Origins: []string{"https://new.example.com"}}); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%q\n", get("https://new.example.com"))
	// Output:
	// ""
	// "https://new.example.com"
}
