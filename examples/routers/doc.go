// Package routers shows corskit's net/http adapter with third-party routers
// (github.com/go-chi/chi and github.com/gorilla/mux), and which registration
// lets every preflight reach corskit. Its runnable examples are its tests:
//
//	go -C examples test ./routers -v
//
// It lives in the examples module so that corskit's own modules never
// require a router.
package routers
