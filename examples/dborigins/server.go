package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"expvar"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/corskit/corskit/core"
	corshttp "github.com/corskit/corskit/nethttp"
)

// options configure one instance of the server.
type options struct {
	token    string        // the admin bearer token
	ttl      time.Duration // how long an answer about an origin is trusted
	logger   *slog.Logger
	refusals *expvar.Map // refused CORS requests by reason
	// dsn, if a postgres:// URL, is listened to for changes made through
	// other instances (see feed) until ctx is done.
	dsn string
	ctx context.Context
}

// server is one instance: several can share one database.
type server struct {
	store   *store
	cache   *core.OriginCache
	feed    *feed // PostgreSQL only
	token   []byte
	handler http.Handler
}

func newServer(st *store, opts options) (*server, error) {
	cache, err := core.NewOriginCache(st.allowed, core.OriginCacheOptions{
		TTL:        opts.ttl, // a removed origin is refused within ttl,
		Timeout:    2 * time.Second,
		Logger:     opts.logger, // and an added one allowed within ttl
		MaxLookups: maxLookups,  // within the pool, whatever a flood sends
	})
	if err != nil {
		return nil, err
	}
	cors, err := corshttp.New(core.Config{
		OriginFunc:    cache.Allow,
		Methods:       []string{"DELETE"},
		Headers:       []string{"Content-Type"},
		ExposeHeaders: []string{"X-Total-Count"},
		Logger:        opts.logger, // one line per refused request, with the reason
		OnReject: func(r core.Rejection) {
			opts.refusals.Add(r.Reason.String(), 1)
		},
	})
	if err != nil {
		return nil, err
	}
	s := &server{store: st, cache: cache, token: []byte(opts.token)}
	if st.dialect == "postgres" && opts.ctx != nil {
		s.feed = &feed{dsn: opts.dsn, cache: cache, logger: opts.logger}
		go s.feed.run(opts.ctx)
	}

	api := http.NewServeMux()
	api.HandleFunc("GET /api/posts", listPosts)
	api.HandleFunc("DELETE /api/posts/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })

	admin := http.NewServeMux()
	admin.HandleFunc("GET /admin/origins", s.listOrigins)
	admin.HandleFunc("POST /admin/origins", s.addOrigin)
	admin.HandleFunc("DELETE /admin/origins", s.removeOrigin)
	admin.Handle("GET /debug/vars", expvar.Handler())

	root := http.NewServeMux()
	// CORS wraps the whole API subtree, so that every preflight reaches
	// corskit; the admin endpoints are not for browsers and get no CORS.
	root.Handle("/api/", cors(api))
	root.Handle("/admin/", s.authorized(admin))
	root.Handle("/debug/", s.authorized(admin))
	s.handler = root
	return s, nil
}

func listPosts(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Total-Count", "2")
	w.Write([]byte(`[{"id":1,"title":"CORS in Action"},{"id":2,"title":"Origins in a table"}]` + "\n"))
}

// authorized lets through requests with the admin bearer token.
func (s *server) authorized(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || len(s.token) == 0 || subtle.ConstantTimeCompare([]byte(got), s.token) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dborigins admin"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *server) listOrigins(w http.ResponseWriter, r *http.Request) {
	origins, err := s.store.list(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"origins": origins, "cache": s.cache.Stats()})
}

// addOrigin adds the origin in the form or query value "origin".
func (s *server) addOrigin(w http.ResponseWriter, r *http.Request) {
	origin := r.FormValue("origin")
	if err := checkOrigin(origin); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := s.store.add(r.Context(), origin); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.cache.Forget(origin) // at once here; other instances through the feed, or within the TTL
	w.WriteHeader(http.StatusCreated)
}

func (s *server) removeOrigin(w http.ResponseWriter, r *http.Request) {
	origin := r.FormValue("origin")
	found, err := s.store.remove(r.Context(), origin)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.cache.Forget(origin)
	if !found {
		http.Error(w, "no such origin", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkOrigin accepts one origin written the way browsers send it, and
// explains what to write otherwise: the table is matched byte for byte.
func checkOrigin(origin string) error {
	if origin == "" || origin == "null" || strings.Contains(origin, "*") {
		return errors.New(`want one origin, such as "https://app.example.com" (no patterns, not "null")`)
	}
	_, err := core.Compile(core.Config{Origins: []string{origin}})
	return err
}
