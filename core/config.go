package core

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is a CORS policy as you write it. The zero Config allows nothing
// cross-origin: every field opens something, and [Compile] checks that what
// it opens makes sense. See the package documentation for the scenarios.
type Config struct {
	// Origins lists the origins allowed to read responses, each written
	// exactly as browsers send it in the Origin header:
	//
	//	"https://app.example.com"   one origin (scheme, host, port if not default)
	//	"https://*.example.com"     any subdomain at any depth, not the apex
	//	"http://localhost:*"        any explicit port on that host
	//	"null"                      the opaque origin (sandboxed iframes, file: pages)
	//	"*"                         any origin; must be alone, not with Credentials
	//
	// Empty: no origin is allowed, unless OriginFunc says so.
	Origins []string

	// OriginFunc, if set, is asked about request origins that Origins does
	// not allow: a regular expression, a database lookup. It receives a syntactically valid, canonical
	// origin, never "null", which it may keep. It must be safe for
	// concurrent use and should be fast: it runs on the request path.
	OriginFunc func(origin string) bool

	// Credentials allows cookies, TLS client certificates and the
	// Authorization header on cross-origin requests, by sending
	// Access-Control-Allow-Credentials: true. It requires listed origins.
	Credentials bool

	// Methods lists the methods allowed in preflighted requests, such as
	// "PUT" and "DELETE". Names are case-sensitive: browsers upper-case
	// only DELETE, GET, HEAD, OPTIONS, POST and PUT, so "PATCH" must be
	// written in upper case (a well-known method in lower case is an error,
	// ErrMethodCase). GET, HEAD and POST need no listing. "*" allows
	// any method, also with Credentials.
	Methods []string

	// Headers lists the request headers allowed in preflighted requests,
	// such as "Content-Type" (needed for JSON bodies) or "X-Requested-With".
	// Names are case-insensitive. "*" allows whatever the preflight asks
	// for, including Authorization and also with Credentials.
	Headers []string

	// HeaderFunc, if set, is asked about each requested header name that
	// Headers does not list. It receives the name in lower case. Example:
	// allow only custom headers with
	//
	//	HeaderFunc: func(name string) bool { return strings.HasPrefix(name, "x-") }
	HeaderFunc func(name string) bool

	// ExposeHeaders lists the response headers scripts may read beyond the
	// CORS-safelisted ones (Cache-Control, Content-Language, Content-Length,
	// Content-Type, Expires, Last-Modified, Pragma), such as "X-Total-Count"
	// or "ETag". "*" exposes all of them, but only without Credentials.
	ExposeHeaders []string

	// MaxAge is how long browsers may cache a successful preflight, sent
	// in whole seconds as Access-Control-Max-Age. Zero sends nothing, and
	// browsers then cache for 5 seconds. Browsers cap the value: Chromium
	// at 2 hours, Firefox at 24 hours, WebKit (Safari) at 10 minutes.
	MaxAge time.Duration

	// NoPreflightCache sends Access-Control-Max-Age: 0, asking browsers
	// not to cache preflights at all.
	NoPreflightCache bool

	// PrivateNetwork answers Private Network Access preflights (a public
	// page asking a server on a private network, with
	// Access-Control-Request-Private-Network: true) with
	// Access-Control-Allow-Private-Network: true. Without it such
	// preflights fail. Chrome has put those preflights on hold and, since
	// Chrome 142, asks the user instead (Local Network Access), which no
	// response header grants: a device or local server then needs only an
	// ordinary policy for the page's origin, and the user's consent. Turn
	// PrivateNetwork on only for clients that still send the header.
	PrivateNetwork bool

	// PreflightStatus is the status of a successful preflight response:
	// 2xx, default 204.
	PreflightStatus int

	// PreflightFailureStatus is the status of a refused preflight
	// response: 2xx or 4xx, default 403. The response never carries CORS
	// headers, so the browser fails the request whatever the status.
	PreflightFailureStatus int

	// RejectDisallowed answers actual (non-preflight) requests from
	// origins that are not allowed with RejectStatus instead of running the
	// handler. Off by default: the handler runs and the browser hides the
	// response from the script. Requests whose Origin is the server's own
	// origin are never rejected; browsers send Origin on same-origin POSTs.
	RejectDisallowed bool

	// RejectStatus is the status used by RejectDisallowed and
	// CrossOriginProtection: 4xx, default 403.
	RejectStatus int

	// CrossOriginProtection refuses, with RejectStatus and before the
	// handler runs, a request that may change state (any method but GET,
	// HEAD and OPTIONS) sent by a browser from another origin this policy
	// does not allow: the cross-site request forgery that a form or a
	// no-cors fetch on another site makes without any preflight. A request
	// is cross-origin when its Sec-Fetch-Site header says so (anything but
	// "same-origin" or "none") or, from browsers that do not send that
	// header, when its Origin's host is not the request's Host. Requests
	// from allowed origins (listed, patterns, OriginFunc), same-origin
	// requests and requests with neither header (curl, other servers) pass,
	// and GET, HEAD and OPTIONS always do: GET handlers must not change
	// state. It is net/http's CrossOriginProtection with this policy's
	// origins as the trusted ones, and it replaces it; it is not a token
	// scheme. Refusals are reported with the reason WriteNotAllowed.
	CrossOriginProtection bool

	// PreflightPassthrough lets a successful preflight continue to the next
	// handler, with the CORS headers set, instead of being answered by
	// corskit. For servers that answer OPTIONS themselves.
	PreflightPassthrough bool

	// Logger, if set, gets one line per refused request, at Info level,
	// naming the origin, path and reason. Use it to find out why a browser
	// reports a CORS error.
	Logger *slog.Logger

	// OnReject, if set, is called once per refused request, for example to
	// count refusals by reason. It runs on the request path and must be
	// safe for concurrent use. The Rejection's strings are its own copies.
	OnReject func(Rejection)

	// PathPolicies gives parts of the server policies of their own, chosen
	// from the request's path before the framework routes it, so that a
	// preflight to any path gets the answer of that path's policy:
	//
	//	core.Config{ // the default: the API the company's own sites call
	//		Origins:     []string{"https://app.example.com"},
	//		Credentials: true,
	//		PathPolicies: []core.PathPolicy{
	//			{Name: "public", Paths: []string{"/public/", "/health"},
	//				Config: core.Config{Origins: []string{"*"}}},
	//			{Name: "admin", Paths: []string{"/admin/"}}, // nothing cross-origin
	//		},
	//	}
	//
	// A request gets the policy of the most specific entry serving its path
	// (see [PathPolicy.Paths]); the other fields of this Config are the
	// policy of the paths no entry serves, named "default". Leave them
	// empty to allow nothing cross-origin there. Logger and OnReject serve
	// every policy, and say which one refused a request.
	//
	// Routers read paths differently: some decode percent-escapes, some
	// clean "//", "." and ".." segments, some ignore the case or a trailing
	// slash. A request path that any of these readings would take to
	// another policy gets the policy named "ambiguous path", which allows
	// nothing; a path in clean form is never ambiguous unless entries
	// differ in case only where a router ignoring case would mix them up.
	// The path is the one the client sent, as [Facts.Path] says.
	PathPolicies []PathPolicy
}

// A Policy is a compiled [Config]: every value checked, every constant header
// value prepared. A Policy is immutable and safe for concurrent use.
type Policy struct {
	origins     originSet
	originFunc  func(string) bool
	credentials bool
	anyMethod   bool
	methods     stringSet
	anyHeader   bool
	headers     stringSet // lower case
	headerFunc  func(string) bool

	privateNetwork         bool
	preflightStatus        int
	preflightFailureStatus int
	rejectStatus           int // 0: do not reject
	writeStatus            int // 0: no CrossOriginProtection
	passthrough            bool
	logger                 *slog.Logger
	onReject               func(Rejection)

	// varyOrigin is true when the answer depends on the Origin header, so
	// shared caches must key responses on it.
	varyOrigin bool

	// Precomputed header values. Their slices are shared between requests:
	// see Decision.Apply for when that is safe.
	exposeHeaders []string
	maxAge        []string

	// The headers of each allowed outcome, compiled once (see
	// compileGrants): grantStatic for requests without Origin (only a
	// public policy has one), grantActual for allowed actual requests, and
	// grantPreflight indexed by preflightWithHeaders and
	// preflightWithPrivateNetwork.
	grantStatic    *grants
	grantActual    *grants
	grantPreflight [4]*grants

	// name is the policy's name in Rejections and log lines when it is one
	// of several chosen by path ("default", a PathPolicy's Name, ...).
	name string
	// paths, if not nil, chooses the policy of each request from its path;
	// a Policy with paths has no other field set.
	paths *pathTable
}

// Shared one-element values for the constant headers.
var (
	valueAny  = []string{"*"}
	valueTrue = []string{"true"}
)

// Compile checks cfg and returns the policy it describes. If cfg has
// problems, Compile returns nil and all of them at once, joined with
// [errors.Join]; each is a [*ConfigError] naming the field, the value and,
// where there is one, what to write instead.
func Compile(cfg Config) (*Policy, error) {
	var ps problems
	p := compilePolicy(cfg, "", &ps)
	if len(cfg.PathPolicies) > 0 {
		p = compilePaths(cfg, p, &ps)
	}
	if len(ps) > 0 {
		return nil, errors.Join(ps...)
	}
	return p, nil
}

// compilePolicy compiles the fields of cfg but PathPolicies, adding the
// problems it finds to ps with at before each field name. The policy it
// returns is only good to serve if there were none.
func compilePolicy(cfg Config, at string, all *problems) *Policy {
	var ps problems
	defer func() {
		for _, e := range ps {
			e.(*ConfigError).Field = at + e.(*ConfigError).Field
		}
		*all = append(*all, ps...)
	}()
	p := &Policy{
		origins:        compileOrigins(cfg.Origins, cfg.Credentials, &ps),
		originFunc:     cfg.OriginFunc,
		credentials:    cfg.Credentials,
		headerFunc:     cfg.HeaderFunc,
		privateNetwork: cfg.PrivateNetwork,
		passthrough:    cfg.PreflightPassthrough,
		logger:         cfg.Logger,
		onReject:       cfg.OnReject,
	}
	p.varyOrigin = !p.origins.any || p.credentials
	if cfg.Credentials && len(cfg.Origins) == 0 && cfg.OriginFunc == nil {
		ps.add("Credentials", "true", ErrCredentialsNoOrigin, "", "list the origins you trust in {Origins} (or give an {OriginFunc}), or turn {Credentials} off")
	}
	if p.origins.any && cfg.OriginFunc != nil {
		ps.add("OriginFunc", "", ErrAnyOriginMixed, `{OriginFunc} is never asked when {Origins} is "*"`, "remove one of them")
	}
	anyMethod, methods := compileMethods(cfg.Methods, &ps)
	p.anyMethod, p.methods = anyMethod, newSet(methods)
	anyHeader, headers := compileHeaders(cfg.Headers, &ps)
	p.anyHeader, p.headers = anyHeader, newSet(headers)
	p.exposeHeaders = compileExposeHeaders(cfg.ExposeHeaders, cfg.Credentials, &ps)
	p.maxAge = compileMaxAge(cfg.MaxAge, cfg.NoPreflightCache, &ps)
	p.preflightStatus = compileStatus("PreflightStatus", cfg.PreflightStatus, http.StatusNoContent, "a 2xx status such as 204 or 200", &ps, 200, 299)
	p.preflightFailureStatus = compileStatus("PreflightFailureStatus", cfg.PreflightFailureStatus, http.StatusForbidden, "a 4xx status such as 403, or a 2xx status", &ps, 200, 299, 400, 499)
	rejectStatus := compileStatus("RejectStatus", cfg.RejectStatus, http.StatusForbidden, "a 4xx status such as 403", &ps, 400, 499)
	if cfg.RejectDisallowed {
		p.rejectStatus = rejectStatus
	}
	if cfg.CrossOriginProtection {
		p.writeStatus = rejectStatus
	}
	if !cfg.RejectDisallowed && !cfg.CrossOriginProtection && cfg.RejectStatus != 0 {
		ps.add("RejectStatus", strconv.Itoa(cfg.RejectStatus), ErrStatusInvalid, "has no effect without {RejectDisallowed} or {CrossOriginProtection}", "set {RejectDisallowed}: true")
	}
	p.compileGrants()
	return p
}

// MustCompile is like [Compile] but panics if cfg is invalid. Use it with
// configurations written in the source, where an error is a bug.
func MustCompile(cfg Config) *Policy {
	p, err := Compile(cfg)
	if err != nil {
		panic(err)
	}
	return p
}

func compileMethods(list []string, ps *problems) (any bool, set map[string]struct{}) {
	set = make(map[string]struct{}, len(list))
	for i, m := range list {
		field := indexed("Methods", i)
		switch {
		case m == "*":
			if len(list) > 1 {
				ps.add(field, m, ErrWildcardMixed, "", `list only "*", or only names`)
			}
			any = true
		case !isToken(m):
			ps.add(field, m, ErrMethodInvalid, "", fixToken(m))
		default:
			switch upper := strings.ToUpper(m); upper {
			case "CONNECT", "TRACE", "TRACK":
				ps.add(field, m, ErrMethodForbidden, "", "remove it")
				continue
			case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT":
				if m != upper {
					ps.add(field, m, ErrMethodCase, "browsers send it as "+quote(upper), "write "+quote(upper))
					continue
				}
			case "PATCH":
				if m != upper {
					ps.add(field, m, ErrMethodCase, "servers route "+quote(upper), "write "+quote(upper))
					continue
				}
			}
			set[m] = struct{}{}
		}
	}
	return any, set
}

func compileHeaders(list []string, ps *problems) (any bool, set map[string]struct{}) {
	set = make(map[string]struct{}, len(list))
	for i, h := range list {
		field := indexed("Headers", i)
		lower := strings.ToLower(h)
		switch {
		case h == "*":
			if len(list) > 1 {
				ps.add(field, h, ErrWildcardMixed, "", `list only "*", or only names`)
			}
			any = true
		case !isToken(h):
			ps.add(field, h, ErrHeaderInvalid, "", fixToken(h))
		case len(h) > maxHeaderNameLen:
			ps.add(field, h, ErrHeaderInvalid, "longer than "+strconv.Itoa(maxHeaderNameLen)+" bytes", "")
		case isForbiddenRequestHeader(lower):
			ps.add(field, h, ErrHeaderForbidden, "scripts cannot set it", "remove it")
		default:
			set[lower] = struct{}{}
		}
	}
	return any, set
}

func compileExposeHeaders(list []string, credentials bool, ps *problems) []string {
	var names []string
	for i, h := range list {
		field := indexed("ExposeHeaders", i)
		switch {
		case h == "*":
			if len(list) > 1 {
				ps.add(field, h, ErrWildcardMixed, "", `list only "*", or only names`)
			}
			if credentials {
				ps.add(field, h, ErrCredentialsExposeAll, "", "list the header names instead")
			}
			names = append(names, h)
		case !isToken(h):
			ps.add(field, h, ErrHeaderInvalid, "", fixToken(h))
		case isForbiddenResponseHeader(strings.ToLower(h)):
			ps.add(field, h, ErrHeaderForbidden, "browsers never expose it", "remove it")
		case !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, h) }):
			names = append(names, h)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return []string{strings.Join(names, ", ")}
}

func compileMaxAge(d time.Duration, disable bool, ps *problems) []string {
	switch {
	case disable && d != 0:
		ps.add("MaxAge", d.String(), ErrMaxAgeInvalid, "set together with {NoPreflightCache}", "keep one of them")
	case disable:
		return []string{"0"}
	case d < 0:
		ps.add("MaxAge", d.String(), ErrMaxAgeInvalid, "negative", "to disable preflight caching, set {NoPreflightCache}: true")
	case d > 0 && d < time.Second:
		ps.add("MaxAge", d.String(), ErrMaxAgeInvalid, "less than a second", "write a whole number of seconds, such as 10 * time.Minute")
	case d > 0:
		return []string{strconv.FormatInt(int64(d/time.Second), 10)}
	}
	return nil
}

// compileStatus returns v, or def when v is 0, after checking that v lies in
// one of the ranges given as lo, hi pairs.
func compileStatus(field string, v, def int, want string, ps *problems, ranges ...int) int {
	if v == 0 {
		return def
	}
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] <= v && v <= ranges[i+1] {
			return v
		}
	}
	ps.add(field, strconv.Itoa(v), ErrStatusInvalid, "", "write "+want)
	return def
}

// fixToken suggests a token for a mistyped method or header name, such as
// "X-Api-Key" for " X-Api-Key:".
func fixToken(s string) string {
	t := strings.Trim(s, " \t:,;")
	if t != s && isToken(t) {
		return "write " + quote(t)
	}
	if strings.ContainsAny(s, ", ") {
		return "write one name per list entry"
	}
	return ""
}
