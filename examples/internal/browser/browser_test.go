package browser_test

import (
	"bytes"
	"errors"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/corskit/corskit/examples/internal/browser"
)

// TestTab drives a tab of each engine through every method of Tab, then
// two tabs at once.
func TestTab(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/data":
			io.WriteString(w, "hello")
		case "/":
			io.WriteString(w, `<!doctype html><title>t</title><body style="height:2000px">`+
				`<button id=b onclick="this.textContent='done'">go</button>`)
		default:
			io.WriteString(w, "<!doctype html><title>"+r.URL.Path[1:]+"</title>")
		}
	}))
	t.Cleanup(srv.Close)

	for _, name := range browser.Engines() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := browser.ForTest(t, name)
			if e.Name() != name || !strings.Contains(e.Version(), ".") {
				t.Errorf("Name, Version: got %q, %q", e.Name(), e.Version())
			}
			t.Run("one tab", func(t *testing.T) { oneTab(t, e, srv.URL) })
			t.Run("two tabs", func(t *testing.T) { twoTabs(t, e, srv.URL) })
		})
	}
}

// oneTab checks every method of a tab of e, on the page at url.
func oneTab(t *testing.T, e browser.Engine, url string) {
	tab := browser.NewTab(t, e)
	if err := tab.Navigate(url); err != nil {
		t.Fatal(err)
	}
	evals := []struct {
		expr, want string
	}{
		{`fetch("/data").then(r => r.text())`, `"hello"`},
		{`({a: [1, "x"], b: null})`, `{"a":[1,"x"],"b":null}`},
		{`undefined`, `null`},
		{`(async () => { await new Promise(r => setTimeout(r, 10)); return 42; })()`, `42`},
	}
	for _, c := range evals {
		got, err := tab.EvalJSON(c.expr)
		if err != nil || string(got) != c.want {
			t.Errorf("EvalJSON(%s): got %s, %v, want %s", c.expr, got, err, c.want)
		}
	}
	for _, expr := range []string{`Promise.reject(new Error("nope"))`, `(() => { throw new TypeError("nope") })()`} {
		if _, err := tab.EvalJSON(expr); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("EvalJSON(%s): got error %v, want one saying nope", expr, err)
		}
	}
	if err := tab.Click("#b"); err != nil {
		t.Fatal(err)
	}
	text, err := browser.WaitUntil[string](tab, `document.querySelector("#b").textContent === "done" && "done"`)
	if err != nil || text != "done" {
		t.Fatalf("after click: got %q, %v", text, err)
	}
	shot, err := tab.Screenshot()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.DecodeConfig(bytes.NewReader(shot))
	if err != nil || img.Width < 800 || img.Height < 2000 {
		t.Fatalf("screenshot: %d×%d, %v; want the whole page, at least 800×2000", img.Width, img.Height, err)
	}
}

// twoTabs uses two tabs of e at once, each on its own page of the server at
// url: each sees its own page, however their steps interleave.
func twoTabs(t *testing.T, e browser.Engine, url string) {
	tabs := []browser.Tab{browser.NewTab(t, e), browser.NewTab(t, e)}
	done := make(chan error, len(tabs))
	for i, tab := range tabs {
		go func() {
			title := []string{"one", "two"}[i]
			if err := tab.Navigate(url + "/" + title); err != nil {
				done <- err
				return
			}
			for range 20 {
				got, err := browser.Eval[string](tab, `new Promise(r => setTimeout(() => r(document.title), 1))`)
				if err != nil || got != title {
					done <- errors.Join(err, errors.New("tab "+title+" saw "+got))
					return
				}
			}
			done <- nil
		}()
	}
	for range tabs {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestFind_envMissing: a variable that names no program is an error, not a
// fallback to $PATH.
func TestFind_envMissing(t *testing.T) {
	cases := []struct{ engine, env string }{
		{browser.Chromium, browser.EnvChromium},
		{browser.Firefox, browser.EnvFirefox},
		{browser.WebKit, browser.EnvWebKitDriver},
		{browser.WebKit, browser.EnvMiniBrowser},
	}
	for _, c := range cases {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv(c.env, "/nonexistent/program")
			err := browser.Find(c.engine)
			if err == nil || !strings.Contains(err.Error(), c.env) {
				t.Fatalf("Find(%s) with $%s missing: got %v, want an error naming it", c.engine, c.env, err)
			}
		})
	}
}

// TestEngines: $CORSKIT_BROWSERS selects engines, in the package's order; a
// name that is no engine is kept, for ForTest to fail on.
func TestEngines(t *testing.T) {
	cases := []struct {
		env  string
		want string
	}{
		{"", "chromium,firefox,webkit"},
		{"webkit, Chromium", "chromium,webkit"},
		{"firefox", "firefox"},
		{"netscape,firefox", "firefox,netscape"},
	}
	for _, c := range cases {
		t.Setenv(browser.EnvEngines, c.env)
		if got := strings.Join(browser.Engines(), ","); got != c.want {
			t.Errorf("Engines() with %q: got %q, want %q", c.env, got, c.want)
		}
	}
}

// TestStart_unknown: Start refuses a name that is no engine.
func TestStart_unknown(t *testing.T) {
	if _, err := browser.Start("netscape"); err == nil {
		t.Fatal("Start(netscape): got no error")
	}
}
