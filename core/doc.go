// Package core is corskit's CORS policy: what you write ([Config]), how it
// is checked ([Compile]), and the decision every adapter applies to each
// request.
//
// Most programs use core only for its Config, handing it to the adapter of
// their framework:
//
//	cors, err := corshttp.New(core.Config{
//		Origins:     []string{"https://app.example.com"},
//		Credentials: true,
//	})
//	if err != nil {
//		log.Fatal(err) // every problem in the Config, each with its fix
//	}
//	http.ListenAndServe(":8080", cors(mux))
//
// What corskit answers, rule by rule and with the reasons, is in its
// [behaviour specification]; this page says how to use it.
//
// # Writing a Config
//
// The zero Config allows nothing cross-origin, and every field opens one
// thing. A public API that anyone may call from a browser, without cookies:
//
//	core.Config{Origins: []string{"*"}}
//
// An API for your own sites (the web, mobile and tablet sites of "CORS in
// Action", chapter 6), with cookies, PUT and DELETE, and JSON bodies:
//
//	core.Config{
//		Origins:     []string{"https://web.example.com", "https://mobile.example.com", "https://tablet.example.com"},
//		Credentials: true,
//		Methods:     []string{"PUT", "DELETE"},
//		Headers:     []string{"Content-Type"},
//	}
//
// During development, a page served by any local dev server:
//
//	core.Config{Origins: []string{"http://localhost:*"}}
//
// Origins are written as browsers send them (scheme, lower-case host, and
// the port only when not the default) and matched byte for byte; matching
// costs the same with ten thousand origins as with one. Subdomains at any
// depth, but not the apex: "https://*.example.com". For anything else (a
// regular expression, a list in a database) set [Config.OriginFunc], with
// an [OriginCache] in front of a slow lookup. "null" (sandboxed iframes,
// local files) is allowed only by listing it, and never with credentials.
//
// Methods and Headers "*" work with credentials too: corskit echoes what
// the preflight asked for, once checked, which also covers Authorization.
// [Config.HeaderFunc] decides names the list does not, such as the
// chapter's "only headers starting with X-":
//
//	HeaderFunc: func(name string) bool { return strings.HasPrefix(name, "x-") }
//
// A service with several parts gives each its policy with
// [Config.PathPolicies], chosen from the request's path before the
// framework routes it: a public part anyone may read, the API its own
// sites call with cookies, an admin part nobody may call cross-origin. A
// path that routers could read as another part's (with "..", "%2F", "//"
// or another letter case) gets a policy that allows nothing.
//
// [Config.CrossOriginProtection] refuses, before the handler runs, the
// cross-site request forgery CORS cannot stop: a POST, PUT or DELETE a
// browser sends from an origin the policy does not allow. It trusts the
// same origins as CORS, so one list decides both.
//
// # When the Config is wrong
//
// [Compile] (and every adapter's New) refuses a Config that would open more
// than it says or can never work, and reports every problem at once: "*"
// with credentials, "null" with credentials, a pattern over a public suffix
// such as "https://*.co.uk", an origin in upper case or with a trailing
// slash that no browser sends. Each problem is a [*ConfigError] naming the
// field, the value and what to write instead; errors.Is with the Err*
// variables tells the kind. A bad policy never reaches traffic.
//
// # Using it with a framework
//
// The adapters are small packages, each in a module of its own so that you
// get only your framework: corshttp (net/http, chi, gorilla; in this
// module), corsgin, corsecho (Echo v4), corsechov5, corsfiber (Fiber v2) and
// corsfiberv3. Each has New(cfg), Must(cfg) and Dynamic(holder), and its
// package documentation says which registration guarantees that every
// preflight reaches corskit before the router can answer 404, 405 or a
// redirect.
//
// # Changing the policy while serving
//
// A [Holder] serves one compiled policy and swaps it atomically:
// [NewHolder] compiles the first, [Holder.Reconfigure] the next, and a
// Config with problems leaves the current one serving. Pass the Holder to
// an adapter's Dynamic. Package github.com/corskit/corskit/core/policyfile
// reloads a Holder from a YAML or JSON file when the file changes.
//
// # Origins from a database
//
// [NewOriginCache] wraps a lookup (a database query) as a Config.OriginFunc:
// it remembers answers for a time, asks once for concurrent requests from
// the same origin, bounds the lookups in flight, and refuses the origin
// (fails closed) when a lookup fails or outlasts its Timeout.
//
// # Why was my request refused?
//
// A browser tells the page only that a request failed. Every refusal has a
// [Reason] (origin, method, which header, private network, malformed
// input): set Config.Logger for one log line per refusal, or
// Config.OnReject to count them. Reasons never go into responses.
//
// # Cost
//
// Deciding does not allocate and does not grow with the size of the
// policy. The header values corskit sets are copied into storage no other
// request gets (pooled, about one allocation per few dozen requests), so
// middleware that edits them in place changes no other response.
//
// # For adapter authors
//
// An adapter translates between its framework and this package, and holds
// no CORS rule of its own:
//
//  1. read the request into [Facts] ([FactsFrom] does it for net/http);
//  2. call [Policy.Decide] or [Holder.Decide], which returns a [Decision];
//  3. apply it with [Decision.Apply] to an http.Header, or with
//     [Decision.Write] to any other response header ([HeaderWriter]);
//  4. if Decision.Status is not 0, answer with it and stop; otherwise call
//     the next handler.
//
// A net/http adapter can do all four with [Holder.Handle]. Facts may
// borrow the server's buffers (see Facts.Volatile), and Facts.Target
// defers finding the request's host and scheme, and reading its
// Access-Control-Request-* lines, until Decide needs them.
// Test an adapter with package github.com/corskit/corskit/conformance.
//
// [behaviour specification]: https://github.com/corskit/corskit/blob/main/docs/behaviour.md
package core
