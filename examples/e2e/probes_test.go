package e2e_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/corskit/corskit/examples/internal/browser"
)

// engineScenarios are scenarios of TestBrowser, after those of scenarios,
// about what the browser does around corskit's answers rather than about
// the answers: what a user's browser caches and keeps. corskit answers the
// same in each engine; the engines may not do the same with it.
var engineScenarios = []scenario{
	{
		name: "no MaxAge: two identical preflighted fetches, one preflight", policy: "anyheader", from: fromPage, ok: true,
		js: `const init = {headers: {"X-Anything": "1"}};
			const first = await probe(API + "/posts" + Q, init);
			if (!first.ok) return first;
			return probe(API + "/posts" + Q, init);`,
		check: func(t *testing.T, c *checking) {
			// Without Access-Control-Max-Age the browser caches the
			// preflight for 5 seconds (Fetch's default).
			if x := c.exchanges("OPTIONS", "/posts"); len(x) != 1 || x[0].MaxAge != "" {
				t.Errorf("the API saw %v, want one preflight answered without Max-Age", x)
			}
		},
	},
	{
		name: "cookie with SameSite=None, without Secure, over HTTP", policy: "allowlist", from: fromPage, ok: true,
		js:    loginThenWhoami("API", "samesite=none", "-none"),
		check: noSession,
		engines: map[string]differs{
			browser.WebKit: {
				why: "keeps a SameSite=None cookie without Secure, which Chromium and Firefox drop.",
				ok:  true, check: hasSession,
			},
		},
	},
	{
		name: "cookie with SameSite=None and Secure, over HTTP to 127.0.0.1", policy: "allowlist", from: fromPage, ok: true,
		js:    loginThenWhoami("API", "samesite=none&secure=1", "-secure"),
		check: hasSession, // loopback counts as a secure context
		engines: map[string]differs{
			browser.WebKit: {
				why: "drops a Secure cookie set over plain HTTP, even from 127.0.0.1, which Chromium and Firefox treat as secure.",
				ok:  true, check: noSession,
			},
		},
	},
	{
		name: "cookie with SameSite=None and Secure, set by an API on another site (localhost)", policy: "allowlist", from: fromPage, ok: true,
		js:    loginThenWhoami(`API.replace("127.0.0.1", "localhost")`, "samesite=none&secure=1", "-site"),
		check: noSession, // a third-party cookie: refused in a fresh profile
		engines: map[string]differs{
			browser.Firefox: {
				why: "keeps a third-party cookie in a jar of the page's site (Total Cookie Protection) and sends it back from that site, where Chromium and WebKit refuse it.",
				ok:  true, check: hasSession,
			},
		},
	},
}

// allScenarios returns the scenarios TestBrowser runs, in order: scenarios,
// then engineScenarios.
func allScenarios() []scenario {
	return append(slices.Clip(scenarios), engineScenarios...)
}

// loginThenWhoami returns the js of a scenario that logs in at the API
// whose base URL the JavaScript expression api gives, with the query
// parameters params, and then asks whoami with the cookie, if the browser
// kept it. suffix keeps the cookie's name apart from other scenarios'.
func loginThenWhoami(api, params, suffix string) string {
	return fmt.Sprintf(`const api = %s, as = AS + %q;
			const login = await probe(api + "/login?%s&as=" + as, {method: "POST", credentials: "include"});
			if (!login.ok) return login;
			const me = await probe(api + "/whoami?as=" + as, {credentials: "include"});
			me.login = login.body;
			return me;`, api, suffix, params)
}

// hasSession checks that whoami answered the session the login started.
func hasSession(t *testing.T, c *checking) {
	t.Helper()
	if c.got.Status != 200 || c.got.Body == "" || c.got.Body != c.got.Login {
		t.Errorf("whoami: got status %d, session %q, want 200 and the session of the login, %q", c.got.Status, c.got.Body, c.got.Login)
	}
}

// noSession checks that the browser sent whoami no session cookie: it did
// not keep the one the login set.
func noSession(t *testing.T, c *checking) {
	t.Helper()
	if c.got.Status != 401 || c.got.Login == "" {
		t.Errorf("whoami: got status %d after login %q, want 401 after a login", c.got.Status, c.got.Login)
	}
}
