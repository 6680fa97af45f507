// Command loadtest measures corskit over loopback: a real net/http server
// and a real Fiber server on 127.0.0.1, each with and without corskit,
// driven by a bounded load generator.
//
//	cd conformance/bench
//	go run ./cmd/loadtest                      # defaults below
//	go run ./cmd/loadtest -n 50000 -c 16 -max 20s -rounds 3
//
// The mix is 80% actual requests from allowed origins (GET, Origin from the
// policy's exact origins and its subdomain pattern), 10% preflights (PUT
// with authorization,content-type) and 10% requests without Origin. Each
// configuration runs -rounds times, alternating with the others, and each
// run stops after -n requests or -max, whichever comes first; the report
// gives the median run's requests/s and the latency percentiles over all
// runs. Every response is checked (status, and Access-Control-Allow-Origin
// where corskit must send it); a wrong answer is counted and reported.
//
// The client and the servers share the machine: the figures measure the
// whole loopback path, of which the middleware is a small part. It sends
// traffic to 127.0.0.1 only and stops by itself.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	corsbench "github.com/corskit/corskit/conformance/bench"
	corsfiber "github.com/corskit/corskit/fiber"
	corshttp "github.com/corskit/corskit/nethttp"
)

func main() {
	n := flag.Int("n", 40_000, "requests per run")
	conc := flag.Int("c", 8, "concurrent client connections")
	maxDur := flag.Duration("max", 15*time.Second, "duration cap per run")
	rounds := flag.Int("rounds", 3, "runs per configuration, alternating")
	flag.Parse()

	fmt.Printf("corskit loopback load test, %s, %s\n", time.Now().UTC().Format(time.RFC3339), runtime.Version())
	fmt.Printf("machine: %d CPUs (%s), load before: %s\n", runtime.NumCPU(), cpuModel(), loadavg())
	fmt.Printf("per run: %d requests or %v, %d connections; mix 80%% allowed actual GET, 10%% preflight, 10%% no Origin; %d rounds\n\n",
		*n, *maxDur, *conc, *rounds)

	servers, err := startServers()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	results := make([][]result, len(servers))
	for r := 0; r < *rounds; r++ {
		for i, s := range servers {
			results[i] = append(results[i], run(s, *n, *conc, *maxDur))
		}
	}
	fmt.Printf("%-10s %-8s %10s %10s %10s %10s %8s\n", "server", "cors", "req/s", "p50", "p99", "requests", "wrong")
	for i, s := range servers {
		rs := results[i]
		var lat []time.Duration
		var total, wrong int
		var rps []float64
		for _, r := range rs {
			lat = append(lat, r.latencies...)
			total += len(r.latencies)
			wrong += r.wrong
			rps = append(rps, r.rps)
		}
		slices.Sort(lat)
		slices.Sort(rps)
		fmt.Printf("%-10s %-8s %10.0f %10v %10v %10d %8d\n", s.framework, s.cors,
			rps[len(rps)/2], pct(lat, 0.50), pct(lat, 0.99), total, wrong)
	}
	fmt.Printf("\nload after: %s\n", loadavg())
}

// A server is one framework, with or without corskit, on 127.0.0.1.
type server struct {
	framework, cors string
	url             string
	corskit         bool
	stop            func()
}

func startServers() ([]*server, error) {
	var out []*server
	for _, withCORS := range []bool{false, true} {
		s, err := startNetHTTP(withCORS)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	for _, cors := range []string{"none", "corskit"} {
		s, err := startFiber(cors)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func label(withCORS bool) string {
	if withCORS {
		return "corskit"
	}
	return "none"
}

func startNetHTTP(withCORS bool) (*server, error) {
	mux := http.NewServeMux()
	h := func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `[{"id":1}]`) }
	mux.HandleFunc("GET /api/items", h)
	mux.HandleFunc("PUT /api/items", h)
	var handler http.Handler = mux
	if withCORS {
		mw, err := corshttp.New(corsbench.Base.Corskit())
		if err != nil {
			return nil, err
		}
		handler = mw(mux)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return &server{framework: "net/http", cors: label(withCORS), corskit: withCORS,
		url:  "http://" + ln.Addr().String() + "/api/items",
		stop: func() { srv.Close() }}, nil
}

// startFiber starts Fiber with no CORS middleware or with corsfiber.
func startFiber(cors string) (*server, error) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	switch cors {
	case "corskit":
		mw, err := corsfiber.New(corsbench.Base.Corskit())
		if err != nil {
			return nil, err
		}
		app.Use(mw)
	}
	h := func(c *fiber.Ctx) error { return c.SendString(`[{"id":1}]`) }
	app.Get("/api/items", h)
	app.Put("/api/items", h)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go app.Listener(ln)
	return &server{framework: "fiber", cors: cors, corskit: cors != "none",
		url:  "http://" + ln.Addr().String() + "/api/items",
		stop: func() { app.Shutdown() }}, nil
}

type result struct {
	latencies []time.Duration
	rps       float64
	wrong     int
}

// origins are the allowed origins the actual requests come from: the
// policy's exact origins and two subdomains of its pattern.
var origins = append(slices.Clone(corsbench.Base.Origins), "https://api.example.com", "https://eu.app.example.com")

// run sends up to n requests to s over conc keep-alive connections, or
// stops at maxDur.
func run(s *server, n, conc int, maxDur time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), maxDur)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second}

	lat := make([]time.Duration, n)
	var next, done, wrong atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				req, check := request(ctx, s, int(i))
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
						wrong.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t0)
				done.Add(1)
				if !check(resp) {
					wrong.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	var kept []time.Duration
	for _, l := range lat {
		if l > 0 {
			kept = append(kept, l)
		}
	}
	return result{latencies: kept, rps: float64(done.Load()) / el.Seconds(), wrong: int(wrong.Load())}
}

// request returns request i of the mix and the check of its response.
func request(ctx context.Context, s *server, i int) (*http.Request, func(*http.Response) bool) {
	origin := origins[i%len(origins)]
	switch i % 10 {
	case 8: // preflight
		req, _ := http.NewRequestWithContext(ctx, "OPTIONS", s.url, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "PUT")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		return req, func(r *http.Response) bool {
			if !s.corskit {
				return true // the bare server answers 405 or 404: not a CORS server
			}
			return r.StatusCode == http.StatusNoContent && r.Header.Get("Access-Control-Allow-Origin") == origin
		}
	case 9: // no Origin
		req, _ := http.NewRequestWithContext(ctx, "GET", s.url, nil)
		return req, func(r *http.Response) bool {
			return r.StatusCode == http.StatusOK && r.Header.Get("Access-Control-Allow-Origin") == ""
		}
	default: // allowed actual request
		req, _ := http.NewRequestWithContext(ctx, "GET", s.url, nil)
		req.Header.Set("Origin", origin)
		return req, func(r *http.Response) bool {
			if r.StatusCode != http.StatusOK {
				return false
			}
			return !s.corskit || r.Header.Get("Access-Control-Allow-Origin") == origin
		}
	}
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[int(p*float64(len(sorted)-1))].Round(time.Microsecond)
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return "unknown"
}
