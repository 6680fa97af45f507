package browser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// The few WebDriver BiDi commands the package sends, typed.

// bidiSession is the result of session.new.
type bidiSession struct {
	SessionID    string `json:"sessionId"`
	Capabilities struct {
		BrowserName    string `json:"browserName"`
		BrowserVersion string `json:"browserVersion"`
	} `json:"capabilities"`
}

// newSession starts the connection's session.
func (c *bidiConn) newSession(ctx context.Context) (bidiSession, error) {
	var s bidiSession
	err := c.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, &s)
	return s, err
}

// bidiTab is a top-level browsing context.
type bidiTab struct {
	c       *bidiConn
	context string
	explain func(error) error // adds the browser's output when it died
}

// openBiDiTab creates a window, and sets its viewport. A window rather than a
// tab of the first window: Firefox slows the timers of a background tab.
func openBiDiTab(c *bidiConn, explain func(error) error) (*bidiTab, error) {
	ctx, cancel := context.WithTimeout(context.Background(), StepTimeout)
	defer cancel()
	var created struct {
		Context string `json:"context"`
	}
	if err := c.call(ctx, "browsingContext.create", map[string]any{"type": "window"}, &created); err != nil {
		return nil, fmt.Errorf("opening a tab: %w", explain(err))
	}
	t := &bidiTab{c: c, context: created.Context, explain: explain}
	err := c.call(ctx, "browsingContext.setViewport", map[string]any{
		"context":  t.context,
		"viewport": map[string]int{"width": viewportWidth, "height": viewportHeight},
	}, nil)
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("opening a tab: %w", explain(err))
	}
	return t, nil
}

// call sends a command with StepTimeout.
func (t *bidiTab) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), StepTimeout)
	defer cancel()
	return t.explain(t.c.call(ctx, method, params, result))
}

// Navigate loads url and waits for its load event.
func (t *bidiTab) Navigate(url string) error {
	err := t.call("browsingContext.navigate", map[string]any{"context": t.context, "url": url, "wait": "complete"}, nil)
	if err != nil {
		return fmt.Errorf("navigating to %s: %w", url, err)
	}
	return nil
}

// bidiEvaluated is the result of script.evaluate.
type bidiEvaluated struct {
	Type   string `json:"type"` // "success" or "exception"
	Result struct {
		Type     string          `json:"type"`
		Value    json.RawMessage `json:"value"`
		SharedID string          `json:"sharedId"` // of a node
	} `json:"result"`
	ExceptionDetails struct {
		Text string `json:"text"`
	} `json:"exceptionDetails"`
}

// evaluate evaluates expr in the tab's page, awaiting its promise.
func (t *bidiTab) evaluate(expr, ownership string) (bidiEvaluated, error) {
	var r bidiEvaluated
	err := t.call("script.evaluate", map[string]any{
		"expression":      expr,
		"target":          map[string]any{"context": t.context},
		"awaitPromise":    true,
		"resultOwnership": ownership,
	}, &r)
	if err == nil && r.Type == "exception" {
		err = fmt.Errorf("exception: %s", r.ExceptionDetails.Text)
	}
	return r, err
}

// EvalJSON evaluates the expression, awaits its promise and returns its
// value as JSON.
func (t *bidiTab) EvalJSON(expr string) (json.RawMessage, error) {
	r, err := t.evaluate(jsonExpr(expr), "none")
	if err != nil {
		return nil, fmt.Errorf("evaluating %s: %w", expr, err)
	}
	var s string
	if r.Result.Type != "string" || json.Unmarshal(r.Result.Value, &s) != nil {
		return nil, fmt.Errorf("evaluating %s: got a %s, want a string", expr, r.Result.Type)
	}
	return json.RawMessage(s), nil
}

// Click scrolls the element the CSS selector finds into view, then moves
// the mouse to its centre and clicks.
func (t *bidiTab) Click(css string) error {
	r, err := t.evaluate(fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (el) el.scrollIntoView({block: "center"});
		return el;
	})()`, css), "root")
	if err != nil {
		return fmt.Errorf("clicking %s: %w", css, err)
	}
	if r.Result.Type != "node" {
		return fmt.Errorf("clicking %s: no such element", css)
	}
	err = t.call("input.performActions", map[string]any{
		"context": t.context,
		"actions": []any{map[string]any{
			"type": "pointer", "id": "mouse", "parameters": map[string]string{"pointerType": "mouse"},
			"actions": []any{
				map[string]any{"type": "pointerMove", "x": 0, "y": 0, "origin": map[string]any{
					"type": "element", "element": map[string]string{"sharedId": r.Result.SharedID},
				}},
				map[string]any{"type": "pointerDown", "button": 0},
				map[string]any{"type": "pointerUp", "button": 0},
			},
		}},
	}, nil)
	if err != nil {
		return fmt.Errorf("clicking %s: %w", css, err)
	}
	return nil
}

// Screenshot returns a PNG of the whole page.
func (t *bidiTab) Screenshot() ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	err := t.call("browsingContext.captureScreenshot", map[string]any{"context": t.context, "origin": "document"}, &r)
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return png, nil
}

// Close closes the tab.
func (t *bidiTab) Close() {
	t.call("browsingContext.close", map[string]any{"context": t.context}, nil)
}
