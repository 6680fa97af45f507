package e2e_test

import (
	"flag"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/examples/internal/browser"
)

var cacheWait = flag.Duration("preflight-cache-wait", 0, "run TestPreflightCacheCap: repeat a preflighted fetch after this long (10m30s shows WebKit's cap)")

// preflightCacheCaps is how long each engine keeps a preflight at most,
// whatever Access-Control-Max-Age asks for: Chromium's and Firefox's as
// their sources say, WebKit's as TestPreflightCacheCap shows.
var preflightCacheCaps = map[string]time.Duration{
	browser.Chromium: 2 * time.Hour,
	browser.Firefox:  24 * time.Hour,
	browser.WebKit:   10 * time.Minute,
}

// TestPreflightCacheCap, with -preflight-cache-wait=D, sends a preflighted
// PUT under a policy with MaxAge: 1h, waits D, and sends it again: an engine
// whose cap is shorter than D must preflight again, the others must not.
// It takes D, so it runs only when asked:
//
//	go -C examples test ./e2e -run TestPreflightCacheCap -preflight-cache-wait 10m30s -parallel 3 -timeout 15m -v
func TestPreflightCacheCap(t *testing.T) {
	if *cacheWait <= 0 {
		t.Skip("takes minutes: run it with -preflight-cache-wait 10m30s")
	}
	page := serveHTTP(t, http.HandlerFunc(servePage))
	cfg := core.Config{
		Origins: []string{page},
		Methods: []string{"PUT"},
		Headers: []string{"Content-Type", "X-Custom"},
		MaxAge:  time.Hour,
	}
	var a e2eAdapter
	for _, x := range e2eAdapters {
		if x.name == "nethttp" {
			a = x
		}
	}
	var mu sync.Mutex
	report := make(map[string]int)
	t.Cleanup(func() {
		for engine, n := range report {
			t.Logf("%s: %d preflights for two PUTs %v apart, with Access-Control-Max-Age: 3600", engine, n, *cacheWait)
		}
	})
	for _, engine := range browser.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			tab := browser.NewTab(t, browser.ForTest(t, engine))
			srv := startE2E(t, a, cfg)
			if err := tab.Navigate(page + "/"); err != nil {
				t.Fatal(err)
			}
			js := fmt.Sprintf("probe(%q, %s)", srv.base+"/posts/1?s=cap", putJSON)
			for i := range 2 {
				if i == 1 {
					time.Sleep(*cacheWait)
				}
				if got, err := browser.Eval[fetched](tab, js); err != nil || !got.OK {
					t.Fatalf("PUT %d: %v, %v", i+1, got, err)
				}
			}
			n := len(srv.api.rec.find("OPTIONS", "/posts/1?s=cap"))
			mu.Lock()
			report[engine] = n
			mu.Unlock()
			want := 1
			if *cacheWait > preflightCacheCaps[engine] {
				want = 2
			}
			if n != want {
				t.Errorf("%s sent %d preflights for two PUTs %v apart, want %d: its cap is not %v", engine, n, *cacheWait, want, preflightCacheCaps[engine])
			}
		})
	}
}
