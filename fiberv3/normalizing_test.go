package corsfiberv3_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"

	corsfiberv3 "github.com/corskit/corskit/fiberv3"
	"github.com/corskit/corskit/internal/measure"
)

// corsfiberv3 turns fasthttp's header name normalising off around its own
// lookups and writes, whose names are canonical already. Through a real
// server on loopback, the handler after it must find the app's setting as
// it was: names normalised by default, left alone with
// DisableHeaderNormalizing.
func TestHeaderNormalizingKept(t *testing.T) {
	for _, c := range []struct {
		disable    bool
		lookup     string // the name the handler reads X-Custom by
		wantHeader string
	}{
		{false, "x-custom", "X-Handler-Header: 1"},
		{true, "X-Custom", "x-handler-header: 1"},
	} {
		t.Run(fmt.Sprintf("DisableHeaderNormalizing=%v", c.disable), func(t *testing.T) {
			lookup := c.lookup
			app := fiber.New(fiber.Config{DisableHeaderNormalizing: c.disable})
			app.Use(corsfiberv3.Must(measure.BlogPolicy()))
			app.Get("/posts", func(c fiber.Ctx) error {
				c.Set("x-handler-header", "1")
				return c.SendString("custom=" + c.Get(lookup))
			})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go func() { _ = app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
			defer func() { _ = app.Shutdown() }()

			conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if err := conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
				t.Fatal(err)
			}
			fmt.Fprint(conn, "GET /posts HTTP/1.1\r\nHost: api.example.com\r\nOrigin: https://web.example.com\r\nX-Custom: v\r\nConnection: close\r\n\r\n")
			// The raw lines: Go's HTTP client would canonicalise the names.
			b, err := io.ReadAll(conn)
			if err != nil {
				t.Fatal(err)
			}
			head, body, _ := strings.Cut(string(b), "\r\n\r\n")
			for _, line := range []string{c.wantHeader, "Access-Control-Allow-Origin: https://web.example.com"} {
				if !strings.Contains(head+"\r\n", "\r\n"+line+"\r\n") {
					t.Errorf("response header:\n%s\nwant a line %q", head, line)
				}
			}
			if body != "custom=v" {
				t.Errorf("the handler read X-Custom as %q, want custom=v", body)
			}
		})
	}
}
