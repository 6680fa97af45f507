package corsechov5_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/corskit/corskit/core"
	corsechov5 "github.com/corskit/corskit/echov5"
)

func ExampleNew() {
	cors, err := corsechov5.New(core.Config{
		Origins: []string{"https://app.example.com"},
		Methods: []string{"PUT", "DELETE"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	e := echo.New()
	e.Pre(cors)
	e.GET("/posts", func(c *echo.Context) error { return c.String(http.StatusOK, "[]") })

	req := httptest.NewRequest("GET", "/posts", nil)
	req.Header.Set("Origin", "https://app.example.com")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Origin"), rec.Header().Values("Vary"))

	// A preflight to a path with no OPTIONS route is answered by corskit.
	req = httptest.NewRequest("OPTIONS", "/posts/1", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "DELETE")
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Methods"))
	// Output:
	// 200 https://app.example.com [Origin]
	// 204 DELETE
}

// With Echo's trailing-slash redirect, which is Pre middleware, register
// corskit with e.Pre before it. With e.Use, the redirect answers the
// preflight first, and browsers never follow a redirected preflight.
func ExampleNew_pre() {
	cfg := core.Config{Origins: []string{"https://app.example.com"}, Methods: []string{"PUT"}}
	pre, err := corsechov5.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	redirect := middleware.RemoveTrailingSlashWithConfig(middleware.RemoveTrailingSlashConfig{RedirectCode: http.StatusMovedPermanently})
	list := func(c *echo.Context) error { return c.String(http.StatusOK, "[]") }

	right := echo.New()
	right.Pre(pre)
	right.Pre(redirect)
	right.GET("/posts", list)

	wrong := echo.New()
	wrong.Pre(redirect)
	wrong.Use(pre)
	wrong.GET("/posts", list)

	for _, e := range []*echo.Echo{right, wrong} {
		req := httptest.NewRequest("OPTIONS", "/posts/", nil)
		req.Header.Set("Origin", "https://app.example.com")
		req.Header.Set("Access-Control-Request-Method", "PUT")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		fmt.Printf("%d %q\n", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	}
	// Output:
	// 204 "https://app.example.com"
	// 301 ""
}

// A skipper leaves some requests alone, as with Echo's own middleware.
func ExampleWithSkipper() {
	cors, err := corsechov5.New(
		core.Config{Origins: []string{"https://app.example.com"}},
		corsechov5.WithSkipper(func(c *echo.Context) bool { return c.Request().URL.Path == "/healthz" }),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	e := echo.New()
	e.Pre(cors)
	e.GET("/healthz", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })

	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("Origin", "https://app.example.com")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Printf("%d %q\n", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	// Output:
	// 200 ""
}

// Wrap puts corskit in front of the whole server, before Echo's Pre
// middleware and router, as a plain net/http handler.
func ExampleWrap() {
	e := echo.New()
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.RemoveTrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.PUT("/posts/:id", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })
	h, err := corsechov5.Wrap(e, core.Config{Origins: []string{"https://app.example.com"}, Methods: []string{"PUT"}})
	if err != nil {
		fmt.Println(err)
		return
	}

	// The preflight is answered before the trailing-slash redirect.
	req := httptest.NewRequest("OPTIONS", "/posts/1/", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	// Output:
	// 204 https://app.example.com
}
