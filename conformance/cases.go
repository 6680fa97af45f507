package conformance

import (
	"slices"
	"strings"
	"time"

	"github.com/corskit/corskit/core"
)

// rows returns the conformance table. Each call builds the rows anew, so
// callers may change a row; the slices and Configs inside rows may be
// shared between rows and calls, and must not be modified.
func rows() []row {
	var cases []row
	for _, family := range [][]row{
		classificationCases(),
		originCases(),
		credentialsCases(),
		varyCases(),
		preflightCases(),
		actualCases(),
		maxAgeCases(),
		exposeCases(),
		privateNetworkCases(),
		badInputCases(),
		routingCases(),
		observabilityCases(),
		pathCases(),
		csrfCases(),
	} {
		cases = append(cases, family...)
	}
	return cases
}

// Origins used by the rows. The suite sends every request over plain HTTP
// to api.example.com, so self is the requests' own origin.
const (
	web    = "https://web.example.com"
	mobile = "https://mobile.example.com"
	tablet = "https://tablet.example.com"
	evil   = "https://evil.example"
	self   = "http://api.example.com"
)

// Response header names.
const (
	allowOrigin         = "Access-Control-Allow-Origin"
	allowCredentials    = "Access-Control-Allow-Credentials"
	allowMethods        = "Access-Control-Allow-Methods"
	allowHeaders        = "Access-Control-Allow-Headers"
	maxAge              = "Access-Control-Max-Age"
	exposeHeaders       = "Access-Control-Expose-Headers"
	allowPrivateNetwork = "Access-Control-Allow-Private-Network"
)

// noCORS lists every CORS response header: a refused request gets none.
var noCORS = []string{allowOrigin, allowCredentials, allowMethods, allowHeaders, maxAge, exposeHeaders, allowPrivateNetwork}

// preflightOnly lists the headers an actual response never carries.
var preflightOnly = []string{allowMethods, allowHeaders, maxAge, allowPrivateNetwork}

// varyOrigin is the Vary token of every response of an origin-dependent
// policy.
var varyOrigin = []string{"Origin"}

// The chapter's policies, shared by many rows.
var (
	// publicAPI is a public API readable from any site, without cookies.
	publicAPI = core.Config{
		Origins:       []string{"*"},
		Methods:       []string{"PUT", "DELETE"},
		Headers:       []string{"Content-Type"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        10 * time.Minute,
	}
	// allowList is the blog API used by its web, mobile and tablet sites,
	// with cookies.
	allowList = core.Config{
		Origins:       []string{web, mobile, tablet},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE", "PATCH"},
		Headers:       []string{"Content-Type", "X-Requested-With"},
		ExposeHeaders: []string{"X-Total-Count", "ETag"},
		MaxAge:        10 * time.Minute,
	}
	// development allows any local port, for front-end dev servers.
	development = core.Config{Origins: []string{"http://localhost:*"}, Methods: []string{"PUT"}, Headers: []string{"Content-Type"}}
	// subdomains allows every site under example.com, at any depth.
	subdomains = core.Config{Origins: []string{"https://*.example.com"}, Credentials: true}
	// nullOrigin allows sandboxed iframes and file: pages.
	nullOrigin = core.Config{Origins: []string{"null"}}
	// xHeaders allows only request headers starting with X-, with a filter.
	xHeaders = core.Config{Origins: []string{web}, Methods: []string{"PUT"}, HeaderFunc: func(name string) bool { return strings.HasPrefix(name, "x-") }}
	// anyHeaders allows whatever a preflight asks for, with cookies.
	anyHeaders = core.Config{Origins: []string{web}, Credentials: true, Methods: []string{"*"}, Headers: []string{"*"}}
	// rejecting stops requests from other origins before the handler.
	rejecting = core.Config{Origins: []string{web}, RejectDisallowed: true}
	// partners asks a function about origins the list does not name.
	partners = core.Config{Origins: []string{web}, Credentials: true, OriginFunc: func(o string) bool { return strings.HasSuffix(o, ".partner.example") }}
	// anyOriginFunc says yes to every origin it is asked about.
	anyOriginFunc = core.Config{OriginFunc: func(string) bool { return true }}
)

// get returns a GET /posts with one Origin line per origin.
func get(origin ...string) request {
	return request{Method: "GET", Header: originLines(origin)}
}

// actual returns a method request to path with one Origin line.
func actual(method, path, origin string) request {
	return request{Method: method, Path: path, Header: []string{"Origin", origin}}
}

// preflight returns an OPTIONS /posts preflight asking for method and one
// Access-Control-Request-Headers line per element of headers.
func preflight(origin, method string, headers ...string) request {
	h := []string{"Origin", origin, "Access-Control-Request-Method", method}
	for _, line := range headers {
		h = append(h, "Access-Control-Request-Headers", line)
	}
	return request{Method: "OPTIONS", Header: h}
}

func originLines(origins []string) []string {
	var h []string
	for _, o := range origins {
		h = append(h, "Origin", o)
	}
	return h
}

// at returns r sent to path.
func (r request) at(path string) request { r.Path = path; return r }

// with returns r with more header lines, name and value pairs.
func (r request) with(lines ...string) request {
	r.Header = append(slices.Clone(r.Header), lines...)
	return r
}

// granted is what allowList answers an allowed actual request from origin.
func granted(origin string) map[string]string {
	return map[string]string{allowOrigin: origin, allowCredentials: "true", exposeHeaders: "X-Total-Count, ETag"}
}

// grantedPreflight is what allowList answers an allowed preflight from
// origin asking for method and headers ("" for none).
func grantedPreflight(origin, method, headers string) map[string]string {
	m := map[string]string{allowOrigin: origin, allowCredentials: "true", allowMethods: method, maxAge: "600"}
	if headers != "" {
		m[allowHeaders] = headers
	}
	return m
}

// but returns list without the names given.
func but(list []string, names ...string) []string {
	var out []string
	for _, n := range list {
		keep := true
		for _, x := range names {
			keep = keep && n != x
		}
		if keep {
			out = append(out, n)
		}
	}
	return out
}

// app returns an App with the routes given.
func app(routes ...Route) *App { return &App{Routes: routes} }
