package conformance

import "github.com/corskit/corskit/core"

// Rule 6: actual requests, and rejecting them early.
func actualCases() []row {
	rejectWith451 := core.Config{Origins: []string{web}, RejectDisallowed: true, RejectStatus: 451}
	return []row{
		{
			Name: "actual/allowed GET", Rule: 6,
			Why:    "A listed origin's GET gets Allow-Origin, Allow-Credentials and Expose-Headers but none of the preflight-only headers, which would be noise.",
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: granted(web), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "actual/allowed POST", Rule: 6,
			Why:    "A listed origin's POST runs the handler and gets the actual-request grant, so the page can read the result of its write.",
			Config: allowList, Request: actual("POST", "/posts", web),
			Status: 200, Handler: true, Want: granted(web), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "actual/allowed PUT", Rule: 6,
			Why:    "A PUT sent after a successful preflight needs the grant on its own response as well, or the browser hides the answer from the page.",
			Config: allowList, Request: actual("PUT", "/posts/1", mobile),
			Status: 200, Handler: true, Want: granted(mobile), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "actual/allowed DELETE", Rule: 6,
			Why:    "A DELETE from the tablet site gets its own origin echoed, so the page can learn whether its delete succeeded.",
			Config: allowList, Request: actual("DELETE", "/posts/1", tablet),
			Status: 200, Handler: true, Want: granted(tablet), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "actual/refused GET: handler runs, no CORS headers", Rule: 6,
			Why:    "A refused GET still runs its handler but gets no CORS headers, because the browser, not the server, keeps the response from the page.",
			Config: allowList, Request: get(evil),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/refused POST: handler runs, no CORS headers", Rule: 6,
			Why:    "A refused POST still reaches the handler, which shows that CORS alone does not stop a forged write and why RejectDisallowed exists.",
			Config: allowList, Request: actual("POST", "/posts", evil),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: foreign POST gets 403, handler does not run", Rule: 6,
			Why:    "With RejectDisallowed a POST from a foreign site gets 403 before the handler runs, so a forged form post cannot change data.",
			Config: rejecting, Request: actual("POST", "/posts", evil),
			Status: 403, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: foreign GET gets 403", Rule: 6,
			Why:    "RejectDisallowed refuses a foreign GET as well, so handlers that have side effects on GET are protected too.",
			Config: rejecting, Request: get(evil),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: same-origin POST carrying Origin passes", Rule: 6,
			Why:    "Browsers send Origin on the site's own POSTs, so RejectDisallowed must let a same-origin POST through or it would break the site itself.",
			Config: rejecting, Request: actual("POST", "/posts", self),
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "actual/reject: same-origin GET carrying Origin passes", Rule: 6,
			Why:    "A same-origin GET carrying Origin passes under RejectDisallowed, since it comes from the server's own pages.",
			Config: rejecting, Request: get(self),
			Status: 200, Handler: true,
		},
		{
			Name: "actual/reject: same origin on a non-default port passes", Rule: 6,
			Why:     "Same-origin detection takes the port from Host, so a site served on port 8080 is not rejected when its own pages call it.",
			Config:  rejecting,
			Request: request{Method: "POST", Host: "api.example.com:8080", Header: []string{"Origin", "http://api.example.com:8080"}},
			Status:  200, Handler: true,
		},
		{
			Name: "actual/reject: same host, other scheme is foreign", Rule: 6,
			Why:    "The https origin of the same host is a different origin from the http site, so it gets 403 instead of passing as same-origin.",
			Config: rejecting, Request: actual("POST", "/posts", "https://api.example.com"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: same host, other port is foreign", Rule: 6,
			Why:    "The same host on port 8080 is another origin when the site is served on port 80, so it is rejected like any foreign site.",
			Config: rejecting, Request: actual("POST", "/posts", "http://api.example.com:8080"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: allowed origin passes", Rule: 6,
			Why:    "RejectDisallowed stops only origins the policy refuses, so a listed origin still reaches the handler and gets its grant.",
			Config: rejecting, Request: actual("POST", "/posts", web),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web}, Vary: varyOrigin,
		},
		{
			Name: "actual/reject: no Origin passes", Rule: 6,
			Why:    "Requests without Origin, such as navigations and server calls, are not CORS, so RejectDisallowed lets them through.",
			Config: rejecting, Request: request{Method: "POST"},
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin,
		},
		{
			Name: "actual/reject: null origin gets 403", Rule: 6,
			Why:    "Under RejectDisallowed a sandboxed page sending an unlisted null gets 403, since any site can produce that origin.",
			Config: rejecting, Request: actual("POST", "/posts", "null"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: duplicated Origin lines get 403", Rule: 6,
			Why:    "Two Origin lines are malformed, so under RejectDisallowed they get 403 before the handler, even when both name the listed origin.",
			Config: rejecting, Request: get(web, web),
			Status: 403, Absent: noCORS, Reason: core.OriginMalformed,
		},
		{
			Name: "actual/reject: configured status", Rule: 6,
			Why:    "RejectStatus changes the status of an early rejection, here to 451, for sites that want their refusals to stand out.",
			Config: rejectWith451, Request: actual("DELETE", "/posts/1", evil),
			Status: 451, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/same-origin POST without rejection", Rule: 6,
			Why:    "A same-origin POST is not a CORS request, so without RejectDisallowed it runs untouched and is not reported as a refusal.",
			Config: allowList, Request: actual("POST", "/posts", self),
			Status: 200, Handler: true,
		},
	}
}

// Rule 8: Access-Control-Expose-Headers.
func exposeCases() []row {
	exposeAll := core.Config{Origins: []string{"*"}, ExposeHeaders: []string{"*"}}
	return []row{
		{
			Name: "expose/on allowed actual responses", Rule: 8,
			Why:    "An allowed response exposes X-Total-Count and ETag, without which the page could read only the safelisted response headers.",
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: map[string]string{exposeHeaders: "X-Total-Count, ETag"},
		},
		{
			Name: "expose/with any origin", Rule: 8,
			Why:    "A public API exposes its headers along with *, so any site can read the total count for its pagination.",
			Config: publicAPI, Request: actual("POST", "/posts", "https://anyone.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "X-Total-Count"},
		},
		{
			Name: "expose/* without credentials", Rule: 8,
			Why:    "Expose-Headers * works only without credentials, and there it lets every site read every response header.",
			Config: exposeAll, Request: get("https://anyone.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "*"},
		},
		{
			Name: "expose/names listed once, compared case-insensitively", Rule: 8,
			Why:    "Listing ETag and etag exposes it once, in its first spelling, so the header stays short and free of duplicates.",
			Config: core.Config{Origins: []string{web}, ExposeHeaders: []string{"ETag", "X-Total-Count", "etag"}}, Request: get(web),
			Status: 200, Handler: true, Want: map[string]string{exposeHeaders: "ETag, X-Total-Count"},
		},
		{
			Name: "expose/unset: no header", Rule: 8,
			Why:    "A policy that exposes nothing sends no Expose-Headers, leaving the page only the safelisted response headers.",
			Config: core.Config{Origins: []string{web}}, Request: get(web),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web}, Absent: []string{exposeHeaders},
		},
		{
			Name: "expose/never on preflights", Rule: 8,
			Why:    "The page never reads a preflight response, so Expose-Headers there would be noise and is left off.",
			Config: allowList, Request: preflight(web, "PUT"),
			Status: 204, Want: map[string]string{allowOrigin: web}, Absent: []string{exposeHeaders},
		},
		{
			Name: "expose/never on refused actual responses", Rule: 8,
			Why:    "A refused response gets no Expose-Headers, since without Allow-Origin the page can read nothing of it and the list would only be noise.",
			Config: allowList, Request: get(evil),
			Status: 200, Handler: true, Absent: []string{exposeHeaders}, Reason: core.OriginNotAllowed,
		},
		{
			Name: "expose/never on rejected actual responses", Rule: 8,
			Why:    "A request rejected with 403 gets no Expose-Headers even when the policy lists some, since nothing of that response is shared.",
			Config: core.Config{Origins: []string{web}, ExposeHeaders: []string{"X-Total-Count"}, RejectDisallowed: true}, Request: get(evil),
			Status: 403, Absent: []string{exposeHeaders}, Reason: core.OriginNotAllowed,
		},
	}
}
