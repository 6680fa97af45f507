// Package core decides what a CORS middleware must do with one request.
//
// Write a [Config], compile it once at start-up with [Compile] (or
// [NewHolder], to swap policies at run time), and call [Policy.Decide] on
// every request with the request's [Facts]. The returned [Decision] lists the
// headers to set, the Vary token to add, and whether to stop with a status or
// call the next handler. This is the server side of the [CORS protocol],
// with the practices of "CORS in Action", chapter 6. Nothing here knows about
// a web framework: corskit's adapters (corshttp, corsgin, corsecho,
// corsfiber) only read Facts from the request and apply the Decision.
//
// # Safe by default
//
// The zero Config allows nothing cross-origin, and every field opens one
// thing. Compile refuses configurations that would open more than they say or
// that can never work — credentials with "*", credentials with "null", a
// pattern over a public suffix such as "https://*.co.uk", an origin written
// with a trailing slash or in upper case that browsers would never send — and
// reports every problem at once, each naming the field, the value and what to
// write instead. A bad policy never reaches traffic.
//
// # Origins
//
// A public API that anyone may call from a browser, without cookies:
//
//	core.Config{Origins: []string{"*"}}
//
// An API for your own clients (the chapter's web, mobile and tablet sites),
// with cookies:
//
//	core.Config{
//		Origins:     []string{"https://web.example.com", "https://mobile.example.com", "https://tablet.example.com"},
//		Credentials: true,
//	}
//
// During development, a page served by any local dev server:
//
//	core.Config{Origins: []string{"http://localhost:*"}}
//
// Subdomains at any depth, but not the apex: "https://*.example.com". For
// anything else (a regular expression, a database), set Config.OriginFunc.
//
// Origins are compared byte for byte with the Origin header, in the form
// browsers send it: scheme, host in lower case, and the port only when it is
// not the default. A request with several Origin headers, or one that is not
// a valid origin, never matches. Matching costs the same with ten thousand
// origins as with one.
//
// # The null origin
//
// Browsers send "Origin: null" from sandboxed iframes, local files and some
// redirects. Allow it only by listing "null", and never with credentials:
// any site can produce a null origin by sandboxing an iframe.
//
// # Credentials
//
// With Credentials, responses echo the request's origin and carry
// Access-Control-Allow-Credentials: true, so browsers send cookies and let
// the page read the answer. Methods and Headers "*" still work with
// credentials: corskit echoes what the preflight asked for (after checking
// it), which also covers Authorization. ExposeHeaders "*" does not, and is
// refused: list the names.
//
// # Preflights
//
// A preflight (OPTIONS with Origin and Access-Control-Request-Method)
// succeeds when the origin, the method and every requested header are
// allowed; it is answered with 204 (PreflightStatus) and the handler does not
// run (unless PreflightPassthrough). Otherwise it is answered with 403
// (PreflightFailureStatus) and no CORS headers, so the browser's console
// names the problem. Header names compare case-insensitively, in any order,
// over several header lines; a huge or malformed Access-Control-Request-
// Headers is refused after bounded work. Config.HeaderFunc decides names the
// list does not; the chapter's "only headers starting with X-":
//
//	HeaderFunc: func(name string) bool { return strings.HasPrefix(name, "x-") }
//
// MaxAge lets browsers cache a successful preflight (Chromium caps it at 2
// hours, Firefox at 24 hours); NoPreflightCache sends 0.
//
// # Actual requests
//
// An allowed request gets Access-Control-Allow-Origin, -Credentials and
// -Expose-Headers. A refused one gets none, and the handler still runs: the
// browser hides the response from the page. With RejectDisallowed, it is
// answered with 403 (RejectStatus) before the handler runs, except when the
// Origin is the server's own (browsers send Origin on same-origin POSTs).
//
// # Vary
//
// Whenever the answer depends on the Origin header — every policy except "*"
// without credentials — responses carry Vary: Origin, also refusals and
// requests without Origin, so that shared caches never serve one origin's
// answer to another. The token is appended to what handlers set, never
// duplicated. A preflight that corskit answers itself carries no Vary: it
// is an OPTIONS response, which HTTP caches do not store (browsers cache
// preflight results per origin on their own); a preflight passed through
// to the handler keeps it.
//
// # Why was my request refused?
//
// Every refusal has a [Reason] (origin, method, which header, private
// network, malformed input). Set Config.Logger to get one log line per
// refusal, or Config.OnReject to count them. Reasons never go into
// responses.
//
// # Cost
//
// Decide does not allocate and keeps nothing of the request.
// [Decision.Apply] copies every header value into slots no other request
// gets, carved from pooled blocks (one allocation per few dozen requests),
// also when corskit answers the request itself: middleware outside corskit
// sees those headers and may edit them in place. A net/http middleware calls
// [Holder.Handle], which is [FactsFrom], Decide and Apply in one call
// without copying the Facts and the Decision between them.
//
// [CORS protocol]: https://fetch.spec.whatwg.org/#http-cors-protocol
package core
