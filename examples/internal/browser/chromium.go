package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// chromium is headless Chromium, driven by chromedp.
type chromium struct {
	ctx         context.Context // has run once: the browser is up
	cancel      context.CancelFunc
	cancelAlloc context.CancelFunc
	dir         string
	out         *tail
	version     string

	closeOnce sync.Once
}

// tabTimeout bounds opening a Chromium tab.
const tabTimeout = 10 * time.Second

// startChromium starts headless Chromium from the binary at path, with a
// new profile in a temporary directory, and waits until it answers.
func startChromium(path string) (*chromium, error) {
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
		chromedp.Flag("window-size", fmt.Sprintf("%d,%d", viewportWidth, viewportHeight)),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &chromium{ctx: ctx, cancel: cancel, cancelAlloc: cancelAlloc, dir: dir, out: out}

	// The first Run binds the browser's life to ctx, so it cannot take a
	// timeout context; a timer cancelling ctx bounds it instead.
	timer := time.AfterFunc(startTimeout, cancel)
	v, err := chromedp.CallBrowser(ctx, cdpbrowser.GetVersion, cdp.Empty{})
	if !timer.Stop() && err == nil {
		err = context.DeadlineExceeded
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("starting %s: %w%s", path, err, b.output())
	}
	// "Chrome/148.0.7778.167", or "HeadlessChrome/…" in the old headless
	// mode.
	_, version, _ := strings.Cut(v.Product, "/")
	b.version = "Chromium " + version
	return b, nil
}

// Name returns Chromium.
func (b *chromium) Name() string { return Chromium }

// Version returns Chromium's version, e.g. "Chromium 148.0.7778.167".
func (b *chromium) Version() string { return b.version }

// Close stops Chromium, waits for it to exit and removes its profile.
func (b *chromium) Close() {
	b.closeOnce.Do(func() {
		b.cancel()
		b.cancelAlloc()
		os.RemoveAll(b.dir)
	})
}

// output returns Chromium's last lines of output, for error messages.
func (b *chromium) output() string {
	if s := b.out.String(); s != "" {
		return "\nChromium's last output:\n" + s
	}
	return ""
}

// explain adds Chromium's output to an error that says the browser died.
func (b *chromium) explain(err error) error {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("%w%s", err, b.output())
	}
	return err
}

// chromiumTab is a Chromium tab: a chromedp context of its own.
type chromiumTab struct {
	b      *chromium
	ctx    context.Context
	cancel context.CancelFunc
}

// OpenTab opens a tab.
func (b *chromium) OpenTab() (Tab, error) {
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
	return &chromiumTab{b: b, ctx: ctx, cancel: cancel}, nil
}

// Close closes the tab.
func (t *chromiumTab) Close() { t.cancel() }

// do runs the chromedp steps with StepTimeout.
func (t *chromiumTab) do(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(t.ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		return t.b.explain(err)
	}
	return nil
}

// Navigate loads url and waits for its load event.
func (t *chromiumTab) Navigate(url string) error {
	if err := t.do(chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("navigating to %s: %w", url, err)
	}
	return nil
}

// Click clicks the element the CSS selector finds, once it is visible.
func (t *chromiumTab) Click(css string) error {
	if err := t.do(chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible)); err != nil {
		return fmt.Errorf("clicking %s: %w", css, err)
	}
	return nil
}

// EvalJSON evaluates the expression, awaits its promise and returns its
// value as JSON.
func (t *chromiumTab) EvalJSON(expr string) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(t.ctx, StepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](jsonExpr(expr), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("evaluating %s: %w", expr, t.b.explain(err))
	}
	return json.RawMessage(s), nil
}

// Screenshot returns a PNG of the whole page.
func (t *chromiumTab) Screenshot() ([]byte, error) {
	ctx, cancel := context.WithTimeout(t.ctx, StepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", t.b.explain(err))
	}
	return png, nil
}
