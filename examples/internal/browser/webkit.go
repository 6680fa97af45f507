package browser

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// webkit is WebKitGTK's MiniBrowser under Xvfb, driven over W3C WebDriver by
// WebKitWebDriver.
//
// A WebDriver session has one current window, which every command acts on,
// and WebKitWebDriver serves one session. So the tabs, each a window of
// their own, take turns: a tab's command holds mu, switching the session to
// its window first if need be. Each command takes milliseconds on loopback
// pages.
type webkit struct {
	dir     string
	xvfb    *process
	driver  *process
	session *wdSession
	version string

	mu      sync.Mutex
	current string // the session's current window
	home    string // the first window, never closed

	closeOnce sync.Once
}

// webkitPaths are the programs the WebKit engine needs.
type webkitPaths struct {
	driver, miniBrowser, xvfb string
}

// startWebKit starts Xvfb, then WebKitWebDriver on a loopback port, and
// opens a session in which the driver starts MiniBrowser with a profile in
// a temporary directory.
func startWebKit(p webkitPaths) (*webkit, error) {
	dir, err := os.MkdirTemp("", "corskit-webkit-")
	if err != nil {
		return nil, err
	}
	b := &webkit{dir: dir}
	if err := b.start(p); err != nil {
		b.Close()
		return nil, fmt.Errorf("starting WebKit (%s, %s): %w", p.driver, p.miniBrowser, err)
	}
	return b, nil
}

func (b *webkit) start(p webkitPaths) error {
	run := filepath.Join(b.dir, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		return err
	}
	xvfb, display, err := startXvfb(p.xvfb, b.dir)
	if err != nil {
		return err
	}
	b.xvfb = xvfb

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	base, err := b.startDriver(ctx, p.driver, childEnv(b.dir,
		"DISPLAY="+display,
		"XDG_RUNTIME_DIR="+run,
		"GDK_BACKEND=x11",
		"NO_AT_BRIDGE=1", // no accessibility bus to look for
	))
	if err != nil {
		return err
	}
	client := newWDClient()
	b.session, err = newWDSession(ctx, client, base, map[string]any{
		"webkitgtk:browserOptions": map[string]any{
			"binary": p.miniBrowser,
			"args":   []string{"--automation"},
		},
	})
	if err != nil {
		return b.explain(err)
	}
	b.version = fmt.Sprintf("WebKitGTK %s (%s)", b.session.Capabilities.BrowserVersion, b.session.Capabilities.BrowserName)
	ms := StepTimeout.Milliseconds()
	if err := b.session.call(ctx, "POST", "/timeouts", map[string]int64{"script": ms, "pageLoad": ms}, nil); err != nil {
		return b.explain(err)
	}
	// The first window stays open, unused: closing a session's last window
	// ends the session.
	if err := b.session.call(ctx, "GET", "/window", nil, &b.home); err != nil {
		return b.explain(err)
	}
	b.current = b.home
	return nil
}

// startDriver starts WebKitWebDriver on a free loopback port and waits
// until it answers; it returns its base URL. The port is free when picked,
// but another process may take it before the driver does: then it tries
// again with another.
func (b *webkit) startDriver(ctx context.Context, path string, env []string) (string, error) {
	const tries = 3
	var err error
	for range tries {
		var port int
		if port, err = freePort(); err != nil {
			return "", err
		}
		b.driver, err = startProcess(path, []string{"--host=127.0.0.1", "--port=" + strconv.Itoa(port)}, env, b.dir, nil)
		if err != nil {
			return "", err
		}
		base := "http://127.0.0.1:" + strconv.Itoa(port)
		if err = waitReady(ctx, b.driver, base); err == nil {
			return base, nil
		}
		b.driver.stop(0)
		if ctx.Err() != nil {
			break
		}
	}
	return "", err
}

// freePort returns a loopback TCP port that is free now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls the driver's status until it answers, it exits or ctx
// ends.
func waitReady(ctx context.Context, driver *process, base string) error {
	client := newWDClient()
	for {
		reqCtx, cancel := context.WithTimeout(ctx, time.Second)
		err := wdCall(reqCtx, client, "GET", base+"/status", nil, nil)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-driver.done:
			return fmt.Errorf("the driver exited: %v%s", driver.err, driver.output())
		case <-ctx.Done():
			return fmt.Errorf("the driver did not answer: %v%s", err, driver.output())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Name returns WebKit.
func (b *webkit) Name() string { return WebKit }

// Version returns WebKitGTK's version, e.g. "WebKitGTK 2.50.6 (MiniBrowser)".
func (b *webkit) Version() string { return b.version }

// Close ends the session, which closes MiniBrowser, stops the driver and
// Xvfb, and removes the profile.
func (b *webkit) Close() {
	b.closeOnce.Do(func() {
		if b.session != nil {
			ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
			b.session.call(ctx, "DELETE", "", nil, nil)
			cancel()
		}
		if b.driver != nil {
			b.driver.stop(0)
		}
		if b.xvfb != nil {
			b.xvfb.stop(0)
		}
		os.RemoveAll(b.dir)
	})
}

// explain adds the driver's output to err if the driver has exited.
func (b *webkit) explain(err error) error {
	if err == nil || b.driver == nil {
		return err
	}
	if exited, how := b.driver.exited(); exited {
		return fmt.Errorf("%w (WebKitWebDriver exited: %v)%s", err, how, b.driver.output())
	}
	return err
}
