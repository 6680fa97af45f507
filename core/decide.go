package core

import (
	"context"
	"log/slog"
	"slices"
	"strings"
)

// Facts are the parts of a request that CORS depends on, as an adapter read
// them. Header fields hold every line of that header as received, so that
// duplicates are visible; a missing header is a nil slice.
//
// Facts are borrowed, not owned: slices may alias the request's own header
// storage and strings may alias buffers that the server reuses after the
// request (Fiber does; its adapter sets Volatile). Decide keeps nothing, and
// hands user code (OriginFunc, HeaderFunc, OnReject, Logger) only strings it
// may keep.
type Facts struct {
	Method string   // the request method
	Origin []string // Origin lines

	// The Access-Control-Request-* lines matter only in a preflight. An
	// adapter whose header lookups cost work may leave all three nil and
	// give its Target a Lines method (see [Target]): Decide then asks for
	// them only when the request may be a preflight.
	RequestMethod  []string // Access-Control-Request-Method lines
	RequestHeaders []string // Access-Control-Request-Headers lines
	PrivateNetwork []string // Access-Control-Request-Private-Network lines

	// FetchSite holds the Sec-Fetch-Site lines, which only
	// Config.CrossOriginProtection reads, and only for a request that may
	// change state from an origin the policy does not allow. An adapter may
	// leave it nil and give its Target a Lines method: Decide then asks for
	// the lines only then.
	FetchSite []string

	// Scheme ("http" or "https") and Host (the Host header, with its port
	// if any) are where the request was sent, for recognising same-origin
	// requests. Behind a proxy, pass what the browser used.
	Scheme, Host string

	// Target, if not nil and Host is empty, tells the host and scheme when
	// Decide needs them: only for an Origin the policy does not allow,
	// which may be the server's own, and the scheme only if the host is
	// the Origin's. Adapters of frameworks where finding them costs work
	// (Fiber consults its proxy settings) set Target rather than Scheme
	// and Host.
	Target Target

	// Path is the request's path as the client sent it: percent-encoded
	// as on the request line, without the query. It chooses the policy
	// when the Config has PathPolicies (a Path that does not start with
	// "/" then gets the policy named "ambiguous path", which allows
	// nothing), and is reported in log lines and Rejections.
	Path string

	// Context is the request's context, handed to Config.Logger with the
	// line about a refusal, so that a handler that adds trace or request
	// IDs to it can tie the line to its request. Nil means
	// context.Background().
	Context context.Context

	// Volatile says that the strings alias buffers the server reuses after
	// the request, so Decide copies them before handing them to user code.
	// Strings from net/http are immutable: FactsFrom leaves it false, and
	// an OriginFunc then costs no allocation.
	Volatile bool
}

// A Target tells Decide, for [Facts.Target], what it asks only when the
// answer needs it: where the request was sent, and optionally its
// preflight headers and context.
//
// A Target may also have these methods, for adapters whose framework finds
// them at a cost:
//
//   - Lines(name string) []string returns every name header line of the
//     request, nil if there is none. Decide calls it for the
//     Access-Control-Request-* headers when Facts leaves all three nil and
//     the request may be a preflight (an OPTIONS request with an Origin),
//     and for Sec-Fetch-Site when Facts.FetchSite is nil and
//     Config.CrossOriginProtection judges a request that may change state
//     from an origin the policy does not allow. Decide asks for at most
//     three header names per request. The strings may alias the server's buffers (see Facts.Volatile); each
//     returned slice must stay as it is until Decide returns.
//   - Context() context.Context, which Decide calls, only to log a refusal,
//     when Facts.Context is nil.
type Target interface {
	// Host returns the request's host, with its port if any, as the
	// browser used it.
	Host() string
	// Scheme returns the request's scheme, "http" or "https", as the
	// browser used it.
	Scheme() string
}

// Kind classifies a request.
type Kind uint8

const (
	// NotCORS: the request has no Origin header. The handler runs, unless
	// Config.CrossOriginProtection refuses it (Sec-Fetch-Site says it is
	// cross-origin).
	NotCORS Kind = iota
	// SameOrigin: the request's Origin is the server's own origin (browsers
	// send Origin on same-origin POSTs) and the policy does not list it. It
	// is not a CORS request: the handler runs, whatever RejectDisallowed
	// says.
	SameOrigin
	// Preflight: OPTIONS with Origin and Access-Control-Request-Method.
	Preflight
	// Actual: any other request with Origin, including OPTIONS requests
	// without Access-Control-Request-Method.
	Actual
)

var kindNames = [...]string{"not CORS", "same origin", "preflight", "actual"}

// String returns "not CORS", "same origin", "preflight" or "actual".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Reason says why a request was refused. The zero Reason, Allowed, means
// it was not.
type Reason uint8

const (
	Allowed                  Reason = iota
	OriginNotAllowed                // the policy does not allow the Origin
	OriginMalformed                 // several Origin lines, or a value that is not an origin
	MethodNotAllowed                // the preflight asked for a method the policy does not allow
	HeaderNotAllowed                // the preflight asked for a header the policy does not allow
	PrivateNetworkNotAllowed        // the preflight asked for private network access, which is off
	RequestMalformed                // a preflight header is invalid, duplicated or too large
	WriteNotAllowed                 // CrossOriginProtection: a cross-origin request that may change state, from an origin not allowed
)

var reasonNames = [...]string{
	"allowed",
	"origin not allowed",
	"origin malformed",
	"method not allowed",
	"header not allowed",
	"private network access not allowed",
	"malformed preflight request",
	"cross-origin write not allowed",
}

// String returns the reason in a few words, such as "header not allowed".
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "Reason(?)"
}

// A Header is one response header to set. Values are never built per
// request: they are precomputed by Compile or are validated request values.
type Header struct {
	Name   string   // in canonical form, such as "Access-Control-Allow-Origin"
	Values []string // one line per value; shared, so never modify them
}

// Header names, in canonical form.
const (
	headerAllowOrigin         = "Access-Control-Allow-Origin"
	headerAllowCredentials    = "Access-Control-Allow-Credentials"
	headerAllowMethods        = "Access-Control-Allow-Methods"
	headerAllowHeaders        = "Access-Control-Allow-Headers"
	headerMaxAge              = "Access-Control-Max-Age"
	headerAllowPrivateNetwork = "Access-Control-Allow-Private-Network"
	headerExposeHeaders       = "Access-Control-Expose-Headers"
	headerVary                = "Vary"
)

// A Decision is what an adapter must do with one request. The zero Decision
// means "not a CORS request, nothing to add: call the next handler".
//
// A Decision is small and holds no header list of its own: the headers to
// set are a list the policy compiled once for each outcome, some of whose
// values are the request's own validated lines (the Origin to echo, the
// requested method and headers). Nothing is built per request.
type Decision struct {
	Kind   Kind
	Reason Reason // Allowed, or why the request was refused
	// Detail names what failed, such as the refused header name. It may
	// alias the request: copy it to keep it.
	Detail string
	// Status, if not zero, is the status to answer with at once, without
	// calling the next handler.
	Status int
	// Vary is the token to add to the Vary header ("Origin"), or "". Add it
	// only if no Vary line lists it already: [Decision.Apply] and
	// [Decision.Write] do.
	Vary string

	grants *grants // the headers to set, nil for none

	// The request lines that request-derived slots of grants take.
	origin, method, headers []string
}

// grants is a list of response headers compiled with a policy for one
// outcome (see Policy.grantActual and its siblings).
type grants struct{ slots []slot }

// A slot is one header of grants: a fixed value list compiled with the
// policy, or one of the request's lines.
type slot struct {
	name   string
	values []string // when from is fixed
	from   source
}

type source uint8

const (
	fixed       source = iota
	fromOrigin         // the request's Origin line
	fromMethod         // the Access-Control-Request-Method line
	fromHeaders        // the Access-Control-Request-Headers lines
)

// values returns the value lines of s for d.
func (d *Decision) values(s *slot) []string {
	switch s.from {
	case fromOrigin:
		return d.origin
	case fromMethod:
		return d.method
	case fromHeaders:
		return d.headers
	}
	return s.values
}

// Allowed reports whether the request may proceed as CORS allows: a
// successful preflight, an allowed actual request, or no CORS at all.
func (d *Decision) Allowed() bool { return d.Reason == Allowed }

// Headers returns the response headers to set, in a stable order, with
// value slices of their own: the caller may keep and modify them. Headers
// allocates what it returns; [Decision.Apply] and [Decision.Write] set the
// same headers with almost no allocation.
func (d *Decision) Headers() []Header {
	if d.grants == nil {
		return nil
	}
	hs := make([]Header, len(d.grants.slots))
	for i := range d.grants.slots {
		s := &d.grants.slots[i]
		hs[i] = Header{Name: s.name, Values: slices.Clone(d.values(s))}
	}
	return hs
}

// Decide classifies the request described by f and says how to answer it.
// It implements the server side of the CORS protocol (Fetch, section 3.2)
// with the policy's choices. Decide does not allocate, except to hand copies
// of request values to Config.OriginFunc, HeaderFunc, OnReject and Logger;
// it keeps nothing of f. Its cost does not depend on how many origins the
// policy lists.
func (p *Policy) Decide(f Facts) (d Decision) {
	p.decide(&f, &d)
	return d
}

// OriginAllowed reports whether the policy that serves f's path allows
// f's Origin: one Origin line, listed, matching a pattern, or accepted by
// OriginFunc. Unlike Decide it reports nothing to OnReject or Logger. It is
// for code that must trust the same origins as the policy, such as a
// bridge to net/http's CrossOriginProtection.
func (p *Policy) OriginAllowed(f Facts) bool {
	if p.paths != nil {
		p = p.paths.choose(f.Path)
	}
	if len(f.Origin) != 1 {
		return false
	}
	origin := f.Origin[0]
	if p.origins.any {
		return true
	}
	ok, malformed := p.origins.match(origin)
	if !ok && !malformed && p.originFunc != nil && origin != "null" {
		if f.Volatile {
			origin = strings.Clone(origin)
		}
		ok = p.originFunc(origin)
	}
	return ok
}

// decide is Decide writing into d, which must be zero. Facts and Decision
// are passed by pointer so that neither is copied again on the way.
func (p *Policy) decide(f *Facts, d *Decision) {
	if p.paths != nil {
		p = p.paths.choose(f.Path)
	}
	if p.varyOrigin {
		// The response differs by Origin, also when there is none: a shared
		// cache must not hand a response made for one origin to another.
		d.Vary = headerOrigin
	}
	if len(f.Origin) == 0 {
		if p.writeStatus != 0 && f.crossOriginWrite("") {
			p.refuseWrite(f, d, NotCORS)
			return
		}
		// Fetch: no Origin header, not a CORS request. A public policy
		// still sends its static "*" answer: Fetch's "CORS protocol and
		// HTTP caches" asks for it on every response, so that a cached
		// response to a request without Origin serves CORS requests too.
		d.grants = p.grantStatic
		return
	}
	origin := f.Origin[0]
	// Several Origin values never match, except under "*", whose answer
	// does not depend on the Origin at all.
	ok, malformed := p.origins.any, !p.origins.any && len(f.Origin) > 1
	if !ok && !malformed {
		ok, malformed = p.origins.match(origin)
		if !ok && !malformed && p.originFunc != nil && origin != "null" {
			if f.Volatile {
				origin = strings.Clone(origin)
			}
			ok = p.originFunc(origin)
		}
	}
	reason := OriginNotAllowed
	if malformed {
		reason = OriginMalformed
	}

	// A preflight is an OPTIONS request with a non-empty
	// Access-Control-Request-Method (Fetch, "CORS-preflight request").
	if f.Method == "OPTIONS" && f.RequestMethod == nil && f.RequestHeaders == nil && f.PrivateNetwork == nil {
		f.readPreflightLines()
	}
	if f.Method != "OPTIONS" || len(f.RequestMethod) == 0 || f.RequestMethod[0] == "" {
		d.Kind = Actual
		if !ok {
			if p.writeStatus != 0 && f.crossOriginWrite(origin) {
				p.refuseWrite(f, d, Actual)
				return
			}
			if !malformed && f.sameOrigin(origin) {
				d.Kind = SameOrigin
				return
			}
			d.Reason = reason
			d.Status = p.rejectStatus
			p.report(f, d)
			return
		}
		d.grants, d.origin = p.grantActual, f.Origin
		return
	}

	d.Kind = Preflight
	// A preflight corskit answers itself needs no Vary: it is an OPTIONS
	// response, which HTTP caches do not store, and browsers keep preflight
	// results in a cache of their own, keyed by origin. One passed through
	// to the handler keeps it, as the handler makes the response.
	if !ok {
		p.refusePreflight(f, d, reason, "")
		return
	}
	// Fetch, "CORS-preflight fetch" step 7: the requested method must be
	// listed (compared case-sensitively) or CORS-safelisted.
	if len(f.RequestMethod) != 1 || !isToken(f.RequestMethod[0]) {
		p.refusePreflight(f, d, RequestMalformed, "invalid Access-Control-Request-Method")
		return
	}
	method := f.RequestMethod[0]
	if !p.methodAllowed(method) {
		p.refusePreflight(f, d, MethodNotAllowed, method)
		return
	}
	// Step 8: every requested header name must be allowed.
	rh := p.checkRequestHeaders(f.RequestHeaders)
	if rh.reason != Allowed {
		p.refusePreflight(f, d, rh.reason, rh.detail)
		return
	}
	// Private Network Access: the only valid value is "true".
	privateNetwork := len(f.PrivateNetwork) > 0
	if privateNetwork {
		if len(f.PrivateNetwork) != 1 || f.PrivateNetwork[0] != "true" {
			p.refusePreflight(f, d, RequestMalformed, "invalid Access-Control-Request-Private-Network")
			return
		}
		if !p.privateNetwork {
			p.refusePreflight(f, d, PrivateNetworkNotAllowed, "")
			return
		}
	}

	// Echo the validated request values rather than the whole lists: the
	// browser only checks that what it asked for is granted, and an echo
	// also covers "*" with credentials and Authorization, which a literal
	// "*" would not. The grants for each combination of "headers were
	// requested" and "private network access was asked for" are compiled.
	i := 0
	if rh.names > 0 {
		i |= preflightWithHeaders
	}
	if privateNetwork {
		i |= preflightWithPrivateNetwork
	}
	d.grants, d.origin, d.method, d.headers = p.grantPreflight[i], f.Origin, f.RequestMethod, f.RequestHeaders
	if !p.passthrough {
		d.Status, d.Vary = p.preflightStatus, ""
	}
}

const headerOrigin = "Origin"

// readPreflightLines asks the Target, if it can tell, for the
// Access-Control-Request-* lines the adapter left to it.
func (f *Facts) readPreflightLines() {
	t, ok := f.Target.(interface{ Lines(name string) []string })
	if !ok {
		return
	}
	f.RequestMethod = t.Lines("Access-Control-Request-Method")
	f.RequestHeaders = t.Lines("Access-Control-Request-Headers")
	f.PrivateNetwork = t.Lines("Access-Control-Request-Private-Network")
}

// crossOriginWrite reports whether CrossOriginProtection refuses f, a
// request whose origin ("" for none) the policy does not allow: a method
// that may change state, sent from another origin by Sec-Fetch-Site or,
// without it, by the host of its Origin, as net/http's
// CrossOriginProtection judges.
func (f *Facts) crossOriginWrite(origin string) bool {
	switch f.Method {
	case "GET", "HEAD", "OPTIONS":
		return false
	}
	site := f.FetchSite
	if t, ok := f.Target.(interface{ Lines(name string) []string }); site == nil && ok {
		site = t.Lines("Sec-Fetch-Site")
	}
	if len(site) > 0 {
		return len(site) > 1 || (site[0] != "same-origin" && site[0] != "none")
	}
	if origin == "" {
		return false // neither header: not a browser, or an old one on the same origin
	}
	host := f.Host
	if host == "" && f.Target != nil {
		host = f.Target.Host()
	}
	_, originHost, _ := strings.Cut(origin, "://")
	return originHost != host
}

// refuseWrite answers a request CrossOriginProtection refuses.
func (p *Policy) refuseWrite(f *Facts, d *Decision, k Kind) {
	d.Kind, d.Reason, d.Status, d.grants = k, WriteNotAllowed, p.writeStatus, nil
	p.report(f, d)
}

// sameOrigin reports whether origin is the origin the request was sent to.
func (f *Facts) sameOrigin(origin string) bool {
	if f.Host != "" || f.Target == nil {
		return sameOrigin(origin, f.Scheme, f.Host)
	}
	// Compare the host first, as if the scheme were the origin's: the
	// scheme costs the Target work too, and a refused origin is rarely the
	// server's own.
	i := strings.Index(origin, "://")
	if i < 0 || !sameOrigin(origin, origin[:i], f.Target.Host()) {
		return false
	}
	return f.Target.Scheme() == origin[:i]
}

// Indexes of Policy.grantPreflight.
const (
	preflightWithHeaders        = 1 << iota // Access-Control-Allow-Headers echoes the request
	preflightWithPrivateNetwork             // Access-Control-Allow-Private-Network: true
)

// compileGrants prepares the header lists of every allowed outcome, in the
// order the headers are set.
func (p *Policy) compileGrants() {
	public := p.origins.any && !p.credentials
	allowOrigin := func() []slot {
		if public {
			return []slot{{name: headerAllowOrigin, values: valueAny}}
		}
		s := []slot{{name: headerAllowOrigin, from: fromOrigin}}
		if p.credentials {
			s = append(s, slot{name: headerAllowCredentials, values: valueTrue})
		}
		return s
	}
	actual := allowOrigin()
	if p.exposeHeaders != nil {
		actual = append(actual, slot{name: headerExposeHeaders, values: p.exposeHeaders})
	}
	p.grantActual = &grants{actual}
	if public {
		// Fetch's "CORS protocol and HTTP caches": a public policy's static
		// answer goes on every response, also to requests without Origin.
		p.grantStatic = p.grantActual
	}
	for i := range p.grantPreflight {
		s := append(allowOrigin(), slot{name: headerAllowMethods, from: fromMethod})
		if i&preflightWithHeaders != 0 {
			s = append(s, slot{name: headerAllowHeaders, from: fromHeaders})
		}
		if p.maxAge != nil {
			s = append(s, slot{name: headerMaxAge, values: p.maxAge})
		}
		if i&preflightWithPrivateNetwork != 0 {
			s = append(s, slot{name: headerAllowPrivateNetwork, values: valueTrue})
		}
		p.grantPreflight[i] = &grants{s}
	}
}

// refusePreflight answers a preflight with the failure status and no CORS
// headers, so that the browser's console names the problem clearly.
func (p *Policy) refusePreflight(f *Facts, d *Decision, r Reason, detail string) {
	d.Reason, d.Detail, d.Status, d.grants, d.Vary = r, detail, p.preflightFailureStatus, nil, ""
	p.report(f, d)
}

// methodAllowed reports whether a preflight may ask for method. GET, HEAD
// and POST are CORS-safelisted: browsers accept them whatever the response.
func (p *Policy) methodAllowed(method string) bool {
	switch method {
	case "GET", "HEAD", "POST":
		return true
	}
	if p.anyMethod {
		return true
	}
	return p.methods.has(method)
}

// A Rejection describes a refused request, for Config.OnReject. Its strings
// are copies, safe to keep; long values are cut to 256 bytes.
type Rejection struct {
	Kind   Kind   // Preflight or Actual
	Reason Reason // why
	Detail string // what failed, such as the refused header or method name
	Origin string // the Origin header; several lines are joined with ", "
	Method string // the request method
	Path   string // the request path, as the client sent it
	// Policy names the policy that refused, when the Config has
	// PathPolicies: a PathPolicy's Name, DefaultPolicy or
	// AmbiguousPathPolicy. Empty otherwise.
	Policy string
	// Rejected is true when corskit answered with an error status and the
	// handler did not run; false when the handler runs but the browser will
	// not let the page read the response.
	Rejected bool
}

// String reads, for example:
//
//	preflight from "https://evil.example" refused: header not allowed: x-foo
func (r Rejection) String() string {
	s := r.Kind.String() + " from " + quote(r.Origin) + " refused: " + r.Reason.String()
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	return s
}

const maxReported = 256

func clip(s string) string {
	if len(s) > maxReported {
		s = s[:maxReported]
	}
	return strings.Clone(s)
}

// clipJoin is clip(strings.Join(lines, ", ")) that reads and copies no more
// than maxReported bytes, whatever the number and length of the lines.
func clipJoin(lines []string) string {
	var b []byte
	for i, l := range lines {
		if i > 0 {
			b = append(b, ", "...)
		}
		if room := maxReported - len(b); len(l) > room {
			l = l[:max(room, 0)]
		}
		if b = append(b, l...); len(b) >= maxReported {
			break
		}
	}
	return string(b[:min(len(b), maxReported)])
}

// report tells the hook and the logger about a refused request.
func (p *Policy) report(f *Facts, d *Decision) {
	if p.onReject == nil && p.logger == nil {
		return
	}
	r := Rejection{
		Kind:     d.Kind,
		Reason:   d.Reason,
		Detail:   clip(d.Detail),
		Origin:   clipJoin(f.Origin),
		Method:   clip(f.Method),
		Path:     clip(f.Path),
		Policy:   p.name,
		Rejected: d.Status != 0,
	}
	if p.onReject != nil {
		p.onReject(r)
	}
	if p.logger != nil {
		attrs := []slog.Attr{
			slog.String("kind", r.Kind.String()),
			slog.String("reason", r.Reason.String()),
			slog.String("origin", r.Origin),
			slog.String("method", r.Method),
			slog.String("path", r.Path),
		}
		if r.Policy != "" {
			attrs = append(attrs, slog.String("policy", r.Policy))
		}
		if r.Detail != "" {
			attrs = append(attrs, slog.String("detail", r.Detail))
		}
		if r.Rejected {
			attrs = append(attrs, slog.Int("status", d.Status))
		}
		ctx := f.Context
		if c, ok := f.Target.(interface{ Context() context.Context }); ctx == nil && ok {
			ctx = c.Context()
		}
		if ctx == nil {
			ctx = context.Background()
		}
		p.logger.LogAttrs(ctx, slog.LevelInfo, "corskit: CORS request refused", attrs...)
	}
}
