package conformance

import "github.com/corskit/corskit/core"

// Rule 1: what kind of request it is.
func classificationCases() []row {
	optionsRoute := app(Route{Method: "OPTIONS", Path: "/posts"})
	return []row{
		{
			Name: "classification/no Origin: handler runs untouched but for Vary", Rule: 1,
			Why:     "A request without Origin, such as a page navigation, is not CORS, so its handler runs with no CORS headers but still gets Vary: Origin so a cache never serves it to a script.",
			Config:  allowList,
			Request: request{Method: "GET"},
			Status:  200, Handler: true, Vary: varyOrigin, Absent: noCORS,
		},
		{
			Name: "classification/no Origin POST: handler runs", Rule: 1,
			Why:     "A form post or server-to-server call without Origin is not a CORS request, so corskit lets it through to the handler and adds no CORS headers.",
			Config:  allowList,
			Request: request{Method: "POST"},
			Status:  200, Handler: true, Vary: varyOrigin, Absent: noCORS,
		},
		{
			// Fetch, "CORS protocol and HTTP caches": when Allow-Origin is
			// "*", send it on every response and no Vary, so a cached
			// answer to a request without Origin still serves CORS.
			Name: "classification/no Origin with any-origin policy: the same static * answer, no Vary", Rule: 1,
			Why:     "Under * without credentials the answer never depends on Origin, so a request without one gets the same * headers and no Vary, and one cached copy serves every caller.",
			Config:  publicAPI,
			Request: request{Method: "GET"},
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "X-Total-Count"},
			Absent: []string{"Vary", "Access-Control-Allow-Credentials"},
		},
		{
			Name: "classification/OPTIONS without Origin is not CORS: handler runs", Rule: 1,
			Why:     "An OPTIONS request without Origin is an ordinary call a client made on purpose, so the application's own OPTIONS handler must answer it untouched.",
			Config:  allowList,
			App:     optionsRoute,
			Request: request{Method: "OPTIONS"},
			Status:  200, Handler: true, Absent: noCORS,
		},
		{
			Name: "classification/OPTIONS with Access-Control-Request-Method but no Origin is not a preflight", Rule: 1,
			Why:     "Browsers always send Origin with a preflight, so an OPTIONS call carrying only Access-Control-Request-Method is a real call and must reach the application's handler.",
			Config:  allowList,
			App:     optionsRoute,
			Request: request{Method: "OPTIONS", Header: []string{"Access-Control-Request-Method", "PUT"}},
			Status:  200, Handler: true, Absent: noCORS,
		},
		{
			Name: "classification/OPTIONS with Origin but without Access-Control-Request-Method is an actual request", Rule: 1,
			Why:     "An OPTIONS call with Origin but no requested method is a real request a script sent, so its handler runs and it gets the actual-request grant, not a preflight answer.",
			Config:  allowList,
			App:     optionsRoute,
			Request: actual("OPTIONS", "/posts", web),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly, Vary: varyOrigin,
		},
		{
			Name: "classification/OPTIONS with an empty Access-Control-Request-Method is an actual request", Rule: 1,
			Why:     "An empty Access-Control-Request-Method asks for no method at all, so corskit serves the OPTIONS call as an actual request instead of answering a preflight nobody made.",
			Config:  allowList,
			App:     optionsRoute,
			Request: actual("OPTIONS", "/posts", web).with("Access-Control-Request-Method", ""),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly,
		},
		{
			Name: "classification/OPTIONS actual request from a refused origin: handler runs without CORS headers", Rule: 1,
			Why:     "A real OPTIONS call from a refused origin still reaches its handler, but without CORS headers, so the browser keeps the answer from the foreign page.",
			Config:  allowList,
			App:     optionsRoute,
			Request: actual("OPTIONS", "/posts", evil),
			Status:  200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
		{
			Name: "classification/GET with Access-Control-Request-Method is an actual request", Rule: 1,
			Why:     "Only OPTIONS can be a preflight, so a GET carrying Access-Control-Request-Method is served as a real request and never gets a 204 in place of its data.",
			Config:  allowList,
			Request: get(web).with("Access-Control-Request-Method", "PUT"),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly,
		},
		{
			Name: "classification/POST with preflight headers is an actual request", Rule: 1,
			Why:     "Preflight headers on a POST do not make it a preflight, so the handler still runs and the write is neither skipped nor answered with an empty 204.",
			Config:  allowList,
			Request: actual("POST", "/posts", web).with("Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly,
		},
		{
			Name: "classification/OPTIONS with Origin and Access-Control-Request-Method is a preflight", Rule: 1,
			Why:     "An OPTIONS call with Origin and a requested method is the browser asking permission, so corskit answers it itself with 204 and the preflight grant.",
			Config:  allowList,
			Request: preflight(web, "PUT"),
			Status:  204, Want: grantedPreflight(web, "PUT", ""), Absent: []string{exposeHeaders},
		},
		{
			Name: "classification/HEAD with Origin is an actual request: handler runs", Rule: 1,
			Why:     "HEAD is safelisted and sent without a preflight, so corskit treats it as an actual request, runs the handler and gives it the same grant a GET would get.",
			Config:  allowList,
			Request: actual("HEAD", "/posts", web),
			Status:  200, Handler: true, Want: granted(web), Absent: preflightOnly, Vary: varyOrigin,
		},
	}
}

// Rule 2: which origins match.
func originCases() []row {
	refused := func(name string, cfg core.Config, origin string, reason core.Reason, why string) row {
		return row{
			Name: "origins/" + name, Rule: 2,
			Why:     why,
			Config:  cfg,
			Request: get(origin),
			Status:  200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: reason,
		}
	}
	echoed := func(name string, cfg core.Config, origin, why string) row {
		want := map[string]string{allowOrigin: origin}
		if cfg.Credentials {
			want[allowCredentials] = "true"
		}
		return row{
			Name: "origins/" + name, Rule: 2,
			Why:     why,
			Config:  cfg,
			Request: get(origin),
			Status:  200, Handler: true, Want: want, Vary: varyOrigin,
		}
	}
	return []row{
		{
			Name: "origins/allow-list: web site", Rule: 2,
			Why:    "An origin named in the allow-list gets itself echoed with credentials allowed, so the listed web site can read the response with its cookies.",
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: granted(web), Vary: varyOrigin,
		},
		{
			Name: "origins/allow-list: mobile site", Rule: 2,
			Why:    "Each listed origin matches on its own, so the mobile site gets its own origin echoed back and never another entry of the list.",
			Config: allowList, Request: get(mobile),
			Status: 200, Handler: true, Want: granted(mobile), Vary: varyOrigin,
		},
		{
			Name: "origins/allow-list: tablet site", Rule: 2,
			Why:    "The third listed origin is echoed as well, showing that the lookup covers every entry of the list and not only the first ones.",
			Config: allowList, Request: get(tablet),
			Status: 200, Handler: true, Want: granted(tablet), Vary: varyOrigin,
		},
		refused("allow-list: unlisted origin", allowList, evil, core.OriginNotAllowed,
			"An origin missing from the list gets no CORS headers, so pages on that site cannot read the API's answers even though the handler ran."),
		refused("allow-list: other scheme", allowList, "http://web.example.com", core.OriginNotAllowed,
			"Plain http is another origin than the listed https one, and allowing it would let a network attacker who injects an http page read the API."),
		refused("allow-list: other port", allowList, "https://web.example.com:8443", core.OriginNotAllowed,
			"Another port on the listed host is another origin, possibly run by someone else, so it must not inherit the listed origin's access."),
		refused("allow-list: listed origin as a prefix", allowList, "https://web.example.com.evil.example", core.OriginNotAllowed,
			"Prefix matching is the classic hole that lets web.example.com.evil.example, an attacker's domain, in, so a listed origin must match in full."),
		refused("allow-list: listed origin as a suffix", allowList, "https://evilweb.example.com", core.OriginNotAllowed,
			"Suffix matching would let whoever registers evilweb.example.com read the API, so the origin must equal the listed one and not merely end like it."),
		refused("allow-list: subdomain of a listed origin", allowList, "https://a.web.example.com", core.OriginNotAllowed,
			"Listing an origin does not open its subdomains, which other teams or users may control, unless the policy says so with a pattern."),
		refused("allow-list: upper-case host never matches", allowList, "https://WEB.example.com", core.OriginMalformed,
			"Browsers always send hosts in lower case, so an upper-case host is refused as malformed instead of being folded until it matches a listed origin."),
		refused("allow-list: upper-case scheme never matches", allowList, "HTTPS://web.example.com", core.OriginMalformed,
			"Browsers always send the scheme in lower case, so HTTPS:// comes from a hand-made client and is refused as malformed rather than matched loosely."),
		refused("allow-list: default port spelled out never matches", allowList, "https://web.example.com:443", core.OriginMalformed,
			"Browsers leave out the default port, so an origin ending in :443 is not what a browser sends and is refused as malformed instead of being normalised."),
		refused("allow-list: user info never matches", allowList, "https://user@web.example.com", core.OriginMalformed,
			"An Origin carrying user info is never sent by a browser and can hide which host is really meant, so it is refused as malformed."),
		refused("allow-list: query never matches", allowList, "https://web.example.com?x", core.OriginMalformed,
			"An Origin with a query is not an origin at all, so it is refused as malformed instead of being trimmed until it looks like a listed one."),
		refused("allow-list: two origins in one line never match", allowList, web+", "+mobile, core.OriginMalformed,
			"A comma-joined pair is not one origin, and matching either half would let a forged value ride on a listed origin's access."),
		{
			Name: "origins/allow-list: duplicated Origin lines never match", Rule: 2,
			Why:    "Two Origin lines, even identical ones, never come from a browser, so corskit refuses them as malformed instead of guessing which one counts.",
			Config: allowList, Request: get(web, web),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginMalformed,
		},
		{
			Name: "origins/allow-list: two different Origin lines never match", Rule: 2,
			Why:    "If either of two Origin lines could match, an attacker could add a listed origin next to their own, so several lines are refused as malformed.",
			Config: allowList, Request: get(web, evil),
			Status: 200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginMalformed,
		},
		{
			Name: "origins/any origin: Allow-Origin is *", Rule: 2,
			Why:    "A public API allowing any origin without cookies answers * with no Allow-Credentials, so every site can read it but no user session is ever shared.",
			Config: publicAPI, Request: get("https://anyone.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "X-Total-Count"},
			Absent: []string{allowCredentials},
		},
		{
			Name: "origins/any origin: null gets *", Rule: 2,
			Why:    "Under * even a sandboxed page sending null can read the public API, which is safe because the policy never allows credentials.",
			Config: publicAPI, Request: get("null"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*"}, Absent: []string{allowCredentials},
		},
		{
			Name: "origins/any origin: duplicated Origin lines get the static * answer", Rule: 2,
			Why:    "Under * the answer never depends on Origin, so even duplicated Origin lines get the same static answer without Vary instead of a refusal.",
			Config: publicAPI, Request: get("https://a.example", "https://b.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*", exposeHeaders: "X-Total-Count"},
			Absent: []string{"Vary"},
		},
		echoed("subdomains: one level", subdomains, "https://blog.example.com",
			"A subdomain pattern echoes a matching subdomain with credentials, so the sites under one domain can share a logged-in API."),
		echoed("subdomains: any depth", subdomains, "https://a.b.c.example.com",
			"The pattern covers subdomains at any depth, so nested hosts such as a.b.c.example.com work without listing every level."),
		refused("subdomains: not the apex", subdomains, "https://example.com", core.OriginNotAllowed,
			"A pattern written https://*.example.com names subdomains only, so the apex domain stays closed unless it is listed by name."),
		refused("subdomains: not another scheme", subdomains, "http://blog.example.com", core.OriginNotAllowed,
			"A pattern for https does not cover plain http subdomains, whose pages a network attacker could forge."),
		refused("subdomains: not another port", subdomains, "https://blog.example.com:8443", core.OriginNotAllowed,
			"A subdomain pattern without a port matches only the default port, so other services on those hosts stay closed."),
		refused("subdomains: not a look-alike domain", subdomains, "https://blogexample.com", core.OriginNotAllowed,
			"A pattern must match on a dot boundary, so a look-alike domain such as blogexample.com, which anyone could register, is refused."),
		refused("subdomains: not the domain as a prefix", subdomains, "https://blog.example.com.evil.example", core.OriginNotAllowed,
			"A host that only starts with a matching subdomain belongs to evil.example, so the pattern must match the end of the host, never its start."),
		refused("subdomains: empty label never matches", subdomains, "https://.example.com", core.OriginMalformed,
			"A host starting with an empty label is never sent by a browser, so it is refused as malformed instead of matching the subdomain pattern."),
		echoed("development: localhost on a port", development, "http://localhost:1111",
			"A port pattern lets front-end dev servers on any localhost port use the API without listing each port."),
		echoed("development: localhost on another port", development, "http://localhost:8080",
			"A second, different port matches the same pattern, showing the wildcard covers any port and not just one."),
		refused("development: localhost without a port", development, "http://localhost", core.OriginNotAllowed,
			"The pattern http://localhost:* needs an explicit port, so plain localhost on port 80 is another origin and stays refused."),
		refused("development: https is another origin", development, "https://localhost:1111", core.OriginNotAllowed,
			"A port pattern keeps its scheme, so https on localhost is a different origin and is not opened by the http pattern."),
		refused("development: 127.0.0.1 is another host", development, "http://127.0.0.1:1111", core.OriginNotAllowed,
			"Patterns compare hosts as written, so 127.0.0.1 is not taken for localhost even though both reach the same machine."),
		refused("development: localhost as a prefix", development, "http://localhost.evil.example:1111", core.OriginNotAllowed,
			"The host localhost.evil.example is a public name anyone can register, so a localhost pattern must never match it as a prefix."),
		echoed("IPv6 loopback on any port", core.Config{Origins: []string{"http://[::1]:*"}}, "http://[::1]:3000",
			"A port pattern works for bracketed IPv6 hosts too, so dev servers reached at [::1] are allowed just like localhost."),
		echoed("mobile app web view scheme", core.Config{Origins: []string{"capacitor://localhost"}}, "capacitor://localhost",
			"Hybrid mobile apps send custom-scheme origins such as capacitor://localhost, so a listed non-http origin must match exactly."),
		echoed("null when listed", nullOrigin, "null",
			"Listing null opens the API to sandboxed iframes and local files, and naming it is the only way null ever matches."),
		refused("null when not listed", allowList, "null", core.OriginNotAllowed,
			"Any site can make its page send null through a sandboxed iframe, so null is refused unless the policy names it."),
		refused("null not matched by a subdomain pattern", subdomains, "null", core.OriginNotAllowed,
			"A subdomain pattern must not let null through, since any site can produce a null origin with a sandboxed frame."),
		refused("null not matched by a port pattern", development, "null", core.OriginNotAllowed,
			"A localhost port pattern must not match null either, or any site could reach a developer's local API through a sandboxed frame."),
		refused("null never handed to OriginFunc", anyOriginFunc, "null", core.OriginNotAllowed,
			"A function that says yes to everything is never asked about null, so a permissive function cannot open the API to every sandboxed page by accident."),
		echoed("OriginFunc allows", partners, "https://shop.partner.example",
			"An origin the list does not name is passed to OriginFunc, and its yes echoes the origin with credentials, so partners can be decided at run time."),
		echoed("OriginFunc not needed for a listed origin", partners, web,
			"A listed origin is allowed without asking OriginFunc, so the common case stays an exact match and the function can stay simple."),
		refused("OriginFunc refuses", partners, "https://partner.example.evil.example", core.OriginNotAllowed,
			"When OriginFunc says no, here to a host that merely contains the partner domain, the request gets no CORS headers."),
		refused("OriginFunc never handed a non-canonical origin", anyOriginFunc, "https://Shop.partner.example", core.OriginMalformed,
			"OriginFunc only ever sees origins in the browser's exact form, so a mixed-case value is refused before it could fool a careless check."),
		refused("OriginFunc never handed a trailing slash", anyOriginFunc, "https://shop.partner.example/", core.OriginMalformed,
			"A trailing slash is refused before OriginFunc runs, so user code never has to strip or normalise origins itself."),
		refused("OriginFunc never handed an IPv4 address in shorthand", anyOriginFunc, "http://127.1:3000", core.OriginMalformed,
			"Browsers write 127.1 as 127.0.0.1, so the shorthand is refused before OriginFunc, which might not recognise it as loopback."),
		refused("OriginFunc never handed an IPv4 address as one number", anyOriginFunc, "http://2130706433", core.OriginMalformed,
			"The host 2130706433 is 127.0.0.1 written as one number, which browsers never send, so OriginFunc is never asked to recognise it."),
		refused("OriginFunc never handed an IPv4 address in hexadecimal", anyOriginFunc, "http://0x7f.0.0.1", core.OriginMalformed,
			"Hexadecimal addresses such as 0x7f.0.0.1 are a known way past address filters, so they are refused before OriginFunc sees them."),
		refused("OriginFunc never handed an IPv6 address with a dotted tail", anyOriginFunc, "http://[::ffff:127.0.0.1]", core.OriginMalformed,
			"Browsers write IPv4-mapped IPv6 addresses in hex, so the dotted form is refused before OriginFunc could misread it."),
		echoed("IPv4-mapped IPv6 in the form browsers send", core.Config{Origins: []string{"http://[::ffff:7f00:1]"}}, "http://[::ffff:7f00:1]",
			"An IPv4-mapped IPv6 origin in the hex form browsers send matches when listed, so refusing the dotted form locks no real client out."),
		refused("zero Config allows nothing", core.Config{}, web, core.OriginNotAllowed,
			"A policy with nothing configured refuses every origin, so forgetting to set Origins fails closed instead of open."),
	}
}

// Rule 3: Access-Control-Allow-Origin and credentials.
func credentialsCases() []row {
	noCredentials := core.Config{Origins: []string{web}, Methods: []string{"PUT"}}
	return []row{
		{
			Name: "credentials/allow-list echoes the origin and allows cookies", Rule: 3,
			Why:     "A GET with a session cookie from a listed origin gets its exact origin and Allow-Credentials: true, the only answer browsers accept with cookies.",
			Config:  allowList,
			Request: get(web).with("Cookie", "session=1"),
			Status:  200, Handler: true, Want: granted(web), Vary: varyOrigin,
		},
		{
			Name: "credentials/POST with cookies", Rule: 3,
			Why:     "A cookie-bearing POST from a listed origin gets the credentialed grant, so the page can read the answer to its own write.",
			Config:  allowList,
			Request: actual("POST", "/posts", mobile).with("Cookie", "session=1", "Content-Type", "text/plain"),
			Status:  200, Handler: true, Want: granted(mobile), Vary: varyOrigin,
		},
		{
			Name: "credentials/preflight allows cookies", Rule: 3,
			Why:     "A preflight for a credentialed DELETE must say Allow-Credentials: true as well, or the browser never sends the real request.",
			Config:  allowList,
			Request: preflight(tablet, "DELETE"),
			Status:  204, Want: grantedPreflight(tablet, "DELETE", ""),
		},
		{
			Name: "credentials/off: origin echoed, no Allow-Credentials", Rule: 3,
			Why:     "With Credentials off corskit still echoes the listed origin but omits Allow-Credentials, so browsers withhold any cookie-bearing response from the page.",
			Config:  noCredentials,
			Request: get(web),
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: web}, Absent: []string{allowCredentials}, Vary: varyOrigin,
		},
		{
			Name: "credentials/off: preflight without Allow-Credentials", Rule: 3,
			Why:     "A preflight under a policy without credentials omits Allow-Credentials too, so a page cannot get a credentialed request approved.",
			Config:  noCredentials,
			Request: preflight(web, "PUT"),
			Status:  204, Want: map[string]string{allowOrigin: web, allowMethods: "PUT"}, Absent: []string{allowCredentials},
		},
		{
			Name: "credentials/any origin without credentials sends * on preflights", Rule: 3,
			Why:     "A public API answers preflights with * and the requested method and header, since without credentials the same answer is right for every site.",
			Config:  publicAPI,
			Request: preflight("https://anyone.example", "PUT", "content-type"),
			Status:  204, Want: map[string]string{allowOrigin: "*", allowMethods: "PUT", allowHeaders: "content-type", maxAge: "600"},
			Absent: []string{allowCredentials},
		},
		{
			Name: "credentials/never * with credentials: headers * echoes the origin", Rule: 3,
			Why:     "A policy allowing any header with credentials still echoes the exact origin, because browsers refuse * on a credentialed response.",
			Config:  anyHeaders,
			Request: get(web),
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: web, allowCredentials: "true"}, Vary: varyOrigin,
		},
		{
			Name: "credentials/subdomain pattern echoes the origin with credentials", Rule: 3,
			Why:     "A subdomain allowed by a pattern gets its own origin echoed with credentials, never the * that browsers would reject with cookies.",
			Config:  subdomains,
			Request: get("https://shop.example.com"),
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: "https://shop.example.com", allowCredentials: "true"}, Vary: varyOrigin,
		},
		{
			Name: "credentials/OriginFunc echoes the origin with credentials", Rule: 3,
			Why:     "An origin approved by OriginFunc gets its exact value echoed with credentials, so a run-time decision never widens into *.",
			Config:  partners,
			Request: get("https://shop.partner.example"),
			Status:  200, Handler: true, Want: map[string]string{allowOrigin: "https://shop.partner.example", allowCredentials: "true"}, Vary: varyOrigin,
		},
		{
			Name: "credentials/refused origin gets no Allow-Credentials", Rule: 3,
			Why:     "A refused origin sending cookies gets no Allow-Credentials or any other CORS header, so a foreign page never reads the user's data.",
			Config:  allowList,
			Request: get(evil).with("Cookie", "session=1"),
			Status:  200, Handler: true, Absent: noCORS, Vary: varyOrigin, Reason: core.OriginNotAllowed,
		},
	}
}

// Rule 4: Vary.
func varyCases() []row {
	setsVary := app(
		Route{Method: "GET", Path: "/posts", Behavior: SetsVary},
		Route{Method: "POST", Path: "/posts", Behavior: SetsVary},
	)
	both := []string{"Origin", "Accept-Encoding"}
	return []row{
		{
			Name: "vary/allowed actual request", Rule: 4,
			Why:    "An echoed origin makes the answer differ by origin, so Vary: Origin stops a shared cache from serving one site's grant to another.",
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: map[string]string{"Vary": "Origin"},
		},
		{
			Name: "vary/refused actual request", Rule: 4,
			Why:    "A refusal needs Vary: Origin too, or a cache could store the bare answer and later serve it to a listed origin, which would then fail.",
			Config: allowList, Request: get(evil),
			Status: 200, Handler: true, Want: map[string]string{"Vary": "Origin"}, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "vary/rejected actual request", Rule: 4,
			Why:    "A 403 from RejectDisallowed also depends on the origin, so it lists Origin in Vary to keep caches from serving it to allowed sites.",
			Config: rejecting, Request: get(evil),
			Status: 403, Vary: varyOrigin, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "vary/no Origin, allow-list", Rule: 4,
			Why:    "A response to a navigation without Origin lists Origin in Vary, or a cache could later serve it without CORS headers to a script.",
			Config: allowList, Request: request{Method: "GET"},
			Status: 200, Handler: true, Want: map[string]string{"Vary": "Origin"},
		},
		{
			Name: "vary/no Origin, subdomain pattern", Rule: 4,
			Why:    "A subdomain-pattern policy also answers by origin, so a request without Origin gets Vary: Origin just as under a plain list.",
			Config: subdomains, Request: request{Method: "GET"},
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "vary/no Origin, OriginFunc", Rule: 4,
			Why:    "A policy decided by OriginFunc depends on Origin even when the function says yes to all, so a request without Origin still gets Vary: Origin.",
			Config: anyOriginFunc, Request: request{Method: "GET"},
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "vary/no Origin, null", Rule: 4,
			Why:    "A policy that allows only null still depends on Origin, so a request without Origin gets Vary: Origin to keep caches honest.",
			Config: nullOrigin, Request: request{Method: "GET"},
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "vary/same-origin request", Rule: 4,
			Why:    "The site's own POST carrying Origin gets Vary: Origin, because a cross-origin request to the same URL would get a different answer.",
			Config: allowList, Request: actual("POST", "/posts", self),
			Status: 200, Handler: true, Vary: varyOrigin,
		},
		{
			Name: "vary/any origin without credentials: the same answer for every origin", Rule: 4,
			Why:    "Under * without credentials every origin gets the identical * answer, which is what makes one cached copy safe to share among sites.",
			Config: publicAPI, Request: get("https://anyone.example"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: "*"}, Absent: []string{allowCredentials},
		},
		{
			Name: "vary/handler sets its own Vary: both tokens", Rule: 4,
			Why:    "A handler's Vary: Accept-Encoding survives with Origin added beside it, or caches would mix compressed and plain bodies.",
			Config: allowList, App: setsVary, Request: get(web),
			Status: 200, Handler: true, Want: granted(web), Vary: both,
		},
		{
			Name: "vary/handler sets its own Vary, no Origin: both tokens", Rule: 4,
			Why:    "Even without Origin corskit appends its token to the handler's Vary instead of replacing it, so both cache keys are kept.",
			Config: allowList, App: setsVary, Request: request{Method: "GET"},
			Status: 200, Handler: true, Vary: both,
		},
		{
			Name: "vary/handler sets its own Vary, refused origin: both tokens", Rule: 4,
			Why:    "On a refused POST corskit still appends Origin to the handler's Vary rather than overwriting it, so neither cache key is lost.",
			Config: allowList, App: setsVary, Request: actual("POST", "/posts", evil),
			Status: 200, Handler: true, Vary: both, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "vary/allowed preflight answered by corskit: none (OPTIONS responses are not cached)", Rule: 4,
			Why:    "A preflight corskit answers carries no Vary, since HTTP caches do not store OPTIONS responses and browsers cache preflights per origin.",
			Config: allowList, Request: preflight(web, "PUT", "content-type"),
			Status: 204, Want: grantedPreflight(web, "PUT", "content-type"), Absent: []string{"Vary"},
		},
		{
			Name: "vary/refused preflight answered by corskit: none", Rule: 4,
			Why:    "A refused preflight gets a bare 403 with neither Vary nor CORS headers, since no cache stores it and the browser needs only the refusal.",
			Config: allowList, Request: preflight(evil, "PUT"),
			Status: 403, Absent: append([]string{"Vary"}, noCORS...), Reason: core.OriginNotAllowed,
		},
		{
			Name: "vary/preflight passed through to the handler: Origin, as on any response the handler makes", Rule: 4,
			Why:    "A preflight passed to the handler becomes the handler's response, so it gets Vary: Origin like any other answer the handler makes.",
			Config: core.Config{Origins: []string{web}, Methods: []string{"PUT"}, PreflightPassthrough: true},
			App:    app(Route{Method: "OPTIONS", Path: "/posts"}), Request: preflight(web, "PUT"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web, allowMethods: "PUT"}, Vary: varyOrigin,
		},
		{
			Name: "vary/handler sets its own Vary, any origin: kept", Rule: 4,
			Why:    "Under * corskit has no reason to add Origin to Vary, but the handler's own Accept-Encoding token must still come through untouched.",
			Config: publicAPI, App: setsVary, Request: get("https://anyone.example"),
			Status: 200, Handler: true, Vary: []string{"Accept-Encoding"}, Want: map[string]string{allowOrigin: "*"},
		},
	}
}
