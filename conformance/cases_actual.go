package conformance

import "github.com/corskit/corskit/core"

// Rule 6: actual requests, and rejecting them early.
func actualCases() []Case {
	rejectWith451 := core.Config{Origins: []string{web}, RejectDisallowed: true, RejectStatus: 451}
	return []Case{
		{
			Name: "actual/allowed GET", Rule: 6,
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: granted(web), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "actual/allowed POST", Rule: 6,
			Config: allowList, Request: actual("POST", "/posts", web),
			Status: 200, Handler: true, Want: granted(web), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "actual/allowed PUT", Rule: 6,
			Config: allowList, Request: actual("PUT", "/posts/1", mobile),
			Status: 200, Handler: true, Want: granted(mobile), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "actual/allowed DELETE", Rule: 6,
			Config: allowList, Request: actual("DELETE", "/posts/1", tablet),
			Status: 200, Handler: true, Want: granted(tablet), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "actual/refused GET: handler runs, no CORS headers", Rule: 6,
			Config: allowList, Request: get(evil),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/refused POST: handler runs, no CORS headers", Rule: 6,
			Config: allowList, Request: actual("POST", "/posts", evil),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: foreign POST gets 403, handler does not run", Rule: 6,
			Config: rejecting, Request: actual("POST", "/posts", evil),
			Status: 403, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: foreign GET gets 403", Rule: 6,
			Config: rejecting, Request: get(evil),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: same-origin POST carrying Origin passes", Rule: 6,
			Config: rejecting, Request: actual("POST", "/posts", self),
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "actual/reject: same-origin GET carrying Origin passes", Rule: 6,
			Config: rejecting, Request: get(self),
			Status: 200, Handler: true,
		},
		{
			Name: "actual/reject: same origin on a non-default port passes", Rule: 6,
			Config:  rejecting,
			Request: Request{Method: "POST", Host: "api.example.com:8080", Header: []string{"Origin", "http://api.example.com:8080"}},
			Status:  200, Handler: true,
		},
		{
			Name: "actual/reject: same host, other scheme is foreign", Rule: 6,
			Config: rejecting, Request: actual("POST", "/posts", "https://api.example.com"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: same host, other port is foreign", Rule: 6,
			Config: rejecting, Request: actual("POST", "/posts", "http://api.example.com:8080"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: allowed origin passes", Rule: 6,
			Config: rejecting, Request: actual("POST", "/posts", web),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web}, Vary: varyOrigin,
		},
		{
			Name: "actual/reject: no Origin passes", Rule: 6,
			Config: rejecting, Request: Request{Method: "POST"},
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin,
		},
		{
			Name: "actual/reject: null origin gets 403", Rule: 6,
			Config: rejecting, Request: actual("POST", "/posts", "null"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/reject: duplicated Origin lines get 403", Rule: 6,
			Config: rejecting, Request: get(web, web),
			Status: 403, Absent: noCORS, Reason: core.OriginMalformed,
		},
		{
			Name: "actual/reject: configured status", Rule: 6,
			Config: rejectWith451, Request: actual("DELETE", "/posts/1", evil),
			Status: 451, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "actual/same-origin POST without rejection", Rule: 6,
			Config: allowList, Request: actual("POST", "/posts", self),
			Status: 200, Handler: true,
		},
	}
}

// Rule 8: Access-Control-Expose-Headers.
func exposeCases() []Case {
	exposeAll := core.Config{Origins: []string{"*"}, ExposeHeaders: []string{"*"}}
	return []Case{
		{
			Name: "expose/on allowed actual responses", Rule: 8,
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: map[string]string{exposeHeaders: "X-Total-Count, ETag"},
		},
		{
			Name: "expose/with any origin", Rule: 8,
			Config: publicAPI, Request: actual("POST", "/posts", "https://anyone.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "X-Total-Count"},
		},
		{
			Name: "expose/* without credentials", Rule: 8,
			Config: exposeAll, Request: get("https://anyone.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "*"},
		},
		{
			Name: "expose/names listed once, compared case-insensitively", Rule: 8,
			Config: core.Config{Origins: []string{web}, ExposeHeaders: []string{"ETag", "X-Total-Count", "etag"}}, Request: get(web),
			Status: 200, Handler: true, Want: map[string]string{exposeHeaders: "ETag, X-Total-Count"},
		},
		{
			Name: "expose/unset: no header", Rule: 8,
			Config: core.Config{Origins: []string{web}}, Request: get(web),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web}, Absent: []string{exposeHeaders},
		},
		{
			Name: "expose/never on preflights", Rule: 8,
			Config: allowList, Request: preflight(web, "PUT"),
			Status: 204, Want: map[string]string{allowOrigin: web}, Absent: []string{exposeHeaders},
		},
		{
			Name: "expose/never on refused actual responses", Rule: 8,
			Config: allowList, Request: get(evil),
			Status: 200, Handler: true, Absent: []string{exposeHeaders}, Reason: core.OriginNotAllowed,
		},
		{
			Name: "expose/never on rejected actual responses", Rule: 8,
			Config: core.Config{Origins: []string{web}, ExposeHeaders: []string{"X-Total-Count"}, RejectDisallowed: true}, Request: get(evil),
			Status: 403, Absent: []string{exposeHeaders}, Reason: core.OriginNotAllowed,
		},
	}
}
