// Command nethttp serves the blog API of CORS in Action, chapter 6, with
// net/http: the sites on localhost:1111, 2222 and 3333 may use it with cookies.
//
//	go -C examples run ./nethttp
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

func main() {
	cors, err := corshttp.New(core.Config{
		Origins:       []string{"http://localhost:1111", "http://localhost:2222", "http://localhost:3333"},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE"},
		Headers:       []string{"Content-Type"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        10 * time.Minute,
	})
	if err != nil {
		log.Fatal(err)
	}
	var mu sync.Mutex
	posts, next := map[string]string{"1": "Hello, CORS"}, 2
	mux := http.NewServeMux()
	mux.HandleFunc("GET /posts", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("X-Total-Count", strconv.Itoa(len(posts)))
		json.NewEncoder(w).Encode(posts)
	})
	mux.HandleFunc("POST /posts", func(w http.ResponseWriter, r *http.Request) {
		var p struct{ Title string }
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		posts[strconv.Itoa(next)], next = p.Title, next+1
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("DELETE /posts/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		delete(posts, r.PathValue("id"))
		w.WriteHeader(http.StatusNoContent)
	})
	log.Fatal(http.ListenAndServe("localhost:9999", cors(mux))) // wrap the whole mux
}
