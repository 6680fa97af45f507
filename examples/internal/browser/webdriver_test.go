package browser

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// fakeWebDriver is a W3C WebDriver remote end on loopback with one session,
// "s1", that knows a few commands.
func fakeWebDriver(t *testing.T) string {
	t.Helper()
	value := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"value": v})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /session", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Capabilities struct {
				AlwaysMatch map[string]any `json:"alwaysMatch"`
			} `json:"capabilities"`
		}
		if json.NewDecoder(r.Body).Decode(&body) != nil || body.Capabilities.AlwaysMatch["x:opt"] != "1" {
			value(w, 400, map[string]string{"error": "invalid argument", "message": "no x:opt"})
			return
		}
		value(w, 200, map[string]any{"sessionId": "s1", "capabilities": map[string]string{"browserName": "MiniBrowser", "browserVersion": "2.50"}})
	})
	mux.HandleFunc("POST /session/s1/url", func(w http.ResponseWriter, r *http.Request) { value(w, 200, nil) })
	mux.HandleFunc("POST /session/s1/element", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		json.NewDecoder(r.Body).Decode(&body)
		switch body["value"] {
		case "#b":
			value(w, 200, map[string]string{wdElementKey: "e-1"})
		case "#odd":
			value(w, 200, map[string]string{"something": "else"})
		default:
			value(w, 404, map[string]string{"error": "no such element", "message": body["value"]})
		}
	})
	mux.HandleFunc("GET /session/s1/broken", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		io.WriteString(w, "<html>oops</html>")
	})
	mux.HandleFunc("GET /session/s1/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestWebDriver(t *testing.T) {
	base := fakeWebDriver(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	client := newWDClient()

	var e *WebDriverError
	if _, err := newWDSession(ctx, client, base, map[string]any{}); !errors.As(err, &e) || e.Code != "invalid argument" || e.Status != 400 {
		t.Errorf("New Session refused: got %v, want a WebDriverError", err)
	}
	s, err := newWDSession(ctx, client, base, map[string]any{"x:opt": "1"})
	if err != nil || s.ID != "s1" || s.Capabilities.BrowserVersion != "2.50" || s.base != base+"/session/s1" {
		t.Fatalf("New Session: got %+v, %v", s, err)
	}

	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	cases := []struct {
		name    string
		run     func() error
		wantErr func(error) bool
	}{
		{"command", func() error { return s.call(ctx, "POST", "/url", map[string]string{"url": "x"}, nil) }, nil},
		{"element", func() error {
			id, err := s.findElement(ctx, "#b")
			if err == nil && id != "e-1" {
				err = errors.New("got id " + id)
			}
			return err
		}, nil},
		{"no such element", func() error { _, err := s.findElement(ctx, "#c"); return err },
			func(err error) bool { return errors.As(err, &e) && e.Code == "no such element" && e.Status == 404 }},
		{"no element reference", func() error { _, err := s.findElement(ctx, "#odd"); return err },
			func(err error) bool { return err != nil }},
		{"answer not JSON", func() error { return s.call(ctx, "GET", "/broken", nil, nil) },
			func(err error) bool { return err != nil && !errors.As(err, &e) }},
		{"no answer in time", func() error { return s.call(short, "GET", "/slow", nil, nil) },
			func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
	}
	for _, c := range cases {
		err := c.run()
		if c.wantErr == nil && err != nil || c.wantErr != nil && !c.wantErr(err) {
			t.Errorf("%s: got error %v", c.name, err)
		}
	}
}
