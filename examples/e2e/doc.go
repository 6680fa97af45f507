// Package e2e holds corskit's end-to-end tests: a headless browser loads a
// page from one loopback origin and fetch()es an API, served by each adapter
// registered the way its documentation recommends, from another; the
// browser itself decides what the page may read. Every scenario runs in
// each of three engines, Chromium, Firefox and WebKit; where they
// legitimately differ, the scenario says what each does.
//
//	go -C examples test ./e2e -run Browser -v
//	go -C examples test ./e2e -run Browser -update-readme   # rewrite the README's table from this run
//
// Without an engine its tests skip and say how to install it; with
// CORSKIT_REQUIRE_BROWSER=1 they fail instead. CORSKIT_BROWSERS=webkit runs
// one engine only.
package e2e
