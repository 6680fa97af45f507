package browser

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeBiDi is a WebDriver BiDi remote end on loopback that answers each
// command with answer(method, params); a nil answer sends nothing back. It
// sends an event before every answer, which the client must skip.
func fakeBiDi(t *testing.T, answer func(method string, params json.RawMessage) any) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer ws.CloseNow()
		ws.SetReadLimit(1 << 20)
		for {
			_, data, err := ws.Read(r.Context())
			if err != nil {
				return
			}
			var cmd struct {
				ID     uint64          `json:"id"`
				Method string          `json:"method"`
				Params json.RawMessage `json:"params"`
			}
			if err := json.Unmarshal(data, &cmd); err != nil {
				return
			}
			a := answer(cmd.Method, cmd.Params)
			if a == nil {
				continue
			}
			go func() { // answers may overtake each other
				event, _ := json.Marshal(map[string]any{"type": "event", "method": "log.entryAdded", "params": map[string]any{}})
				ws.Write(context.Background(), websocket.MessageText, event)
				m := map[string]any{"id": cmd.ID}
				if e, ok := a.(*BiDiError); ok {
					m["type"], m["error"], m["message"] = "error", e.Code, e.Message
				} else {
					m["type"], m["result"] = "success", a
				}
				b, _ := json.Marshal(m)
				ws.Write(context.Background(), websocket.MessageText, b)
			}()
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestBiDiCall(t *testing.T) {
	url := fakeBiDi(t, func(method string, params json.RawMessage) any {
		switch method {
		case "session.new":
			return map[string]any{"sessionId": "s", "capabilities": map[string]any{"browserName": "firefox", "browserVersion": "140.1"}}
		case "echo":
			return params
		case "hang":
			return nil
		}
		return &BiDiError{Code: "unknown command", Message: method}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := dialBiDi(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()

	s, err := c.newSession(ctx)
	if err != nil || s.Capabilities.BrowserVersion != "140.1" {
		t.Fatalf("session.new: got %+v, %v", s, err)
	}
	// Commands from several goroutines at once each get their own answer.
	errs := make(chan error, 20)
	for i := range 20 {
		go func() {
			var got struct{ N int }
			err := c.call(ctx, "echo", map[string]int{"n": i}, &got)
			if err == nil && got.N != i {
				err = errors.New("got another command's answer")
			}
			errs <- err
		}()
	}
	for range 20 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}

	var e *BiDiError
	if err := c.call(ctx, "nope", nil, nil); !errors.As(err, &e) || e.Code != "unknown command" {
		t.Errorf("an error answer: got %v, want a BiDiError", err)
	}

	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if err := c.call(short, "hang", nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("no answer: got %v, want the context's deadline", err)
	}
}

func TestBiDiCall_closed(t *testing.T) {
	url := fakeBiDi(t, func(string, json.RawMessage) any { return nil })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := dialBiDi(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- c.call(ctx, "hang", nil, nil) }()
	time.Sleep(50 * time.Millisecond)
	c.close()
	if err := <-done; err == nil || !strings.Contains(err.Error(), "connection closed") {
		t.Errorf("a command waiting when the connection closed: got %v", err)
	}
	if err := c.call(ctx, "hang", nil, nil); err == nil {
		t.Error("a command on a closed connection: got no error")
	}
}

func TestBiDiTab(t *testing.T) {
	url := fakeBiDi(t, func(method string, params json.RawMessage) any {
		var p struct {
			Expression string `json:"expression"`
		}
		json.Unmarshal(params, &p)
		switch {
		case method == "browsingContext.create":
			return map[string]string{"context": "ctx-1"}
		case method == "script.evaluate" && strings.Contains(p.Expression, "boom"):
			return map[string]any{"type": "exception", "exceptionDetails": map[string]string{"text": "Error: boom"}}
		case method == "script.evaluate" && strings.Contains(p.Expression, "querySelector"):
			return map[string]any{"type": "success", "result": map[string]string{"type": "null"}}
		case method == "script.evaluate":
			return map[string]any{"type": "success", "result": map[string]string{"type": "string", "value": `{"a":1}`}}
		case method == "browsingContext.captureScreenshot":
			return map[string]string{"data": "iVBORw0KGgo="}
		}
		return map[string]any{}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := dialBiDi(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	tab, err := openBiDiTab(c, func(err error) error { return err })
	if err != nil || tab.context != "ctx-1" {
		t.Fatalf("openBiDiTab: %v, %v", tab, err)
	}
	cases := []struct {
		name string
		run  func() (string, error)
		want string // or the error's text
	}{
		{"navigate", func() (string, error) { return "", tab.Navigate("http://127.0.0.1:1/") }, ""},
		{"eval", func() (string, error) { r, err := tab.EvalJSON("1"); return string(r), err }, `{"a":1}`},
		{"exception", func() (string, error) { r, err := tab.EvalJSON("boom()"); return string(r), err }, "exception: Error: boom"},
		{"click on nothing", func() (string, error) { return "", tab.Click("#none") }, "no such element"},
		{"screenshot", func() (string, error) { r, err := tab.Screenshot(); return string(r), err }, "\x89PNG\r\n\x1a\n"},
	}
	for _, c := range cases {
		got, err := c.run()
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, c.want) || (c.want == "" && err != nil) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
