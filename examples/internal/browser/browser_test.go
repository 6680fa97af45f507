package browser_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corskit/corskit/examples/internal/browser"
)

func TestTab(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/data" {
			io.WriteString(w, "hello")
			return
		}
		io.WriteString(w, `<!doctype html><title>t</title><button id=b onclick="this.textContent='done'">go</button>`)
	}))
	defer srv.Close()

	tab := browser.ForTest(t).NewTab(t)
	if err := tab.Navigate(srv.URL); err != nil {
		t.Fatal(err)
	}
	got, err := browser.Eval[string](tab, `fetch("/data").then(r => r.text())`)
	if err != nil || got != "hello" {
		t.Fatalf("fetch: got %q, %v, want %q", got, err, "hello")
	}
	if err := tab.Click("#b"); err != nil {
		t.Fatal(err)
	}
	text, err := browser.WaitUntil[string](tab, `document.querySelector("#b").textContent === "done" && "done"`)
	if err != nil || text != "done" {
		t.Fatalf("after click: got %q, %v", text, err)
	}
	png, err := tab.Screenshot()
	if err != nil || len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Fatalf("screenshot: %d bytes, %v", len(png), err)
	}
}

func TestFind_envPathMissing(t *testing.T) {
	t.Setenv(browser.EnvPath, "/nonexistent/chromium")
	if _, err := browser.Find(); err == nil {
		t.Fatal("Find with a missing $CORSKIT_CHROMIUM: got no error")
	}
}
