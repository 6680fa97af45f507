// Package fetchcheck plays the browser's part of CORS against a live
// server: given the fetch() a page would make (URL, the page's origin,
// method, headers, credentials), it sends what a browser sends — the
// preflight when the Fetch standard requires one, then the request,
// following redirects as the browser does — and applies the checks the
// browser applies to what comes back, step by step. The result is a Report:
// what was sent, what came back, whether the page could read the response,
// and if not, why and what the server would have to send instead.
//
// It is written from the Fetch standard (https://fetch.spec.whatwg.org/:
// "CORS check", "CORS-preflight fetch", "CORS-safelisted method",
// "CORS-safelisted request-header", "CORS-preflight cache",
// "HTTP-redirect fetch"), independently of corskit's server-side decision
// logic in package core, so that the two can check each other. It is the
// engine of the "corskit check" command.
//
// Check is bounded: a timeout for the whole check, a cap on the bytes read
// from each response body and header, at most 20 redirects (as Fetch), no
// proxy, no cookie jar, and no request to any host but the one named: a
// redirect to another host ends the check with an undecided verdict.
package fetchcheck

import (
	"net/http"
	"time"
)

// A Header is one header line, as sent or received.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Request is the fetch() to simulate: fetch(URL, {method, headers, body,
// credentials}) made by a page whose origin is Origin.
type Request struct {
	// URL is the absolute http or https URL fetched.
	URL string `json:"url"`
	// Origin is the page's origin, as browsers serialise it
	// ("https://app.example.com", "http://localhost:1111"), or "null" for
	// an opaque origin (a sandboxed iframe, a file: page).
	Origin string `json:"origin"`
	// Method is the request method; empty means GET. fetch() upper-cases
	// DELETE, GET, HEAD, OPTIONS, POST and PUT and sends any other as
	// written (see NormalizeMethod).
	Method string `json:"method"`
	// Headers are the headers the page sets, in order. A name given
	// twice is sent once, its values joined with ", ", as fetch() does.
	Headers []Header `json:"headers,omitempty"`
	// Body, if not empty, is sent with the request (never with a
	// preflight). Without a Content-Type header, it is sent as
	// text/plain;charset=UTF-8, as fetch() sends a string.
	Body string `json:"body,omitempty"`
	// Credentials is fetch()'s credentials: "include": the browser sends
	// cookies, and the response must allow them.
	Credentials bool `json:"credentials"`
	// Cookie, if set, is sent as the Cookie header of the request (never
	// of a preflight), standing for the cookies a browser would have for
	// the server. It requires Credentials. A page cannot set Cookie
	// itself.
	Cookie string `json:"cookie,omitempty"`
	// Expose lists response headers the page must be able to read: the
	// verdict is refused if one of them is missing or not exposed.
	Expose []string `json:"expose,omitempty"`
}

// Options bound and shape a Check.
type Options struct {
	// Timeout bounds the whole check, every request included; 0 means 10
	// seconds.
	Timeout time.Duration
	// MaxBody is the most bytes read from each response body (the rest is
	// discarded with the connection); 0 means 1 MiB.
	MaxBody int64
	// MaxHeaderBytes bounds each response's header; 0 means 64 KiB.
	MaxHeaderBytes int64
	// PreflightOnly stops before the actual request: for methods whose
	// request must not be sent (a DELETE), it checks the preflight alone.
	PreflightOnly bool
	// NoProbe turns off the probe for Vary: Origin (see Check).
	NoProbe bool
	// Transport, if set, sends the requests instead of Check's own bounded
	// transport. Tests use it; the host rule still applies.
	Transport http.RoundTripper
	// UserAgent is sent as User-Agent; empty means "corskit-check".
	UserAgent string
}

// A Verdict is what the browser would make of the fetch.
type Verdict string

// The verdicts.
const (
	// Allowed: the page could read the response.
	Allowed Verdict = "allowed"
	// Refused: the browser would fail the fetch (a TypeError in the
	// page), or the page could not read a header listed in Expose.
	Refused Verdict = "refused"
	// Undecided: the check could not finish, because of a network error
	// or a redirect to another host, which Check does not follow.
	Undecided Verdict = "undecided"
)

// A Reason says why the verdict was reached; it is empty when allowed.
type Reason string

// The reasons. Each Report also says it in words, with the fix.
const (
	// The response (or preflight response) has no Access-Control-Allow-Origin.
	ReasonNoAllowOrigin Reason = "no-allow-origin"
	// Access-Control-Allow-Origin appears more than once or lists several origins.
	ReasonMultipleAllowOrigin Reason = "multiple-allow-origin"
	// Access-Control-Allow-Origin is neither the page's origin nor an acceptable "*".
	ReasonAllowOriginMismatch Reason = "allow-origin-mismatch"
	// Access-Control-Allow-Origin is "*" on a request with credentials.
	ReasonWildcardOriginWithCredentials Reason = "wildcard-origin-with-credentials"
	// A request with credentials got no Access-Control-Allow-Credentials: true.
	ReasonCredentialsNotAllowed Reason = "credentials-not-allowed"
	// The preflight was answered with a redirect, which browsers never follow.
	ReasonPreflightRedirected Reason = "preflight-redirected"
	// The preflight was answered with a status outside 200-299.
	ReasonPreflightStatus Reason = "preflight-status"
	// Access-Control-Allow-Methods could not be parsed.
	ReasonMalformedAllowMethods Reason = "malformed-allow-methods"
	// Access-Control-Allow-Headers could not be parsed.
	ReasonMalformedAllowHeaders Reason = "malformed-allow-headers"
	// The method is not listed in Access-Control-Allow-Methods.
	ReasonMethodNotAllowed Reason = "method-not-allowed"
	// The method is covered only by "*", which does not count with credentials.
	ReasonWildcardMethodWithCredentials Reason = "wildcard-method-with-credentials"
	// A request header is not listed in Access-Control-Allow-Headers.
	ReasonHeaderNotAllowed Reason = "header-not-allowed"
	// A request header is covered only by "*", which does not count with credentials.
	ReasonWildcardHeaderWithCredentials Reason = "wildcard-header-with-credentials"
	// Authorization is covered only by "*", which never covers it.
	ReasonAuthorizationWildcard Reason = "authorization-not-covered-by-wildcard"
	// A redirect the browser treats as a network error: several or invalid
	// Location values, or a scheme other than http and https.
	ReasonBadRedirect Reason = "bad-redirect"
	// A redirect to a URL with a user name or password.
	ReasonRedirectCredentials Reason = "redirect-with-credentials"
	// More than 20 redirects.
	ReasonTooManyRedirects Reason = "too-many-redirects"
	// A header listed in Request.Expose is sent but not readable by the page.
	ReasonHeaderNotExposed Reason = "header-not-exposed"
	// A header listed in Request.Expose is not in the response at all.
	ReasonHeaderMissing Reason = "header-missing"
	// The server could not be reached, or did not answer in time.
	ReasonNetworkError Reason = "network-error"
	// The server redirected to another host, which Check does not follow.
	ReasonRedirectOtherHost Reason = "redirect-to-other-host"
)

// Report is the outcome of a Check.
type Report struct {
	// Verdict, Reason and Message say what the browser would make of it;
	// Step is the 1-based index of the step the verdict was decided at.
	Verdict Verdict `json:"verdict"`
	Reason  Reason  `json:"reason,omitempty"`
	Message string  `json:"message"`
	Step    int     `json:"step,omitempty"`
	// Fix lists the header lines the server would have to send (or send
	// instead) for the browser to allow the request; Advice says in words
	// what to change, where headers alone do not say it.
	Fix    []string `json:"fix,omitempty"`
	Advice string   `json:"advice,omitempty"`
	// Warnings are what a browser would not refuse but what breaks
	// elsewhere: behind caches, in other browsers, for headers not exposed.
	Warnings []Warning `json:"warnings,omitempty"`
	// Readable and Unreadable list the response header names the page
	// could and could not read, when the final response passed.
	Readable   []string `json:"readable,omitempty"`
	Unreadable []string `json:"unreadable,omitempty"`
	// Request is the request checked, as normalised (method case,
	// headers joined, the Content-Type fetch() adds to a body).
	Request Request `json:"request"`
	// SameOrigin is set when the page's origin is the URL's: the browser
	// then applies no CORS check (until a redirect leaves the origin).
	SameOrigin bool `json:"same_origin"`
	// PreflightNeeded says whether the fetch needs a preflight, and
	// PreflightWhy why, one entry per method or header that makes it
	// necessary.
	PreflightNeeded bool     `json:"preflight_needed"`
	PreflightWhy    []string `json:"preflight_why,omitempty"`
	// Steps are the requests sent, in order.
	Steps []*Step `json:"steps"`
}

// A StepKind says what a step's request was.
type StepKind string

// The kinds of step.
const (
	// StepPreflight is a CORS preflight: OPTIONS with
	// Access-Control-Request-Method.
	StepPreflight StepKind = "preflight"
	// StepRequest is the request itself, or one after a redirect.
	StepRequest StepKind = "request"
	// StepProbe is the same request again with another Origin, sent to
	// see whether the CORS headers depend on Origin (for Vary); it is not
	// part of what the browser does.
	StepProbe StepKind = "probe"
)

// A Step is one request sent and what came back.
type Step struct {
	// Kind says what the request was: a preflight, the request itself
	// (again after each redirect), or the Vary probe.
	Kind StepKind `json:"kind"`
	// Method, URL and Sent are the request line and the headers sent
	// (Host and Content-Length aside).
	Method string   `json:"method"`
	URL    string   `json:"url"`
	Sent   []Header `json:"sent"`
	// Status, StatusText and Received are what came back, the headers
	// sorted by name. Status is 0 when no response came back (see Error).
	Status     int      `json:"status,omitempty"`
	StatusText string   `json:"status_text,omitempty"`
	Received   []Header `json:"received,omitempty"`
	// BodyBytes is how many bytes of the body were read; BodyTruncated
	// is set when the body was longer than Options.MaxBody.
	BodyBytes     int64 `json:"body_bytes,omitempty"`
	BodyTruncated bool  `json:"body_truncated,omitempty"`
	// Error says why no response came back: a network error, the timeout,
	// a header over Options.MaxHeaderBytes.
	Error string `json:"error,omitempty"`
	// Notes say what the browser made of this step.
	Notes []string `json:"notes,omitempty"`
	// Passed is set when the browser's checks of this step passed.
	Passed bool `json:"passed"`
}

// A Warning is something the browser would not refuse, but that breaks
// behind caches or in other browsers, or that the page's author may not
// expect.
type Warning struct {
	// Code is one of the Warn constants.
	Code string `json:"code"`
	// Message says what is wrong and why it matters.
	Message string `json:"message"`
	// Fix lists the header lines the server would send instead, if any.
	Fix []string `json:"fix,omitempty"`
}

// The warning codes.
const (
	// WarnNoVary: the CORS headers depend on Origin, and Vary does not
	// list Origin.
	WarnNoVary = "no-vary-origin"
	// WarnReflectsAnyOrigin: the server echoed a made-up origin.
	WarnReflectsAnyOrigin = "reflects-any-origin"
	// WarnMaxAgeCapped: Access-Control-Max-Age is above what some
	// browsers honour.
	WarnMaxAgeCapped = "max-age-capped"
	// WarnMaxAgeInvalid: Access-Control-Max-Age is not a number of
	// seconds.
	WarnMaxAgeInvalid = "max-age-invalid"
	// WarnNotExposed: the response has headers the page cannot read.
	WarnNotExposed = "not-exposed"
	// WarnExposeWildcardWithCredentials: Access-Control-Expose-Headers:
	// * on a credentialed response, where it exposes nothing.
	WarnExposeWildcardWithCredentials = "expose-wildcard-with-credentials"
	// WarnMalformedExpose: Access-Control-Expose-Headers could not be
	// parsed, so nothing is exposed.
	WarnMalformedExpose = "malformed-expose-headers"
	// WarnOriginTainted: a redirect left the origin, and the browser sent
	// Origin: null from then on.
	WarnOriginTainted = "origin-null-after-redirect"
	// WarnPreflightOnly: the actual request was not sent.
	WarnPreflightOnly = "preflight-only"
)
