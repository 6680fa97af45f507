package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/internal/fetchcheck"
	"github.com/corskit/corskit/internal/policyformat"
)

func init() {
	commands["explain"] = command{
		summary: "say, offline, what corskit serving a policy file would answer to a fetch(), and why",
		usage:   explainUsage,
		run:     runExplain,
	}
}

const explainUsage = `Usage:

	corskit explain FILE --origin ORIGIN [--method METHOD] [--header 'NAME: VALUE' ...]
	                [--path PATH] [--credentials] [--preflight] [--private-network] [--json]

Explain says what corskit, serving the policy file FILE (.yaml, .yml or .json, as
package core/policyfile reads it), would answer when a page from ORIGIN calls
fetch() with that method and those headers on PATH, and why. It runs no server
and sends nothing: it reads the file, compiles it as corskit does, and asks
corskit's engine (core.Compile and Decide) about the preflight, when the Fetch
standard requires one, and about the request itself. For each it prints what the
browser sends, which policy serves the path (with path_policies), corskit's
answer (its status, or that the handler runs, and the CORS headers it sets), and
for a refusal the reason and the key to change in the file. The verdict applies
the browser's own check to those headers, credentials included.

The server is taken to be on another site than ORIGIN (for a same-origin request
CORS does not apply; the request carries Sec-Fetch-Site: cross-site, as browsers
send it), and the handler to answer without CORS headers of its own.

Flags:

	--origin ORIGIN       the origin of the calling page, as browsers send it:
	                      https://app.example.com, http://localhost:3000, or null;
	                      required
	--method, -X METHOD   the request method (default GET); fetch() upper-cases
	                      only DELETE, GET, HEAD, OPTIONS, POST and PUT
	--header, -H NAME[: VALUE]
	                      a header the page sets; repeat for more. Content-Type
	                      is CORS-safelisted only with a value such as text/plain:
	                      -H 'Content-Type: application/json' needs a preflight
	--path PATH           the request path, as the browser sends it (percent-
	                      encoded); it chooses the policy among path_policies
	                      (default /)
	--credentials         the page fetches with credentials: "include" (cookies):
	                      the answers must name the origin, not *, and send
	                      Access-Control-Allow-Credentials: true
	--preflight           ask about a preflight even if the request needs none
	--private-network     the preflight asks for private network access
	                      (Access-Control-Request-Private-Network: true)
	--json                print one JSON object instead of text

Exit status: 0 when the browser would let the page read the response, 1 when it
would refuse it, 2 on a usage error or a policy file that cannot be read or has
problems (corskit lint lists them).

Examples:

	corskit explain cors.yaml --origin https://app.example.com -X PUT \
		-H 'Content-Type: application/json' --path /posts/1 --credentials
	corskit explain cors.yaml --origin https://evil.example --path /admin/users --json
`

// explainHost is the host explain takes the server to be on: a name that
// is never an origin a page has.
const explainHost = "corskit-explain.invalid"

// explainReport is what explain found, as --json prints it.
type explainReport struct {
	File    string         `json:"file"`
	Request explainRequest `json:"request"`
	// Policy names the policy that serves the path: "default" (the keys
	// at the top of the file), the name of an entry of path_policies, or
	// "ambiguous path"; PolicyKey is where the file writes it:
	// "path_policies[1]", or "" for the top of the file.
	Policy          string        `json:"policy"`
	PolicyKey       string        `json:"policy_key,omitempty"`
	PreflightNeeded bool          `json:"preflight_needed"`
	PreflightWhy    []string      `json:"preflight_why,omitempty"`
	Steps           []explainStep `json:"steps"`
	// Verdict is "allowed" or "refused"; Reason, for a refusal, is
	// corskit's (core.Reason in words, such as "header not allowed") or
	// the browser's ("credentials not allowed"); Message says it in a
	// sentence and Fix what to change in the file.
	Verdict string `json:"verdict"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	// Notes are what the verdict assumes, where it depends on more than
	// corskit's answer.
	Notes []string `json:"notes,omitempty"`

	pathPolicies bool // the file has path_policies
}

type explainRequest struct {
	Origin         string              `json:"origin"`
	Method         string              `json:"method"`
	Path           string              `json:"path"`
	Headers        []fetchcheck.Header `json:"headers,omitempty"`
	Credentials    bool                `json:"credentials"`
	PrivateNetwork bool                `json:"private_network,omitempty"`
}

// explainStep is one request the browser sends, and corskit's answer.
type explainStep struct {
	Kind   string              `json:"kind"` // "preflight" or "actual", as core.Kind says
	Method string              `json:"method"`
	Path   string              `json:"path"`
	Sent   []fetchcheck.Header `json:"sent"`
	// Allowed and Reason are corskit's decision (core.Decision.Allowed and
	// Reason in words); Detail names what failed.
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason"`
	Detail  string `json:"detail,omitempty"`
	// Status is the status corskit answers with itself; 0 when the
	// handler runs and answers.
	Status      int  `json:"status,omitempty"`
	HandlerRuns bool `json:"handler_runs"`
	// Headers are the response headers corskit sets (Vary is added to the
	// handler's).
	Headers []fetchcheck.Header `json:"headers,omitempty"`
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	var (
		req            explainRequest
		headers        listFlag
		forcePreflight bool
		asJSON         bool
	)
	fs.StringVar(&req.Origin, "origin", "", "")
	fs.StringVar(&req.Method, "method", "GET", "")
	fs.StringVar(&req.Method, "X", "GET", "")
	fs.Var(&headers, "header", "")
	fs.Var(&headers, "H", "")
	fs.StringVar(&req.Path, "path", "/", "")
	fs.BoolVar(&req.Credentials, "credentials", false, "")
	fs.BoolVar(&forcePreflight, "preflight", false, "")
	fs.BoolVar(&req.PrivateNetwork, "private-network", false, "")
	fs.BoolVar(&asJSON, "json", false, "")
	pos, err := parseFlags(fs, explainUsage, args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitError
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "corskit explain: "+format+"\nRun \"corskit help explain\" for usage.\n", a...)
		return exitError
	}
	switch {
	case len(pos) == 0:
		return usageErr("no policy file: give the file corskit serves, such as corskit explain cors.yaml --origin https://app.example.com")
	case len(pos) > 1:
		return usageErr("one policy file only, got %d (%s); quote a header value with spaces: -H 'Content-Type: application/json'", len(pos), strings.Join(pos, " "))
	case req.Origin == "":
		return usageErr("no --origin: give the origin of the page that calls the server, such as --origin https://app.example.com")
	}
	if msg := checkPath(req.Path); msg != "" {
		return usageErr("--path %q: %s", req.Path, msg)
	}
	fetch := fetchcheck.Request{URL: "https://" + explainHost + "/", Origin: req.Origin, Method: req.Method}
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		fetch.Headers = append(fetch.Headers, fetchcheck.Header{Name: strings.TrimSpace(name), Value: value})
	}
	fetch, err = fetchcheck.Prepare(fetch)
	if err != nil {
		var ie *fetchcheck.InputError
		if errors.As(err, &ie) {
			return usageErr("--%s %s", ie.Field, ie.Msg)
		}
		return usageErr("%v", err)
	}
	req.Method, req.Headers = fetch.Method, fetch.Headers

	file := pos[0]
	res, err := lintFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "corskit explain: %s: %v\n", file, err)
		return exitError
	}
	if !res.OK {
		fmt.Fprintf(stderr, "corskit explain: %s has problems, and corskit would refuse to serve it:\n", file)
		writeLint(stderr, res)
		return exitError
	}
	rep := explain(file, res.doc, req, forcePreflight)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "corskit explain: %v\n", err)
			return exitError
		}
	} else {
		writeExplain(stdout, rep)
	}
	if rep.Verdict == "allowed" {
		return exitOK
	}
	return exitProblem
}

// checkPath says what is wrong with a --path, or "".
func checkPath(path string) string {
	if !strings.HasPrefix(path, "/") {
		return "write the path as the browser sends it, starting with /, such as /posts/1"
	}
	for i := 0; i < len(path); i++ {
		if c := path[i]; c <= ' ' || c >= 0x7f || c == '#' {
			return "write the path as the browser sends it, percent-encoded (a space is %20), without a fragment"
		}
	}
	return ""
}

// explainer asks one compiled policy about the requests of one fetch.
type explainer struct {
	policy *core.Policy
	doc    *policyformat.Document
}

func explain(file string, doc *policyformat.Document, req explainRequest, forcePreflight bool) *explainReport {
	x := &explainer{doc: doc}
	x.policy = core.MustCompile(doc.Config()) // lint has compiled it

	path, _, _ := strings.Cut(req.Path, "?") // corskit sees the path without the query
	rep := &explainReport{File: file, Request: req, pathPolicies: len(doc.File.PathPolicies) > 0}
	rep.Policy, rep.PolicyKey = x.servingPolicy(path)

	accept := req.Headers
	if !slices.ContainsFunc(accept, func(h fetchcheck.Header) bool { return strings.EqualFold(h.Name, "Accept") }) {
		accept = append(slices.Clone(accept), fetchcheck.Header{Name: "Accept", Value: "*/*"}) // fetch() adds it
	}
	unsafe := fetchcheck.UnsafeHeaderNames(accept)
	if !fetchcheck.MethodSafelisted(req.Method) {
		rep.PreflightWhy = append(rep.PreflightWhy, req.Method+" is not a CORS-safelisted method (only GET, HEAD and POST are)")
	}
	for _, name := range unsafe {
		rep.PreflightWhy = append(rep.PreflightWhy, name+" is not a CORS-safelisted request header (or not with this value)")
	}
	rep.PreflightNeeded = len(rep.PreflightWhy) > 0
	if req.PrivateNetwork {
		rep.PreflightWhy = append(rep.PreflightWhy, "--private-network asks for private network access, which only a preflight does")
	}
	if forcePreflight && len(rep.PreflightWhy) == 0 {
		rep.PreflightWhy = append(rep.PreflightWhy, "--preflight asks about one")
	}

	if len(rep.PreflightWhy) > 0 {
		f := core.Facts{
			Method:        http.MethodOptions,
			Origin:        []string{req.Origin},
			RequestMethod: []string{req.Method},
			Scheme:        "https",
			Host:          explainHost,
			Path:          path,
		}
		sent := []fetchcheck.Header{{Name: "Origin", Value: req.Origin}, {Name: "Access-Control-Request-Method", Value: req.Method}}
		if len(unsafe) > 0 {
			f.RequestHeaders = []string{strings.Join(unsafe, ",")}
			sent = append(sent, fetchcheck.Header{Name: "Access-Control-Request-Headers", Value: f.RequestHeaders[0]})
		}
		if req.PrivateNetwork {
			f.PrivateNetwork = []string{"true"}
			sent = append(sent, fetchcheck.Header{Name: "Access-Control-Request-Private-Network", Value: "true"})
		}
		step, d := x.step(f, req.Path, sent)
		rep.Steps = append(rep.Steps, step)
		if !x.verdict(rep, req, step, d) {
			return rep // the browser sends no request after a failed preflight
		}
	}

	f := core.Facts{Method: req.Method, Origin: []string{req.Origin}, FetchSite: []string{"cross-site"}, Scheme: "https", Host: explainHost, Path: path}
	sent := append([]fetchcheck.Header{{Name: "Origin", Value: req.Origin}}, req.Headers...)
	step, d := x.step(f, req.Path, sent)
	rep.Steps = append(rep.Steps, step)
	if x.verdict(rep, req, step, d) {
		rep.Verdict = "allowed"
		rep.Message = "the browser lets the page read the response"
		if req.Credentials {
			rep.Message += ", and sends cookies with the request"
		}
	}
	return rep
}

// step asks corskit about one request.
func (x *explainer) step(f core.Facts, path string, sent []fetchcheck.Header) (explainStep, core.Decision) {
	d := x.policy.Decide(f)
	s := explainStep{
		Kind:        d.Kind.String(),
		Method:      f.Method,
		Path:        path,
		Sent:        sent,
		Allowed:     d.Allowed(),
		Reason:      d.Reason.String(),
		Detail:      strings.Clone(d.Detail),
		Status:      d.Status,
		HandlerRuns: d.Status == 0,
	}
	for _, h := range d.Headers() {
		for _, v := range h.Values {
			s.Headers = append(s.Headers, fetchcheck.Header{Name: h.Name, Value: v})
		}
	}
	if d.Vary != "" {
		s.Headers = append(s.Headers, fetchcheck.Header{Name: "Vary", Value: d.Vary})
	}
	return s, d
}

// servingPolicy returns the name of the policy that serves path, and the
// file key where it is written.
func (x *explainer) servingPolicy(path string) (name, key string) {
	if len(x.doc.File.PathPolicies) == 0 {
		return core.DefaultPolicy, ""
	}
	name = x.policy.PolicyFor(path)
	for i, pp := range x.doc.File.PathPolicies {
		if pp.Name == name {
			return name, "path_policies[" + strconv.Itoa(i) + "]"
		}
	}
	return name, ""
}

// verdict applies the browser's check to the answer of a step, and, if the
// browser fails the fetch there, sets rep's verdict, reason, message and
// fix. It reports whether the fetch goes on.
func (x *explainer) verdict(rep *explainReport, req explainRequest, s explainStep, d core.Decision) bool {
	refuse := func(reason, msg, fix string) bool {
		rep.Verdict, rep.Reason, rep.Message, rep.Fix = "refused", reason, msg, fix
		return false
	}
	in := rep.PolicyKey
	if in != "" {
		in += "."
	}
	policy := "the policy"
	if rep.pathPolicies {
		policy = "the policy at the top of the file, which serves the paths no entry of path_policies serves,"
	}
	if rep.PolicyKey != "" {
		policy = fmt.Sprintf("the policy %q (%s), which serves %s,", rep.Policy, rep.PolicyKey, req.Path)
	}
	if rep.Policy == core.AmbiguousPathPolicy {
		return refuse(d.Reason.String(),
			fmt.Sprintf("routers could read the path %s as paths of different policies, so corskit serves it the policy %q, which allows nothing cross-origin; request the path in clean form: no //, . or .. segments, and no percent-encoding that routers decode", req.Path, core.AmbiguousPathPolicy),
			"")
	}
	switch d.Reason {
	case core.Allowed:
	case core.OriginNotAllowed:
		msg := fmt.Sprintf("%s does not allow the origin %s", policy, req.Origin)
		if s.Kind == core.Actual.String() && s.HandlerRuns {
			msg += ": the handler runs, but the answer has no Access-Control-Allow-Origin, so the browser hides it from the page"
		}
		return refuse(d.Reason.String(), msg, fmt.Sprintf("add %q to %sorigins", req.Origin, in))
	case core.OriginMalformed:
		return refuse(d.Reason.String(), fmt.Sprintf("the Origin %q is not an origin as browsers send it", req.Origin), "")
	case core.MethodNotAllowed:
		fix := fmt.Sprintf("add %q to %smethods", req.Method, in)
		if upper := strings.ToUpper(req.Method); upper != req.Method {
			fix = fmt.Sprintf("fetch() sends %q as written (it upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT), and methods compare case-sensitively: write %q in the page's fetch(), and add %q to %smethods", req.Method, upper, upper, in)
		}
		return refuse(d.Reason.String(), fmt.Sprintf("%s does not allow the method %s in a preflight", policy, req.Method), fix)
	case core.HeaderNotAllowed:
		name := d.Detail
		for _, h := range req.Headers {
			if strings.EqualFold(h.Name, name) {
				name = h.Name
			}
		}
		return refuse(d.Reason.String(), fmt.Sprintf("%s does not allow the request header %s", policy, name),
			fmt.Sprintf("add %q to %sheaders", name, in))
	case core.WriteNotAllowed:
		return refuse(d.Reason.String(),
			fmt.Sprintf("%s refuses, before the handler runs, a request that may change state (%s) from an origin it does not allow (cross_origin_protection)", policy, req.Method),
			fmt.Sprintf("add %q to %sorigins if that site may call it", req.Origin, in))
	case core.PrivateNetworkNotAllowed:
		return refuse(d.Reason.String(), fmt.Sprintf("%s does not answer private network access preflights", policy),
			fmt.Sprintf("set %sprivate_network: true", in))
	default:
		detail := ""
		if d.Detail != "" {
			detail = ": " + d.Detail
		}
		return refuse(d.Reason.String(), fmt.Sprintf("corskit refuses the %s%s", s.Kind, detail), "")
	}

	// corskit allows it; the browser's CORS check, with credentials.
	acao, acac := headerValue(s.Headers, "Access-Control-Allow-Origin"), headerValue(s.Headers, "Access-Control-Allow-Credentials")
	switch {
	case req.Credentials && acao == "*":
		return refuse("wildcard origin with credentials",
			fmt.Sprintf("the page sends credentials, and %s answers Access-Control-Allow-Origin: *, which browsers refuse with credentials", policy),
			fmt.Sprintf("list the origins in %sorigins instead of \"*\" and set %scredentials: true, or fetch without credentials", in, in))
	case req.Credentials && acac != "true":
		return refuse("credentials not allowed",
			fmt.Sprintf("the page sends credentials, and %s does not allow them (no Access-Control-Allow-Credentials: true)", policy),
			fmt.Sprintf("set %scredentials: true, or fetch without credentials", in))
	}
	if s.Kind == core.Preflight.String() && s.HandlerRuns {
		rep.Notes = append(rep.Notes, "with preflight_passthrough, the handler answers the preflight: the browser needs its status to be 2xx, and the handler must not remove corskit's headers")
	}
	return true
}

// headerValue returns the first value of the header name, or "".
func headerValue(hs []fetchcheck.Header, name string) string {
	for _, h := range hs {
		if h.Name == name {
			return h.Value
		}
	}
	return ""
}

func writeExplain(w io.Writer, rep *explainReport) {
	r := rep.Request
	head := fmt.Sprintf("%s: %s %s from %s", rep.File, r.Method, r.Path, r.Origin)
	if r.Credentials {
		head += ", with credentials"
	}
	fmt.Fprintln(w, head)
	switch {
	case rep.PolicyKey != "":
		wrap(w, "", fmt.Sprintf("policy: %q, %s in the file", rep.Policy, rep.PolicyKey))
	case rep.Policy == core.AmbiguousPathPolicy:
		wrap(w, "", fmt.Sprintf("policy: %q, which allows nothing cross-origin", rep.Policy))
	case rep.pathPolicies:
		wrap(w, "", fmt.Sprintf("policy: %q, the keys at the top of the file: no entry of path_policies serves %s", rep.Policy, r.Path))
	}
	switch {
	case rep.PreflightNeeded:
		wrap(w, "", "A preflight is needed: "+strings.Join(rep.PreflightWhy, "; ")+".")
	case len(rep.PreflightWhy) > 0:
		wrap(w, "", "No preflight is needed, but one is asked about: "+strings.Join(rep.PreflightWhy, "; ")+".")
	default:
		wrap(w, "", "No preflight is needed: the method and headers are CORS-safelisted.")
	}
	for i, s := range rep.Steps {
		title := "request"
		if s.Kind == core.Preflight.String() {
			title = "preflight"
		}
		fmt.Fprintf(w, "\n%d. %s\n", i+1, title)
		fmt.Fprintf(w, "   → %s %s\n", s.Method, s.Path)
		for _, h := range s.Sent {
			fmt.Fprintf(w, "       %s: %s\n", h.Name, shorten(h.Value))
		}
		switch {
		case !s.HandlerRuns:
			fmt.Fprintf(w, "   ← %d %s, from corskit: the handler does not run\n", s.Status, http.StatusText(s.Status))
		case s.Kind == core.Preflight.String():
			fmt.Fprintln(w, "   ← the handler answers the preflight (preflight_passthrough); corskit adds:")
		default:
			fmt.Fprintln(w, "   ← the handler answers; corskit adds:")
		}
		cors := false
		for _, h := range s.Headers {
			fmt.Fprintf(w, "       %s: %s\n", h.Name, shorten(h.Value))
			cors = cors || strings.HasPrefix(h.Name, "Access-Control-")
		}
		if !cors {
			fmt.Fprintln(w, "       (no Access-Control-* headers)")
		}
		kind := s.Kind
		if kind == core.Actual.String() {
			kind = "actual request"
		}
		verdict := "corskit: " + kind + " allowed"
		if !s.Allowed {
			verdict = "corskit: " + kind + " refused: " + s.Reason
			if s.Detail != "" {
				verdict += ": " + s.Detail
			}
		}
		wrap(w, "   ", verdict)
	}
	fmt.Fprintln(w)
	wrap(w, "", "verdict: "+rep.Verdict+": "+rep.Message)
	if rep.Fix != "" {
		wrap(w, "", "fix, in "+rep.File+": "+rep.Fix)
	}
	for _, n := range rep.Notes {
		wrap(w, "", "note: "+n)
	}
}
