package corshttp_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/internal/measure"
	corshttp "github.com/corskit/corskit/nethttp"
)

var blog = measure.BlogPolicy()

var noop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// requests of each path the middleware takes, for the allocation promises
// and the benchmarks.
var paths = []struct {
	name   string
	req    func() *http.Request
	status int // 0: the handler runs
	allocs float64
}{
	// The handler will see the response headers, so Apply copies the values
	// into slots of this request's own, carved from a pooled 4 KB block: one
	// allocation per dozens of requests, which AllocsPerRun reports as 0.
	{"path=actual-allowed", func() *http.Request { return request("GET", "Origin", "https://web.example.com") }, 0, 0},
	{"path=not-cors", func() *http.Request { return request("GET") }, 0, 0},
	{"path=actual-refused", func() *http.Request { return request("GET", "Origin", "https://evil.example") }, 0, 0},
	// corskit answers: the precomputed values are shared, nothing allocates.
	{"path=preflight-allowed", func() *http.Request {
		return request("OPTIONS", "Origin", "https://web.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type")
	}, 204, 0},
	{"path=preflight-refused", func() *http.Request {
		return request("OPTIONS", "Origin", "https://web.example.com", "Access-Control-Request-Method", "PATCH")
	}, 403, 0},
	{"path=preflight-comma-bomb", func() *http.Request {
		return request("OPTIONS", "Origin", "https://web.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", strings.Repeat(",", 100_000))
	}, 403, 0},
}

func request(method string, header ...string) *http.Request {
	r := httptest.NewRequest(method, "http://api.example.com/posts", nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

// TestMiddleware_allocs holds the middleware to the allocations it makes
// per request, measured through ServeHTTP with a reused ResponseWriter.
func TestMiddleware_allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not measurable under the race detector")
	}
	h := corshttp.Must(blog)(noop)
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			n, w := measure.AllocsPerRequest(h, p.req(), 1000)
			if w.Status != p.status {
				t.Fatalf("status: got %d, want %d", w.Status, p.status)
			}
			t.Logf("allocs per request: %v", n)
			if n > p.allocs {
				t.Errorf("allocs per request: got %v, want at most %v", n, p.allocs)
			}
		})
	}
}

func BenchmarkMiddleware(b *testing.B) {
	h := corshttp.Must(blog)(noop)
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				r, w := p.req(), measure.NewReusableWriter()
				for pb.Next() {
					w.Reset()
					h.ServeHTTP(w, r)
				}
			})
		})
	}
}

// TestMiddleware_handlerMutatesHeaders: a handler that overwrites the
// header values it finds must not change what the next request gets, nor
// race with other requests (run with -race). Handing handlers the policy's
// precomputed slices was the data race of rs/cors#198.
func TestMiddleware_handlerMutatesHeaders(t *testing.T) {
	cfg := blog
	cfg.PreflightPassthrough = true // the handler also sees preflight headers
	policy, err := core.NewHolder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	vandal := corshttp.Dynamic(policy)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, values := range w.Header() {
			for i := range values {
				values[i] = "changed by the handler"
			}
		}
	}))
	clean := corshttp.Dynamic(policy)(noop)
	reqs := []*http.Request{
		request("GET", "Origin", "https://web.example.com"),
		request("GET"),
		request("OPTIONS", "Origin", "https://web.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"),
	}
	want := make([]http.Header, len(reqs))
	for i, r := range reqs {
		w := httptest.NewRecorder()
		clean.ServeHTTP(w, r)
		want[i] = w.Header().Clone()
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				r := reqs[(g+i)%len(reqs)]
				if i%2 == 0 {
					vandal.ServeHTTP(httptest.NewRecorder(), r)
				} else {
					clean.ServeHTTP(httptest.NewRecorder(), r)
				}
			}
		}()
	}
	wg.Wait()
	for i, r := range reqs {
		w := httptest.NewRecorder()
		clean.ServeHTTP(w, r)
		if got := w.Header(); fmt.Sprint(got) != fmt.Sprint(want[i]) {
			t.Errorf("%s %v after a handler changed its headers:\n got %v\nwant %v", r.Method, r.Header, got, want[i])
		}
	}
}

// TestMiddleware_anotherLayerFirst: when another CORS middleware answered
// before corskit, the response gets no second set of CORS headers.
func TestMiddleware_anotherLayerFirst(t *testing.T) {
	t.Parallel()
	inner := corshttp.Must(blog)(noop)
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "https://other-layer.example")
		inner.ServeHTTP(w, r)
	})
	w := httptest.NewRecorder()
	outer.ServeHTTP(w, request("GET", "Origin", "https://web.example.com"))
	if got := w.Header().Values("Access-Control-Allow-Origin"); fmt.Sprint(got) != "[https://other-layer.example]" {
		t.Errorf("Access-Control-Allow-Origin: got %q, want only the first layer's", got)
	}
	if got := w.Header().Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("Access-Control-Allow-Credentials: got %q, want none", got)
	}
}

func TestNew_invalid(t *testing.T) {
	t.Parallel()
	mw, err := corshttp.New(core.Config{Origins: []string{"*"}, Credentials: true})
	if mw != nil || !errors.Is(err, core.ErrCredentialsAnyOrigin) {
		t.Errorf("New: got %v, %v; want nil, %v", mw != nil, err, core.ErrCredentialsAnyOrigin)
	}
	defer func() {
		if recover() == nil {
			t.Error("Must did not panic on an invalid Config")
		}
	}()
	corshttp.Must(core.Config{Origins: []string{"null"}, Credentials: true})
}

// TestDynamic: a Reconfigure applies to the next request; an invalid
// Config leaves the current policy serving.
func TestDynamic(t *testing.T) {
	t.Parallel()
	policy, err := core.NewHolder(core.Config{Origins: []string{"https://a.example"}})
	if err != nil {
		t.Fatal(err)
	}
	h := corshttp.Dynamic(policy)(noop)
	allowed := func(origin string) string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, request("GET", "Origin", origin))
		return w.Header().Get("Access-Control-Allow-Origin")
	}
	if allowed("https://a.example") == "" || allowed("https://b.example") != "" {
		t.Fatal("initial policy not served")
	}
	if err := policy.Reconfigure(core.Config{Origins: []string{"https://b.example"}}); err != nil {
		t.Fatal(err)
	}
	if allowed("https://a.example") != "" || allowed("https://b.example") == "" {
		t.Fatal("new policy not served")
	}
	if err := policy.Reconfigure(core.Config{Origins: []string{"https://B.example/"}}); err == nil {
		t.Fatal("Reconfigure accepted an invalid Config")
	}
	if allowed("https://b.example") == "" {
		t.Fatal("an invalid Config replaced the policy")
	}
	var zero core.Holder
	w := httptest.NewRecorder()
	corshttp.Dynamic(&zero)(noop).ServeHTTP(w, request("GET", "Origin", "https://a.example"))
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("zero Holder: Access-Control-Allow-Origin %q, want none", got)
	}
}
