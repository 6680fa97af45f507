package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	imagepng "image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corskit/corskit/examples/internal/browser"
)

var screenshot = flag.String("screenshot", "", "save a PNG of the demo page, after every button was pressed, to this file, one per framework and engine (default $CORSKIT_SCREENSHOT)")

// TestDemo runs the demo with each framework on free ports, presses every
// button of the client page in each headless browser engine, and checks
// what the page shows: the outcome the browser decided, and the server's
// side of it. TestDemo/<engine>/<framework>/<button>; the engines run in
// parallel, the frameworks one after another.
func TestDemo(t *testing.T) {
	shot := *screenshot
	if shot == "" {
		shot = os.Getenv("CORSKIT_SCREENSHOT")
	}
	for _, engine := range browser.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			b := browser.ForTest(t, engine)
			for _, fw := range frameworkNames() {
				t.Run(fw, func(t *testing.T) {
					tab := pressEveryButton(t, b, fw)
					// Every page is photographed: the picture must be a
					// whole page, and with -screenshot it is kept.
					png, err := tab.Screenshot()
					if err != nil {
						t.Fatal(err)
					}
					img, err := imagepng.DecodeConfig(bytes.NewReader(png))
					if err != nil || img.Width < 800 || img.Height < 600 {
						t.Fatalf("screenshot: %d×%d, %v; want a page of at least 800×600", img.Width, img.Height, err)
					}
					if shot != "" {
						name := screenshotName(shot, fw, engine)
						if err := os.WriteFile(name, png, 0o644); err != nil {
							t.Fatal(err)
						}
						t.Logf("screenshot: %s", name)
					}
				})
			}
		})
	}
}

// screenshotName is the file of the screenshot of the framework's page in
// the engine, for -screenshot shot: "demo.png" for net/http in Chromium,
// "demo-gin.png" for Gin in Chromium, "demo-firefox.png" for net/http in
// Firefox, "demo-gin-webkit.png" for Gin in WebKit.
func screenshotName(shot, framework, engine string) string {
	ext := filepath.Ext(shot)
	name := strings.TrimSuffix(shot, ext)
	if framework != "nethttp" {
		name += "-" + framework
	}
	if engine != browser.Chromium {
		name += "-" + engine
	}
	return name + ext
}

func TestScreenshotName(t *testing.T) {
	cases := []struct{ shot, framework, engine, want string }{
		{"demo.png", "nethttp", browser.Chromium, "demo.png"},
		{"demo.png", "gin", browser.Chromium, "demo-gin.png"},
		{"out/demo.png", "nethttp", browser.Firefox, "out/demo-firefox.png"},
		{"demo.png", "gin", browser.WebKit, "demo-gin-webkit.png"},
		{"demo", "echo", browser.WebKit, "demo-echo-webkit"},
	}
	for _, c := range cases {
		if got := screenshotName(c.shot, c.framework, c.engine); got != c.want {
			t.Errorf("screenshotName(%q, %q, %q) = %q, want %q", c.shot, c.framework, c.engine, got, c.want)
		}
	}
}

// pressEveryButton starts the demo with the framework fw, opens its client
// page in a tab of b, presses each button in turn, each a subtest, and
// returns the tab.
func pressEveryButton(t *testing.T, b browser.Engine, fw string) browser.Tab {
	var logs syncBuffer
	d, err := start(options{framework: fw, host: "localhost"}, &logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Nothing is in flight by now; Shutdown waits only for the
		// browser's spare connections, then closes them.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if err := d.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})

	tab := browser.NewTab(t, b)
	if err := tab.Navigate(d.Client + "/"); err != nil {
		t.Fatal(err)
	}
	for _, c := range demoChecks(d) {
		t.Run(c.scenario, func(t *testing.T) {
			got, err := press(tab, c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != c.outcome {
				t.Errorf("outcome: got %q, want %q", got.Outcome, c.outcome)
			}
			for _, s := range c.shows {
				if !strings.Contains(got.Text, s) {
					t.Errorf("the page does not show %q", s)
				}
			}
			if t.Failed() {
				t.Logf("the page shows:\n%s\nthe demo logged:\n%s", got.Text, logs.String())
			}
		})
	}
	return tab
}

// A demoCheck is one button and what its result must show.
type demoCheck struct {
	scenario string   // the section's data-scenario
	outcome  string   // "allowed" or "blocked"
	shows    []string // texts the result must contain
}

func demoChecks(d *demo) []demoCheck {
	preflight := func(path string, status string) string {
		return fmt.Sprintf("OPTIONS %s from %s (preflight): %s", path, d.Client, status)
	}
	return []demoCheck{
		{"simple", "allowed", []string{
			"200 OK", "CORS in Action, chapter 6",
			"GET /api/posts from " + d.Client + ": 200 OK",
			"Access-Control-Allow-Origin: " + d.Client, "Vary: Origin",
			"(no refusal logged)",
		}},
		{"create", "allowed", []string{"201 Created", "Posted from " + d.Client}},
		{"put", "allowed", []string{
			"200 OK", "Edited at",
			preflight("/api/posts/1", "204 No Content"),
			"Access-Control-Allow-Methods: PUT", "Access-Control-Max-Age: 600",
			"PUT /api/posts/1 from " + d.Client + ": 200 OK",
		}},
		{"delete", "allowed", []string{
			"204 No Content",
			preflight("/api/posts/2", "204 No Content"),
			"DELETE /api/posts/2 from " + d.Client + ": 204 No Content",
		}},
		{"cookies", "allowed", []string{
			`{"user":"reader"}`,
			"POST /api/login from " + d.Client + ": 200 OK",
			"GET /api/me from " + d.Client + ": 200 OK",
			"Access-Control-Allow-Credentials: true",
		}},
		{"exposed", "allowed", []string{
			`r.headers.get("X-Total-Count") = "2"`, // 2 seeded, 1 created, 1 deleted
			`r.headers.get("ETag") = null`,
			"Access-Control-Expose-Headers: X-Total-Count",
		}},
		{"refused", "blocked", []string{
			"Blocked by CORS",
			preflight("/api/posts/1", "403 Forbidden"),
			`reason="header not allowed"`, "detail=x-debug",
		}},
		{"denied", "blocked", []string{
			"Blocked by CORS",
			"GET /api/posts from " + d.Denied + ": 200 OK",
			"(no Access-Control-Allow-Origin)",
			`reason="origin not allowed" origin=` + d.Denied,
		}},
		{"denied-forged", "opaque", []string{
			"opaque answer",
			"POST /api/posts from " + d.Denied + ": 403 Forbidden",
			`reason="cross-origin write not allowed" origin=` + d.Denied,
		}},
		{"denied-public", "allowed", []string{
			"200 OK", `"posts":`,
			"GET /api/public/stats from " + d.Denied + ": 200 OK",
			"Access-Control-Allow-Origin: *",
		}},
	}
}

// shown is a scenario's result as the page shows it.
type shown struct {
	Outcome string `json:"outcome"`
	Text    string `json:"text"`
}

// press clicks the scenario's button and waits until the page shows its
// result, which comes after the server's log was read.
func press(tab browser.Tab, scenario string) (shown, error) {
	sel := fmt.Sprintf(`[data-scenario=%q]`, scenario)
	if err := tab.Click(sel + " button"); err != nil {
		return shown{}, err
	}
	return browser.WaitUntil[shown](tab, fmt.Sprintf(`(() => {
		const r = document.querySelector(%q);
		return r.dataset.state === "done" && {outcome: r.dataset.outcome, text: r.innerText};
	})()`, sel+" .result"))
}

// syncBuffer collects the demo's log lines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
