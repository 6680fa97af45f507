// Package browser starts headless Chromium for corskit's end-to-end tests
// and drives its tabs with chromedp.
//
// The tests use it like this:
//
//	b := browser.ForTest(t) // skips, or fails under CORSKIT_REQUIRE_BROWSER=1, without Chromium
//	tab := b.NewTab(t)
//	if err := tab.Navigate("http://127.0.0.1:1234/"); err != nil { … }
//	got, err := browser.Eval[result](tab, `fetch(…).then(…)`)
//
// Every step has a timeout ([Tab.Timeout]), so a page that never answers
// fails the test instead of hanging it. Chromium runs with a fresh profile in
// a temporary directory and with its background networking off, so it makes
// no connection beyond the pages the test opens.
//
// # Finding Chromium
//
// [Find] uses $CORSKIT_CHROMIUM if it is set, else the first of chromium,
// chromium-browser and google-chrome on $PATH. [ForTest] skips the test when
// there is none, unless CORSKIT_REQUIRE_BROWSER=1 (as in CI), in which case
// it fails it.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Environment variables of the contract with CI.
const (
	// EnvPath names the Chromium binary to use, as a path or a name on $PATH.
	EnvPath = "CORSKIT_CHROMIUM"
	// EnvRequire, set to "1", turns a missing browser from a skip into a
	// failure.
	EnvRequire = "CORSKIT_REQUIRE_BROWSER"
)

// Names tried on $PATH when EnvPath is not set, in order.
var names = []string{"chromium", "chromium-browser", "google-chrome"}

// ErrNotFound means that no Chromium binary was found.
var ErrNotFound = errors.New("no Chromium found (looked for $" + EnvPath + ", then chromium, chromium-browser and google-chrome on $PATH)")

// Find returns the path of the Chromium binary to use: $CORSKIT_CHROMIUM if
// set, else the first of chromium, chromium-browser and google-chrome on
// $PATH. An EnvPath that names no executable is an error, not a fallback.
func Find() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("$%s=%q: %w", EnvPath, p, err)
		}
		return path, nil
	}
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", ErrNotFound
}

// Timeouts. Loopback pages answer in milliseconds; these only bound a hang.
const (
	startTimeout = 30 * time.Second
	tabTimeout   = 10 * time.Second
	// StepTimeout is the default [Tab.Timeout].
	StepTimeout = 10 * time.Second
)

// A Browser is one headless Chromium process. Its tabs may be used from
// different goroutines, one goroutine per tab.
type Browser struct {
	ctx         context.Context // has run once: the browser is up
	cancel      context.CancelFunc
	cancelAlloc context.CancelFunc
	dir         string
	out         *tail

	closeOnce sync.Once
}

// Start starts headless Chromium from the binary at path, with a new
// profile in a temporary directory, and waits until it answers.
func Start(path string) (*Browser, error) {
	dir, err := os.MkdirTemp("", "corskit-chromium-")
	if err != nil {
		return nil, err
	}
	out := &tail{max: 16 << 10}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.CombinedOutput(out),
		// Headless, with nothing that reaches out to the network: without
		// these, Chromium tries to fetch components and sync data, and can
		// hang waiting for a network the test machine does not have.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("window-size", "1200,900"),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, cancel: cancel, cancelAlloc: cancelAlloc, dir: dir, out: out}

	// The first Run binds the browser's life to ctx, so it cannot take a
	// timeout context; a timer cancelling ctx bounds it instead.
	timer := time.AfterFunc(startTimeout, cancel)
	err = chromedp.Do(ctx)
	if !timer.Stop() && err == nil {
		err = context.DeadlineExceeded
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("starting %s: %w%s", path, err, b.output())
	}
	return b, nil
}

// The test binary's one Browser, shared by the tests that run at the same
// time and stopped when the last of them finishes.
var (
	sharedMu   sync.Mutex
	shared     *Browser
	sharedRefs int
)

// ForTest returns the test binary's one Browser, starting it on first use,
// and stops it when the last test that asked for it has finished. Without
// Chromium it skips t, or fails it if CORSKIT_REQUIRE_BROWSER=1 or
// $CORSKIT_CHROMIUM names no executable.
func ForTest(t testing.TB) *Browser {
	t.Helper()
	path, err := Find()
	if err != nil {
		if os.Getenv(EnvRequire) == "1" || os.Getenv(EnvPath) != "" {
			t.Fatalf("browser tests: %v", err)
		}
		t.Skipf("browser tests skipped: %v. Install it with `apt-get install -y chromium`, or set $%s.", err, EnvPath)
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if sharedRefs == 0 {
		start := time.Now()
		b, err := Start(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("started %s in %v", path, time.Since(start).Round(time.Millisecond))
		shared = b
	}
	b := shared
	sharedRefs++
	t.Cleanup(func() {
		sharedMu.Lock()
		defer sharedMu.Unlock()
		if sharedRefs--; sharedRefs == 0 {
			b.Close()
			shared = nil
		}
	})
	return b
}

// Close stops Chromium, waits for it to exit and removes its profile.
func (b *Browser) Close() {
	b.closeOnce.Do(func() {
		b.cancel()
		b.cancelAlloc()
		os.RemoveAll(b.dir)
	})
}

// output returns Chromium's last lines of output, for error messages.
func (b *Browser) output() string {
	if s := b.out.String(); s != "" {
		return "\nChromium's last output:\n" + s
	}
	return ""
}

// A Tab is one browser tab. Use it from one goroutine at a time.
type Tab struct {
	// Timeout bounds each step; default StepTimeout.
	Timeout time.Duration

	b      *Browser
	ctx    context.Context
	cancel context.CancelFunc
}

// NewTab opens a tab, closed when t finishes.
func (b *Browser) NewTab(t testing.TB) *Tab {
	t.Helper()
	tab, err := b.OpenTab()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tab.Close)
	return tab
}

// OpenTab opens a tab. Close it when done.
func (b *Browser) OpenTab() (*Tab, error) {
	ctx, cancel := chromedp.NewContext(b.ctx)
	timer := time.AfterFunc(tabTimeout, cancel)
	err := chromedp.Do(ctx)
	if !timer.Stop() && err == nil {
		err = context.DeadlineExceeded
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("opening a tab: %w%s", err, b.output())
	}
	return &Tab{Timeout: StepTimeout, b: b, ctx: ctx, cancel: cancel}, nil
}

// Close closes the tab.
func (t *Tab) Close() { t.cancel() }

// Do runs the chromedp steps with the tab's timeout.
func (t *Tab) Do(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(t.ctx, t.Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		return t.b.explain(err)
	}
	return nil
}

// Navigate loads url and waits for its load event.
func (t *Tab) Navigate(url string) error {
	if err := t.Do(chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("navigating to %s: %w", url, err)
	}
	return nil
}

// Click clicks the element the CSS selector finds, once it is visible.
func (t *Tab) Click(css string) error {
	if err := t.Do(chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible)); err != nil {
		return fmt.Errorf("clicking %s: %w", css, err)
	}
	return nil
}

// WaitUntil waits until the JavaScript expression is truthy, checking it
// again on every change of the page's DOM, and returns its value.
func WaitUntil[T any](t *Tab, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr, chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(t.Timeout)))
	if err != nil {
		return v, fmt.Errorf("waiting for %s: %w", expr, t.b.explain(err))
	}
	return v, nil
}

// Eval evaluates the JavaScript expression in the page, waits for the
// promise it returns, if any, and decodes the value into a T.
func Eval[T any](t *Tab, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return v, fmt.Errorf("evaluating %s: %w", expr, t.b.explain(err))
	}
	return v, nil
}

// Screenshot returns a PNG of the whole page.
func (t *Tab) Screenshot() ([]byte, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", t.b.explain(err))
	}
	return png, nil
}

// explain adds Chromium's output to an error that says the browser died.
func (b *Browser) explain(err error) error {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("%w%s", err, b.output())
	}
	return err
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (w *tail) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if over := len(w.buf) - w.max; over > 0 {
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
	return len(p), nil
}

func (w *tail) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}
