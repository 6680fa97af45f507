package corsfiberv3_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/gofiber/fiber/v3"

	"github.com/corskit/corskit/core"
	corsfiberv3 "github.com/corskit/corskit/fiberv3"
)

func ExampleNew() {
	cors, err := corsfiberv3.New(core.Config{
		Origins: []string{"https://app.example.com"},
		Methods: []string{"PUT", "DELETE"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	app := fiber.New()
	app.Use(cors) // first, before any route
	app.Get("/posts", func(c fiber.Ctx) error { return c.SendString("[]") })

	req := httptest.NewRequest("GET", "/posts", nil)
	req.Header.Set("Origin", "https://app.example.com")
	resp, err := app.Test(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Values("Vary"))

	// A preflight to a path with no OPTIONS route is answered by corskit,
	// where Fiber would answer 405.
	req = httptest.NewRequest("OPTIONS", "/posts/1", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "DELETE")
	resp, err = app.Test(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode, resp.Header.Get("Access-Control-Allow-Methods"))
	// Output:
	// 200 https://app.example.com [Origin]
	// 204 DELETE
}

// New refuses a policy with problems, and names each of them.
func ExampleNew_invalid() {
	_, err := corsfiberv3.New(core.Config{Origins: []string{"https://app.example.com/"}})
	fmt.Println(err)
	// Output:
	// corskit: Origins[0] "https://app.example.com/": not written the way browsers send it (trailing slash); write "https://app.example.com"
}

// WithNext leaves some requests alone, as with Fiber's own middleware.
func ExampleWithNext() {
	cors, err := corsfiberv3.New(
		core.Config{Origins: []string{"https://app.example.com"}},
		corsfiberv3.WithNext(func(c fiber.Ctx) bool { return c.Path() == "/healthz" }),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	app := fiber.New()
	app.Use(cors)
	app.Get("/healthz", func(c fiber.Ctx) error { return c.SendString("ok") })

	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("Origin", "https://app.example.com")
	resp, err := app.Test(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d %q\n", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	// Output:
	// 200 ""
}

// Dynamic serves whatever policy the holder has; Reconfigure changes it
// for the requests that follow.
func ExampleDynamic() {
	cors, err := core.NewHolder(core.Config{Origins: []string{"https://old.example.com"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	app := fiber.New()
	app.Use(corsfiberv3.Dynamic(cors))
	app.Get("/posts", func(c fiber.Ctx) error { return c.SendString("[]") })

	get := func(origin string) string {
		req := httptest.NewRequest("GET", "/posts", nil)
		req.Header.Set("Origin", origin)
		resp, err := app.Test(req)
		if err != nil {
			return err.Error()
		}
		return resp.Header.Get("Access-Control-Allow-Origin")
	}
	fmt.Printf("%q\n", get("https://new.example.com"))
	if err := cors.Reconfigure(core.Config{Origins: []string{"https://new.example.com"}}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", get("https://new.example.com"))
	// Output:
	// ""
	// "https://new.example.com"
}
