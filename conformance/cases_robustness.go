package conformance

import (
	"slices"
	"strings"

	"github.com/corskit/corskit/core"
)

// Rule 10: hostile or broken input, and other CORS layers.
func badInputCases() []row {
	manyLines := func(name, value string, n int) []string {
		h := make([]string, 0, 2*n)
		for range n {
			h = append(h, name, value)
		}
		return h
	}
	refusedPreflight := func(name string, cfg core.Config, req request, reason core.Reason, why string) row {
		return row{
			Name: "bad-input/" + name, Rule: 10,
			Why:    why,
			Config: cfg, Request: req,
			Status: 403, Absent: noCORS, Reason: reason,
		}
	}
	refusedActual := func(name, why string, origins ...string) row {
		return row{
			Name: "bad-input/" + name, Rule: 10,
			Why:    why,
			Config: allowList, Request: get(origins...),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginMalformed,
		}
	}
	setsCORS := app(Route{Method: "GET", Path: "/posts", Behavior: SetsCORS})
	return []row{
		refusedPreflight("comma bomb of 100 KB in Access-Control-Request-Headers, headers *", anyHeaders,
			preflight(web, "PUT", strings.Repeat(",", 100_000)), core.RequestMalformed,
			"A 100 KB run of commas is refused after bounded work even under Headers *, so one cheap request cannot make corskit split or allocate per element."),
		refusedPreflight("comma bomb of 100 KB in Access-Control-Request-Headers, headers listed", allowList,
			preflight(web, "PUT", "content-type"+strings.Repeat(",", 100_000)), core.RequestMalformed,
			"The same comma bomb behind a listed name is refused too, so the check stops early instead of walking 100 KB of empty elements."),
		refusedPreflight("100 KB of header names", anyHeaders,
			preflight(web, "PUT", strings.Repeat("x-a,", 25_000)), core.RequestMalformed,
			"A value holding 25000 header names is refused after bounded work, so a preflight cannot make corskit check or echo an unbounded list."),
		refusedPreflight("5000 Access-Control-Request-Headers lines", anyHeaders,
			request{Method: "OPTIONS", Header: append([]string{"Origin", web, "Access-Control-Request-Method", "PUT"},
				manyLines("Access-Control-Request-Headers", "x-a", 5000)...)}, core.RequestMalformed,
			"Five thousand Access-Control-Request-Headers lines are refused after bounded work, so flooding lines costs corskit no more than one long value."),
		refusedPreflight("more than 16 empty elements in Access-Control-Request-Headers", anyHeaders,
			preflight(web, "PUT", "x-a"+strings.Repeat(",", 18)+"x-b"), core.RequestMalformed,
			"Seventeen empty elements between two names are more than any real client sends, so the list is refused before it costs more work."), // 17 empty, none at the ends: servers trim a value's ends
		refusedPreflight("too many header names", anyHeaders,
			preflight(web, "PUT", strings.Repeat("x-a,", 100)), core.RequestMalformed,
			"A hundred requested header names is far beyond any real client, so the preflight is refused rather than echoing a huge Allow-Headers."),
		refusedPreflight("control byte in Access-Control-Request-Headers", anyHeaders,
			preflight(web, "PUT", "x-a\x01"), core.RequestMalformed,
			"A control byte in a header name could corrupt the response if echoed, so the preflight is refused as malformed even under Headers *."),
		refusedPreflight("non-ASCII in Access-Control-Request-Headers", anyHeaders,
			preflight(web, "PUT", "x-é"), core.RequestMalformed,
			"Header names are ASCII tokens, so a name with an accented letter is refused instead of being echoed into Allow-Headers."),
		refusedPreflight("non-ASCII in Access-Control-Request-Method", anyHeaders,
			preflight(web, "PÜT"), core.RequestMalformed,
			"A method with a non-ASCII letter is not a token, so it is refused as malformed and never echoed into Allow-Methods, even under Methods *."),
		refusedPreflight("control byte in Access-Control-Request-Method", anyHeaders,
			preflight(web, "PUT\x00"), core.RequestMalformed,
			"A NUL byte in the requested method is refused before Methods * could echo it into a response header."),
		refusedPreflight("control byte in Origin of a preflight", allowList,
			preflight(web+"\x00", "PUT"), core.OriginMalformed,
			"A NUL byte after a listed origin must not pass as that origin, so the preflight is refused as malformed."),
		refusedPreflight("5000 Origin lines on a preflight", allowList,
			request{Method: "OPTIONS", Header: append([]string{"Access-Control-Request-Method", "PUT"}, manyLines("Origin", web, 5000)...)}, core.OriginMalformed,
			"Five thousand Origin lines on a preflight are refused as malformed after bounded work, without matching each line against the policy."),
		{
			Name: "bad-input/5000 unrelated header lines: allowed preflight still answered", Rule: 10,
			Why:     "Thousands of unrelated header lines must not stop a valid preflight, so corskit looks only at the headers CORS uses.",
			Config:  allowList,
			Request: preflight(web, "PUT", "content-type").with(manyLines("X-Filler", "x", 5000)...),
			Status:  204, Want: grantedPreflight(web, "PUT", "content-type"),
		},
		refusedActual("5000 Origin lines",
			"Five thousand Origin lines on a GET are refused as malformed while the handler still runs, so a flood of lines costs corskit little.",
			slices.Repeat([]string{web}, 5000)...),
		refusedActual("origin of 100 KB",
			"A 100 KB origin is refused as malformed after a bounded look, long before any pattern or OriginFunc would scan it.",
			"https://"+strings.Repeat("a", 100_000)+".example.com"),
		refusedActual("control byte NUL in Origin",
			"A NUL byte after a listed origin must never match it, or code that stops reading at NUL would grant a value nobody listed.",
			web+"\x00"),
		refusedActual("control byte DEL in Origin",
			"A DEL byte inside the host is refused as malformed, so an origin hiding invisible characters is never echoed into a response.",
			"https://web.example\x7f.com"),
		refusedActual("control byte SOH in Origin",
			"A control byte before the scheme is refused as malformed instead of being trimmed away until the value matches a listed origin.",
			"\x01"+web),
		refusedActual("non-ASCII Origin",
			"Browsers send international hosts in punycode, so a raw non-ASCII origin is refused instead of being compared with a lookalike listed one.",
			"https://wéb.example.com"),
		refusedActual("origin with trailing slash",
			"A trailing slash is never part of an origin a browser sends, so the value is refused rather than trimmed to match the listed site.",
			web+"/"),
		refusedActual("origin in upper case",
			"Mixed-case hosts are never sent by browsers, so folding case could only help a crafted request and the value is refused.",
			"https://Web.Example.com"),
		refusedActual("origin with a path",
			"An origin with a path is a URL, not an origin, so it is refused instead of being cut down to the listed site.",
			web+"/posts"),
		refusedActual("origin with white space inside",
			"A space inside the host is never valid, so the origin is refused as malformed rather than cleaned up into a match.",
			"https://web .example.com"),
		{
			Name: "bad-input/malformed origin refused under rejection, before the handler", Rule: 10,
			Why:    "Under RejectDisallowed a malformed origin gets 403 before the handler runs, exactly like an unlisted one.",
			Config: rejecting, Request: get(web + "/"),
			Status: 403, Absent: noCORS, Reason: core.OriginMalformed,
		},
		{
			Name: "layers/handler sets Allow-Origin itself: one value only", Rule: 10,
			Why:    "When the handler has already set Allow-Origin corskit adds no second one, since two values make browsers refuse the response.",
			Config: allowList, App: setsCORS, Request: get(web),
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "layers/handler sets Allow-Origin itself, any origin: one value only", Rule: 10,
			Why:    "Even under * corskit leaves a handler-set Allow-Origin alone instead of adding its own, keeping the response to a single value.",
			Config: publicAPI, App: setsCORS, Request: get("https://anyone.example"),
			Status: 200, Handler: true,
		},
		{
			Name: "layers/handler sets Allow-Origin itself, refused origin: the handler's only", Rule: 10,
			Why:    "For a refused origin corskit adds nothing and keeps the handler's own Allow-Origin, so code written before corskit stays in charge of its answer.",
			Config: allowList, App: setsCORS, Request: get(evil),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: HandlerOrigin}, Absent: but(noCORS, allowOrigin), Reason: core.OriginNotAllowed,
		},
		// An outer layer edits every header value in place after each
		// answer: the next answers must not show it (no value slice is
		// shared between requests, whoever answered).
		{
			Name: "layers/outer layer edits values in place: allowed preflight unaffected", Rule: 10,
			Why:    "An outer layer that rewrites header values in place must not change the next preflight's answer, so corskit never shares value slices between responses.",
			Config: allowList, App: editsAfter, Request: preflight(web, "PUT", "content-type"), Times: 3,
			Status: 204, Want: grantedPreflight(web, "PUT", "content-type"), Absent: []string{exposeHeaders},
		},
		{
			Name: "layers/outer layer edits values in place: any-origin preflight unaffected", Rule: 10,
			Why:    "The static * preflight answer is the most tempting one to share, so three requests through an editing outer layer must each get it intact.",
			Config: publicAPI, App: editsAfter, Request: preflight("https://anyone.example", "DELETE"), Times: 3,
			Status: 204, Want: map[string]string{allowOrigin: "*", allowMethods: "DELETE", maxAge: "600"}, Absent: []string{allowCredentials},
		},
		{
			Name: "layers/outer layer edits values in place: allowed request unaffected", Rule: 10,
			Why:    "Edits an outer layer makes to one allowed response must not leak into the next one, which would otherwise carry a corrupted Allow-Origin.",
			Config: allowList, App: editsAfter, Request: get(web), Times: 3,
			Status: 200, Handler: true, Want: granted(web), Vary: varyOrigin,
		},
		{
			Name: "layers/outer layer edits values in place: refused request unaffected", Rule: 10,
			Why:    "A rejected request's Vary: Origin must stay intact from one request to the next even when an outer layer edits every value after each answer.",
			Config: rejecting, App: editsAfter, Request: get(evil), Times: 3,
			Status: 403, Absent: noCORS, Vary: varyOrigin, Want: map[string]string{"Vary": "Origin"}, Reason: core.OriginNotAllowed,
		},
	}
}

// editsAfter is defaultApp behind an outer layer that edits every response
// header value in place.
var editsAfter = &App{Routes: defaultApp.Routes, EditsAfter: true}

// Rule 11: every preflight reaches corskit, whatever the router would do.
func routingCases() []row {
	redirecting := defaultApp
	redirecting.RedirectTrailingSlash = true
	ok := func(name string, a *App, req request, want map[string]string, why string) row {
		return row{
			Name: "routing/" + name, Rule: 11,
			Why:    why,
			Config: allowList, App: a, Request: req,
			Status: 204, Want: want,
		}
	}
	return []row{
		ok("preflight to a path with only a GET route", app(Route{Method: "GET", Path: "/only-get"}),
			preflight(web, "PUT").at("/only-get"), grantedPreflight(web, "PUT", ""),
			"A path with only a GET route would get 405 from the router for OPTIONS, so corskit must answer the preflight before routing happens."),
		ok("preflight to a path with only a PUT route", app(Route{Method: "PUT", Path: "/only-put"}),
			preflight(web, "PUT", "content-type").at("/only-put"), grantedPreflight(web, "PUT", "content-type"),
			"Even when the path has the very PUT route being asked about, it has no OPTIONS route, so corskit must answer the preflight itself."),
		ok("preflight to an unknown path", nil, preflight(web, "DELETE").at("/nowhere"), grantedPreflight(web, "DELETE", ""),
			"A preflight to a path the router does not know still gets corskit's answer, not a 404 the browser would report as a CORS error."),
		ok("preflight to the root path", nil, preflight(web, "DELETE").at("/"), grantedPreflight(web, "DELETE", ""),
			"A preflight to the root path reaches corskit too, although some routers treat the root path as a special case."),
		ok("preflight with a query string", nil, preflight(web, "DELETE").at("/posts/1?force=1"), grantedPreflight(web, "DELETE", ""),
			"A query string on the preflight's URL must neither keep it from corskit nor change the grant."),
		ok("preflight on a route group", nil, preflight(web, "PUT").at("/api/v1/posts"), grantedPreflight(web, "PUT", ""),
			"A preflight to a route inside a group is answered even though group middleware runs only for routes the router matched."),
		ok("preflight to an unknown path in a route group", nil, preflight(web, "PUT").at("/api/v1/nowhere"), grantedPreflight(web, "PUT", ""),
			"A preflight to an unknown path under a group prefix reaches corskit rather than the group's 404."),
		ok("preflight with trailing-slash redirects on: never 3xx", &redirecting,
			preflight(web, "PUT", "content-type").at("/posts/"), grantedPreflight(web, "PUT", "content-type"),
			"Browsers never follow a redirected preflight, so with trailing-slash redirects on corskit answers /posts/ itself before the router can send a 301."),
		ok("preflight with trailing-slash redirects on, route group: never 3xx", &redirecting,
			preflight(web, "PUT").at("/api/v1/posts/"), grantedPreflight(web, "PUT", ""),
			"Trailing-slash redirects inside a route group must not catch the preflight either, so its answer is 204 and never a redirect."),
		{
			Name: "routing/refused preflight to an unknown path: 403, not 404", Rule: 11,
			Why:    "A refused preflight to an unknown path gets corskit's 403 and a logged reason, so the refusal looks the same wherever it is sent.",
			Config: allowList, Request: preflight(evil, "PUT").at("/nowhere"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "routing/refused preflight with trailing-slash redirects on: 403, never 3xx", Rule: 11,
			Why:    "A refused preflight to a redirecting path gets corskit's 403 and not a redirect, so the log can name the refused method.",
			Config: allowList, App: &redirecting, Request: preflight(web, "PURGE").at("/posts/"),
			Status: 403, Absent: noCORS, Reason: core.MethodNotAllowed,
		},
		{
			Name: "routing/actual request on a route group", Rule: 11,
			Why:    "An actual request to a route in a group gets the same grant as any other route, so registering corskit once covers groups too.",
			Config: allowList, Request: get(web).at("/api/v1/posts"),
			Status: 200, Handler: true, Want: granted(web), Vary: varyOrigin,
		},
		{
			Name: "routing/actual request redirected by trailing-slash redirects keeps CORS headers", Rule: 11,
			Why:    "A router's trailing-slash 301 keeps the CORS headers, since browsers follow redirects of actual requests only when each hop grants access.",
			Config: allowList, App: &redirecting, Request: get(web).at("/posts/"),
			Status: 301, Want: map[string]string{allowOrigin: web, allowCredentials: "true"}, Vary: varyOrigin,
		},
		{
			Name: "routing/actual request redirected by the handler keeps CORS headers", Rule: 11,
			Why:    "A redirect the handler makes keeps corskit's grant beside its Location, so the page's fetch is allowed to follow it.",
			Config: allowList, App: app(Route{Method: "GET", Path: "/old", Behavior: Redirects}), Request: get(web).at("/old"),
			Status: 301, Handler: true, Want: map[string]string{allowOrigin: web, allowCredentials: "true", "Location": RedirectTarget}, Vary: varyOrigin,
		},
		{
			Name: "routing/refused actual request redirected by the handler: no CORS headers", Rule: 11,
			Why:    "A refused request that the handler redirects still gets no CORS headers, so a redirect never grants what the policy refuses.",
			Config: allowList, App: app(Route{Method: "POST", Path: "/old", Behavior: Redirects}), Request: actual("POST", "/old", evil),
			Status: 301, Handler: true, Want: map[string]string{"Location": RedirectTarget}, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "routing/actual request to an unknown path", Rule: 11,
			Why:    "An actual request to an unknown path gets the router's own 404, since corskit answers only preflights and never hides a missing route.",
			Config: allowList, Request: get(web).at("/nowhere"),
			Status: 404,
		},
		{
			Name: "routing/rejected request to an unknown path", Rule: 11,
			Why:    "Under RejectDisallowed a foreign request is rejected with 403 before routing, so probing paths from another site learns nothing about them.",
			Config: rejecting, Request: get(evil).at("/nowhere"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
	}
}

// Rule 12: every refusal has a reason, reported once to the hook and the
// logger. Run checks the reason of every row; these rows check the log line.
func observabilityCases() []row {
	counted := allowList
	counted.OnReject = func(core.Rejection) {} // Run chains its own hook after it
	return []row{
		{
			Name: "observability/header not allowed names the header", Rule: 12,
			Why:    "The log line names the refused header x-foo with the origin, method, path and status, which is how a developer learns why the browser failed.",
			Config: allowList, Request: preflight(web, "PUT", "content-type,x-foo"),
			Status: 403, Absent: noCORS, Reason: core.HeaderNotAllowed,
			Log: []string{"kind=preflight", "origin=https://web.example.com", "method=OPTIONS", "path=/posts", "detail=x-foo", "status=403"},
		},
		{
			Name: "observability/method not allowed names the method", Rule: 12,
			Why:    "The log line names PURGE and the path /posts/1, so the developer sees which method to add to the policy for which endpoint.",
			Config: allowList, Request: preflight(web, "PURGE").at("/posts/1"),
			Status: 403, Absent: noCORS, Reason: core.MethodNotAllowed,
			Log: []string{"detail=PURGE", "path=/posts/1"},
		},
		{
			Name: "observability/origin not allowed on an actual request", Rule: 12,
			Why:    "A refused actual request logs its kind, origin and method, since the browser tells the page only that the request failed.",
			Config: allowList, Request: actual("POST", "/posts", evil),
			Status: 200, Handler: true, Absent: noCORS, Reason: core.OriginNotAllowed,
			Log: []string{"kind=actual", "origin=https://evil.example", "method=POST"},
		},
		{
			Name: "observability/rejected request logs its status", Rule: 12,
			Why:    "A request rejected under RejectDisallowed logs status=403 and its method, so the log shows the handler never ran.",
			Config: rejecting, Request: actual("PUT", "/posts/1", evil),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
			Log: []string{"status=403", "method=PUT"},
		},
		{
			Name: "observability/malformed origin", Rule: 12,
			Why:    "A malformed origin is logged exactly as sent, here with the default port spelled out, so the client's mistake is easy to spot.",
			Config: allowList, Request: get("https://web.example.com:443"),
			Status: 200, Handler: true, Absent: noCORS, Reason: core.OriginMalformed,
			Log: []string{"origin=https://web.example.com:443"},
		},
		{
			Name: "observability/private network not allowed", Rule: 12,
			Why:    "A preflight refused for private network access is reported with that reason, so the log says which option the request needed.",
			Config: allowList, Request: preflight(web, "GET").with("Access-Control-Request-Private-Network", "true"),
			Status: 403, Absent: noCORS, Reason: core.PrivateNetworkNotAllowed,
		},
		{
			Name: "observability/malformed preflight says what is wrong", Rule: 12,
			Why:    "A refused comma bomb is logged as a too long Access-Control-Request-Headers, naming the problem instead of copying 100 KB into the log.",
			Config: anyHeaders, Request: preflight(web, "PUT", strings.Repeat(",", 100_000)),
			Status: 403, Absent: noCORS, Reason: core.RequestMalformed,
			Log: []string{`detail="Access-Control-Request-Headers too long"`},
		},
		{
			Name: "observability/the user's hook and the suite's both see the refusal", Rule: 12,
			Why:    "A user's own OnReject hook still runs when another hook is chained after it, so each refusal reaches both exactly once.",
			Config: counted, Request: get(evil),
			Status: 200, Handler: true, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "observability/allowed preflight reports nothing", Rule: 12,
			Why:    "An allowed preflight is neither logged nor reported, so the log holds only refusals and stays readable under load.",
			Config: allowList, Request: preflight(web, "PUT"),
			Status: 204,
		},
		{
			Name: "observability/same-origin request reports nothing", Rule: 12,
			Why:    "A same-origin POST under RejectDisallowed is not a refusal, so the site's own traffic never fills the refusal log.",
			Config: rejecting, Request: actual("POST", "/posts", self),
			Status: 200, Handler: true,
		},
		{
			Name: "observability/request without Origin reports nothing", Rule: 12,
			Why:    "A request without Origin is not CORS, so it reports nothing even under RejectDisallowed, keeping the log to real refusals.",
			Config: rejecting, Request: request{Method: "DELETE", Path: "/posts/1"},
			Status: 200, Handler: true,
		},
	}
}
