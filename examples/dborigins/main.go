// Command dborigins serves an API to the origins listed in a database
// table, so that adding a customer's site is an INSERT, not a deploy.
//
//	go -C examples run ./dborigins                                # SQLite, in the temporary directory
//	go -C examples run ./dborigins -dsn postgres://localhost/app  # PostgreSQL
//
// Every instance sharing the table sees a change within -ttl; with
// PostgreSQL, within moments, as each change is announced with NOTIFY to
// every instance listening (and within -ttl while that connection is
// down). Manage the
// table with the admin endpoints (the token is printed at start unless
// DBORIGINS_TOKEN or -token sets it):
//
//	curl -H "Authorization: Bearer $TOKEN" -d origin=https://app.example.com localhost:8080/admin/origins
//	curl -H "Authorization: Bearer $TOKEN" -X DELETE 'localhost:8080/admin/origins?origin=https://app.example.com'
//	curl -H "Authorization: Bearer $TOKEN" localhost:8080/debug/vars    # refusals by reason, cache stats
package main

import (
	"context"
	"crypto/rand"
	"expvar"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	dsn := flag.String("dsn", filepath.Join(os.TempDir(), "corskit-dborigins.db"), "SQLite file, or a postgres:// URL")
	token := flag.String("token", os.Getenv("DBORIGINS_TOKEN"), "admin bearer token (default $DBORIGINS_TOKEN, else random)")
	ttl := flag.Duration("ttl", 30*time.Second, "how long an answer about an origin is cached")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if *token == "" {
		*token = rand.Text()
		logger.Info("admin token generated", "token", *token)
	}

	st, err := openStore(context.Background(), *dsn)
	if err != nil {
		logger.Error("opening the database", "error", err)
		os.Exit(1)
	}
	defer st.Close()
	srv, err := newServer(st, options{token: *token, ttl: *ttl, logger: logger, refusals: expvar.NewMap("corskit_refusals"),
		dsn: *dsn, ctx: context.Background()})
	if err != nil {
		logger.Error("starting", "error", err)
		os.Exit(1)
	}
	expvar.Publish("corskit_origin_cache", expvar.Func(func() any { return srv.cache.Stats() }))

	logger.Info("serving", "addr", *addr, "api", "http://"+*addr+"/api/posts")
	if err := http.ListenAndServe(*addr, srv.handler); err != nil {
		logger.Error("serving", "error", err)
		os.Exit(1)
	}
}
