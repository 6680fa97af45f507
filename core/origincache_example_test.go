package core_test

import (
	"context"
	"expvar"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/corskit/corskit/core"
)

// Origins kept in a database, looked up at most once a minute per origin.
func ExampleNewOriginCache() {
	// lookup stands for a query such as
	// SELECT EXISTS (SELECT 1 FROM cors_origins WHERE origin = $1).
	lookup := func(ctx context.Context, origin string) (bool, error) {
		fmt.Println("lookup", origin)
		return origin == "https://tenant1.example", nil
	}
	cache, err := core.NewOriginCache(lookup, core.OriginCacheOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := core.MustCompile(core.Config{OriginFunc: cache.Allow})

	for _, origin := range []string{"https://tenant1.example", "https://tenant1.example", "https://evil.example"} {
		r := httptest.NewRequest("GET", "/posts", nil)
		r.Header.Set("Origin", origin)
		d := p.Decide(core.FactsFrom(r))
		fmt.Println(origin, d.Reason)
	}
	fmt.Println(cache.Stats())
	// Output:
	// lookup https://tenant1.example
	// https://tenant1.example allowed
	// https://tenant1.example allowed
	// lookup https://evil.example
	// https://evil.example origin not allowed
	// hits=1 misses=2 lookups=2 errors=0 shed=0
}

// Count refusals by reason with expvar, served as JSON at /debug/vars.
// Reasons go to the hook and the log, never into responses.
func ExampleConfig_countRejections() {
	// In a program: refusals := expvar.NewMap("corskit_refusals")
	refusals := new(expvar.Map)
	p := core.MustCompile(core.Config{
		Origins: []string{"https://web.example.com"},
		Methods: []string{"PUT"},
		OnReject: func(r core.Rejection) {
			refusals.Add(r.Reason.String(), 1)
		},
	})
	send := func(method, origin, requestMethod string) {
		r := httptest.NewRequest(method, "/posts/1", nil)
		r.Header.Set("Origin", origin)
		if requestMethod != "" {
			r.Header.Set("Access-Control-Request-Method", requestMethod)
		}
		p.Decide(core.FactsFrom(r))
	}
	send(http.MethodGet, "https://evil.example", "")
	send(http.MethodOptions, "https://evil.example", "PUT")
	send(http.MethodOptions, "https://web.example.com", "DELETE")
	send(http.MethodOptions, "https://web.example.com", "PUT") // allowed

	fmt.Println(refusals)
	// Output:
	// {"method not allowed": 1, "origin not allowed": 2}
}
