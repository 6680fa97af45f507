package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/corskit/corskit/internal/fetchcheck"
)

func init() {
	commands["check"] = command{
		summary: "send a fetch() to a live server as a browser would, and say whether the browser allows it",
		usage:   checkUsage,
		run:     runCheck,
	}
}

const checkUsage = `Usage:

	corskit check URL --origin ORIGIN [--method METHOD] [--header 'NAME: VALUE' ...]
	              [--credentials [--cookie 'NAME=VALUE']] [--data BODY] [--expose NAME ...]
	              [--json] [--timeout 10s] [--preflight-only] [--no-probe]

Check sends to the server at URL what a browser sends when a page from ORIGIN
calls fetch(URL, {method, headers, body, credentials}): the CORS preflight, if
the Fetch standard requires one, then the request itself, following redirects as
the browser does. It applies the browser's checks to every answer and prints,
step by step, what was sent, what came back, and the verdict: allowed, or
refused with the reason and what the server would have to send instead. It works
against any server, whatever CORS implementation it runs. The checks are the
Fetch standard's; where today's browsers are more lenient (Authorization covered
by Access-Control-Allow-Headers: *), the refusal says so.

It also warns about what a browser does not refuse but that breaks elsewhere:
CORS headers that depend on Origin without Vary: Origin (a shared cache then
serves one origin's answer to another; for GET and HEAD, check asks once more with
a made-up origin to find out), an Access-Control-Max-Age above what browsers
honour (Chromium 2 h, Firefox 24 h, Safari 10 min), response headers the page
cannot read because they are not exposed.

Check sends the request itself: a DELETE deletes. Use --preflight-only to stop
after the preflight.

Flags:

	--origin ORIGIN       the origin of the calling page, as browsers send it:
	                      https://app.example.com, http://localhost:3000, or null
	                      (a sandboxed iframe); required
	--method, -X METHOD   the request method (default GET); fetch() upper-cases
	                      only DELETE, GET, HEAD, OPTIONS, POST and PUT, so write
	                      PATCH in the case the page uses
	--header, -H NAME[: VALUE]
	                      a header the page sets; repeat for more. For example
	                      -H 'Content-Type: application/json' -H Authorization:x.
	                      Headers the browser controls (Cookie, Origin, Host, ...)
	                      are refused, as fetch() drops them
	--credentials         the page fetches with credentials: "include" (cookies):
	                      the answers must name the origin, not *, and send
	                      Access-Control-Allow-Credentials: true
	--cookie 'NAME=VALUE' send this Cookie with the request (never with the
	                      preflight), standing for the browser's cookies;
	                      requires --credentials. Without it no cookie is sent:
	                      the CORS verdict does not depend on one, though the
	                      server's status may
	--data, -d BODY       send BODY with the request (text/plain;charset=UTF-8
	                      unless a Content-Type header is given)
	--expose NAME         the page must be able to read response header NAME;
	                      repeat, or separate names with commas. Refused (exit 1)
	                      if it is missing or not exposed
	--json                print one JSON object instead of text: the steps, the
	                      verdict, its reason code, the fix and the warnings
	--timeout DURATION    the most the whole check may take (default 10s)
	--preflight-only      send only the preflight; the verdict is the preflight's
	--no-probe            do not send the extra request that finds out whether the
	                      CORS headers depend on Origin

Limits: check reads at most 1 MiB of each body and 64 KiB of each header, follows
at most 20 redirects (as browsers), uses no proxy and no cookie jar, and sends
nothing to any host but the one in URL: a redirect to another host is reported,
with what the browser would do, and the check stops there (exit 2).

Exit status: 0 when a browser would allow the request (and could read every
--expose header), 1 when it would refuse it, 2 on a usage error, a network error
or a redirect to another host.

Examples:

	corskit check https://api.example.com/posts --origin https://app.example.com --credentials
	corskit check https://api.example.com/posts/1 --origin https://app.example.com \
		-X PUT -H 'Content-Type: application/json' --preflight-only
	corskit check https://api.example.com/posts --origin https://app.example.com --expose X-Total-Count --json
`

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// checkFlags maps fetchcheck's input fields to the flags that set them,
// for error messages.
var checkFlags = map[string]string{
	"url": "URL", "origin": "--origin", "method": "--method", "header": "--header",
	"body": "--data", "cookie": "--cookie", "expose": "--expose", "preflight-only": "--preflight-only",
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var (
		req           fetchcheck.Request
		opts          fetchcheck.Options
		headers       listFlag
		expose        listFlag
		asJSON        bool
		timeout       time.Duration
		method        string
		data          string
		preflightOnly bool
		noProbe       bool
	)
	fs.StringVar(&req.Origin, "origin", "", "")
	fs.StringVar(&method, "method", "GET", "")
	fs.StringVar(&method, "X", "GET", "")
	fs.Var(&headers, "header", "")
	fs.Var(&headers, "H", "")
	fs.BoolVar(&req.Credentials, "credentials", false, "")
	fs.StringVar(&req.Cookie, "cookie", "", "")
	fs.StringVar(&data, "data", "", "")
	fs.StringVar(&data, "d", "", "")
	fs.Var(&expose, "expose", "")
	fs.BoolVar(&asJSON, "json", false, "")
	fs.DurationVar(&timeout, "timeout", 10*time.Second, "")
	fs.BoolVar(&preflightOnly, "preflight-only", false, "")
	fs.BoolVar(&noProbe, "no-probe", false, "")
	pos, err := parseFlags(fs, checkUsage, args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitError
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "corskit check: "+format+"\nRun \"corskit help check\" for usage.\n", a...)
		return exitError
	}
	switch {
	case len(pos) == 0:
		return usageErr("no URL: give the URL the page fetches, such as corskit check https://api.example.com/posts --origin https://app.example.com")
	case len(pos) > 1:
		return usageErr("one URL only, got %d (%s); quote a header value with spaces: -H 'Content-Type: application/json'", len(pos), strings.Join(pos, " "))
	case req.Origin == "":
		return usageErr("no --origin: give the origin of the page that calls %s, such as --origin https://app.example.com", pos[0])
	case timeout <= 0:
		return usageErr("--timeout %v: give a positive duration, such as 10s", timeout)
	}
	req.URL = pos[0]
	req.Method = method
	req.Body = data
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		req.Headers = append(req.Headers, fetchcheck.Header{Name: strings.TrimSpace(name), Value: value})
	}
	for _, e := range expose {
		for name := range strings.SplitSeq(e, ",") {
			if name = strings.TrimSpace(name); name != "" {
				req.Expose = append(req.Expose, name)
			}
		}
	}
	opts.Timeout = timeout
	opts.PreflightOnly = preflightOnly
	opts.NoProbe = noProbe

	rep, err := fetchcheck.Check(context.Background(), req, opts)
	if err != nil {
		var ie *fetchcheck.InputError
		if errors.As(err, &ie) {
			return usageErr("%s: %s", checkFlags[ie.Field], ie.Msg)
		}
		return usageErr("%v", err)
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "corskit check: %v\n", err)
			return exitError
		}
	} else {
		writeReport(stdout, rep)
	}
	return exitFor(rep.Verdict)
}

// exitFor returns the exit status of a verdict.
func exitFor(v fetchcheck.Verdict) int {
	switch v {
	case fetchcheck.Allowed:
		return exitOK
	case fetchcheck.Refused:
		return exitProblem
	}
	return exitError
}

// Text output.

const (
	textWidth     = 100 // prose is wrapped to this width
	maxValueShown = 200 // longer header values are cut in text output
)

func writeReport(w io.Writer, rep *fetchcheck.Report) {
	r := rep.Request
	head := fmt.Sprintf("%s %s from %s", r.Method, r.URL, r.Origin)
	if r.Credentials {
		head += ", with credentials"
	}
	fmt.Fprintln(w, head)
	switch {
	case rep.SameOrigin:
		wrap(w, "", "The page's origin is the URL's: a same-origin fetch, to which CORS does not apply.")
	case rep.PreflightNeeded:
		wrap(w, "", "A preflight is needed: "+strings.Join(rep.PreflightWhy, "; ")+".")
	default:
		wrap(w, "", "No preflight is needed: the method and headers are CORS-safelisted.")
	}
	for i, s := range rep.Steps {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, stepTitle(s))
		fmt.Fprintf(w, "   → %s %s\n", s.Method, s.URL)
		for _, h := range s.Sent {
			fmt.Fprintf(w, "       %s: %s\n", h.Name, shorten(h.Value))
		}
		if s.Error != "" {
			wrap(w, "   ", "← no response: "+s.Error)
		} else {
			fmt.Fprintf(w, "   ← %d %s\n", s.Status, s.StatusText)
			for _, h := range s.Received {
				fmt.Fprintf(w, "       %s: %s\n", h.Name, shorten(h.Value))
			}
			if s.BodyTruncated {
				fmt.Fprintf(w, "       (body: read %d bytes, then stopped)\n", s.BodyBytes)
			}
		}
		for _, n := range s.Notes {
			wrap(w, "   ", n)
		}
	}
	fmt.Fprintln(w)
	verdict := "verdict: " + string(rep.Verdict)
	if rep.Message != "" {
		verdict += ": " + rep.Message
	}
	wrap(w, "", verdict)
	printLines(w, "", "the server would have to send:", rep.Fix)
	if rep.Advice != "" {
		wrap(w, "", rep.Advice)
	}
	if len(rep.Readable) > 0 || len(rep.Unreadable) > 0 {
		wrap(w, "", "the page can read: "+orNone(rep.Readable))
		wrap(w, "", "the page cannot read: "+orNone(rep.Unreadable))
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintln(w)
		wrap(w, "", "warning: "+warn.Message)
		printLines(w, "  ", "the server would send:", warn.Fix)
	}
}

func stepTitle(s *fetchcheck.Step) string {
	switch s.Kind {
	case fetchcheck.StepPreflight:
		return "preflight"
	case fetchcheck.StepProbe:
		return "probe (not sent by browsers): the same request from another origin, to see whether the CORS headers depend on Origin"
	}
	return "request"
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "(nothing)"
	}
	return strings.Join(names, ", ")
}

func shorten(v string) string {
	if len(v) <= maxValueShown {
		return v
	}
	return fmt.Sprintf("%s… (%d bytes)", v[:maxValueShown], len(v))
}

// wrap writes text word-wrapped to textWidth, every line after the first
// indented two spaces more than indent.
func wrap(w io.Writer, indent, text string) {
	line, empty := indent, true
	for _, word := range strings.Fields(text) {
		if !empty && len(line)+1+len(word) > textWidth {
			fmt.Fprintln(w, line)
			line, empty = indent+"  ", true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	fmt.Fprintln(w, line)
}

// printLines prints the header lines after label, on the same line if there
// is one, else one per line below it; nothing if there are none.
func printLines(w io.Writer, indent, label string, lines []string) {
	switch len(lines) {
	case 0:
	case 1:
		fmt.Fprintf(w, "%s%s %s\n", indent, label, lines[0])
	default:
		fmt.Fprintf(w, "%s%s\n", indent, label)
		for _, l := range lines {
			fmt.Fprintf(w, "%s    %s\n", indent, l)
		}
	}
}
