package routers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/mux"

	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

func listPosts(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "[]") }

// preflight sends a preflight for PUT /posts from https://web.example.com
// through h, and prints the status and the grant headers of the answer.
func preflight(h http.Handler) {
	r := httptest.NewRequest("OPTIONS", "http://api.example.com/posts", nil)
	r.Header.Set("Origin", "https://web.example.com")
	r.Header.Set("Access-Control-Request-Method", "PUT")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code)
	for _, name := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods"} {
		if v := w.Header().Values(name); len(v) > 0 {
			fmt.Printf("%s: %v\n", name, v)
		}
	}
}

var policy = core.Config{Origins: []string{"https://web.example.com"}, Methods: []string{"PUT"}}

// With chi, Use on the root router runs for every request, also those that
// match no route, so corskit sees preflights to paths without an OPTIONS
// route. Register it before any middleware that may redirect.
func Example_chi() {
	r := chi.NewRouter()
	r.Use(corshttp.Must(policy))
	r.Get("/posts", listPosts)

	preflight(r)
	// Output:
	// 204
	// Access-Control-Allow-Origin: [https://web.example.com]
	// Access-Control-Allow-Methods: [PUT]
}

// With gorilla/mux, wrap the router: middleware added with its Use runs
// only for requests that match a route, and a preflight to a path without
// an OPTIONS route matches none.
func Example_gorilla() {
	r := mux.NewRouter()
	r.HandleFunc("/posts", listPosts).Methods("GET")
	h := corshttp.Must(policy)(r)

	preflight(h)
	// Output:
	// 204
	// Access-Control-Allow-Origin: [https://web.example.com]
	// Access-Control-Allow-Methods: [PUT]
}

// Registered with gorilla/mux's Use, corskit never sees the preflight: the
// router answers 405 itself, without CORS headers, and the browser reports
// a CORS error.
func Example_gorillaUse_incorrect() {
	r := mux.NewRouter()
	r.HandleFunc("/posts", listPosts).Methods("GET")
	r.Use(corshttp.Must(policy))

	preflight(r)
	// Output:
	// 405
}
