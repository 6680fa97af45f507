// Package measure holds what corskit's allocation tests and benchmarks
// share: the policy they all measure and a response writer that costs
// nothing per request. It is internal: adapters' tests and the comparison
// benchmarks import it, users never need it.
package measure

import (
	"net/http"
	"testing"
	"time"

	"github.com/corskit/corskit/core"
)

// BlogPolicy returns the policy of the chapter's blog API: its web, mobile
// and tablet sites with cookies, PUT and DELETE, JSON bodies, an exposed
// X-Total-Count and a ten-minute preflight cache.
func BlogPolicy() core.Config {
	return core.Config{
		Origins:       []string{"https://web.example.com", "https://mobile.example.com", "https://tablet.example.com"},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE"},
		Headers:       []string{"Content-Type"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        10 * time.Minute,
	}
}

// A ReusableWriter is an http.ResponseWriter that a test resets and sends
// request after request to, so that allocation counts show the server's
// and the middleware's work only. It discards the body.
type ReusableWriter struct {
	header http.Header
	Status int // the status written, 0 if none
}

// NewReusableWriter returns a ReusableWriter with an empty header.
func NewReusableWriter() *ReusableWriter { return &ReusableWriter{header: make(http.Header, 8)} }

// Header returns the response header.
func (w *ReusableWriter) Header() http.Header { return w.header }

// Write discards b.
func (w *ReusableWriter) Write(b []byte) (int, error) { return len(b), nil }

// WriteHeader records status.
func (w *ReusableWriter) WriteHeader(status int) { w.Status = status }

// Reset clears the header, keeping its storage, and the status.
func (w *ReusableWriter) Reset() {
	clear(w.header)
	w.Status = 0
}

// AllocsPerRequest sends req to h runs times through one ReusableWriter and
// returns the average number of allocations per request, with the writer
// as the last request left it, for the caller to check the answer.
func AllocsPerRequest(h http.Handler, req *http.Request, runs int) (float64, *ReusableWriter) {
	w := NewReusableWriter()
	n := testing.AllocsPerRun(runs, func() {
		w.Reset()
		h.ServeHTTP(w, req)
	})
	return n, w
}

// Pass is a net/http middleware that does nothing but call the next
// handler: the reference an allocation promise is measured against, so
// that what the framework charges for running any middleware is not
// counted as corskit's.
func Pass(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
}

// Promise checks corskit's allocation promise for one request: app, with
// corskit, allocates no more per request than reference, the same app with
// a do-nothing middleware registered the same way, plus extra. It fails t
// if app does not answer with status and an Access-Control-Allow-Origin,
// and logs both counts, so that a change in the framework moves both
// numbers and only a change in corskit breaks the promise.
func Promise(t testing.TB, app, reference http.Handler, req *http.Request, status int, extra float64) {
	t.Helper()
	got, w := AllocsPerRequest(app, req, 500)
	if w.Status != status || w.Header().Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("got status %d, headers %v; want %d with CORS headers", w.Status, w.Header(), status)
	}
	ref, _ := AllocsPerRequest(reference, req, 500)
	t.Logf("allocs per request: %v with corskit, %v with a do-nothing middleware", got, ref)
	if got > ref+extra {
		t.Errorf("allocs per request: got %v with corskit, want at most %v (%v with a do-nothing middleware, plus %v)", got, ref+extra, ref, extra)
	}
}
