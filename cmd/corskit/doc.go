// Command corskit answers the question CORS users ask most — why does the
// browser refuse my request? — for any server, whether or not it runs
// corskit. Install it with
//
//	go install github.com/corskit/corskit/cmd/corskit@latest
//
// Usage:
//
//	corskit <command> [arguments]
//	corskit help <command>
//
// The commands:
//
//	check    send a fetch() to a live server as a browser would, and say whether the browser allows it
//	lint     check a policy file (YAML or JSON) as corskit would load it, and list every problem
//	explain  say, offline, what corskit serving a policy file would answer to a fetch(), and why
//
// Every command exits with 0 when all is well (allowed, clean), 1 when it
// found a problem (refused, problems listed), and 2 on a usage error, an
// input it could not read, or a network error, so that a deploy pipeline
// can assert the outcome.
//
// # corskit check
//
//	corskit check URL --origin ORIGIN [--method METHOD] [--header 'NAME: VALUE' ...] [--credentials] [--json]
//
// Check sends to a live server what a browser sends when a page from
// ORIGIN calls fetch(URL, ...): the CORS preflight when the Fetch standard
// requires one (a method other than GET, HEAD and POST, or a header that is
// not CORS-safelisted), then the request itself, following redirects as
// the browser does. It applies the browser's checks to each answer — the
// CORS check (Access-Control-Allow-Origin "*" or the exact origin, and with
// --credentials no "*" and Access-Control-Allow-Credentials: true), the
// preflight's 2xx status and grant headers ("*" does not count with
// credentials and never covers Authorization), redirects a preflight cannot
// follow — and prints each step, what was sent and what came back, then the
// verdict: allowed, or refused with the reason in plain words and the
// header lines the server would have to send instead.
//
// It warns about what a browser does not refuse but that breaks elsewhere:
// CORS headers that depend on Origin without Vary: Origin (for GET and HEAD
// it sends the request once more with a made-up origin to find out), an
// Access-Control-Max-Age above what browsers honour (Chromium 2 h, Firefox
// 24 h, Safari 10 min), response headers the page cannot read; --expose NAME
// makes an unreadable header a refusal. --json prints one JSON object
// instead of text.
//
// A pipeline can assert that https://app.example.com may call the API with
// cookies:
//
//	corskit check https://api.example.com/me --origin https://app.example.com --credentials
//
// Check is bounded: a timeout for the whole check (--timeout, 10 s), at most
// 1 MiB read of each body and 64 KiB of each header, at most 20 redirects,
// no proxy, no cookie jar (--cookie sends one, standing for the browser's),
// and nothing sent to any host but the one in URL: a redirect to another
// host is reported, with what the browser would do, and ends the check
// (exit 2). It sends the request itself, so a DELETE deletes:
// --preflight-only stops after the preflight. "corskit help check" lists
// every flag.
//
// # corskit lint and corskit explain
//
//	corskit lint [--json] FILE...
//	corskit explain FILE --origin ORIGIN [--method METHOD] [--header 'NAME: VALUE' ...] [--path PATH] [--credentials] [--preflight] [--private-network] [--json]
//
// Lint reads a policy file (.yaml, .yml or .json, the format of package
// github.com/corskit/corskit/core/policyfile) as corskit loads it: unknown,
// repeated and other-case keys are errors, in path_policies entries too,
// and so is YAML that corskit's decoder does not read (anchors, tags,
// block scalars, values YAML would read as floats or dates). It then checks
// the policy as core.Compile does, and prints every problem with the file,
// its line, the file key and what to write instead; a clean file gets one
// line saying what each policy allows. Exit status 1 when it finds a
// problem, so that a deploy pipeline stops a bad file.
//
// Explain answers, offline, what a server running corskit with that policy
// file would answer to the fetch() a page from ORIGIN makes: it asks
// corskit's engine (core.Compile and Decide) about the preflight, when the
// Fetch standard requires one (or --preflight asks), then about the request
// itself, and prints which policy serves --path (with path_policies), the
// status and headers corskit sends, and for a refusal the reason in words
// and the key to change in the file. The verdict applies the browser's own
// check to those headers, credentials included (--credentials). Exit status
// 0 when the browser would let the page read the response, 1 when it would
// not, 2 on a usage error or a file that cannot be read or has problems.
//
//	corskit explain cors.yaml --origin https://app.example.com -X PUT -H 'Content-Type: application/json' --path /posts/1 --credentials
package main
