package e2e_test

import (
	"testing"

	"github.com/corskit/corskit/examples/internal/browser"
)

// differs is what one engine does in a scenario where it legitimately
// differs from Chromium, and why.
type differs struct {
	// why says in one line why the engine differs; the README's table
	// shows it.
	why string
	// ok replaces the scenario's ok for the engine.
	ok bool
	// check replaces the scenario's check for the engine; nil, there is
	// none beyond ok.
	check func(t *testing.T, c *checking)
}

// expected is what a scenario expects of one engine.
type expected struct {
	ok    bool
	check func(t *testing.T, c *checking)
	note  string // why the engine differs from Chromium, if it does
}

// expect returns what the scenario expects of the engine: its own ok and
// check, unless it says the engine differs.
func (s scenario) expect(engine string) expected {
	if d, ok := s.engines[engine]; ok && engine != browser.Chromium {
		return expected{ok: d.ok, check: d.check, note: d.why}
	}
	return expected{ok: s.ok, check: s.check}
}

// blockedErrors is what a page's fetch() rejects with in each engine when
// the browser keeps the response from it, whatever the reason: browsers
// tell the page nothing more, on purpose; the reason is in the browser's
// console.
var blockedErrors = map[string]string{
	browser.Chromium: "TypeError: Failed to fetch",
	browser.Firefox:  "TypeError: NetworkError when attempting to fetch resource.",
	browser.WebKit:   "TypeError: Load failed",
}

// blockedAs checks that a blocked fetch rejected with the engine's error.
func (c *checking) blockedAs(t *testing.T) {
	t.Helper()
	if want := blockedErrors[c.engine]; c.got.Error != want {
		t.Errorf("blocked fetch: the page got %q, want %s's %q", c.got.Error, c.engine, want)
	}
}
