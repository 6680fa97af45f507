package browser

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// The engines, by the names the tests use for them.
const (
	Chromium = "chromium" // Chromium, over the Chrome DevTools Protocol (chromedp)
	Firefox  = "firefox"  // Firefox, over WebDriver BiDi
	WebKit   = "webkit"   // WebKitGTK's MiniBrowser, over W3C WebDriver
)

// Timeouts. Loopback pages answer in milliseconds; these only bound a hang.
const (
	// StepTimeout bounds each step of a tab: a navigation, an evaluation,
	// a click, a screenshot.
	StepTimeout = 10 * time.Second
	// startTimeout bounds starting a browser, and stopTimeout stopping it.
	startTimeout = 30 * time.Second
	stopTimeout  = 5 * time.Second
	// pollInterval is how often WaitUntil evaluates its expression again.
	pollInterval = 25 * time.Millisecond
)

// The size of every tab's viewport, so that pages and screenshots look the
// same in every engine.
const (
	viewportWidth  = 1200
	viewportHeight = 900
)

// An Engine is one running browser. Its tabs may be used from different
// goroutines, one goroutine per tab.
type Engine interface {
	// Name is the engine's name: Chromium, Firefox or WebKit.
	Name() string
	// Version is the browser's product name and version, as it reports
	// them.
	Version() string
	// OpenTab opens a tab. Close it when done.
	OpenTab() (Tab, error)
	// Close stops the browser, waits for it to exit and removes its
	// profile.
	Close()
}

// A Tab is one browser tab (a window, in Firefox and WebKit). Use it from
// one goroutine at a time. Each step is bounded by StepTimeout, or a little
// more; in WebKit, whose tabs take turns, a step may first wait for the
// other tabs' steps.
type Tab interface {
	// Navigate loads url and waits for its load event.
	Navigate(url string) error
	// EvalJSON evaluates the JavaScript expression in the page, waits for
	// the promise it returns, if any, and returns the value as JSON. An
	// exception, or a rejected promise, is an error.
	EvalJSON(expr string) (json.RawMessage, error)
	// Click clicks the first element the CSS selector finds, as a user
	// would with the mouse.
	Click(css string) error
	// Screenshot returns a PNG of the whole page.
	Screenshot() ([]byte, error)
	// Close closes the tab.
	Close()
}

// NewTab opens a tab of e, closed when t finishes.
func NewTab(t testing.TB, e Engine) Tab {
	t.Helper()
	tab, err := e.OpenTab()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tab.Close)
	return tab
}

// Eval evaluates the JavaScript expression in the page, waits for the
// promise it returns, if any, and decodes the value into a T.
func Eval[T any](tab Tab, expr string) (T, error) {
	var v T
	raw, err := tab.EvalJSON(expr)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("evaluating %s: decoding %s: %w", expr, raw, err)
	}
	return v, nil
}

// WaitUntil evaluates the JavaScript expression every few milliseconds
// until it is truthy, and returns its value; it gives up after
// StepTimeout.
func WaitUntil[T any](tab Tab, expr string) (T, error) {
	var zero T
	poll := fmt.Sprintf("Promise.resolve().then(() => (\n%s\n)).then(v => v ? {done: true, value: v} : {done: false})", expr)
	deadline := time.Now().Add(StepTimeout)
	for {
		got, err := Eval[struct {
			Done  bool
			Value json.RawMessage
		}](tab, poll)
		if err != nil {
			return zero, err
		}
		if got.Done {
			var v T
			if err := json.Unmarshal(got.Value, &v); err != nil {
				return zero, fmt.Errorf("waiting for %s: decoding %s: %w", expr, got.Value, err)
			}
			return v, nil
		}
		if time.Now().After(deadline) {
			return zero, fmt.Errorf("waiting for %s: still false after %v", expr, StepTimeout)
		}
		time.Sleep(pollInterval)
	}
}

// jsonExpr returns a JavaScript expression whose value is a promise of
// expr's value as a JSON string ("null" for undefined). Every engine
// evaluates it, so that they all return values the same way.
func jsonExpr(expr string) string {
	return fmt.Sprintf("Promise.resolve().then(() => (\n%s\n)).then(v => JSON.stringify(v === undefined ? null : v))", expr)
}
