package browser

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
)

// firefox is headless Firefox, driven over WebDriver BiDi.
type firefox struct {
	proc    *process
	dir     string
	bidi    *bidiConn
	version string

	closeOnce sync.Once
}

// firefoxListening starts the line Firefox prints once its WebDriver BiDi
// server listens; the address follows.
const firefoxListening = "WebDriver BiDi listening on "

// startFirefox starts headless Firefox from the binary at path, with a new
// profile in a temporary directory, its WebDriver BiDi server on a loopback
// port the system picks, and opens a session.
func startFirefox(path string) (*firefox, error) {
	dir, err := os.MkdirTemp("", "corskit-firefox-")
	if err != nil {
		return nil, err
	}
	b := &firefox{dir: dir}
	if err := b.start(path); err != nil {
		b.Close()
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return b, nil
}

func (b *firefox) start(path string) error {
	if err := writeFirefoxPrefs(b.dir); err != nil {
		return err
	}
	watch := newLineWatcher(firefoxListening)
	var err error
	b.proc, err = startProcess(path, []string{
		"--headless",
		"--profile", b.dir,
		"--remote-debugging-port=0", // on 127.0.0.1
		fmt.Sprintf("--window-size=%d,%d", viewportWidth, viewportHeight),
		"about:blank",
	}, childEnv(b.dir, "MOZ_CRASHREPORTER_DISABLE=1"), b.dir, watch)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	var url string
	select {
	case url = <-watch.found:
	case <-b.proc.done:
		return fmt.Errorf("exited before its WebDriver BiDi server listened: %v%s", b.proc.err, b.proc.output())
	case <-ctx.Done():
		return fmt.Errorf("no WebDriver BiDi server after %v%s", startTimeout, b.proc.output())
	}
	url = strings.TrimSpace(url)
	if !strings.HasPrefix(url, "ws://127.0.0.1:") {
		return fmt.Errorf("WebDriver BiDi server at %q, want one on ws://127.0.0.1", url)
	}
	if b.bidi, err = dialBiDi(ctx, url+"/session"); err != nil {
		return b.explain(err)
	}
	s, err := b.bidi.newSession(ctx)
	if err != nil {
		return b.explain(err)
	}
	b.version = "Firefox " + s.Capabilities.BrowserVersion
	return nil
}

// Name returns Firefox.
func (b *firefox) Name() string { return Firefox }

// Version returns Firefox's version, e.g. "Firefox 140.10.2".
func (b *firefox) Version() string { return b.version }

// OpenTab opens a tab.
func (b *firefox) OpenTab() (Tab, error) {
	return openBiDiTab(b.bidi, b.explain)
}

// Close closes the browser, waits for it to exit and removes its profile.
func (b *firefox) Close() {
	b.closeOnce.Do(func() {
		if b.bidi != nil {
			ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
			// Firefox may close the connection before it answers.
			b.bidi.call(ctx, "browser.close", nil, nil)
			cancel()
			b.bidi.close()
		}
		if b.proc != nil {
			b.proc.stop(stopTimeout)
		}
		os.RemoveAll(b.dir)
	})
}

// explain adds Firefox's output to err if Firefox has exited.
func (b *firefox) explain(err error) error {
	if err == nil {
		return nil
	}
	if exited, how := b.proc.exited(); exited {
		return fmt.Errorf("%w (Firefox exited: %v)%s", err, how, b.proc.output())
	}
	return err
}
