package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"expvar"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corskit/corskit/core"
)

const testToken = "test-token"

// instance is one running server.
type instance struct {
	*httptest.Server
	srv      *server
	refusals *expvar.Map
	logs     *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// start runs one instance on 127.0.0.1 against the database dsn.
func start(t *testing.T, dsn string, ttl time.Duration) *instance {
	t.Helper()
	st, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatalf("openStore: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	in := &instance{refusals: new(expvar.Map), logs: new(syncBuffer)}
	in.srv, err = newServer(st, options{
		token:    testToken,
		ttl:      ttl,
		logger:   slog.New(slog.NewTextHandler(in.logs, nil)),
		refusals: in.refusals,
		dsn:      dsn,
		ctx:      t.Context(),
	})
	if err != nil {
		t.Fatalf("newServer: %v", err)
	}
	in.Server = httptest.NewServer(in.srv.handler)
	t.Cleanup(in.Close)
	return in
}

// send sends one request and returns the response with its body read.
func (in *instance) send(t *testing.T, method, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, in.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := in.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// allows reports whether a cross-origin GET from origin may read the API.
func (in *instance) allows(t *testing.T, origin string) bool {
	t.Helper()
	resp, _ := in.send(t, "GET", "/api/posts", http.Header{"Origin": {origin}})
	return resp.Header.Get("Access-Control-Allow-Origin") == origin
}

// admin calls an admin endpoint for origin and checks the status.
func (in *instance) admin(t *testing.T, method, origin, token string, want int) {
	t.Helper()
	resp, body := in.send(t, method, "/admin/origins?origin="+url.QueryEscape(origin), http.Header{"Authorization": {"Bearer " + token}})
	if resp.StatusCode != want {
		t.Fatalf("%s /admin/origins %s: got %d %q, want %d", method, origin, resp.StatusCode, body, want)
	}
}

// eventually polls cond for up to limit.
func eventually(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// Two instances share one table: an origin added or removed through one is
// allowed or refused by the other within the TTL.
func TestTwoInstances(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testTwoInstances(t, filepath.Join(t.TempDir(), "origins.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("CORSKIT_POSTGRES_DSN")
		if dsn == "" {
			t.Skip("CORSKIT_POSTGRES_DSN is not set; set it to a postgres:// URL to run this against PostgreSQL (.ci/run does)")
		}
		if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
			// Anything else would open a SQLite file of that name and
			// pass without PostgreSQL.
			t.Fatalf("CORSKIT_POSTGRES_DSN=%q is not a postgres:// URL", dsn)
		}
		testTwoInstances(t, dsn)
	})
}

func testTwoInstances(t *testing.T, dsn string) {
	const ttl = 300 * time.Millisecond
	a, b := start(t, dsn, ttl), start(t, dsn, ttl)
	// A fresh origin each run, so that a shared PostgreSQL holds no leftovers.
	origin := "https://tenant-" + strings.ToLower(rand.Text()[:8]) + ".example"

	// B looks the origin up and caches the refusal.
	if b.allows(t, origin) {
		t.Fatal("B allows an origin that is not in the table")
	}

	a.admin(t, "POST", origin, "wrong-token", http.StatusUnauthorized)
	a.admin(t, "POST", "https://Tenant.example/", testToken, http.StatusBadRequest)
	a.admin(t, "POST", origin, testToken, http.StatusCreated)
	if !a.allows(t, origin) {
		t.Error("A does not allow the origin it just added")
	}
	took := eventually(t, ttl+5*time.Second, "B allows the added origin", func() bool { return b.allows(t, origin) })
	t.Logf("B allowed the added origin after %v (TTL %v)", took, ttl)

	a.admin(t, "DELETE", origin, testToken, http.StatusNoContent)
	if a.allows(t, origin) {
		t.Error("A still allows the origin it just removed")
	}
	took = eventually(t, ttl+5*time.Second, "B refuses the removed origin", func() bool { return !b.allows(t, origin) })
	t.Logf("B refused the removed origin after %v (TTL %v)", took, ttl)

	preflight := http.Header{"Origin": {origin}, "Access-Control-Request-Method": {"DELETE"}}
	if resp, _ := b.send(t, "OPTIONS", "/api/posts/1", preflight); resp.StatusCode != http.StatusForbidden {
		t.Errorf("preflight from the removed origin: got %d, want 403", resp.StatusCode)
	}
	if st := b.srv.cache.Stats(); st.Errors != 0 || st.Lookups < 3 {
		t.Errorf("B's cache: got %v, want at least 3 lookups and no errors", st)
	}
}

// Refusals are counted by reason and logged, and the reason never reaches
// the response: not in a header, not in the body.
func TestRefusalReasons(t *testing.T) {
	in := start(t, filepath.Join(t.TempDir(), "origins.db"), time.Minute)
	const allowed = "https://app.example.com"
	in.admin(t, "POST", allowed, testToken, http.StatusCreated)

	tests := []struct {
		name   string
		method string
		header http.Header
		reason core.Reason
	}{
		{"origin not in the table", "GET", http.Header{"Origin": {"https://evil.example"}}, core.OriginNotAllowed},
		{"origin not canonical", "GET", http.Header{"Origin": {"https://App.example.com"}}, core.OriginMalformed},
		{"method not allowed", "OPTIONS", http.Header{"Origin": {allowed}, "Access-Control-Request-Method": {"PATCH"}}, core.MethodNotAllowed},
		{"header not allowed", "OPTIONS", http.Header{"Origin": {allowed}, "Access-Control-Request-Method": {"DELETE"},
			"Access-Control-Request-Headers": {"x-secret"}}, core.HeaderNotAllowed},
		{"private network", "OPTIONS", http.Header{"Origin": {allowed}, "Access-Control-Request-Method": {"GET"},
			"Access-Control-Request-Private-Network": {"true"}}, core.PrivateNetworkNotAllowed},
		{"malformed preflight", "OPTIONS", http.Header{"Origin": {allowed}, "Access-Control-Request-Method": {"GET", "PUT"}}, core.RequestMalformed},
	}
	// Every reason's text, so none can leak, whichever the request.
	var reasons []string
	for r := core.OriginNotAllowed; r.String() != "Reason(?)"; r++ {
		reasons = append(reasons, r.String())
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := counter(in.refusals, tt.reason)
			resp, body := in.send(t, tt.method, "/api/posts", tt.header)
			if got := counter(in.refusals, tt.reason) - before; got != 1 {
				t.Errorf("refusals[%q]: got +%d, want +1", tt.reason, got)
			}
			if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
				t.Errorf("refused request got Access-Control-Allow-Origin: %s", v)
			}
			var sent strings.Builder
			resp.Header.Write(&sent)
			sent.WriteString(body)
			for _, r := range reasons {
				if strings.Contains(strings.ToLower(sent.String()), r) {
					t.Errorf("response carries the reason %q:\n%s", r, sent.String())
				}
			}
			if logs := in.logs.String(); !strings.Contains(logs, `reason="`+tt.reason.String()+`"`) {
				t.Errorf("no log line with reason %q:\n%s", tt.reason, logs)
			}
		})
	}
}

func counter(m *expvar.Map, r core.Reason) int64 {
	if v, ok := m.Get(r.String()).(*expvar.Int); ok {
		return v.Value()
	}
	return 0
}

// A failing database refuses the origin, says why in the log, and never
// answers with the error.
func TestDatabaseDown(t *testing.T) {
	in := start(t, filepath.Join(t.TempDir(), "origins.db"), time.Minute)
	in.srv.store.Close()
	if in.allows(t, "https://app.example.com") {
		t.Fatal("an origin was allowed while the database was down")
	}
	if st := in.srv.cache.Stats(); st.Errors != 1 {
		t.Errorf("cache stats: got %v, want 1 error", st)
	}
	if logs := in.logs.String(); !strings.Contains(logs, "origin lookup failed") || !strings.Contains(logs, "database is closed") {
		t.Errorf("logs lack the failed lookup:\n%s", logs)
	}
}

// A flood of requests from 2,000 made-up origins never opens more database
// connections than the pool allows: the origin cache runs at most
// maxLookups lookups at once, within the pool's maxConns.
func TestFlood_boundedConnections(t *testing.T) {
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "origins.db")}
	if dsn := os.Getenv("CORSKIT_POSTGRES_DSN"); dsn != "" {
		dsns["postgres"] = dsn
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			in := start(t, dsn, time.Minute)
			db := in.srv.store.db
			if got := db.Stats().MaxOpenConnections; got != maxConns {
				t.Fatalf("pool limit: got %d, want %d", got, maxConns)
			}
			var peak atomic.Int64
			done := make(chan struct{})
			go func() {
				for {
					select {
					case <-done:
						return
					case <-time.After(100 * time.Microsecond):
						if n := int64(db.Stats().OpenConnections); n > peak.Load() {
							peak.Store(n)
						}
					}
				}
			}()
			var wg sync.WaitGroup
			for i := range 2000 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := httptest.NewRequest("GET", "/api/posts", nil)
					r.Header.Set("Origin", fmt.Sprintf("https://flood%d.example", i))
					in.srv.handler.ServeHTTP(httptest.NewRecorder(), r)
				}()
			}
			wg.Wait()
			close(done)
			if p := peak.Load(); p > maxConns {
				t.Errorf("open connections: peak %d, want at most %d", p, maxConns)
			}
			t.Logf("peak %d open connections; cache %v", peak.Load(), in.srv.cache.Stats())
		})
	}
}

// With PostgreSQL, a removed origin is refused by every other instance
// within a second, through LISTEN/NOTIFY, whatever the TTL; and when the
// notification connection is cut, within the TTL, while the feed
// reconnects and says so.
func TestRevocationFeed(t *testing.T) {
	dsn := os.Getenv("CORSKIT_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("CORSKIT_POSTGRES_DSN is not set; set it to a postgres:// URL to run this against PostgreSQL (.ci/run does)")
	}
	const ttl = 3 * time.Second
	a, b := start(t, dsn, ttl), start(t, dsn, ttl)
	eventually(t, 5*time.Second, "B's feed listens", func() bool { return b.srv.feed.pid.Load() != 0 })
	fresh := func() string { return "https://tenant-" + strings.ToLower(rand.Text()[:8]) + ".example" }

	origin := fresh()
	a.admin(t, "POST", origin, testToken, http.StatusCreated)
	eventually(t, 2*time.Second, "B allows the added origin", func() bool { return b.allows(t, origin) })
	a.admin(t, "DELETE", origin, testToken, http.StatusNoContent)
	took := eventually(t, time.Second, "B refuses the removed origin within 1s", func() bool { return !b.allows(t, origin) })
	t.Logf("through the feed, B refused the removed origin after %v (TTL %v)", took, ttl)

	// Cut B's notification connection from the server side, and remove an
	// origin B allows while nobody listens for B.
	origin = fresh()
	a.admin(t, "POST", origin, testToken, http.StatusCreated)
	eventually(t, 2*time.Second, "B allows the added origin", func() bool { return b.allows(t, origin) })
	pid := b.srv.feed.pid.Load()
	if _, err := a.srv.store.db.Exec(`SELECT pg_terminate_backend($1)`, int(pid)); err != nil {
		t.Fatal(err)
	}
	a.admin(t, "DELETE", origin, testToken, http.StatusNoContent)
	took = eventually(t, ttl+time.Second, "B refuses the removed origin within the TTL", func() bool { return !b.allows(t, origin) })
	t.Logf("with the feed cut, B refused the removed origin after %v (TTL %v)", took, ttl)
	eventually(t, 10*time.Second, "B's feed reconnects", func() bool { p := b.srv.feed.pid.Load(); return p != 0 && p != pid })
	for _, want := range []string{"origin change feed lost", "origin change feed back"} {
		if !strings.Contains(b.logs.String(), want) {
			t.Errorf("B's log lacks %q:\n%s", want, b.logs.String())
		}
	}
}
