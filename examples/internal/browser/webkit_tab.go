package browser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// webkitTab is a MiniBrowser window.
type webkitTab struct {
	b      *webkit
	handle string
}

// OpenTab opens a window.
func (b *webkit) OpenTab() (Tab, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), StepTimeout)
	defer cancel()
	var w struct {
		Handle string `json:"handle"`
	}
	if err := b.session.call(ctx, "POST", "/window/new", map[string]string{"type": "window"}, &w); err != nil {
		return nil, fmt.Errorf("opening a window: %w", b.explain(err))
	}
	t := &webkitTab{b: b, handle: w.Handle}
	err := t.switchTo(ctx)
	if err == nil {
		err = b.session.call(ctx, "POST", "/window/rect", map[string]int{"width": viewportWidth, "height": viewportHeight}, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("opening a window: %w", b.explain(err))
	}
	return t, nil
}

// switchTo makes the tab's window the session's current one. The caller
// holds b.mu.
func (t *webkitTab) switchTo(ctx context.Context) error {
	if t.b.current == t.handle {
		return nil
	}
	if err := t.b.session.call(ctx, "POST", "/window", map[string]string{"handle": t.handle}, nil); err != nil {
		return err
	}
	t.b.current = t.handle
	return nil
}

// do runs f on the tab's window, with StepTimeout and a little more, so
// that the driver's own timeouts (StepTimeout) answer first.
func (t *webkitTab) do(f func(ctx context.Context, s *wdSession) error) error {
	t.b.mu.Lock()
	defer t.b.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), StepTimeout+2*time.Second)
	defer cancel()
	if err := t.switchTo(ctx); err != nil {
		return t.b.explain(err)
	}
	return t.b.explain(f(ctx, t.b.session))
}

// Navigate loads url and waits for its load event.
func (t *webkitTab) Navigate(url string) error {
	err := t.do(func(ctx context.Context, s *wdSession) error {
		return s.call(ctx, "POST", "/url", map[string]string{"url": url}, nil)
	})
	if err != nil {
		return fmt.Errorf("navigating to %s: %w", url, err)
	}
	return nil
}

// EvalJSON evaluates the expression, awaits its promise and returns its
// value as JSON.
func (t *webkitTab) EvalJSON(expr string) (json.RawMessage, error) {
	script := "const done = arguments[arguments.length - 1];\n" + jsonExpr(expr) +
		".then(json => done({json}), e => done({error: String(e)}));"
	var r struct {
		JSON  *string `json:"json"`
		Error string  `json:"error"`
	}
	err := t.do(func(ctx context.Context, s *wdSession) error {
		return s.call(ctx, "POST", "/execute/async", map[string]any{"script": script, "args": []any{}}, &r)
	})
	switch {
	case err != nil:
		return nil, fmt.Errorf("evaluating %s: %w", expr, err)
	case r.JSON == nil:
		return nil, fmt.Errorf("evaluating %s: exception: %s", expr, r.Error)
	}
	return json.RawMessage(*r.JSON), nil
}

// Click clicks the element the CSS selector finds, as WebDriver's Element
// Click does: scrolled into view, in its centre.
func (t *webkitTab) Click(css string) error {
	err := t.do(func(ctx context.Context, s *wdSession) error {
		id, err := s.findElement(ctx, css)
		if err != nil {
			return err
		}
		return s.call(ctx, "POST", "/element/"+id+"/click", map[string]any{}, nil)
	})
	if err != nil {
		return fmt.Errorf("clicking %s: %w", css, err)
	}
	return nil
}

// Screenshot returns a PNG of the whole page. WebDriver's screenshots show
// the viewport only, so the window is made as tall as the page first (Xvfb's
// screen is taller than any page the tests photograph), and given its size
// back after.
func (t *webkitTab) Screenshot() ([]byte, error) {
	var data string
	err := t.do(func(ctx context.Context, s *wdSession) error {
		var size struct{ Width, Height, Page int }
		err := s.call(ctx, "POST", "/execute/sync", map[string]any{
			"script": "return {width: outerWidth, height: outerHeight, page: document.documentElement.scrollHeight + outerHeight - innerHeight}",
			"args":   []any{},
		}, &size)
		if err != nil {
			return err
		}
		if size.Page > size.Height {
			if err := s.call(ctx, "POST", "/window/rect", map[string]int{"width": size.Width, "height": size.Page}, nil); err != nil {
				return err
			}
			defer s.call(ctx, "POST", "/window/rect", map[string]int{"width": size.Width, "height": size.Height}, nil)
		}
		return s.call(ctx, "GET", "/screenshot", nil, &data)
	})
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	png, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return png, nil
}

// Close closes the window, and makes the first window the current one: a
// session without a current window cannot open another.
func (t *webkitTab) Close() {
	t.do(func(ctx context.Context, s *wdSession) error {
		err := s.call(ctx, "DELETE", "/window", nil, nil)
		t.b.current = ""
		if err := s.call(ctx, "POST", "/window", map[string]string{"handle": t.b.home}, nil); err != nil {
			return err
		}
		t.b.current = t.b.home
		return err
	})
}
