// Package e2e holds corskit's end-to-end tests: headless Chromium loads a
// page from one loopback origin and fetch()es an API, served by each adapter
// registered the way its documentation recommends, from another; the
// browser itself decides what the page may read.
//
//	go -C examples test ./e2e -run Browser -v
//
// Without Chromium the tests skip and say how to install it; with
// CORSKIT_REQUIRE_BROWSER=1 they fail instead.
package e2e
