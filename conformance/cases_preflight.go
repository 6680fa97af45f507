package conformance

import (
	"strings"
	"time"

	"github.com/corskit/corskit/core"
)

// twelveNames are request header names a client sends one per line.
var twelveNames = []string{"x-a1", "x-a2", "x-a3", "x-a4", "x-a5", "x-a6", "x-a7", "x-a8", "x-a9", "x-a10", "x-a11", "x-a12"}

// Rule 5: preflight requests.
func preflightCases() []Case {
	ok := func(name string, cfg core.Config, req Request, want map[string]string) Case {
		return Case{
			Name: "preflight/" + name, Rule: 5,
			Config: cfg, Request: req,
			Status: 204, Want: want, Absent: []string{exposeHeaders},
		}
	}
	refused := func(name string, cfg core.Config, req Request, reason core.Reason) Case {
		return Case{
			Name: "preflight/" + name, Rule: 5,
			Config: cfg, Request: req,
			Status: 403, Absent: noCORS, Reason: reason,
		}
	}
	optionsRoute := app(Route{Method: "OPTIONS", Path: "/posts"})
	passthrough := core.Config{Origins: []string{web}, Methods: []string{"PUT"}, PreflightPassthrough: true}
	custom := core.Config{Origins: []string{web}, Methods: []string{"PUT"}, PreflightStatus: 200, PreflightFailureStatus: 400}
	return []Case{
		ok("allowed: method and headers listed", allowList, preflight(web, "PUT", "content-type,x-requested-with"),
			grantedPreflight(web, "PUT", "content-type,x-requested-with")),
		ok("allowed: DELETE", allowList, preflight(mobile, "DELETE"), grantedPreflight(mobile, "DELETE", "")),
		ok("allowed: PATCH listed in upper case", allowList, preflight(web, "PATCH", "content-type"), grantedPreflight(web, "PATCH", "content-type")),
		ok("allowed: safelisted POST needs no listing", allowList, preflight(web, "POST", "content-type"), grantedPreflight(web, "POST", "content-type")),
		ok("allowed: safelisted GET needs no listing", core.Config{Origins: []string{web}}, preflight(web, "GET"),
			map[string]string{allowOrigin: web, allowMethods: "GET"}),
		ok("allowed: safelisted HEAD needs no listing", core.Config{Origins: []string{web}}, preflight(web, "HEAD"),
			map[string]string{allowOrigin: web, allowMethods: "HEAD"}),
		ok("allowed: no headers requested, no Allow-Headers", allowList, preflight(web, "PUT"), grantedPreflight(web, "PUT", "")),
		ok("headers: compared case-insensitively", allowList, preflight(web, "PUT", "Content-Type,X-Requested-With"),
			grantedPreflight(web, "PUT", "Content-Type,X-Requested-With")),
		ok("headers: in any order", allowList, preflight(web, "PUT", "x-requested-with,content-type"),
			grantedPreflight(web, "PUT", "x-requested-with,content-type")),
		ok("headers: optional white space", allowList, preflight(web, "PUT", "content-type ,\tx-requested-with"),
			grantedPreflight(web, "PUT", "content-type ,\tx-requested-with")),
		ok("headers: several lines", allowList, preflight(web, "PUT", "content-type", "x-requested-with"),
			grantedPreflight(web, "PUT", "content-type, x-requested-with")),
		ok("headers: 12 names on 12 lines, as some gateways forward them", xHeaders, preflight(web, "PUT", twelveNames...),
			map[string]string{allowOrigin: web, allowMethods: "PUT", allowHeaders: strings.Join(twelveNames, ", ")}),
		ok("headers: empty elements tolerated", allowList, preflight(web, "PUT", "content-type,,x-requested-with,"),
			grantedPreflight(web, "PUT", "content-type,,x-requested-with,")),
		refused("method not listed", allowList, preflight(web, "PURGE"), core.MethodNotAllowed),
		refused("method compared case-sensitively: patch", allowList, preflight(web, "patch"), core.MethodNotAllowed),
		refused("method compared case-sensitively: put", allowList, preflight(web, "put"), core.MethodNotAllowed),
		refused("method not a token", allowList, preflight(web, "PU T"), core.RequestMalformed),
		refused("two Access-Control-Request-Method lines", allowList, preflight(web, "PUT").with("Access-Control-Request-Method", "PUT"), core.RequestMalformed),
		refused("header not listed", allowList, preflight(web, "PUT", "content-type,x-foo"), core.HeaderNotAllowed),
		refused("header not listed on a later line", allowList, preflight(web, "PUT", "content-type", "x-foo"), core.HeaderNotAllowed),
		refused("Authorization needs listing", allowList, preflight(web, "PUT", "authorization"), core.HeaderNotAllowed),
		refused("origin not allowed", allowList, preflight(evil, "PUT"), core.OriginNotAllowed),
		refused("origin malformed", allowList, preflight("https://web.example.com/", "PUT"), core.OriginMalformed),
		refused("null origin not listed", allowList, preflight("null", "PUT"), core.OriginNotAllowed),
		refused("duplicated Origin lines", allowList, preflight(web, "PUT").with("Origin", web), core.OriginMalformed),
		ok("headers *: Authorization with credentials", anyHeaders, preflight(web, "PUT", "authorization"),
			map[string]string{allowOrigin: web, allowCredentials: "true", allowMethods: "PUT", allowHeaders: "authorization"}),
		ok("headers *: whatever is requested", anyHeaders, preflight(web, "PATCH", "authorization,content-type,x-anything"),
			map[string]string{allowOrigin: web, allowCredentials: "true", allowMethods: "PATCH", allowHeaders: "authorization,content-type,x-anything"}),
		ok("methods *: any method with credentials", anyHeaders, preflight(web, "PURGE"),
			map[string]string{allowOrigin: web, allowCredentials: "true", allowMethods: "PURGE"}),
		ok("HeaderFunc: only X- headers, allowed", xHeaders, preflight(web, "PUT", "x-requested-with,x-api-key"),
			map[string]string{allowOrigin: web, allowMethods: "PUT", allowHeaders: "x-requested-with,x-api-key"}),
		ok("HeaderFunc: only X- headers, upper case", xHeaders, preflight(web, "PUT", "X-Api-Key"),
			map[string]string{allowOrigin: web, allowMethods: "PUT", allowHeaders: "X-Api-Key"}),
		refused("HeaderFunc: only X- headers, Authorization refused", xHeaders, preflight(web, "PUT", "x-api-key,authorization"), core.HeaderNotAllowed),
		refused("HeaderFunc: only X- headers, Content-Type refused", xHeaders, preflight(web, "PUT", "content-type"), core.HeaderNotAllowed),
		{
			Name: "preflight/never runs the handler, even with an OPTIONS route", Rule: 5,
			Config: allowList, App: optionsRoute, Request: preflight(web, "PUT"),
			Status: 204, Want: grantedPreflight(web, "PUT", ""),
		},
		{
			Name: "preflight/passthrough: handler runs with the headers set", Rule: 5,
			Config: passthrough, App: optionsRoute, Request: preflight(web, "PUT"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web, allowMethods: "PUT"},
		},
		{
			Name: "preflight/passthrough: refused preflight still answered by corskit", Rule: 5,
			Config: passthrough, App: optionsRoute, Request: preflight(web, "DELETE"),
			Status: 403, Absent: noCORS, Reason: core.MethodNotAllowed,
		},
		{
			Name: "preflight/custom success status", Rule: 5,
			Config: custom, Request: preflight(web, "PUT"),
			Status: 200, Want: map[string]string{allowOrigin: web, allowMethods: "PUT"},
		},
		{
			Name: "preflight/custom failure status", Rule: 5,
			Config: custom, Request: preflight(web, "DELETE"),
			Status: 400, Absent: noCORS, Reason: core.MethodNotAllowed,
		},
	}
}

// Rule 7: Access-Control-Max-Age.
func maxAgeCases() []Case {
	withMaxAge := func(d time.Duration) core.Config {
		return core.Config{Origins: []string{web}, MaxAge: d}
	}
	return []Case{
		{
			Name: "maxage/sent on preflights", Rule: 7,
			Config: allowList, Request: preflight(web, "PUT"),
			Status: 204, Want: map[string]string{maxAge: "600"},
		},
		{
			Name: "maxage/Chromium's cap of two hours", Rule: 7,
			Config: withMaxAge(2 * time.Hour), Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{maxAge: "7200"},
		},
		{
			Name: "maxage/whole seconds", Rule: 7,
			Config: withMaxAge(90 * time.Second), Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{maxAge: "90"},
		},
		{
			Name: "maxage/unset: no header", Rule: 7,
			Config: core.Config{Origins: []string{web}}, Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{allowOrigin: web}, Absent: []string{maxAge},
		},
		{
			Name: "maxage/caching disabled: 0", Rule: 7,
			Config: core.Config{Origins: []string{web}, NoPreflightCache: true}, Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{maxAge: "0"},
		},
		{
			Name: "maxage/never on actual responses", Rule: 7,
			Config: allowList, Request: get(web),
			Status: 200, Handler: true, Want: granted(web), Absent: []string{maxAge},
		},
		{
			Name: "maxage/never on OPTIONS actual responses", Rule: 7,
			Config: allowList, App: app(Route{Method: "OPTIONS", Path: "/posts"}), Request: actual("OPTIONS", "/posts", web),
			Status: 200, Handler: true, Absent: []string{maxAge},
		},
		{
			Name: "maxage/never on refused preflights", Rule: 7,
			Config: allowList, Request: preflight(web, "PURGE"),
			Status: 403, Absent: []string{maxAge}, Reason: core.MethodNotAllowed,
		},
	}
}

// Rule 9: Private Network Access.
func privateNetworkCases() []Case {
	on := core.Config{Origins: []string{web}, PrivateNetwork: true}
	onWithCredentials := core.Config{Origins: []string{web}, Credentials: true, PrivateNetwork: true}
	ask := func(r Request, value string) Request {
		return r.with("Access-Control-Request-Private-Network", value)
	}
	return []Case{
		{
			Name: "private-network/enabled: granted", Rule: 9,
			Config: on, Request: ask(preflight(web, "GET"), "true"),
			Status: 204, Want: map[string]string{allowOrigin: web, allowMethods: "GET", allowPrivateNetwork: "true"},
		},
		{
			Name: "private-network/enabled with credentials: granted", Rule: 9,
			Config: onWithCredentials, Request: ask(preflight(web, "GET"), "true"),
			Status: 204, Want: map[string]string{allowOrigin: web, allowCredentials: "true", allowPrivateNetwork: "true"},
		},
		{
			Name: "private-network/enabled, not asked: no header", Rule: 9,
			Config: on, Request: preflight(web, "GET"),
			Status: 204, Want: map[string]string{allowOrigin: web}, Absent: []string{allowPrivateNetwork},
		},
		{
			Name: "private-network/off: preflight fails", Rule: 9,
			Config: allowList, Request: ask(preflight(web, "PUT"), "true"),
			Status: 403, Absent: noCORS, Reason: core.PrivateNetworkNotAllowed,
		},
		{
			Name: "private-network/enabled, origin refused", Rule: 9,
			Config: on, Request: ask(preflight(evil, "GET"), "true"),
			Status: 403, Absent: noCORS, Reason: core.OriginNotAllowed,
		},
		{
			Name: "private-network/invalid value", Rule: 9,
			Config: on, Request: ask(preflight(web, "GET"), "yes"),
			Status: 403, Absent: noCORS, Reason: core.RequestMalformed,
		},
		{
			Name: "private-network/two lines", Rule: 9,
			Config: on, Request: ask(ask(preflight(web, "GET"), "true"), "true"),
			Status: 403, Absent: noCORS, Reason: core.RequestMalformed,
		},
		{
			Name: "private-network/ignored on actual requests", Rule: 9,
			Config: on, Request: ask(get(web), "true"),
			Status: 200, Handler: true, Want: map[string]string{allowOrigin: web}, Absent: []string{allowPrivateNetwork},
		},
	}
}
