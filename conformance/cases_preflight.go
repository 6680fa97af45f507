package conformance

import (
	"strings"
	"time"

	"github.com/corskit/corskit/core"
)

// twelveNames are request header names a client sends one per line.
var twelveNames = []string{"x-a1", "x-a2", "x-a3", "x-a4", "x-a5", "x-a6", "x-a7", "x-a8", "x-a9", "x-a10", "x-a11", "x-a12"}

// Rule 5: preflight requests.
func preflightCases() []row {
	ok := func(name string, cfg core.Config, req request, want map[string]string, why string) row {
		return row{
			Name: "preflight/" + name, Rule: 5,
			Why:    why,
			Config: cfg, Request: req,
			Status: 204, Want: want, Absent: []string{exposeHeaders},
		}
	}
	refused := func(name string, cfg core.Config, req request, reason core.Reason, why string) row {
		return row{
			Name: "preflight/" + name, Rule: 5,
			Why:    why,
			Config: cfg, Request: req,
			Status: 403, Absent: noCORS, Reason: reason,
		}
	}
	optionsRoute := app(Route{Method: "OPTIONS", Path: "/posts"})
	passthrough := core.Config{Origins: []string{web}, Methods: []string{"PUT"}, PreflightPassthrough: true}
	custom := core.Config{Origins: []string{web}, Methods: []string{"PUT"}, PreflightStatus: 200, PreflightFailureStatus: 400}
	return []row{
		ok("allowed: method and headers listed", allowList, preflight(web, "PUT", "content-type,x-requested-with"),
			grantedPreflight(web, "PUT", "content-type,x-requested-with"),
			"A preflight asking for a listed method and listed headers gets 204 and the full grant, so the browser goes on to send the real PUT."),
		ok("allowed: DELETE", allowList, preflight(mobile, "DELETE"), grantedPreflight(mobile, "DELETE", ""),
			"A preflight for DELETE from the mobile site gets the grant with its own origin, so the browser can go ahead and send the delete."),
		ok("allowed: PATCH listed in upper case", allowList, preflight(web, "PATCH", "content-type"), grantedPreflight(web, "PATCH", "content-type"),
			"Browsers upper-case only the standard methods and leave PATCH as written, so PATCH listed and sent in upper case matches."),
		ok("allowed: safelisted POST needs no listing", allowList, preflight(web, "POST", "content-type"), grantedPreflight(web, "POST", "content-type"),
			"POST is safelisted, so its preflight succeeds without listing it, as happens when only a Content-Type header triggered the preflight."),
		ok("allowed: safelisted GET needs no listing", core.Config{Origins: []string{web}}, preflight(web, "GET"),
			map[string]string{allowOrigin: web, allowMethods: "GET"},
			"A policy listing no methods still grants GET, since safelisted methods never need listing, so a custom header alone cannot fail on the method."),
		ok("allowed: safelisted HEAD needs no listing", core.Config{Origins: []string{web}}, preflight(web, "HEAD"),
			map[string]string{allowOrigin: web, allowMethods: "HEAD"},
			"HEAD is safelisted as well, so a policy with no methods listed still approves a HEAD preflight."),
		ok("allowed: no headers requested, no Allow-Headers", allowList, preflight(web, "PUT"), grantedPreflight(web, "PUT", ""),
			"A preflight that names no headers gets the grant without an Allow-Headers list, keeping the answer to exactly what was asked."),
		ok("headers: compared case-insensitively", allowList, preflight(web, "PUT", "Content-Type,X-Requested-With"),
			grantedPreflight(web, "PUT", "Content-Type,X-Requested-With"),
			"Header names are case-insensitive in HTTP, so Content-Type from a hand-written client matches the listed name like the lower case a browser sends."),
		ok("headers: in any order", allowList, preflight(web, "PUT", "x-requested-with,content-type"),
			grantedPreflight(web, "PUT", "x-requested-with,content-type"),
			"Browsers sort requested header names but proxies and other clients may not, so the order of the names must not decide the outcome."),
		ok("headers: optional white space", allowList, preflight(web, "PUT", "content-type ,\tx-requested-with"),
			grantedPreflight(web, "PUT", "content-type ,\tx-requested-with"),
			"Spaces and tabs around commas are valid HTTP list syntax, so a strict parser here would break clients that send them."),
		ok("headers: several lines", allowList, preflight(web, "PUT", "content-type", "x-requested-with"),
			grantedPreflight(web, "PUT", "content-type, x-requested-with"),
			"A list split over two header lines is one list, so corskit grants the names from both lines together."),
		ok("headers: 12 names on 12 lines, as some gateways forward them", xHeaders, preflight(web, "PUT", twelveNames...),
			map[string]string{allowOrigin: web, allowMethods: "PUT", allowHeaders: strings.Join(twelveNames, ", ")},
			"Some gateways forward each requested header on its own line, so corskit must accept twelve such lines and grant every name the filter allows."),
		ok("headers: empty elements tolerated", allowList, preflight(web, "PUT", "content-type,,x-requested-with,"),
			grantedPreflight(web, "PUT", "content-type,,x-requested-with,"),
			"HTTP lists may contain empty elements, so a few stray commas must not turn a valid preflight into a failure."),
		refused("method not listed", allowList, preflight(web, "PURGE"), core.MethodNotAllowed,
			"A method the policy does not list is refused with 403 and no CORS headers, so the browser never sends the PURGE."),
		refused("method compared case-sensitively: patch", allowList, preflight(web, "patch"), core.MethodNotAllowed,
			"Methods compare case-sensitively, so a lower-case patch, which browsers leave as written, does not match the listed PATCH."),
		refused("method compared case-sensitively: put", allowList, preflight(web, "put"), core.MethodNotAllowed,
			"Browsers upper-case put before sending it, so a lower-case put comes from a non-browser client and must not match the listed PUT."),
		refused("method not a token", allowList, preflight(web, "PU T"), core.RequestMalformed,
			"A method with a space inside is not a valid HTTP method, so the preflight is refused as malformed instead of being compared."),
		refused("two Access-Control-Request-Method lines", allowList, preflight(web, "PUT").with("Access-Control-Request-Method", "PUT"), core.RequestMalformed,
			"A preflight asks for exactly one method, so two Access-Control-Request-Method lines are refused as malformed rather than picking one."),
		refused("header not listed", allowList, preflight(web, "PUT", "content-type,x-foo"), core.HeaderNotAllowed,
			"One unlisted name among listed ones fails the whole preflight, since the browser would send every requested header on the real request."),
		refused("header not listed on a later line", allowList, preflight(web, "PUT", "content-type", "x-foo"), core.HeaderNotAllowed,
			"An unlisted name on a second header line is checked like the first line, so splitting the list cannot smuggle a header past the policy."),
		refused("Authorization needs listing", allowList, preflight(web, "PUT", "authorization"), core.HeaderNotAllowed,
			"Authorization carries credentials, so a policy that lists only other headers refuses it rather than letting it through with them."),
		refused("origin not allowed", allowList, preflight(evil, "PUT"), core.OriginNotAllowed,
			"A preflight from an unlisted origin fails with 403 and no CORS headers, so the browser never sends the real PUT at all."),
		refused("origin malformed", allowList, preflight("https://web.example.com/", "PUT"), core.OriginMalformed,
			"A trailing slash on Origin is never sent by a browser, so the preflight is refused as malformed instead of matching the listed origin."),
		refused("null origin not listed", allowList, preflight("null", "PUT"), core.OriginNotAllowed,
			"A sandboxed page sending null cannot get a preflight approved by a policy that does not list null."),
		refused("duplicated Origin lines", allowList, preflight(web, "PUT").with("Origin", web), core.OriginMalformed,
			"A preflight with two Origin lines is refused as malformed, since a browser sends exactly one and guessing could grant the wrong site."),
		ok("headers *: Authorization with credentials", anyHeaders, preflight(web, "PUT", "authorization"),
			map[string]string{allowOrigin: web, allowCredentials: "true", allowMethods: "PUT", allowHeaders: "authorization"},
			"With Headers * corskit echoes the checked names, so Authorization works with credentials where the standard's own * would cover neither."),
		ok("headers *: whatever is requested", anyHeaders, preflight(web, "PATCH", "authorization,content-type,x-anything"),
			map[string]string{allowOrigin: web, allowCredentials: "true", allowMethods: "PATCH", allowHeaders: "authorization,content-type,x-anything"},
			"Headers * grants every well-formed name the preflight asks for, echoed back as sent, so clients can add headers without a policy change."),
		ok("methods *: any method with credentials", anyHeaders, preflight(web, "PURGE"),
			map[string]string{allowOrigin: web, allowCredentials: "true", allowMethods: "PURGE"},
			"Methods * echoes the requested method, here PURGE, so it still works with credentials, where browsers would take a literal * as a method name."),
		ok("HeaderFunc: only X- headers, allowed", xHeaders, preflight(web, "PUT", "x-requested-with,x-api-key"),
			map[string]string{allowOrigin: web, allowMethods: "PUT", allowHeaders: "x-requested-with,x-api-key"},
			"HeaderFunc decides the names the list does not name, so a filter allowing x- headers lets x-requested-with and x-api-key through."),
		ok("HeaderFunc: only X- headers, upper case", xHeaders, preflight(web, "PUT", "X-Api-Key"),
			map[string]string{allowOrigin: web, allowMethods: "PUT", allowHeaders: "X-Api-Key"},
			"HeaderFunc is asked in lower case, so a filter written for x- still allows X-Api-Key sent in mixed case, echoed as sent."),
		refused("HeaderFunc: only X- headers, Authorization refused", xHeaders, preflight(web, "PUT", "x-api-key,authorization"), core.HeaderNotAllowed,
			"When HeaderFunc refuses one name, here authorization, the whole preflight fails even though x-api-key alone would pass."),
		refused("HeaderFunc: only X- headers, Content-Type refused", xHeaders, preflight(web, "PUT", "content-type"), core.HeaderNotAllowed,
			"A policy with only a HeaderFunc does not allow Content-Type on its own, so a JSON body needs the filter or the list to say yes."),
		{
			Name: "preflight/never runs the handler, even with an OPTIONS route", Rule: 5,
			Why:    "A preflight must never reach the application's OPTIONS handler as if it were a real call, so corskit answers it with 204 even where such a route exists.",
			Config: allowList, App: optionsRoute, Request: preflight(web, "PUT"),
			Status: 204, Want: grantedPreflight(web, "PUT", ""),
		},
		{
			Name: "preflight/passthrough: handler runs with the headers set", Rule: 5,
			Why:    "With PreflightPassthrough the handler runs after corskit has set the grant headers, for apps that want to shape their own OPTIONS answers.",
			Config: passthrough, App: optionsRoute, Request: preflight(web, "PUT"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web, allowMethods: "PUT"},
		},
		{
			Name: "preflight/passthrough: refused preflight still answered by corskit", Rule: 5,
			Why:    "Passthrough applies only to granted preflights, so a refused DELETE still gets corskit's 403 and the handler never sees it.",
			Config: passthrough, App: optionsRoute, Request: preflight(web, "DELETE"),
			Status: 403, Absent: noCORS, Reason: core.MethodNotAllowed,
		},
		{
			Name: "preflight/custom success status", Rule: 5,
			Why:    "PreflightStatus lets a policy answer 200 instead of 204, for old clients and proxies that mishandle an empty 204.",
			Config: custom, Request: preflight(web, "PUT"),
			Status: 200, Want: map[string]string{allowOrigin: web, allowMethods: "PUT"},
		},
		{
			Name: "preflight/custom failure status", Rule: 5,
			Why:    "PreflightFailureStatus changes the refusal's status, here to 400, while the answer still carries no CORS headers.",
			Config: custom, Request: preflight(web, "DELETE"),
			Status: 400, Absent: noCORS, Reason: core.MethodNotAllowed,
		},
	}
}

// Rule 7: Access-Control-Max-Age.
func maxAgeCases() []row {
	withMaxAge := func(d time.Duration) core.Config {
		return core.Config{Origins: []string{web}, MaxAge: d}
	}
	return []row{
		{
			Name: "maxage/sent on preflights", Rule: 7,
			Why:    "A granted preflight carries the configured ten minutes as Max-Age: 600, sparing the browser a round trip before each following request.",
			Config: allowList, Request: preflight(web, "PUT"),
			Status: 204, Want: map[string]string{maxAge: "600"},
		},
		{
			Name: "maxage/Chromium's cap of two hours", Rule: 7,
			Why:    "Two hours are sent as 7200 unchanged, the most Chromium honours, so corskit leaves capping to each browser rather than guessing.",
			Config: withMaxAge(2 * time.Hour), Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{maxAge: "7200"},
		},
		{
			Name: "maxage/whole seconds", Rule: 7,
			Why:    "Max-Age is written in whole seconds, so 90 seconds goes out as 90, the only form browsers parse.",
			Config: withMaxAge(90 * time.Second), Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{maxAge: "90"},
		},
		{
			Name: "maxage/unset: no header", Rule: 7,
			Why:    "Without MaxAge no Max-Age is sent and browsers fall back to their own five seconds, rather than corskit picking a time for the user.",
			Config: core.Config{Origins: []string{web}}, Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{allowOrigin: web}, Absent: []string{maxAge},
		},
		{
			Name: "maxage/caching disabled: 0", Rule: 7,
			Why:    "NoPreflightCache sends Max-Age: 0, asking browsers to preflight every time while a policy is being changed.",
			Config: core.Config{Origins: []string{web}, NoPreflightCache: true}, Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{maxAge: "0"},
		},
		{
			Name: "maxage/never on actual responses", Rule: 7,
			Why:    "Max-Age means nothing on an actual response, so the GET's answer carries the grant without it.",
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: granted(web), Absent: []string{maxAge},
		},
		{
			Name: "maxage/never on OPTIONS actual responses", Rule: 7,
			Why:    "An OPTIONS call without a requested method is an actual request, so it gets no Max-Age even though it shares the preflight's method.",
			Config: allowList, App: app(Route{Method: "OPTIONS", Path: "/posts"}), Request: actual("OPTIONS", "/posts", web),
			Status: 200, Handler: true, Absent: []string{maxAge},
		},
		{
			Name: "maxage/never on refused preflights", Rule: 7,
			Why:    "A refused preflight carries no Max-Age, since there is no grant to cache and a refusal carries no CORS headers at all.",
			Config: allowList, Request: preflight(web, "PURGE"),
			Status: 403, Absent: []string{maxAge}, Reason: core.MethodNotAllowed,
		},
	}
}

// Rule 9: Private Network Access.
func privateNetworkCases() []row {
	on := core.Config{Origins: []string{web}, PrivateNetwork: true}
	onWithCredentials := core.Config{Origins: []string{web}, Credentials: true, PrivateNetwork: true}
	ask := func(r request, value string) request {
		return r.with("Access-Control-Request-Private-Network", value)
	}
	return []row{
		{
			Name: "private-network/enabled: granted", Rule: 9,
			Why:    "With PrivateNetwork on, a preflight asking for private network access gets Allow-Private-Network: true, so a public page may reach a local device.",
			Config: on, Request: ask(preflight(web, "GET"), "true"),
			Status: 204, Want: map[string]string{allowOrigin: web, allowMethods: "GET", allowPrivateNetwork: "true"},
		},
		{
			Name: "private-network/enabled with credentials: granted", Rule: 9,
			Why:    "The private network grant also works together with credentials, so a device's logged-in web interface can be reached.",
			Config: onWithCredentials, Request: ask(preflight(web, "GET"), "true"),
			Status: 204, Want: map[string]string{allowOrigin: web, allowCredentials: "true", allowPrivateNetwork: "true"},
		},
		{
			Name: "private-network/enabled, not asked: no header", Rule: 9,
			Why:    "Allow-Private-Network is sent only when the preflight asks for it, so turning the option on adds nothing to ordinary preflights.",
			Config: on, Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{allowOrigin: web}, Absent: []string{allowPrivateNetwork},
		},
		{
			Name: "private-network/off: preflight fails", Rule: 9,
			Why:    "Without PrivateNetwork a preflight asking for private network access fails with 403, so no device is opened to public pages by accident.",
			Config: allowList, Request: ask(preflight(web, "PUT"), "true"),
			Status: 403, Absent: noCORS, Reason: core.PrivateNetworkNotAllowed,
		},
		{
			Name: "private-network/enabled, origin refused", Rule: 9,
			Why:    "Turning PrivateNetwork on does not widen the origin check, so an unlisted site still cannot reach the private network.",
			Config: on, Request: ask(preflight(evil, "GET"), "true"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "private-network/invalid value", Rule: 9,
			Why:    "Only the value true asks for private network access, so yes is refused as malformed rather than read as a request.",
			Config: on, Request: ask(preflight(web, "GET"), "yes"),
			Status: 403, Absent: noCORS, Reason: core.RequestMalformed,
		},
		{
			Name: "private-network/two lines", Rule: 9,
			Why:    "Two Access-Control-Request-Private-Network lines are refused as malformed, since a browser sends one and guessing would weaken the check.",
			Config: on, Request: ask(ask(preflight(web, "GET"), "true"), "true"),
			Status: 403, Absent: noCORS, Reason: core.RequestMalformed,
		},
		{
			Name: "private-network/ignored on actual requests", Rule: 9,
			Why:    "The private network grant belongs to preflights only, so an actual GET carrying the request header gets no Allow-Private-Network.",
			Config: on, Request: ask(get(web), "true"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web}, Absent: []string{allowPrivateNetwork},
		},
	}
}
