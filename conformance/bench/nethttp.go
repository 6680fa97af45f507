package corsbench

import (
	"net/http"

	chicors "github.com/go-chi/cors"
	jub0bs "github.com/jub0bs/cors"
	rscors "github.com/rs/cors"

	corshttp "github.com/corskit/corskit/nethttp"
)

// The net/http candidates wrap a ServeMux, as each library documents.
func init() {
	wrap := func(mw func(http.Handler) http.Handler) func(Request) Runner {
		var ran int
		h := mw(mux(&ran))
		return func(r Request) Runner { return httpRunner(h, r, &ran) }
	}
	register(Candidate{Framework: "nethttp", Name: "bare", Module: "net/http",
		Build: func(p Policy) (func(Request) Runner, error) {
			return wrap(func(h http.Handler) http.Handler { return h }), nil
		}})
	register(Candidate{Framework: "nethttp", Name: "corskit", Module: "corshttp (this repository)",
		Build: func(p Policy) (func(Request) Runner, error) {
			mw, err := corshttp.New(p.Corskit())
			if err != nil {
				return nil, err
			}
			return wrap(mw), nil
		}})
	register(Candidate{Framework: "nethttp", Name: "rs-cors", Module: "github.com/rs/cors v1.11.1",
		Build: func(p Policy) (func(Request) Runner, error) {
			c := rscors.New(rsOptions(p))
			return wrap(c.Handler), nil
		}})
	// rs/cors with net/http's CrossOriginProtection trusting the exact
	// origins (it cannot take the pattern), the pairing users build by hand.
	register(Candidate{Framework: "nethttp", Name: "rs-cors+csrf", Module: "github.com/rs/cors v1.11.1 + net/http CrossOriginProtection",
		Build: func(p Policy) (func(Request) Runner, error) {
			c := rscors.New(rsOptions(p))
			cop := http.NewCrossOriginProtection()
			for _, o := range p.Origins {
				if err := cop.AddTrustedOrigin(o); err != nil {
					return nil, err
				}
			}
			return wrap(func(h http.Handler) http.Handler { return c.Handler(cop.Handler(h)) }), nil
		}})
	register(Candidate{Framework: "nethttp", Name: "jub0bs-cors", Module: "github.com/jub0bs/cors v1.0.1",
		Build: func(p Policy) (func(Request) Runner, error) {
			m, err := jub0bs.NewMiddleware(jub0bs.Config{
				Origins:         p.AllOrigins(),
				Credentialed:    p.Credentials,
				Methods:         p.Methods,
				RequestHeaders:  p.Headers,
				ResponseHeaders: p.Expose,
				MaxAgeInSeconds: p.MaxAge,
			})
			if err != nil {
				return nil, err
			}
			return wrap(m.Wrap), nil
		}})
	register(Candidate{Framework: "nethttp", Name: "go-chi-cors", Module: "github.com/go-chi/cors v1.2.2",
		Build: func(p Policy) (func(Request) Runner, error) {
			return wrap(chicors.Handler(chicors.Options{
				AllowedOrigins:   p.AllOrigins(),
				AllowCredentials: p.Credentials,
				AllowedMethods:   p.Methods,
				AllowedHeaders:   p.Headers,
				ExposedHeaders:   p.Expose,
				MaxAge:           p.MaxAge,
			})), nil
		}})
}

// rsOptions is p as rs/cors options.
func rsOptions(p Policy) rscors.Options {
	return rscors.Options{
		AllowedOrigins:   p.AllOrigins(),
		AllowCredentials: p.Credentials,
		AllowedMethods:   p.Methods,
		AllowedHeaders:   p.Headers,
		ExposedHeaders:   p.Expose,
		MaxAge:           p.MaxAge,
	}
}
