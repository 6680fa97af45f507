package corshttp_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

func listPosts(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "[]") }

// send sends one request through h and prints the status and the CORS
// headers of the response.
func send(h http.Handler, method, path string, header ...string) {
	r := httptest.NewRequest(method, "http://api.example.com"+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code)
	for _, name := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Vary"} {
		if v := w.Header().Values(name); len(v) > 0 {
			fmt.Printf("%s: %v\n", name, v)
		}
	}
}

func ExampleNew() {
	cors, err := corshttp.New(core.Config{
		Origins:     []string{"https://web.example.com", "https://mobile.example.com"},
		Credentials: true,
		Methods:     []string{"PUT", "DELETE"},
	})
	if err != nil {
		panic(err) // every problem of the Config, at start-up
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /posts", listPosts)
	mux.HandleFunc("DELETE /posts/{id}", func(http.ResponseWriter, *http.Request) {})
	h := cors(mux) // wrap the whole mux: it has no OPTIONS routes

	send(h, "GET", "/posts", "Origin", "https://web.example.com")
	send(h, "OPTIONS", "/posts/1", "Origin", "https://mobile.example.com", "Access-Control-Request-Method", "DELETE")
	send(h, "OPTIONS", "/posts/1", "Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE")
	// Output:
	// 200
	// Access-Control-Allow-Origin: [https://web.example.com]
	// Access-Control-Allow-Credentials: [true]
	// Vary: [Origin]
	// 204
	// Access-Control-Allow-Origin: [https://mobile.example.com]
	// Access-Control-Allow-Credentials: [true]
	// Access-Control-Allow-Methods: [DELETE]
	// 403
}

// New refuses an invalid Config with every problem at once, as
// core.Compile reports them.
func ExampleNew_errors() {
	_, err := corshttp.New(core.Config{
		Origins:     []string{"*", "https://Web.example.com/"},
		Credentials: true,
	})
	fmt.Println(errors.Is(err, core.ErrCredentialsAnyOrigin))
	fmt.Println(errors.Is(err, core.ErrAnyOriginMixed))
	fmt.Println(errors.Is(err, core.ErrOriginNotCanonical))
	// Output:
	// true
	// true
	// true
}

func ExampleDynamic() {
	policy, err := core.NewHolder(core.Config{Origins: []string{"https://web.example.com"}})
	if err != nil {
		panic(err)
	}
	h := corshttp.Dynamic(policy)(http.HandlerFunc(listPosts))

	send(h, "GET", "/posts", "Origin", "https://partner.example")
	// Later, for example after reading a new configuration file:
	err = policy.Reconfigure(core.Config{Origins: []string{"https://web.example.com", "https://partner.example"}})
	fmt.Println(err)
	send(h, "GET", "/posts", "Origin", "https://partner.example")
	// Output:
	// 200
	// Vary: [Origin]
	// <nil>
	// 200
	// Access-Control-Allow-Origin: [https://partner.example]
	// Vary: [Origin]
}

// A server that keeps net/http's CrossOriginProtection lets the corskit
// policy's origins through it, patterns included, which AddTrustedOrigin
// cannot express.
func ExampleCrossOriginProtection() {
	h, err := core.NewHolder(core.Config{
		Origins:     []string{"https://app.example.com", "https://*.partner.example"},
		Credentials: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /posts", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	cop := http.NewCrossOriginProtection()
	handler := corshttp.Dynamic(h)(corshttp.CrossOriginProtection(cop, h)(mux))

	for _, origin := range []string{"https://shop.partner.example", "https://evil.example"} {
		r := httptest.NewRequest("POST", "http://api.example.com/posts", strings.NewReader("title=hi"))
		r.Header.Set("Origin", origin)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Println(origin, w.Code)
	}
	// Output:
	// https://shop.partner.example 201
	// https://evil.example 403
}
