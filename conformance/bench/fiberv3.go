package corsbench

import (
	"net/http"

	"github.com/gofiber/fiber/v3"
	fibercors "github.com/gofiber/fiber/v3/middleware/cors"

	corsfiberv3 "github.com/corskit/corskit/fiberv3"
)

// fiberv3App returns the Fiber v3 app of the Fiber v3 candidates, with mw,
// if not nil, as global middleware (app.Use), as each library documents.
func fiberv3App(mw fiber.Handler) func(Request) Runner {
	var ran int
	app := fiber.New()
	if mw != nil {
		app.Use(mw)
	}
	h := func(c fiber.Ctx) error {
		ran++
		if c.Method() == "OPTIONS" {
			return c.SendStatus(http.StatusNoContent)
		}
		return c.SendStatus(http.StatusOK)
	}
	app.Get(path, h)
	app.Put(path, h)
	app.Post(path, h)
	app.Options(path, h)
	handler := app.Handler()
	return func(r Request) Runner { return fiberRunner(handler, r, &ran) }
}

func init() {
	register(Candidate{Framework: "fiberv3", Name: "bare", Module: "github.com/gofiber/fiber/v3 v3.1.0",
		Build: func(p Policy) (func(Request) Runner, error) { return fiberv3App(nil), nil }})
	register(Candidate{Framework: "fiberv3", Name: "corskit", Module: "corsfiberv3 (this repository)",
		Build: func(p Policy) (func(Request) Runner, error) {
			mw, err := corsfiberv3.New(p.Corskit())
			if err != nil {
				return nil, err
			}
			return fiberv3App(mw), nil
		}})
	register(Candidate{Framework: "fiberv3", Name: "fiber-cors", Module: "fiber/v3/middleware/cors v3.1.0",
		Build: func(p Policy) (func(Request) Runner, error) {
			return fiberv3App(fibercors.New(fibercors.Config{
				AllowOrigins:     p.AllOrigins(),
				AllowCredentials: p.Credentials,
				AllowMethods:     p.Methods,
				AllowHeaders:     p.Headers,
				ExposeHeaders:    p.Expose,
				MaxAge:           p.MaxAge,
			})), nil
		}})
}
