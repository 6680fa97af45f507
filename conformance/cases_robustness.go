package conformance

import (
	"slices"
	"strings"

	"github.com/corskit/corskit/core"
)

// Rule 10: hostile or broken input, and other CORS layers.
func badInputCases() []Case {
	manyLines := func(name, value string, n int) []string {
		h := make([]string, 0, 2*n)
		for range n {
			h = append(h, name, value)
		}
		return h
	}
	refusedPreflight := func(name string, cfg core.Config, req Request, reason core.Reason) Case {
		return Case{
			Name: "bad-input/" + name, Rule: 10,
			Config: cfg, Request: req,
			Status: 403, Absent: noCORS, Reason: reason,
		}
	}
	refusedActual := func(name string, origins ...string) Case {
		return Case{
			Name: "bad-input/" + name, Rule: 10,
			Config: allowList, Request: get(origins...),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginMalformed,
		}
	}
	setsCORS := app(Route{Method: "GET", Path: "/posts", Behavior: SetsCORS})
	return []Case{
		refusedPreflight("comma bomb of 100 KB in Access-Control-Request-Headers, headers *", anyHeaders,
			preflight(web, "PUT", strings.Repeat(",", 100_000)), core.RequestMalformed),
		refusedPreflight("comma bomb of 100 KB in Access-Control-Request-Headers, headers listed", allowList,
			preflight(web, "PUT", "content-type"+strings.Repeat(",", 100_000)), core.RequestMalformed),
		refusedPreflight("100 KB of header names", anyHeaders,
			preflight(web, "PUT", strings.Repeat("x-a,", 25_000)), core.RequestMalformed),
		refusedPreflight("5000 Access-Control-Request-Headers lines", anyHeaders,
			Request{Method: "OPTIONS", Header: append([]string{"Origin", web, "Access-Control-Request-Method", "PUT"},
				manyLines("Access-Control-Request-Headers", "x-a", 5000)...)}, core.RequestMalformed),
		refusedPreflight("more than 16 empty elements in Access-Control-Request-Headers", anyHeaders,
			preflight(web, "PUT", "x-a"+strings.Repeat(",", 18)+"x-b"), core.RequestMalformed), // 17 empty, none at the ends: servers trim a value's ends
		refusedPreflight("too many header names", anyHeaders,
			preflight(web, "PUT", strings.Repeat("x-a,", 100)), core.RequestMalformed),
		refusedPreflight("control byte in Access-Control-Request-Headers", anyHeaders,
			preflight(web, "PUT", "x-a\x01"), core.RequestMalformed),
		refusedPreflight("non-ASCII in Access-Control-Request-Headers", anyHeaders,
			preflight(web, "PUT", "x-é"), core.RequestMalformed),
		refusedPreflight("non-ASCII in Access-Control-Request-Method", anyHeaders,
			preflight(web, "PÜT"), core.RequestMalformed),
		refusedPreflight("control byte in Access-Control-Request-Method", anyHeaders,
			preflight(web, "PUT\x00"), core.RequestMalformed),
		refusedPreflight("control byte in Origin of a preflight", allowList,
			preflight(web+"\x00", "PUT"), core.OriginMalformed),
		refusedPreflight("5000 Origin lines on a preflight", allowList,
			Request{Method: "OPTIONS", Header: append([]string{"Access-Control-Request-Method", "PUT"}, manyLines("Origin", web, 5000)...)}, core.OriginMalformed),
		{
			Name: "bad-input/5000 unrelated header lines: allowed preflight still answered", Rule: 10,
			Config:  allowList,
			Request: preflight(web, "PUT", "content-type").with(manyLines("X-Filler", "x", 5000)...),
			Status:  204, Want: grantedPreflight(web, "PUT", "content-type"),
		},
		refusedActual("5000 Origin lines", slices.Repeat([]string{web}, 5000)...),
		refusedActual("origin of 100 KB", "https://"+strings.Repeat("a", 100_000)+".example.com"),
		refusedActual("control byte NUL in Origin", web+"\x00"),
		refusedActual("control byte DEL in Origin", "https://web.example\x7f.com"),
		refusedActual("control byte SOH in Origin", "\x01"+web),
		refusedActual("non-ASCII Origin", "https://wéb.example.com"),
		refusedActual("origin with trailing slash", web+"/"),
		refusedActual("origin in upper case", "https://Web.Example.com"),
		refusedActual("origin with a path", web+"/posts"),
		refusedActual("origin with white space inside", "https://web .example.com"),
		{
			Name: "bad-input/malformed origin refused under rejection, before the handler", Rule: 10,
			Config: rejecting, Request: get(web + "/"),
			Status: 403, Absent: noCORS, Reason: core.OriginMalformed,
		},
		{
			Name: "layers/handler sets Allow-Origin itself: one value only", Rule: 10,
			Config: allowList, App: setsCORS, Request: get(web),
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "layers/handler sets Allow-Origin itself, any origin: one value only", Rule: 10,
			Config: publicAPI, App: setsCORS, Request: get("https://anyone.example"),
			Status: 200, Handler: true,
		},
		{
			Name: "layers/handler sets Allow-Origin itself, refused origin: the handler's only", Rule: 10,
			Config: allowList, App: setsCORS, Request: get(evil),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: HandlerOrigin}, Absent: but(noCORS, allowOrigin), Reason: core.OriginNotAllowed,
		},
		// An outer layer edits every header value in place after each
		// answer: the next answers must not show it (no value slice is
		// shared between requests, whoever answered).
		{
			Name: "layers/outer layer edits values in place: allowed preflight unaffected", Rule: 10,
			Config: allowList, App: editsAfter, Request: preflight(web, "PUT", "content-type"), Times: 3,
			Status: 204, Want: grantedPreflight(web, "PUT", "content-type"), Absent: []string{exposeHeaders},
		},
		{
			Name: "layers/outer layer edits values in place: any-origin preflight unaffected", Rule: 10,
			Config: publicAPI, App: editsAfter, Request: preflight("https://anyone.example", "DELETE"), Times: 3,
			Status: 204, Want: map[string]string{allowOrigin: "*", allowMethods: "DELETE", maxAge: "600"}, Absent: []string{allowCredentials},
		},
		{
			Name: "layers/outer layer edits values in place: allowed request unaffected", Rule: 10,
			Config: allowList, App: editsAfter, Request: get(web), Times: 3,
			Status: 200, Handler: true, Want: granted(web), Vary: varyOrigin,
		},
		{
			Name: "layers/outer layer edits values in place: refused request unaffected", Rule: 10,
			Config: rejecting, App: editsAfter, Request: get(evil), Times: 3,
			Status: 403, Absent: noCORS, Vary: varyOrigin, Want: map[string]string{"Vary": "Origin"}, Reason: core.OriginNotAllowed,
		},
	}
}

// editsAfter is DefaultApp behind an outer layer that edits every response
// header value in place.
var editsAfter = &App{Routes: DefaultApp.Routes, EditsAfter: true}

// Rule 11: every preflight reaches corskit, whatever the router would do.
func routingCases() []Case {
	redirecting := DefaultApp
	redirecting.RedirectTrailingSlash = true
	ok := func(name string, a *App, req Request, want map[string]string) Case {
		return Case{
			Name: "routing/" + name, Rule: 11,
			Config: allowList, App: a, Request: req,
			Status: 204, Want: want,
		}
	}
	return []Case{
		ok("preflight to a path with only a GET route", app(Route{Method: "GET", Path: "/only-get"}),
			preflight(web, "PUT").at("/only-get"), grantedPreflight(web, "PUT", "")),
		ok("preflight to a path with only a PUT route", app(Route{Method: "PUT", Path: "/only-put"}),
			preflight(web, "PUT", "content-type").at("/only-put"), grantedPreflight(web, "PUT", "content-type")),
		ok("preflight to an unknown path", nil, preflight(web, "DELETE").at("/nowhere"), grantedPreflight(web, "DELETE", "")),
		ok("preflight to the root path", nil, preflight(web, "DELETE").at("/"), grantedPreflight(web, "DELETE", "")),
		ok("preflight with a query string", nil, preflight(web, "DELETE").at("/posts/1?force=1"), grantedPreflight(web, "DELETE", "")),
		ok("preflight on a route group", nil, preflight(web, "PUT").at("/api/v1/posts"), grantedPreflight(web, "PUT", "")),
		ok("preflight to an unknown path in a route group", nil, preflight(web, "PUT").at("/api/v1/nowhere"), grantedPreflight(web, "PUT", "")),
		ok("preflight with trailing-slash redirects on: never 3xx", &redirecting,
			preflight(web, "PUT", "content-type").at("/posts/"), grantedPreflight(web, "PUT", "content-type")),
		ok("preflight with trailing-slash redirects on, route group: never 3xx", &redirecting,
			preflight(web, "PUT").at("/api/v1/posts/"), grantedPreflight(web, "PUT", "")),
		{
			Name: "routing/refused preflight to an unknown path: 403, not 404", Rule: 11,
			Config: allowList, Request: preflight(evil, "PUT").at("/nowhere"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "routing/refused preflight with trailing-slash redirects on: 403, never 3xx", Rule: 11,
			Config: allowList, App: &redirecting, Request: preflight(web, "PURGE").at("/posts/"),
			Status: 403, Absent: noCORS, Reason: core.MethodNotAllowed,
		},
		{
			Name: "routing/actual request on a route group", Rule: 11,
			Config: allowList, Request: get(web).at("/api/v1/posts"),
			Status: 200, Handler: true, Want: granted(web), Vary: varyOrigin,
		},
		{
			Name: "routing/actual request redirected by trailing-slash redirects keeps CORS headers", Rule: 11,
			Config: allowList, App: &redirecting, Request: get(web).at("/posts/"),
			Status: 301, Want: map[string]string{allowOrigin: web, allowCredentials: "true"}, Vary: varyOrigin,
		},
		{
			Name: "routing/actual request redirected by the handler keeps CORS headers", Rule: 11,
			Config: allowList, App: app(Route{Method: "GET", Path: "/old", Behavior: Redirects}), Request: get(web).at("/old"),
			Status: 301, Handler: true, Want: map[string]string{allowOrigin: web, allowCredentials: "true", "Location": RedirectTarget}, Vary: varyOrigin,
		},
		{
			Name: "routing/refused actual request redirected by the handler: no CORS headers", Rule: 11,
			Config: allowList, App: app(Route{Method: "POST", Path: "/old", Behavior: Redirects}), Request: actual("POST", "/old", evil),
			Status: 301, Handler: true, Want: map[string]string{"Location": RedirectTarget}, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "routing/actual request to an unknown path", Rule: 11,
			Config: allowList, Request: get(web).at("/nowhere"),
			Status: 404,
		},
		{
			Name: "routing/rejected request to an unknown path", Rule: 11,
			Config: rejecting, Request: get(evil).at("/nowhere"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
	}
}

// Rule 12: every refusal has a reason, reported once to the hook and the
// logger. Run checks the reason of every row; these rows check the log line.
func observabilityCases() []Case {
	counted := allowList
	counted.OnReject = func(core.Rejection) {} // Run chains its own hook after it
	return []Case{
		{
			Name: "observability/header not allowed names the header", Rule: 12,
			Config: allowList, Request: preflight(web, "PUT", "content-type,x-foo"),
			Status: 403, Absent: noCORS, Reason: core.HeaderNotAllowed,
			Log: []string{"kind=preflight", "origin=https://web.example.com", "method=OPTIONS", "path=/posts", "detail=x-foo", "status=403"},
		},
		{
			Name: "observability/method not allowed names the method", Rule: 12,
			Config: allowList, Request: preflight(web, "PURGE").at("/posts/1"),
			Status: 403, Absent: noCORS, Reason: core.MethodNotAllowed,
			Log: []string{"detail=PURGE", "path=/posts/1"},
		},
		{
			Name: "observability/origin not allowed on an actual request", Rule: 12,
			Config: allowList, Request: actual("POST", "/posts", evil),
			Status: 200, Handler: true, Absent: noCORS, Reason: core.OriginNotAllowed,
			Log: []string{"kind=actual", "origin=https://evil.example", "method=POST"},
		},
		{
			Name: "observability/rejected request logs its status", Rule: 12,
			Config: rejecting, Request: actual("PUT", "/posts/1", evil),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
			Log: []string{"status=403", "method=PUT"},
		},
		{
			Name: "observability/malformed origin", Rule: 12,
			Config: allowList, Request: get("https://web.example.com:443"),
			Status: 200, Handler: true, Absent: noCORS, Reason: core.OriginMalformed,
			Log: []string{"origin=https://web.example.com:443"},
		},
		{
			Name: "observability/private network not allowed", Rule: 12,
			Config: allowList, Request: preflight(web, "GET").with("Access-Control-Request-Private-Network", "true"),
			Status: 403, Absent: noCORS, Reason: core.PrivateNetworkNotAllowed,
		},
		{
			Name: "observability/malformed preflight says what is wrong", Rule: 12,
			Config: anyHeaders, Request: preflight(web, "PUT", strings.Repeat(",", 100_000)),
			Status: 403, Absent: noCORS, Reason: core.RequestMalformed,
			Log: []string{`detail="Access-Control-Request-Headers too long"`},
		},
		{
			Name: "observability/the user's hook and the suite's both see the refusal", Rule: 12,
			Config: counted, Request: get(evil),
			Status: 200, Handler: true, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "observability/allowed preflight reports nothing", Rule: 12,
			Config: allowList, Request: preflight(web, "PUT"),
			Status: 204,
		},
		{
			Name: "observability/same-origin request reports nothing", Rule: 12,
			Config: rejecting, Request: actual("POST", "/posts", self),
			Status: 200, Handler: true,
		},
		{
			Name: "observability/request without Origin reports nothing", Rule: 12,
			Config: rejecting, Request: Request{Method: "DELETE", Path: "/posts/1"},
			Status: 200, Handler: true,
		},
	}
}
