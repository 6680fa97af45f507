package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// A wdSession is a session of a W3C WebDriver remote end
// (https://w3c.github.io/webdriver/): commands are HTTP requests whose
// answers are JSON objects with a "value".
type wdSession struct {
	base   string // http://127.0.0.1:PORT/session/ID
	client *http.Client
	// ID and Capabilities are the remote end's answer to New Session.
	ID           string
	Capabilities struct {
		BrowserName    string `json:"browserName"`
		BrowserVersion string `json:"browserVersion"`
	}
}

// A WebDriverError is an error the remote end answered.
type WebDriverError struct {
	Command string // e.g. "POST /session/…/url"
	Status  int    // the HTTP status
	Code    string // e.g. "no such element"
	Message string
}

// Error says which command failed, and how.
func (e *WebDriverError) Error() string {
	return fmt.Sprintf("%s: %d %s: %s", e.Command, e.Status, e.Code, e.Message)
}

// wdElementKey is the key of a web element reference in JSON.
const wdElementKey = "element-6066-11e4-a52e-4f735466cecf"

// maxWDAnswer bounds an answer's size; a screenshot in base64 takes a few
// megabytes.
const maxWDAnswer = 64 << 20

// newWDClient returns the HTTP client of a WebDriver connection: to
// loopback, never through a proxy.
func newWDClient() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: nil}}
}

// wdCall sends one command to url and decodes the "value" of the answer
// into result, unless result is nil.
func wdCall(ctx context.Context, client *http.Client, method, url string, body, result any) error {
	command := method + " " + url
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", command, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxWDAnswer))
	if err != nil {
		return fmt.Errorf("%s: %w", command, err)
	}
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &answer); err != nil {
		return fmt.Errorf("%s: %s: answer %.200q is not JSON: %w", command, resp.Status, data, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		json.Unmarshal(answer.Value, &e)
		return &WebDriverError{Command: command, Status: resp.StatusCode, Code: e.Error, Message: e.Message}
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(answer.Value, result); err != nil {
		return fmt.Errorf("%s: decoding %.200s: %w", command, answer.Value, err)
	}
	return nil
}

// newWDSession asks the remote end at base (http://127.0.0.1:PORT) for a
// session with the capabilities caps must match.
func newWDSession(ctx context.Context, client *http.Client, base string, caps map[string]any) (*wdSession, error) {
	s := &wdSession{client: client}
	err := wdCall(ctx, client, "POST", base+"/session", map[string]any{
		"capabilities": map[string]any{"alwaysMatch": caps},
	}, &struct {
		SessionID    *string `json:"sessionId"`
		Capabilities any     `json:"capabilities"`
	}{&s.ID, &s.Capabilities})
	if err != nil {
		return nil, err
	}
	if s.ID == "" {
		return nil, fmt.Errorf("POST %s/session: no session id", base)
	}
	s.base = base + "/session/" + s.ID
	return s, nil
}

// call sends a command of the session: path is relative to the session's
// URL ("" for the session itself, "/url", …).
func (s *wdSession) call(ctx context.Context, method, path string, body, result any) error {
	return wdCall(ctx, s.client, method, s.base+path, body, result)
}

// findElement returns the reference of the first element the CSS selector
// finds.
func (s *wdSession) findElement(ctx context.Context, css string) (string, error) {
	var ref map[string]string
	if err := s.call(ctx, "POST", "/element", map[string]string{"using": "css selector", "value": css}, &ref); err != nil {
		return "", err
	}
	id := ref[wdElementKey]
	if id == "" || strings.ContainsAny(id, "/?#") {
		return "", fmt.Errorf("finding %s: no element reference in %v", css, ref)
	}
	return id, nil
}
