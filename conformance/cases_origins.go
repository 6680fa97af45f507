package conformance

import "github.com/corskit/corskit/core"

// Rule 1: what kind of request it is.
func classificationCases() []Case {
	optionsRoute := app(Route{Method: "OPTIONS", Path: "/posts"})
	return []Case{
		{
			Name: "classification/no Origin: handler runs untouched but for Vary", Rule: 1,
			Config:  allowList,
			Request: Request{Method: "GET"},
			Status:  200, Handler: true, Vary: varyOrigin, Absent: noCORS,
		},
		{
			Name: "classification/no Origin POST: handler runs", Rule: 1,
			Config:  allowList,
			Request: Request{Method: "POST"},
			Status:  200, Handler: true, Vary: varyOrigin, Absent: noCORS,
		},
		{
			// Fetch, "CORS protocol and HTTP caches": when Allow-Origin is
			// "*", send it on every response and no Vary, so a cached
			// answer to a request without Origin still serves CORS.
			Name: "classification/no Origin with any-origin policy: the same static * answer, no Vary", Rule: 1,
			Config:  publicAPI,
			Request: Request{Method: "GET"},
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "X-Total-Count"},
			Absent: []string{"Vary", "Access-Control-Allow-Credentials"},
		},
		{
			Name: "classification/OPTIONS without Origin is not CORS: handler runs", Rule: 1,
			Config:  allowList,
			App:     optionsRoute,
			Request: Request{Method: "OPTIONS"},
			Status:  200, Handler: true, Absent: noCORS,
		},
		{
			Name: "classification/OPTIONS with Access-Control-Request-Method but no Origin is not a preflight", Rule: 1,
			Config:  allowList,
			App:     optionsRoute,
			Request: Request{Method: "OPTIONS", Header: []string{"Access-Control-Request-Method", "PUT"}},
			Status:  200, Handler: true, Absent: noCORS,
		},
		{
			Name: "classification/OPTIONS with Origin but without Access-Control-Request-Method is an actual request", Rule: 1,
			Config:  allowList,
			App:     optionsRoute,
			Request: actual("OPTIONS", "/posts", web),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "classification/OPTIONS with an empty Access-Control-Request-Method is an actual request", Rule: 1,
			Config:  allowList,
			App:     optionsRoute,
			Request: actual("OPTIONS", "/posts", web).with("Access-Control-Request-Method", ""),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly,
		},
		{
			Name: "classification/OPTIONS actual request from a refused origin: handler runs without CORS headers", Rule: 1,
			Config:  allowList,
			App:     optionsRoute,
			Request: actual("OPTIONS", "/posts", evil),
			Status:  200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
		{
			Name: "classification/GET with Access-Control-Request-Method is an actual request", Rule: 1,
			Config:  allowList,
			Request: get(web).with("Access-Control-Request-Method", "PUT"),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly,
		},
		{
			Name: "classification/POST with preflight headers is an actual request", Rule: 1,
			Config:  allowList,
			Request: actual("POST", "/posts", web).with("Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly,
		},
		{
			Name: "classification/OPTIONS with Origin and Access-Control-Request-Method is a preflight", Rule: 1,
			Config:  allowList,
			Request: preflight(web, "PUT"),
			Status:  204, Want: grantedPreflight(web, "PUT", ""), Absent: []string{exposeHeaders},
		},
		{
			Name: "classification/HEAD with Origin is an actual request: handler runs", Rule: 1,
			Config:  allowList,
			Request: actual("HEAD", "/posts", web),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly, Vary: varyOrigin,
		},
	}
}

// Rule 2: which origins match.
func originCases() []Case {
	refused := func(name string, cfg core.Config, origin string, reason core.Reason) Case {
		return Case{
			Name: "origins/" + name, Rule: 2,
			Config:  cfg,
			Request: get(origin),
			Status:  200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: reason,
		}
	}
	echoed := func(name string, cfg core.Config, origin string) Case {
		want := map[string]string{allowOrigin: origin}
		if cfg.Credentials {
			want[allowCredentials] = "true"
		}
		return Case{
			Name: "origins/" + name, Rule: 2,
			Config:  cfg,
			Request: get(origin),
			Status:  200, Handler: true, Want: want, Vary: varyOrigin,
		}
	}
	return []Case{
		{
			Name: "origins/allow-list: web site", Rule: 2,
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: granted(web), Vary: varyOrigin,
		},
		{
			Name: "origins/allow-list: mobile site", Rule: 2,
			Config: allowList, Request: get(mobile),
			Status: 200, Handler: true, Want: granted(mobile), Vary: varyOrigin,
		},
		{
			Name: "origins/allow-list: tablet site", Rule: 2,
			Config: allowList, Request: get(tablet),
			Status: 200, Handler: true, Want: granted(tablet), Vary: varyOrigin,
		},
		refused("allow-list: unlisted origin", allowList, evil, core.OriginNotAllowed),
		refused("allow-list: other scheme", allowList, "http://web.example.com", core.OriginNotAllowed),
		refused("allow-list: other port", allowList, "https://web.example.com:8443", core.OriginNotAllowed),
		refused("allow-list: listed origin as a prefix", allowList, "https://web.example.com.evil.example", core.OriginNotAllowed),
		refused("allow-list: listed origin as a suffix", allowList, "https://evilweb.example.com", core.OriginNotAllowed),
		refused("allow-list: subdomain of a listed origin", allowList, "https://a.web.example.com", core.OriginNotAllowed),
		refused("allow-list: upper-case host never matches", allowList, "https://WEB.example.com", core.OriginMalformed),
		refused("allow-list: upper-case scheme never matches", allowList, "HTTPS://web.example.com", core.OriginMalformed),
		refused("allow-list: default port spelled out never matches", allowList, "https://web.example.com:443", core.OriginMalformed),
		refused("allow-list: user info never matches", allowList, "https://user@web.example.com", core.OriginMalformed),
		refused("allow-list: query never matches", allowList, "https://web.example.com?x", core.OriginMalformed),
		refused("allow-list: two origins in one line never match", allowList, web+", "+mobile, core.OriginMalformed),
		{
			Name: "origins/allow-list: duplicated Origin lines never match", Rule: 2,
			Config: allowList, Request: get(web, web),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginMalformed,
		},
		{
			Name: "origins/allow-list: two different Origin lines never match", Rule: 2,
			Config: allowList, Request: get(web, evil),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginMalformed,
		},
		{
			Name: "origins/any origin: Allow-Origin is *", Rule: 2,
			Config: publicAPI, Request: get("https://anyone.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "X-Total-Count"},
			Absent: []string{allowCredentials},
		},
		{
			Name: "origins/any origin: null gets *", Rule: 2,
			Config: publicAPI, Request: get("null"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*"}, Absent: []string{allowCredentials},
		},
		{
			Name: "origins/any origin: duplicated Origin lines get the static * answer", Rule: 2,
			Config: publicAPI, Request: get("https://a.example", "https://b.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "X-Total-Count"},
			Absent: []string{"Vary"},
		},
		echoed("subdomains: one level", subdomains, "https://blog.example.com"),
		echoed("subdomains: any depth", subdomains, "https://a.b.c.example.com"),
		refused("subdomains: not the apex", subdomains, "https://example.com", core.OriginNotAllowed),
		refused("subdomains: not another scheme", subdomains, "http://blog.example.com", core.OriginNotAllowed),
		refused("subdomains: not another port", subdomains, "https://blog.example.com:8443", core.OriginNotAllowed),
		refused("subdomains: not a look-alike domain", subdomains, "https://blogexample.com", core.OriginNotAllowed),
		refused("subdomains: not the domain as a prefix", subdomains, "https://blog.example.com.evil.example", core.OriginNotAllowed),
		refused("subdomains: empty label never matches", subdomains, "https://.example.com", core.OriginMalformed),
		echoed("development: localhost on a port", development, "http://localhost:1111"),
		echoed("development: localhost on another port", development, "http://localhost:8080"),
		refused("development: localhost without a port", development, "http://localhost", core.OriginNotAllowed),
		refused("development: https is another origin", development, "https://localhost:1111", core.OriginNotAllowed),
		refused("development: 127.0.0.1 is another host", development, "http://127.0.0.1:1111", core.OriginNotAllowed),
		refused("development: localhost as a prefix", development, "http://localhost.evil.example:1111", core.OriginNotAllowed),
		echoed("IPv6 loopback on any port", core.Config{Origins: []string{"http://[::1]:*"}}, "http://[::1]:3000"),
		echoed("mobile app web view scheme", core.Config{Origins: []string{"capacitor://localhost"}}, "capacitor://localhost"),
		echoed("null when listed", nullOrigin, "null"),
		refused("null when not listed", allowList, "null", core.OriginNotAllowed),
		refused("null not matched by a subdomain pattern", subdomains, "null", core.OriginNotAllowed),
		refused("null not matched by a port pattern", development, "null", core.OriginNotAllowed),
		refused("null never handed to OriginFunc", anyOriginFunc, "null", core.OriginNotAllowed),
		echoed("OriginFunc allows", partners, "https://shop.partner.example"),
		echoed("OriginFunc not needed for a listed origin", partners, web),
		refused("OriginFunc refuses", partners, "https://partner.example.evil.example", core.OriginNotAllowed),
		refused("OriginFunc never handed a non-canonical origin", anyOriginFunc, "https://Shop.partner.example", core.OriginMalformed),
		refused("OriginFunc never handed a trailing slash", anyOriginFunc, "https://shop.partner.example/", core.OriginMalformed),
		refused("OriginFunc never handed an IPv4 address in shorthand", anyOriginFunc, "http://127.1:3000", core.OriginMalformed),
		refused("OriginFunc never handed an IPv4 address as one number", anyOriginFunc, "http://2130706433", core.OriginMalformed),
		refused("OriginFunc never handed an IPv4 address in hexadecimal", anyOriginFunc, "http://0x7f.0.0.1", core.OriginMalformed),
		refused("OriginFunc never handed an IPv6 address with a dotted tail", anyOriginFunc, "http://[::ffff:127.0.0.1]", core.OriginMalformed),
		echoed("IPv4-mapped IPv6 in the form browsers send", core.Config{Origins: []string{"http://[::ffff:7f00:1]"}}, "http://[::ffff:7f00:1]"),
		refused("zero Config allows nothing", core.Config{}, web, core.OriginNotAllowed),
	}
}

// Rule 3: Access-Control-Allow-Origin and credentials.
func credentialsCases() []Case {
	noCredentials := core.Config{Origins: []string{web}, Methods: []string{"PUT"}}
	return []Case{
		{
			Name: "credentials/allow-list echoes the origin and allows cookies", Rule: 3,
			Config:  allowList,
			Request: get(web).with("Cookie", "session=1"),
			Status:  200, Handler: true, Want: granted(web), Vary: varyOrigin,
		},
		{
			Name: "credentials/POST with cookies", Rule: 3,
			Config:  allowList,
			Request: actual("POST", "/posts", mobile).with("Cookie", "session=1", "Content-Type", "text/plain"),
			Status:  200, Handler: true, Want: granted(mobile), Vary: varyOrigin,
		},
		{
			Name: "credentials/preflight allows cookies", Rule: 3,
			Config:  allowList,
			Request: preflight(tablet, "DELETE"),
			Status:  204, Want: grantedPreflight(tablet, "DELETE", ""),
		},
		{
			Name: "credentials/off: origin echoed, no Allow-Credentials", Rule: 3,
			Config:  noCredentials,
			Request: get(web),
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: web}, Absent: []string{allowCredentials}, Vary: varyOrigin,
		},
		{
			Name: "credentials/off: preflight without Allow-Credentials", Rule: 3,
			Config:  noCredentials,
			Request: preflight(web, "PUT"),
			Status:  204, Want: map[string]string{allowOrigin: web, allowMethods: "PUT"}, Absent: []string{allowCredentials},
		},
		{
			Name: "credentials/any origin without credentials sends * on preflights", Rule: 3,
			Config:  publicAPI,
			Request: preflight("https://anyone.example", "PUT", "content-type"),
			Status:  204, Want: map[string]string{allowOrigin: "*", allowMethods: "PUT", allowHeaders: "content-type", maxAge: "600"},
			Absent: []string{allowCredentials},
		},
		{
			Name: "credentials/never * with credentials: headers * echoes the origin", Rule: 3,
			Config:  anyHeaders,
			Request: get(web),
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: web, allowCredentials: "true"}, Vary: varyOrigin,
		},
		{
			Name: "credentials/subdomain pattern echoes the origin with credentials", Rule: 3,
			Config:  subdomains,
			Request: get("https://shop.example.com"),
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: "https://shop.example.com", allowCredentials: "true"}, Vary: varyOrigin,
		},
		{
			Name: "credentials/OriginFunc echoes the origin with credentials", Rule: 3,
			Config:  partners,
			Request: get("https://shop.partner.example"),
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: "https://shop.partner.example", allowCredentials: "true"}, Vary: varyOrigin,
		},
		{
			Name: "credentials/refused origin gets no Allow-Credentials", Rule: 3,
			Config:  allowList,
			Request: get(evil).with("Cookie", "session=1"),
			Status:  200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
	}
}

// Rule 4: Vary.
func varyCases() []Case {
	setsVary := app(
		Route{Method: "GET", Path: "/posts", Behavior: SetsVary},
		Route{Method: "POST", Path: "/posts", Behavior: SetsVary},
	)
	both := []string{"Origin", "Accept-Encoding"}
	return []Case{
		{
			Name: "vary/allowed actual request", Rule: 4,
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: map[string]string{"Vary": "Origin"},
		},
		{
			Name: "vary/refused actual request", Rule: 4,
			Config: allowList, Request: get(evil),
			Status: 200, Handler: true, Want: map[string]string{"Vary": "Origin"}, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "vary/rejected actual request", Rule: 4,
			Config: rejecting, Request: get(evil),
			Status: 403, Vary: varyOrigin, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "vary/no Origin, allow-list", Rule: 4,
			Config: allowList, Request: Request{Method: "GET"},
			Status: 200, Handler: true, Want: map[string]string{"Vary": "Origin"},
		},
		{
			Name: "vary/no Origin, subdomain pattern", Rule: 4,
			Config: subdomains, Request: Request{Method: "GET"},
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "vary/no Origin, OriginFunc", Rule: 4,
			Config: anyOriginFunc, Request: Request{Method: "GET"},
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "vary/no Origin, null", Rule: 4,
			Config: nullOrigin, Request: Request{Method: "GET"},
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "vary/same-origin request", Rule: 4,
			Config: allowList, Request: actual("POST", "/posts", self),
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "vary/any origin without credentials: the same answer for every origin", Rule: 4,
			Config: publicAPI, Request: get("https://anyone.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*"}, Absent: []string{allowCredentials},
		},
		{
			Name: "vary/handler sets its own Vary: both tokens", Rule: 4,
			Config: allowList, App: setsVary, Request: get(web),
			Status: 200, Handler: true, Want: granted(web), Vary: both,
		},
		{
			Name: "vary/handler sets its own Vary, no Origin: both tokens", Rule: 4,
			Config: allowList, App: setsVary, Request: Request{Method: "GET"},
			Status: 200, Handler: true, Vary: both,
		},
		{
			Name: "vary/handler sets its own Vary, refused origin: both tokens", Rule: 4,
			Config: allowList, App: setsVary, Request: actual("POST", "/posts", evil),
			Status: 200, Handler: true, Vary: both, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "vary/allowed preflight answered by corskit: none (OPTIONS responses are not cached)", Rule: 4,
			Config: allowList, Request: preflight(web, "PUT", "content-type"),
			Status: 204, Want: grantedPreflight(web, "PUT", "content-type"), Absent: []string{"Vary"},
		},
		{
			Name: "vary/refused preflight answered by corskit: none", Rule: 4,
			Config: allowList, Request: preflight(evil, "PUT"),
			Status: 403, Absent: append([]string{"Vary"}, noCORS...), Reason: core.OriginNotAllowed,
		},
		{
			Name: "vary/preflight passed through to the handler: Origin, as on any response the handler makes", Rule: 4,
			Config: core.Config{Origins: []string{web}, Methods: []string{"PUT"}, PreflightPassthrough: true},
			App:    app(Route{Method: "OPTIONS", Path: "/posts"}), Request: preflight(web, "PUT"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web, allowMethods: "PUT"}, Vary: varyOrigin,
		},
		{
			Name: "vary/handler sets its own Vary, any origin: kept", Rule: 4,
			Config: publicAPI, App: setsVary, Request: get("https://anyone.example"),
			Status: 200, Handler: true, Vary: []string{"Accept-Encoding"}, Want: map[string]string{allowOrigin: "*"},
		},
	}
}
