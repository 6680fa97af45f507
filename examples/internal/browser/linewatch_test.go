package browser

import (
	"strings"
	"testing"
)

func TestLineWatcher(t *testing.T) {
	cases := []struct {
		name   string
		writes []string
		want   string // "" for no line found
	}{
		{"one write", []string{"a\nWebDriver BiDi listening on ws://127.0.0.1:1\nb\n"}, "ws://127.0.0.1:1"},
		{"split", []string{"noise\nWebDriver Bi", "Di listening on ws://1", "27.0.0.1:2\r\n"}, "ws://127.0.0.1:2"},
		{"first only", []string{"WebDriver BiDi listening on x\nWebDriver BiDi listening on y\n"}, "x"},
		{"not at the start", []string{"say WebDriver BiDi listening on z\n"}, ""},
		{"no newline yet", []string{"WebDriver BiDi listening on w"}, ""},
		{"long line", []string{strings.Repeat("x", 3*maxWatchedLine) + "\nWebDriver BiDi listening on v\n"}, "v"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newLineWatcher(firefoxListening)
			for _, s := range c.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write: %d, %v", n, err)
				}
			}
			got := ""
			select {
			case got = <-w.found:
			default:
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
