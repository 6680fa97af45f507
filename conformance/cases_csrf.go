package conformance

import "github.com/corskit/corskit/core"

// protectedAllowList is allowList with CrossOriginProtection.
var protectedAllowList = func() core.Config {
	cfg := allowList
	cfg.CrossOriginProtection = true
	return cfg
}()

// Rule 14: cross-origin writes refused with the CORS allow-list.
func csrfCases() []row {
	form := func(origin string, site ...string) request {
		r := actual("POST", "/posts", origin).with("Content-Type", "application/x-www-form-urlencoded")
		if origin == "" {
			r.Header = r.Header[2:]
		}
		for _, s := range site {
			r = r.with("Sec-Fetch-Site", s)
		}
		return r
	}
	refused := func(name, why string, req request, kind core.Reason) row {
		return row{
			Name: "csrf/" + name, Rule: 14, Why: why, Config: protectedAllowList, Request: req,
			Status: 403, Handler: false, Absent: noCORS, Reason: kind,
		}
	}
	passes := func(name, why string, req request, want map[string]string, reason core.Reason) row {
		return row{
			Name: "csrf/" + name, Rule: 14, Why: why, Config: protectedAllowList, Request: req,
			Status: 200, Handler: true, Want: want, Reason: reason,
		}
	}
	rows := []row{
		refused("cross-site form POST from an origin not allowed",
			"The classic forgery, a form on another site posting to the API, is refused before the handler runs because its origin is not on the allow-list.",
			form(evil, "cross-site"), core.WriteNotAllowed),
		refused("form POST from an origin not allowed, browser without Sec-Fetch-Site",
			"Without Sec-Fetch-Site the Origin's host differs from the request's Host, so an older browser's forged POST is refused too.",
			form(evil), core.WriteNotAllowed),
		refused("POST from a sibling subdomain",
			"A same-site page on another subdomain is still another origin, so its POST is refused unless the allow-list names it.",
			form("https://blog.example.com", "same-site"), core.WriteNotAllowed),
		refused("cross-site POST without Origin",
			"A request that Sec-Fetch-Site marks cross-site but that carries no Origin cannot be matched against the allow-list, so it is refused.",
			form("", "cross-site"), core.WriteNotAllowed),
		refused("DELETE from an origin not allowed",
			"Every method that may change state is protected, not only POST, so a forged DELETE never reaches its handler.",
			actual("DELETE", "/posts/1", evil).with("Sec-Fetch-Site", "cross-site"), core.WriteNotAllowed),
		passes("credentialed POST from an allowed origin",
			"The origin the CORS policy trusts with cookies may post, so the CSRF check and the CORS grant never disagree.",
			form(web, "cross-site").with("Cookie", "session=1"), granted(web), core.Allowed),
		passes("same-origin POST",
			"A page of the API's own origin posts freely, as Sec-Fetch-Site same-origin says, whatever the allow-list holds.",
			form(self, "same-origin"), nil, core.Allowed),
		passes("POST with neither Origin nor Sec-Fetch-Site",
			"A request from curl or another server carries neither header and is not a browser's forgery, so it passes.",
			form(""), nil, core.Allowed),
	}
	safe := passes("cross-site GET from an origin not allowed",
		"Safe methods always pass, so the handler of a GET runs and CORS alone keeps its answer from the foreign page.",
		get(evil).with("Sec-Fetch-Site", "cross-site"), nil, core.OriginNotAllowed)
	safe.Absent, safe.Vary = noCORS, varyOrigin
	return append(rows, safe)
}
