// Package browser starts the browser engines of corskit's end-to-end tests,
// headless Chromium, Firefox and WebKit, and drives their tabs through one
// interface, [Tab], so that the same test runs in each:
//
//	for _, name := range browser.Engines() { // chromium, firefox, webkit
//		t.Run(name, func(t *testing.T) {
//			e := browser.ForTest(t, name) // skips, or fails under CORSKIT_REQUIRE_BROWSER=1, without the engine
//			tab := browser.NewTab(t, e)
//			if err := tab.Navigate("http://127.0.0.1:1234/"); err != nil { … }
//			got, err := browser.Eval[result](tab, `fetch(…).then(…)`)
//		})
//	}
//
// Each engine is driven over its own protocol: Chromium over the Chrome
// DevTools Protocol with chromedp; Firefox over WebDriver BiDi, with the
// package's own small client (bidi.go) on a websocket; WebKitGTK's
// MiniBrowser, under an Xvfb display of its own, over classic W3C WebDriver
// with WebKitWebDriver, with the package's own small client (webdriver.go).
//
// Every step has a timeout ([StepTimeout]), so a page that never answers
// fails the test instead of hanging it. Each engine starts once per test
// binary, with a fresh profile in a temporary directory, listening only on
// 127.0.0.1, and with its background networking off, so that it makes no
// connection beyond the pages the test opens; it is stopped, with whatever
// it started, when the last test using it ends.
//
// # Finding the engines
//
//	chromium  $CORSKIT_CHROMIUM, else chromium, chromium-browser or google-chrome on $PATH
//	firefox   $CORSKIT_FIREFOX, else firefox-esr or firefox on $PATH
//	webkit    $CORSKIT_WEBKITDRIVER, else WebKitWebDriver on $PATH; $CORSKIT_MINIBROWSER,
//	          else MiniBrowser in WebKitGTK's library directory; Xvfb on $PATH
//
// On Debian: apt-get install -y chromium firefox-esr webkit2gtk-driver xvfb.
// [ForTest] skips the test when an engine is missing, and says how to
// install it, unless CORSKIT_REQUIRE_BROWSER=1 (as in CI) or one of the
// variables above is set: then it fails it. CORSKIT_BROWSERS=chromium,webkit
// limits the tests to the engines it lists ([Engines]).
package browser
