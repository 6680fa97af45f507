package conformance

import "github.com/corskit/corskit/core"

// threeParts is the typical service of rule 13: the API its own site calls
// with cookies (the default policy), a public part any origin may read,
// and an admin part nobody may call cross-origin.
var threeParts = core.Config{
	Origins:     []string{web},
	Credentials: true,
	Methods:     []string{"PUT"},
	PathPolicies: []core.PathPolicy{
		{Name: "public", Paths: []string{"/public/"}, Config: core.Config{Origins: []string{"*"}}},
		{Name: "admin", Paths: []string{"/admin/"}},
	},
}

// threePartsApp has a route in each part of threeParts, and no OPTIONS
// route anywhere.
var threePartsApp = app(
	Route{Method: "GET", Path: "/public/data"},
	Route{Method: "GET", Path: "/admin/users"},
	Route{Method: "PUT", Path: "/admin/users"},
	Route{Method: "GET", Path: "/api/posts"},
	Route{Method: "PUT", Path: "/api/posts"},
)

// Rule 13: policies chosen by path.
func pathCases() []row {
	entry := func(name, why string, req request) row {
		return row{Name: "paths/" + name, Rule: 13, Why: why, Config: threeParts, App: threePartsApp, Request: req}
	}
	refused := func(r row, status int, handler bool, reason core.Reason, policy string) row {
		r.Status, r.Handler, r.Absent, r.Reason = status, handler, noCORS, reason
		r.Log = []string{"policy=" + quoteLog(policy)}
		return r
	}
	// ambiguous is a request to a path that routers read differently, from
	// an origin that one reading's policy would allow: it gets nothing, and
	// each framework routes it where Routed says.
	ambiguous := func(name, why, origin, path string, routed map[string]bool) row {
		r := row{
			Name: "paths/" + name, Rule: 13, Why: why, Config: threeParts, App: threePartsApp,
			Request: actual("GET", path, origin),
			Absent:  noCORS, Reason: core.OriginNotAllowed, Log: []string{`policy="ambiguous path"`},
		}
		r.Routed = routed
		return r
	}
	routed := func(r row, routed map[string]bool) row {
		r.Routed = routed
		return r
	}
	allowed := func(r row, status int, want map[string]string) row {
		r.Status, r.Want, r.Handler = status, want, status == 200
		return r
	}
	return []row{
		allowed(entry("public part read from any origin",
			"A path under /public/ gets the public policy, so any origin may read it without cookies while the rest of the API stays closed.",
			actual("GET", "/public/data", evil)), 200, map[string]string{allowOrigin: "*"}),
		allowed(entry("public part without its trailing slash",
			"A subtree entry serves its own path without the slash too, because routers redirect or route one spelling to the other.",
			actual("GET", "/public", evil)), 404, map[string]string{allowOrigin: "*"}),
		allowed(entry("API read by its own site with cookies",
			"A path no entry serves gets the default policy, here the allow-list with credentials of the site's own front end.",
			actual("GET", "/api/posts", web)), 200, map[string]string{allowOrigin: web, allowCredentials: "true"}),
		refused(entry("API refuses a foreign origin",
			"The default policy still refuses origins it does not list, and the log names it as the default policy.",
			actual("GET", "/api/posts", evil)), 200, true, core.OriginNotAllowed, "default"),
		refused(entry("admin part refuses the API's own site",
			"An entry with an empty policy allows nothing cross-origin, even to the origin the default policy trusts with cookies.",
			actual("GET", "/admin/users", web)), 200, true, core.OriginNotAllowed, "admin"),
		refused(entry("admin preflight refused before routing",
			"A preflight to the admin part is refused by the admin policy although no OPTIONS route exists there, because the policy is chosen before the router runs.",
			preflight(web, "PUT").at("/admin/users")), 403, false, core.OriginNotAllowed, "admin"),
		allowed(entry("API preflight granted before routing",
			"A preflight to the API gets the default policy's grant although the router has no OPTIONS route for the path.",
			preflight(web, "PUT").at("/api/posts")), 204, map[string]string{allowOrigin: web, allowMethods: "PUT"}),
		refused(entry("public preflight judged by the public policy",
			"A preflight under /public/ asking for PUT is refused by the public policy, which lists no methods, whatever the default policy allows.",
			preflight(evil, "PUT").at("/public/data")), 403, false, core.MethodNotAllowed, "public"),
		ambiguous("dot-dot from public into admin",
			"A path that climbs out of /public/ with a dot-dot segment could be routed to the admin part, so it gets the policy that allows nothing.",
			evil, "/public/../admin/users", map[string]bool{"nethttp": false, "gin": false, "echo": false, "echov5": false, "fiber": false, "fiberv3": false}),
		ambiguous("encoded dot-dot from public into admin",
			"Percent-encoded dots decode to a dot-dot segment on routers that decode, so the path is judged by every reading and gets nothing.",
			evil, "/public/%2e%2e/admin/users", map[string]bool{"nethttp": false, "gin": false, "echo": false, "echov5": false, "fiber": false, "fiberv3": false}),
		ambiguous("upper-case public path",
			"Routers that ignore case route /PUBLIC/ to the public handlers and the others do not, so the path gets nothing rather than a guess.",
			evil, "/PUBLIC/data", map[string]bool{"nethttp": false, "gin": false, "echo": false, "echov5": false, "fiber": true, "fiberv3": true}),
		ambiguous("encoded slash into admin",
			"An encoded slash is one segment to a router matching the raw path, which would give the default policy's cookie grant, but Gin decodes it into the admin part, so the path gets nothing.",
			web, "/admin%2Fusers", map[string]bool{"nethttp": false, "gin": true, "echo": false, "echov5": false, "fiber": false, "fiberv3": false}),
		ambiguous("upper-case admin path",
			"A case-sensitive reading of /ADMIN/ finds no entry and would give the default policy's cookie grant, but Fiber ignores case and runs the admin handler, so the path gets nothing.",
			web, "/ADMIN/users", map[string]bool{"nethttp": false, "gin": false, "echo": false, "echov5": false, "fiber": true, "fiberv3": true}),
		ambiguous("double slash before admin",
			"A leading double slash cleans to /admin/users, so the path is judged by both readings and gets nothing.",
			evil, "//admin/users", map[string]bool{"nethttp": false, "gin": false, "echo": false, "echov5": false, "fiber": false, "fiberv3": false}),
		refused(ambiguousPreflight(), 403, false, core.OriginNotAllowed, core.AmbiguousPathPolicy),
		routed(allowed(entry("double slash inside public",
			"A path whose every reading stays under /public/ keeps the public policy, so harmless unclean spellings are not refused.",
			actual("GET", "/public//data", evil)), 0, map[string]string{allowOrigin: "*"}),
			map[string]bool{"nethttp": false, "gin": false, "echo": false, "echov5": false, "fiber": false, "fiberv3": false}),
	}
}

// ambiguousPreflight is a preflight to a path that climbs out of /public/.
func ambiguousPreflight() row {
	return row{
		Name: "paths/preflight to a dot-dot path refused", Rule: 13,
		Why:    "A preflight whose path could be routed to the admin part is refused, so no reading of the path gets a grant it should not.",
		Config: threeParts, App: threePartsApp,
		Request: preflight(evil, "GET", "x-custom").at("/public/../admin/users"),
	}
}

// quoteLog quotes s as slog's text handler writes a value with a space.
func quoteLog(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return `"` + s + `"`
		}
	}
	return s
}
