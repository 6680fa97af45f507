package fetchcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits and defaults.
const (
	// MaxRedirects is the standard's limit: the 21st redirect fails the
	// fetch.
	MaxRedirects = 20

	defaultTimeout        = 10 * time.Second
	defaultMaxBody        = 1 << 20
	defaultMaxHeaderBytes = 64 << 10
	defaultUserAgent      = "corskit-check"

	// probeOrigin is the origin of the Vary probe: one no server lists.
	probeOrigin = "https://corskit-check.invalid"
)

// Browsers' caps on Access-Control-Max-Age, in seconds.
const (
	maxAgeWebKit   = 600
	maxAgeChromium = 7200
	maxAgeFirefox  = 86400
)

// Check sends the fetch req describes to its server as a browser would,
// and reports what the browser would make of it:
//
//  1. If the page's origin is the URL's, the request is same-origin and no
//     CORS check applies. Otherwise, if the method is not CORS-safelisted or
//     a header is not (UnsafeHeaderNames), a preflight goes first: OPTIONS
//     with Origin, Access-Control-Request-Method and
//     Access-Control-Request-Headers, without credentials. It passes when its
//     status is 2xx (a redirect never passes), the CORS check passes, and
//     Access-Control-Allow-Methods and -Allow-Headers cover the method and
//     every unsafe header ("*" only without credentials, and never for
//     Authorization).
//  2. The request itself follows, with Origin (and the Cookie, if given).
//     Every response to it, redirects included, must pass the CORS check:
//     Access-Control-Allow-Origin "*" (without credentials) or the
//     origin byte for byte, and with credentials
//     Access-Control-Allow-Credentials: true.
//  3. Redirects are followed as the browser follows them: at most 20; a
//     301 or 302 turns POST into GET, and 303 anything but GET and HEAD;
//     Authorization is dropped on leaving the origin; a redirect from one
//     cross-origin URL to another origin makes the Origin "null"; a
//     preflight is sent again for the new URL when the request still needs
//     one. Only redirects to the host named in the URL are followed; one to
//     another host ends the check, undecided.
//  4. On the final response, the headers the page could read are listed
//     (the CORS-safelisted ones and those in Access-Control-Expose-Headers),
//     and those of req.Expose must be among them.
//
// Warnings report what a browser would not refuse but that breaks behind
// caches or in other browsers: an Access-Control-Allow-Origin that echoes
// the origin without Vary: Origin (for GET and HEAD, confirmed by one more
// request with a made-up origin, unless opts.NoProbe), an
// Access-Control-Max-Age above what browsers honour, headers that are not
// exposed.
//
// The error is an *InputError when req is not a fetch() a page could make;
// every other outcome, network errors included, is in the Report.
func Check(ctx context.Context, req Request, opts Options) (*Report, error) {
	req, err := Prepare(req)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = defaultMaxBody
	}
	if opts.MaxHeaderBytes <= 0 {
		opts.MaxHeaderBytes = defaultMaxHeaderBytes
	}
	if opts.UserAgent == "" {
		opts.UserAgent = defaultUserAgent
	}
	u, _ := url.Parse(req.URL) // Prepare checked it
	c := &checker{
		req:     req,
		opts:    opts,
		rep:     &Report{Request: req},
		host:    strings.ToLower(u.Hostname()),
		url:     u,
		method:  req.Method,
		headers: slices.Clone(req.Headers),
		body:    req.Body,
		cache:   make(map[string]bool),
	}
	c.rep.SameOrigin = req.Origin != "null" && originOf(u) == req.Origin
	if !c.rep.SameOrigin {
		c.rep.PreflightWhy = preflightWhy(c.method, c.withAccept())
		c.rep.PreflightNeeded = len(c.rep.PreflightWhy) > 0
	}
	if opts.PreflightOnly && !c.rep.PreflightNeeded {
		what := "needs no preflight: its method and headers are CORS-safelisted"
		if c.rep.SameOrigin {
			what = "is same-origin, and needs no preflight"
		}
		return nil, inputErr("preflight-only", "the request %s, so there is nothing to check without sending it; check it without the preflight-only option", what)
	}

	transport := opts.Transport
	if transport == nil {
		t := newTransport(opts)
		defer t.CloseIdleConnections()
		transport = t
	}
	// The transport sends each request as it is: redirects are the
	// checker's to follow (an http.Client would refuse a response whose
	// Location it cannot parse), and there is no cookie jar.
	c.transport = transport
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	c.run(ctx)
	return c.rep, nil
}

// newTransport returns a transport bounded by opts that uses no proxy
// (nothing is sent to any host but the one named) and does not decompress
// (the headers reported are the server's).
func newTransport(opts Options) *http.Transport {
	dialer := &net.Dialer{Timeout: opts.Timeout}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    opts.Timeout,
		ResponseHeaderTimeout:  opts.Timeout,
		MaxResponseHeaderBytes: opts.MaxHeaderBytes,
		DisableCompression:     true,
		MaxIdleConns:           4,
		IdleConnTimeout:        5 * time.Second,
	}
}

// checker is one Check in progress: the request's state as the browser
// keeps it across redirects.
type checker struct {
	req       Request
	opts      Options
	transport http.RoundTripper
	rep       *Report
	host      string // the host named; no request goes anywhere else

	url       *url.URL
	method    string
	headers   []Header // the page's headers, as the redirects left them
	body      string
	cors      bool // the response tainting is "cors"
	tainted   bool // the origin is serialised as "null"
	redirects int
	cache     map[string]bool // preflights that passed with a positive max-age
	cacheNote string          // for the next request: its preflight came from the cache
}

func (c *checker) origin() string {
	if c.tainted {
		return "null"
	}
	return c.req.Origin
}

// withAccept returns the request's headers with the Accept: */* fetch()
// adds when the page sets none, which counts towards the 1024-byte limit of
// safelisted values.
func (c *checker) withAccept() []Header {
	if hasHeader(c.headers, "Accept") {
		return c.headers
	}
	return append(slices.Clone(c.headers), Header{Name: "Accept", Value: "*/*"})
}

func (c *checker) run(ctx context.Context) {
	for {
		sameOrigin := !c.cors && c.req.Origin != "null" && originOf(c.url) == c.req.Origin
		if !sameOrigin {
			c.cors = true
			unsafe := UnsafeHeaderNames(c.withAccept())
			if !MethodSafelisted(c.method) || len(unsafe) > 0 {
				key := c.url.String() + "\x00" + c.method + "\x00" + strings.Join(unsafe, ",")
				if c.cache[key] {
					c.cacheNote = "no preflight: the browser has the answer to the same preflight for " + c.url.String() + " in its cache"
				} else if !c.preflight(ctx, unsafe, key) {
					return
				}
			}
		}
		if c.opts.PreflightOnly {
			c.rep.Verdict = Allowed
			c.rep.Step = len(c.rep.Steps)
			c.rep.Message = "the preflight passed; the request itself was not sent (preflight only), so whether its response carries the CORS headers too was not checked"
			c.warn(WarnPreflightOnly, "the request itself was not sent: its response must pass the CORS check as well (Access-Control-Allow-Origin"+c.credsSuffix()+")", nil)
			return
		}
		step, h, ok := c.send(ctx)
		if !ok {
			return
		}
		if c.cors && !c.corsCheck(step, h, c.where(step)) {
			return
		}
		step.Passed = true
		if isRedirect(step.Status) && len(h.Values("Location")) > 0 {
			if !c.redirect(step, h) {
				return
			}
			continue
		}
		c.final(ctx, step, h)
		return
	}
}

// send sends the request itself at the current URL.
func (c *checker) send(ctx context.Context) (*Step, http.Header, bool) {
	step := &Step{Kind: StepRequest, Method: c.method, URL: c.url.String()}
	// The Origin header: on every CORS request, and on same-origin ones
	// whose method is neither GET nor HEAD.
	if c.cors || (c.method != "GET" && c.method != "HEAD") {
		step.Sent = append(step.Sent, Header{Name: "Origin", Value: c.origin()})
	}
	step.Sent = append(step.Sent, c.headers...)
	if !hasHeader(c.headers, "Accept") {
		step.Sent = append(step.Sent, Header{Name: "Accept", Value: "*/*"})
	}
	if c.req.Cookie != "" {
		step.Sent = append(step.Sent, Header{Name: "Cookie", Value: c.req.Cookie})
	}
	step.Sent = append(step.Sent, Header{Name: "User-Agent", Value: c.opts.UserAgent})
	if c.cacheNote != "" {
		step.Notes = append(step.Notes, c.cacheNote)
		c.cacheNote = ""
	}
	c.rep.Steps = append(c.rep.Steps, step)
	h, ok := c.do(ctx, step, c.body)
	if !ok {
		c.networkError(step)
		return step, nil, false
	}
	return step, h, true
}

// where names a response in messages.
func (c *checker) where(step *Step) string {
	if isRedirect(step.Status) {
		return fmt.Sprintf("the redirect (%d)", step.Status)
	}
	return fmt.Sprintf("the response (%s)", statusLine(step))
}

// do sends one step's request and reads its response, bounded.
func (c *checker) do(ctx context.Context, step *Step, body string) (http.Header, bool) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, step.Method, step.URL, r)
	if err != nil {
		step.Error = err.Error()
		return nil, false
	}
	for _, h := range step.Sent {
		req.Header.Add(h.Name, h.Value)
	}
	resp, err := c.transport.RoundTrip(req)
	if err != nil {
		step.Error = describeNetError(err, c.opts.Timeout)
		return nil, false
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(resp.Body, c.opts.MaxBody+1))
	if n > c.opts.MaxBody {
		n, step.BodyTruncated = c.opts.MaxBody, true
	}
	step.BodyBytes = n
	step.Status = resp.StatusCode
	step.StatusText = strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)+" ")
	if step.StatusText == "" || step.StatusText == resp.Status {
		step.StatusText = http.StatusText(resp.StatusCode)
	}
	if err != nil && !step.BodyTruncated {
		step.Notes = append(step.Notes, "reading the body failed after "+strconv.FormatInt(n, 10)+" bytes: "+describeNetError(err, c.opts.Timeout))
	}
	names := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range resp.Header[name] {
			step.Received = append(step.Received, Header{Name: displayName(name), Value: v})
		}
	}
	if len(resp.TransferEncoding) > 0 {
		step.Received = append(step.Received, Header{Name: "Transfer-Encoding", Value: strings.Join(resp.TransferEncoding, ", ")})
	}
	return resp.Header, true
}

// irregularNames are header names whose usual spelling is not Go's
// canonical form.
var irregularNames = map[string]string{
	"Etag": "ETag", "Www-Authenticate": "WWW-Authenticate", "Content-Md5": "Content-MD5",
	"X-Xss-Protection": "X-XSS-Protection", "Te": "TE", "Dnt": "DNT", "Nel": "NEL",
	"X-Dns-Prefetch-Control": "X-DNS-Prefetch-Control", "X-Ua-Compatible": "X-UA-Compatible",
}

// displayName returns a canonical header name as it is usually written.
func displayName(name string) string {
	if n, ok := irregularNames[name]; ok {
		return n
	}
	return name
}

func describeNetError(err error, timeout time.Duration) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Sprintf("no complete answer within %v (the timeout)", timeout)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Sprintf("no complete answer within %v (the timeout)", timeout)
	}
	return err.Error()
}

func (c *checker) networkError(step *Step) {
	c.rep.Verdict = Undecided
	c.rep.Reason = ReasonNetworkError
	c.rep.Step = len(c.rep.Steps)
	c.rep.Message = fmt.Sprintf("%s %s failed: %s. A browser's fetch() would fail too, but not because of CORS", step.Method, step.URL, step.Error)
}

func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

func statusLine(step *Step) string {
	if step.StatusText == "" {
		return strconv.Itoa(step.Status)
	}
	return strconv.Itoa(step.Status) + " " + step.StatusText
}

// refuse ends the check with a refusal decided at the last step.
func (c *checker) refuse(reason Reason, message string, fix []string, advice string) {
	c.rep.Verdict = Refused
	c.rep.Reason = reason
	c.rep.Step = len(c.rep.Steps)
	c.rep.Message = message
	c.rep.Fix = fix
	c.rep.Advice = advice
}

func (c *checker) warn(code, message string, fix []string) {
	c.rep.Warnings = append(c.rep.Warnings, Warning{Code: code, Message: message, Fix: fix})
}

func (c *checker) credsSuffix() string {
	if c.req.Credentials {
		return " and Access-Control-Allow-Credentials: true"
	}
	return ""
}

// originFix returns the header lines that let the origin read a response
// to step: with Vary: Origin, except for a preflight (HTTP caches do not
// store OPTIONS responses).
func (c *checker) originFix(step *Step) []string {
	fix := []string{"Access-Control-Allow-Origin: " + c.origin()}
	if c.req.Credentials {
		fix = append(fix, "Access-Control-Allow-Credentials: true")
	}
	if step.Kind == StepPreflight {
		return fix
	}
	return append(fix, "Vary: Origin")
}

// corsCheck applies the CORS check to a response; on failure it refuses.
//
// Fetch: https://fetch.spec.whatwg.org/#concept-cors-check
func (c *checker) corsCheck(step *Step, h http.Header, where string) bool {
	origin := c.origin()
	acao := h.Values("Access-Control-Allow-Origin")
	fail := func(reason Reason, msg string, fix []string, advice string) bool {
		step.Notes = append(step.Notes, "the CORS check fails: it "+msg)
		c.refuse(reason, where+" "+msg, fix, advice)
		return false
	}
	taintNote := ""
	if c.tainted {
		taintNote = " (a redirect crossed origins, so the browser sent Origin: null)"
	}
	switch {
	case len(acao) == 0:
		msg := "has no Access-Control-Allow-Origin, so the browser fails the fetch and the page sees nothing"
		advice := ""
		if step.Kind == StepRequest && isRedirect(step.Status) {
			advice = "The browser applies the CORS check to every redirect of a cross-origin fetch: the redirect needs the CORS headers too (put the CORS middleware in front of whatever redirects)."
		} else if step.Kind == StepRequest && step.Status == http.StatusForbidden {
			advice = "The server refused the request (403) without CORS headers: its CORS policy does not allow " + origin + "."
		} else if !c.req.Credentials && !c.tainted {
			advice = "If any site may read this response, Access-Control-Allow-Origin: * works too (without credentials only)."
		}
		return fail(ReasonNoAllowOrigin, msg+taintNote, c.originFix(step), advice)
	case len(acao) > 1 || strings.Contains(acao[0], ","):
		return fail(ReasonMultipleAllowOrigin,
			fmt.Sprintf("has Access-Control-Allow-Origin %s, and browsers accept exactly one value", quoteList(acao)),
			c.originFix(step)[:1+boolInt(c.req.Credentials)],
			"Two layers (a proxy and the application, or two middlewares) probably both add it: keep one.")
	case acao[0] == "*" && !c.req.Credentials:
		step.Notes = append(step.Notes, "the CORS check passes: Access-Control-Allow-Origin: * (no credentials)")
		return true
	case acao[0] == "*":
		return fail(ReasonWildcardOriginWithCredentials,
			"has Access-Control-Allow-Origin: *, which browsers never accept on a request with credentials (cookies)",
			c.originFix(step),
			"Echo the one allowed origin instead of *, or make the fetch without credentials if it needs no cookies.")
	case acao[0] != origin:
		msg := fmt.Sprintf("has Access-Control-Allow-Origin: %s, which is not the page's origin %s%s: browsers compare them byte for byte", acao[0], origin, taintNote)
		switch {
		case strings.EqualFold(strings.TrimSuffix(acao[0], "/"), origin):
			msg += " (the difference is letter case or a trailing slash)"
		}
		advice := ""
		fix := c.originFix(step)
		if c.tainted {
			fix = nil
			advice = "Have the page fetch the final URL directly, so that no redirect crosses origins (allowing the origin null would let any sandboxed page in)."
		}
		return fail(ReasonAllowOriginMismatch, msg, fix, advice)
	}
	if !c.req.Credentials {
		step.Notes = append(step.Notes, "the CORS check passes: Access-Control-Allow-Origin is the origin")
		return true
	}
	acac := h.Values("Access-Control-Allow-Credentials")
	switch {
	case len(acac) == 0:
		return fail(ReasonCredentialsNotAllowed,
			"has no Access-Control-Allow-Credentials: true, which a request with credentials needs",
			[]string{"Access-Control-Allow-Credentials: true"},
			"Or make the fetch without credentials, if it needs no cookies.")
	case len(acac) > 1 || acac[0] != "true":
		return fail(ReasonCredentialsNotAllowed,
			fmt.Sprintf("has Access-Control-Allow-Credentials %s, and browsers accept only the exact value true (lower case, once)", quoteList(acac)),
			[]string{"Access-Control-Allow-Credentials: true"}, "")
	}
	step.Notes = append(step.Notes, "the CORS check passes: Access-Control-Allow-Origin is the origin, with Access-Control-Allow-Credentials: true")
	return true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// preflightWhy says why a request with method and headers needs a
// preflight: one entry per reason, none if it needs none.
func preflightWhy(method string, headers []Header) []string {
	var why, others []string
	if !MethodSafelisted(method) {
		why = append(why, method+" is not a CORS-safelisted method (only GET, HEAD and POST are)")
	}
	size := 0
	var safelisted []string
	for _, h := range headers {
		switch reason := whyNotSafelisted(h.Name, h.Value); {
		case reason == "":
			size += len(h.Value)
			safelisted = append(safelisted, strings.ToLower(h.Name))
		case reason == notSafelistedName:
			others = append(others, strings.ToLower(h.Name))
		default:
			why = append(why, fmt.Sprintf("%s: %s is not CORS-safelisted: %s", h.Name, h.Value, reason))
		}
	}
	switch len(others) {
	case 0:
	case 1:
		why = append(why, others[0]+" is not a CORS-safelisted request header ("+notSafelistedName+")")
	default:
		why = append(why, strings.Join(others, ", ")+" are not CORS-safelisted request headers ("+notSafelistedName+")")
	}
	if size > safelistedValueLimit {
		why = append(why, fmt.Sprintf("the values of %s add up to %d bytes, more than the 1024 a request may send without a preflight", strings.Join(safelisted, ", "), size))
	}
	return why
}

// preflight sends the CORS preflight for the current request and applies
// the browser's checks; on failure it refuses.
//
// Fetch: https://fetch.spec.whatwg.org/#cors-preflight-fetch
func (c *checker) preflight(ctx context.Context, unsafe []string, key string) bool {
	step := &Step{Kind: StepPreflight, Method: "OPTIONS", URL: c.url.String()}
	step.Sent = []Header{
		{Name: "Origin", Value: c.origin()},
		{Name: "Access-Control-Request-Method", Value: c.method},
	}
	if len(unsafe) > 0 {
		step.Sent = append(step.Sent, Header{Name: "Access-Control-Request-Headers", Value: strings.Join(unsafe, ",")})
	}
	step.Sent = append(step.Sent, Header{Name: "Accept", Value: "*/*"}, Header{Name: "User-Agent", Value: c.opts.UserAgent})
	c.rep.Steps = append(c.rep.Steps, step)
	h, ok := c.do(ctx, step, "")
	if !ok {
		c.networkError(step)
		return false
	}

	grant := c.grantFix(h, unsafe)
	status := step.Status
	switch {
	case isRedirect(status):
		loc := h.Get("Location")
		msg := fmt.Sprintf("the preflight was answered %s", statusLine(step))
		if loc != "" {
			msg += " to " + loc
		}
		msg += ": browsers never follow a redirect of a preflight, and fail the fetch"
		step.Notes = append(step.Notes, "the preflight fails: it was redirected")
		advice := "Answer the OPTIONS request at " + c.url.String() + " itself, with 200 or 204 and the headers above, before anything redirects it: put the CORS middleware in front of the router."
		if loc != "" {
			advice += " Or have the page fetch the redirect's target directly."
		}
		c.refuse(ReasonPreflightRedirected, msg, grant, advice)
		return false
	case status < 200 || status > 299:
		msg := fmt.Sprintf("the preflight was answered %s, and a preflight passes only with a 2xx status (200 or 204)", statusLine(step))
		if len(h.Values("Access-Control-Allow-Origin")) == 0 {
			msg += fmt.Sprintf("; it has no Access-Control-Allow-Origin either: the server does not grant %s from %s%s", c.method, c.origin(), headersAsked(unsafe))
		}
		var advice string
		switch status {
		case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
			advice = fmt.Sprintf("A %d to OPTIONS usually means the router answered before any CORS middleware ran: register the CORS middleware in front of the router, for every path and method.", status)
		case http.StatusUnauthorized:
			advice = "A preflight never carries credentials (no cookies, no Authorization): authentication must let OPTIONS preflights through to the CORS middleware."
		case http.StatusForbidden:
			advice = "A 403 without CORS headers is how CORS middleware (corskit among them) refuses a preflight: its policy does not allow this origin, method or one of these headers."
		}
		step.Notes = append(step.Notes, "the preflight fails: its status is not 2xx")
		c.refuse(ReasonPreflightStatus, msg, grant, advice)
		return false
	}
	if !c.corsCheck(step, h, "the preflight response ("+statusLine(step)+")") {
		if c.rep.Reason == ReasonNoAllowOrigin {
			c.rep.Fix = grant
			c.rep.Advice = "A 2xx answer without grant headers usually comes from the framework's own OPTIONS handling, or a catch-all route, not from CORS middleware: make sure the CORS middleware sees the preflight."
		}
		return false
	}

	methods, err := ParseList(h.Values("Access-Control-Allow-Methods"))
	if err != nil {
		c.refuse(ReasonMalformedAllowMethods,
			fmt.Sprintf("the preflight response's Access-Control-Allow-Methods %s cannot be parsed (%v), so the browser fails the fetch", quoteList(h.Values("Access-Control-Allow-Methods")), err),
			grant, "List methods separated by commas: Access-Control-Allow-Methods: GET, PUT.")
		return false
	}
	headerNames, err := ParseList(h.Values("Access-Control-Allow-Headers"))
	if err != nil {
		c.refuse(ReasonMalformedAllowHeaders,
			fmt.Sprintf("the preflight response's Access-Control-Allow-Headers %s cannot be parsed (%v), so the browser fails the fetch", quoteList(h.Values("Access-Control-Allow-Headers")), err),
			grant, "List header names separated by commas: Access-Control-Allow-Headers: content-type, x-custom.")
		return false
	}
	creds := c.req.Credentials

	// The method.
	methodHow := "safelisted"
	if !containsExact(methods, c.method) && !MethodSafelisted(c.method) {
		fix := []string{"Access-Control-Allow-Methods: " + strings.Join(appendMethod(withoutStar(methods, creds), c.method), ", ")}
		switch {
		case containsExact(methods, "*") && creds:
			step.Notes = append(step.Notes, "the preflight fails: the method is covered only by *")
			c.refuse(ReasonWildcardMethodWithCredentials,
				fmt.Sprintf("the preflight response allows %s only through Access-Control-Allow-Methods: *, which does not count on a request with credentials (browsers read it as a method named \"*\")", c.method),
				fix, "List the method by name.")
			return false
		case !containsExact(methods, "*"):
			msg := notListed("Access-Control-Allow-Methods", methods, c.method, c.method)
			if len(methods) == 0 {
				msg += " (without it, only GET, HEAD and POST are allowed)"
			}
			for _, m := range methods {
				if strings.EqualFold(m, c.method) {
					msg = fmt.Sprintf("the preflight response lists %s in Access-Control-Allow-Methods (%s), not %s: methods are compared case-sensitively", m, strings.Join(methods, ", "), c.method)
				}
			}
			advice := ""
			if c.method != strings.ToUpper(c.method) {
				msg += " (fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, and sends " + c.method + " as written)"
				advice = "Or have the page write the method as the server lists it: " + strings.ToUpper(c.method) + "."
			}
			step.Notes = append(step.Notes, "the preflight fails: the method is not allowed")
			c.refuse(ReasonMethodNotAllowed, msg, fix, advice)
			return false
		}
		methodHow = "allowed by *"
	} else if containsExact(methods, c.method) {
		methodHow = "listed"
	}

	// Authorization, which "*" never covers.
	for _, hd := range c.headers {
		if strings.EqualFold(hd.Name, "Authorization") && !containsFold(headerNames, "authorization") {
			fix := []string{"Access-Control-Allow-Headers: " + strings.Join(appendMissing(headerNames, "authorization"), ", ")}
			if containsExact(headerNames, "*") {
				step.Notes = append(step.Notes, "the preflight fails: * does not cover Authorization")
				c.refuse(ReasonAuthorizationWildcard,
					"the preflight response allows Authorization only through Access-Control-Allow-Headers: *, and by the Fetch standard * covers any request header but Authorization, which must be listed by name",
					fix, "Browsers do not enforce this rule yet (Chromium 148, Firefox 140 and WebKitGTK 2.50 let such a request through when tested), so the request may work in them today; listing authorization keeps it working when they do.")
			} else {
				step.Notes = append(step.Notes, "the preflight fails: Authorization is not allowed")
				c.refuse(ReasonHeaderNotAllowed,
					notListed("Access-Control-Allow-Headers", headerNames, "authorization", "the request's Authorization header"),
					fix, "")
			}
			return false
		}
	}

	// Every other unsafe header.
	var missing []string
	for _, name := range unsafe {
		if !containsFold(headerNames, name) && (creds || !containsExact(headerNames, "*")) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		fix := []string{"Access-Control-Allow-Headers: " + strings.Join(appendMissing(withoutStar(headerNames, creds), missing...), ", ")}
		if creds && containsExact(headerNames, "*") {
			step.Notes = append(step.Notes, "the preflight fails: headers covered only by *")
			c.refuse(ReasonWildcardHeaderWithCredentials,
				fmt.Sprintf("the preflight response allows %s only through Access-Control-Allow-Headers: *, which does not count on a request with credentials", strings.Join(missing, ", ")),
				fix, "List the header names.")
		} else {
			step.Notes = append(step.Notes, "the preflight fails: "+strings.Join(missing, ", ")+" not allowed")
			c.refuse(ReasonHeaderNotAllowed,
				notListed("Access-Control-Allow-Headers", headerNames, strings.Join(missing, ", "), "the request's "+strings.Join(missing, ", ")),
				fix, "")
		}
		return false
	}

	// Passed: how long the browser caches it.
	maxAge, maxAgeNote := c.maxAge(h)
	note := "the preflight passes: " + c.method + " " + methodHow
	if len(unsafe) > 0 {
		note += "; " + strings.Join(unsafe, ", ") + " allowed"
	}
	note += "; " + maxAgeNote
	step.Notes = append(step.Notes, note)
	step.Passed = true
	if maxAge > 0 {
		c.cache[key] = true
	}
	return true
}

// headersAsked describes the headers a preflight asked for, for messages.
func headersAsked(unsafe []string) string {
	if len(unsafe) == 0 {
		return ""
	}
	return " with headers " + strings.Join(unsafe, ", ")
}

// grantFix returns every header line a preflight response needs for the
// current request, keeping what the server already lists.
func (c *checker) grantFix(h http.Header, unsafe []string) []string {
	fix := []string{"Access-Control-Allow-Origin: " + c.origin()}
	if c.req.Credentials {
		fix = append(fix, "Access-Control-Allow-Credentials: true")
	}
	if !MethodSafelisted(c.method) {
		methods, _ := ParseList(h.Values("Access-Control-Allow-Methods"))
		fix = append(fix, "Access-Control-Allow-Methods: "+strings.Join(appendMethod(withoutStar(methods, c.req.Credentials), c.method), ", "))
	}
	if len(unsafe) > 0 {
		names, _ := ParseList(h.Values("Access-Control-Allow-Headers"))
		fix = append(fix, "Access-Control-Allow-Headers: "+strings.Join(appendMissing(withoutStar(names, c.req.Credentials), unsafe...), ", "))
	}
	return fix
}

// appendMissing returns list with each of add that it lacks (in any case).
func appendMissing(list []string, add ...string) []string {
	out := slices.Clone(list)
	for _, a := range add {
		if !containsFold(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// appendMethod returns methods with method added unless listed exactly
// (methods compare case-sensitively).
func appendMethod(methods []string, method string) []string {
	if containsExact(methods, method) {
		return methods
	}
	return append(slices.Clone(methods), method)
}

// withoutStar drops "*" from list when it counts for nothing (with
// credentials).
func withoutStar(list []string, creds bool) []string {
	if !creds {
		return list
	}
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == "*" })
}

// notListed says that a preflight response's header name does not list
// missing, which need needs.
func notListed(name string, list []string, missing, need string) string {
	if len(list) == 0 {
		return fmt.Sprintf("the preflight response has no %s, which %s needs", name, need)
	}
	return fmt.Sprintf("the preflight response does not list %s in %s (%s)", missing, name, strings.Join(list, ", "))
}

// maxAge reads a passed preflight's Access-Control-Max-Age, warns about
// values browsers cap or ignore, and returns the seconds Chromium caches
// it for, with a note.
//
// Fetch: https://fetch.spec.whatwg.org/#cors-preflight-cache
func (c *checker) maxAge(h http.Header) (int64, string) {
	vals := h.Values("Access-Control-Max-Age")
	if len(vals) == 0 {
		return 5, "no Access-Control-Max-Age, so browsers cache it for 5 s"
	}
	v := vals[0]
	secs, err := strconv.ParseInt(v, 10, 64)
	if len(vals) > 1 || err != nil && !allDigits(v) || secs < 0 || v == "" || v[0] == '+' {
		c.warn(WarnMaxAgeInvalid, fmt.Sprintf("Access-Control-Max-Age %s is not a number of seconds: browsers ignore it and cache the preflight for 5 s", quoteList(vals)),
			[]string{"Access-Control-Max-Age: 600"})
		return 5, "Access-Control-Max-Age is invalid, so browsers cache it for 5 s"
	}
	if err != nil { // digits, but too large for int64
		secs = 1 << 62
	}
	if secs == 0 {
		return 0, "Access-Control-Max-Age: 0, so browsers do not cache it"
	}
	var capped []string
	if secs > maxAgeWebKit {
		capped = append(capped, "Safari and other WebKit browsers cap it at 10 min (600 s)")
	}
	if secs > maxAgeChromium {
		capped = append(capped, "Chromium at 2 h (7200 s)")
	}
	if secs > maxAgeFirefox {
		capped = append(capped, "Firefox at 24 h (86400 s)")
	}
	if len(capped) > 0 {
		c.warn(WarnMaxAgeCapped, fmt.Sprintf("Access-Control-Max-Age: %s is more than some browsers honour: %s, without telling anyone", v, strings.Join(capped, "; ")), nil)
	}
	cached := min(secs, maxAgeChromium)
	return cached, fmt.Sprintf("Access-Control-Max-Age: %s, so Chromium caches it for %d s, Firefox %d s, Safari %d s", v, cached, min(secs, maxAgeFirefox), min(secs, maxAgeWebKit))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// redirect follows a redirect as the browser's HTTP-redirect fetch does;
// it returns false when the check ends there.
//
// Fetch: https://fetch.spec.whatwg.org/#http-redirect-fetch
func (c *checker) redirect(step *Step, h http.Header) bool {
	locs := h.Values("Location")
	if len(locs) > 1 {
		step.Notes = append(step.Notes, "the redirect fails: several Location values")
		c.refuse(ReasonBadRedirect, fmt.Sprintf("the redirect has %d Location values, which the browser treats as a network error", len(locs)),
			nil, "Send exactly one Location.")
		return false
	}
	loc, err := c.url.Parse(locs[0])
	if err != nil {
		step.Notes = append(step.Notes, "the redirect fails: its Location is not a URL")
		c.refuse(ReasonBadRedirect, fmt.Sprintf("the redirect's Location %q is not a URL (%v), which the browser treats as a network error", locs[0], err), nil, "")
		return false
	}
	loc.Fragment, loc.RawFragment = "", ""
	if loc.Scheme != "http" && loc.Scheme != "https" {
		step.Notes = append(step.Notes, "the redirect fails: not http or https")
		c.refuse(ReasonBadRedirect, fmt.Sprintf("the redirect goes to %s, which is not an http or https URL: the browser fails the fetch", loc), nil, "")
		return false
	}
	if c.redirects == MaxRedirects {
		step.Notes = append(step.Notes, "the redirect fails: too many redirects")
		c.refuse(ReasonTooManyRedirects, fmt.Sprintf("this is redirect number %d: browsers follow at most %d, then fail the fetch", c.redirects+1, MaxRedirects), nil,
			"Look for a redirect loop (http to https and back, or a trailing slash added and removed).")
		return false
	}
	c.redirects++
	if loc.User != nil && (c.cors || c.req.Origin != originOf(loc)) {
		step.Notes = append(step.Notes, "the redirect fails: its URL has credentials")
		c.refuse(ReasonRedirectCredentials, fmt.Sprintf("the redirect goes to %s, a URL with a user name or password, which the browser refuses for a cross-origin fetch", loc.Redacted()), nil,
			"Redirect to a URL without user:password@.")
		return false
	}
	var notes []string
	if (step.Status == 301 || step.Status == 302) && c.method == "POST" || step.Status == 303 && c.method != "GET" && c.method != "HEAD" {
		notes = append(notes, fmt.Sprintf("%d turns %s into GET: the body and its Content-Type and Content-Language headers are dropped", step.Status, c.method))
		c.method = "GET"
		c.body = ""
		c.headers = slices.DeleteFunc(c.headers, func(h Header) bool {
			switch strings.ToLower(h.Name) {
			case "content-encoding", "content-language", "content-location", "content-type":
				return true
			}
			return false
		})
	}
	if originOf(c.url) != originOf(loc) {
		if hasHeader(c.headers, "Authorization") {
			notes = append(notes, "the redirect leaves "+originOf(c.url)+": the browser drops Authorization")
			c.headers = slices.DeleteFunc(c.headers, func(h Header) bool { return strings.EqualFold(h.Name, "Authorization") })
		}
		if !c.tainted && c.req.Origin != "null" && c.req.Origin != originOf(c.url) {
			c.tainted = true
			notes = append(notes, "a cross-origin URL redirects to another origin ("+originOf(loc)+"): from now on the browser sends Origin: null")
			c.warn(WarnOriginTainted, fmt.Sprintf("%s redirects to another origin, %s, so the browser sends Origin: null from then on, and the response must allow null", originOf(c.url), originOf(loc)), nil)
		}
	}
	if strings.ToLower(loc.Hostname()) != c.host {
		step.Notes = append(step.Notes, append(notes, "not followed: "+loc.Hostname()+" is another host")...)
		c.rep.Verdict = Undecided
		c.rep.Reason = ReasonRedirectOtherHost
		c.rep.Step = len(c.rep.Steps)
		c.rep.Message = fmt.Sprintf("the server redirects to %s, on another host, which corskit check does not contact. A browser would follow it (sending Origin: %s), and the verdict would depend on that server's answer", loc, c.origin())
		c.rep.Advice = fmt.Sprintf("Check the target itself: corskit check %s --origin %s with the same options.", loc, c.origin())
		return false
	}
	step.Notes = append(step.Notes, append([]string{"the browser follows the redirect to " + loc.String()}, notes...)...)
	c.url = loc
	return true
}

// safelistedResponse are the CORS-safelisted response-header names, which
// a page can always read.
//
// Fetch: https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
var safelistedResponse = []string{"Cache-Control", "Content-Language", "Content-Length", "Content-Type", "Expires", "Last-Modified", "Pragma"}

// unremarkable are response headers that pages do not read, about which
// missing Access-Control-Expose-Headers is not worth a warning: transport,
// security policy, CORS itself, caching infrastructure.
var unremarkable = map[string]bool{
	"access-control-allow-credentials": true, "access-control-allow-headers": true,
	"access-control-allow-methods": true, "access-control-allow-origin": true,
	"access-control-allow-private-network": true, "access-control-expose-headers": true,
	"access-control-max-age": true, "age": true, "alt-svc": true, "connection": true,
	"content-security-policy": true, "content-security-policy-report-only": true,
	"cross-origin-embedder-policy": true, "cross-origin-opener-policy": true,
	"cross-origin-resource-policy": true, "date": true, "keep-alive": true, "nel": true,
	"origin-agent-cluster": true, "permissions-policy": true, "referrer-policy": true,
	"report-to": true, "reporting-endpoints": true, "server": true, "server-timing": true,
	"set-cookie": true, "set-cookie2": true, "strict-transport-security": true,
	"timing-allow-origin": true, "transfer-encoding": true, "vary": true, "via": true,
	"x-content-type-options": true, "x-frame-options": true, "x-powered-by": true,
	"x-xss-protection": true, "x-dns-prefetch-control": true, "x-download-options": true,
	"x-permitted-cross-domain-policies": true, "expect-ct": true, "accept-ranges": true,
}

// final examines the response the page gets: what it can read, the
// headers it must be able to read, and what breaks behind caches.
func (c *checker) final(ctx context.Context, step *Step, h http.Header) {
	step.Passed = true
	var names []string
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	readable := func(string) bool { return true }
	var exposed []string
	exposeAll := false
	if c.cors {
		vals := h.Values("Access-Control-Expose-Headers")
		list, err := ParseList(vals)
		if err != nil {
			c.warn(WarnMalformedExpose, fmt.Sprintf("Access-Control-Expose-Headers %s cannot be parsed (%v), so the browser exposes nothing", quoteList(vals), err),
				[]string{"Access-Control-Expose-Headers: X-Total-Count, ETag (names separated by commas)"})
			list = nil
		}
		exposed = list
		if containsExact(list, "*") {
			if c.req.Credentials {
				c.warn(WarnExposeWildcardWithCredentials, "Access-Control-Expose-Headers: * exposes nothing on a response to a request with credentials (browsers read it as a header named \"*\"): list the names", nil)
			} else {
				exposeAll = true
			}
		}
		readable = func(name string) bool {
			if strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Set-Cookie2") {
				return false
			}
			return exposeAll || containsFold(safelistedResponse, name) || containsFold(exposed, name)
		}
	} else {
		readable = func(name string) bool {
			return !strings.EqualFold(name, "Set-Cookie") && !strings.EqualFold(name, "Set-Cookie2")
		}
	}
	var notExposed []string
	for _, name := range names {
		name = displayName(name)
		if readable(name) {
			c.rep.Readable = append(c.rep.Readable, name)
		} else {
			c.rep.Unreadable = append(c.rep.Unreadable, name)
			if !unremarkable[strings.ToLower(name)] && !containsFold(c.req.Expose, name) {
				notExposed = append(notExposed, name)
			}
		}
	}
	exposeFix := func(add ...string) []string {
		return []string{"Access-Control-Expose-Headers: " + strings.Join(appendMissing(withoutStar(exposed, c.req.Credentials), add...), ", ")}
	}
	if len(notExposed) > 0 {
		them := "them"
		if len(notExposed) == 1 {
			them = "it"
		}
		c.warn(WarnNotExposed, fmt.Sprintf("the response has %s, which the page cannot read: not CORS-safelisted, and not in Access-Control-Expose-Headers; if the page needs %s, the server must expose %s", strings.Join(notExposed, ", "), them, them),
			exposeFix(notExposed...))
	}
	if c.cors {
		c.varyWarning(ctx, step, h)
	}

	// The headers the page must read.
	for _, name := range c.req.Expose {
		if len(h.Values(name)) == 0 {
			c.refuse(ReasonHeaderMissing, fmt.Sprintf("the response has no %s header, so the page cannot read it", name), nil,
				"The server does not send "+name+" in answer to this request; the CORS headers cannot expose what is not there.")
			return
		}
		if !readable(name) {
			fix := exposeFix(name)
			msg := fmt.Sprintf("the response has %s, but the page cannot read it: it is not CORS-safelisted, and there is no Access-Control-Expose-Headers", name)
			if len(exposed) > 0 {
				msg = fmt.Sprintf("the response has %s, but the page cannot read it: it is not CORS-safelisted, and Access-Control-Expose-Headers (%s) does not list it", name, strings.Join(exposed, ", "))
			}
			if exposeAll || containsExact(exposed, "*") && c.req.Credentials {
				msg += " (* exposes nothing on a request with credentials)"
			}
			c.refuse(ReasonHeaderNotExposed, msg, fix, "")
			return
		}
	}
	c.rep.Verdict = Allowed
	c.rep.Step = len(c.rep.Steps)
	if !c.cors {
		c.rep.Message = "the page's origin is the URL's: a same-origin fetch, to which no CORS check applies; the page reads the response"
		step.Notes = append(step.Notes, "same origin: no CORS check")
		return
	}
	c.rep.Message = fmt.Sprintf("the page can read the response (%s)", statusLine(step))
	if c.req.Credentials {
		c.rep.Message += ", sent with credentials"
	}
}

// corsHeaderNames are the headers compared between the response and the
// Vary probe's.
var corsHeaderNames = []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers"}

// varyWarning warns when Access-Control-Allow-Origin echoes the origin and
// Vary does not list Origin: a shared cache would serve this origin's
// answer to another. For GET and HEAD it first asks again with another
// origin, to tell a server whose CORS headers depend on Origin from one
// that sends the same headers to everyone.
//
// Fetch: https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
func (c *checker) varyWarning(ctx context.Context, final *Step, h http.Header) {
	if h.Get("Access-Control-Allow-Origin") == "*" {
		return
	}
	vary, _ := ParseList(h.Values("Vary"))
	if containsFold(vary, "Origin") || containsExact(vary, "*") {
		return
	}
	fix := []string{"Vary: " + strings.Join(appendMissing(vary, "Origin"), ", ")}
	if c.opts.NoProbe || c.method != "GET" && c.method != "HEAD" {
		why := "probing turned off"
		if !c.opts.NoProbe {
			why = "not probed, as " + c.method + " may change data"
		}
		c.warn(WarnNoVary, fmt.Sprintf("Access-Control-Allow-Origin echoes the origin, and Vary does not list Origin (%s): if the server answers other origins differently, a shared cache can serve this answer to them, or theirs to this origin", why), fix)
		return
	}
	other := probeOrigin
	if c.origin() == other {
		other = "https://corskit-check-2.invalid"
	}
	probe := &Step{Kind: StepProbe, Method: c.method, URL: final.URL}
	for _, s := range final.Sent {
		if s.Name == "Origin" {
			s.Value = other
		}
		probe.Sent = append(probe.Sent, s)
	}
	c.rep.Steps = append(c.rep.Steps, probe)
	ph, ok := c.do(ctx, probe, "")
	if !ok {
		probe.Notes = append(probe.Notes, "the probe failed, so whether the CORS headers depend on Origin is unknown")
		c.warn(WarnNoVary, "Access-Control-Allow-Origin echoes the origin, and Vary does not list Origin: if the server answers other origins differently, a shared cache can serve this answer to them (the probe with another origin failed: "+probe.Error+")", fix)
		return
	}
	var diff []string
	for _, name := range corsHeaderNames {
		a, b := h.Values(name), ph.Values(name)
		if !slices.Equal(a, b) {
			diff = append(diff, fmt.Sprintf("%s %s instead of %s", name, describeValues(b), describeValues(a)))
		}
	}
	if len(diff) == 0 {
		probe.Notes = append(probe.Notes, "the same CORS headers for Origin: "+other+": they do not depend on Origin, so no Vary: Origin is needed")
		return
	}
	probe.Notes = append(probe.Notes, "the CORS headers depend on Origin: "+strings.Join(diff, "; "))
	c.warn(WarnNoVary, fmt.Sprintf("the CORS headers depend on Origin (for Origin: %s the server sent %s), and Vary does not list Origin: a shared cache (CDN, proxy) can serve one origin's answer to another, and the browser then refuses it, or lets the wrong site read it", other, strings.Join(diff, "; ")), fix)
	if ph.Get("Access-Control-Allow-Origin") == other {
		msg := "the server echoes any Origin, even the made-up " + other + ": every site on the web can read its responses"
		if ph.Get("Access-Control-Allow-Credentials") == "true" {
			msg += ", with the user's cookies"
		}
		c.warn(WarnReflectsAnyOrigin, msg+"; allow a list of origins instead of echoing Origin", nil)
	}
}

func describeValues(v []string) string {
	if len(v) == 0 {
		return "(none)"
	}
	return quoteList(v)
}
