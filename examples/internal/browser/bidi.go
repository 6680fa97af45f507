package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/coder/websocket"
)

// A bidiConn is a WebDriver BiDi connection (https://w3c.github.io/webdriver-bidi/):
// JSON commands go out with ids, and a reader goroutine hands each response
// to the command waiting for it. Events are dropped: the package subscribes
// to none. Commands may be sent from several goroutines at once.
type bidiConn struct {
	ws *websocket.Conn

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan bidiMessage
	err     error         // why the reader stopped; set before done is closed
	done    chan struct{} // closed when the reader stops
}

// bidiMessage is a message from the remote end: a command's response
// ("success" or "error") or an event.
type bidiMessage struct {
	Type    string          `json:"type"`
	ID      *uint64         `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// A BiDiError is an error response of the remote end.
type BiDiError struct {
	Method  string // the command
	Code    string // e.g. "no such frame"
	Message string
}

// Error says which command failed, and how.
func (e *BiDiError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Method, e.Code, e.Message)
}

// maxBiDiMessage bounds a message from the remote end; a screenshot of a
// long page in base64 takes a few megabytes.
const maxBiDiMessage = 64 << 20

// dialBiDi connects to the WebDriver BiDi endpoint at url
// (ws://127.0.0.1:PORT/session). It sends no Origin header, so the browser
// need not be told to allow one.
func dialBiDi(ctx context.Context, url string) (*bidiConn, error) {
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		HTTPClient: &http.Client{Transport: &http.Transport{Proxy: nil}},
	})
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", url, err)
	}
	ws.SetReadLimit(maxBiDiMessage)
	c := &bidiConn{ws: ws, pending: make(map[uint64]chan bidiMessage), done: make(chan struct{})}
	go c.read()
	return c, nil
}

// read hands every response to its command until the connection fails.
func (c *bidiConn) read() {
	var err error
	for {
		var data []byte
		_, data, err = c.ws.Read(context.Background())
		if err != nil {
			break
		}
		var m bidiMessage
		if err = json.Unmarshal(data, &m); err != nil {
			err = fmt.Errorf("decoding %.200s: %w", data, err)
			break
		}
		if m.ID == nil { // an event, or an error about no command
			continue
		}
		c.mu.Lock()
		ch := c.pending[*m.ID]
		delete(c.pending, *m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m // buffered
		}
	}
	c.mu.Lock()
	c.err = err
	c.mu.Unlock()
	close(c.done)
	c.ws.CloseNow()
}

// call sends the command method with params, waits for its response and
// decodes its result into result, unless result is nil.
func (c *bidiConn) call(ctx context.Context, method string, params, result any) error {
	ch := make(chan bidiMessage, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return fmt.Errorf("%s: connection closed: %w", method, err)
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()

	if params == nil {
		params = struct{}{}
	}
	msg, err := json.Marshal(struct {
		ID     uint64 `json:"id"`
		Method string `json:"method"`
		Params any    `json:"params"`
	}{id, method, params})
	if err != nil {
		return err
	}
	if err := c.ws.Write(ctx, websocket.MessageText, msg); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Type == "error" {
			return &BiDiError{Method: method, Code: m.Error, Message: m.Message}
		}
		if result == nil {
			return nil
		}
		if err := json.Unmarshal(m.Result, result); err != nil {
			return fmt.Errorf("%s: decoding %.200s: %w", method, m.Result, err)
		}
		return nil
	case <-c.done:
		return fmt.Errorf("%s: connection closed: %w", method, c.closeErr())
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

func (c *bidiConn) closeErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		return errors.New("closed")
	}
	return c.err
}

// close closes the connection and waits for the reader to stop.
func (c *bidiConn) close() {
	c.ws.CloseNow()
	<-c.done
}
