package corsbench

import (
	"fmt"
	"net/http"
	"strings"
)

// A Verdict is the pre-check of one candidate on one scenario.
type Verdict struct {
	OK      bool
	Outcome Outcome  // what a browser makes of the response
	Problem string   // why the answer is wrong, if it is
	Notes   []string // differences that are not wrong
}

// Check judges response r to scenario s the way a browser would, and
// checks what the browser cannot see: that the handler ran on an allowed
// or non-CORS actual request and that exposed headers are listed. The bare
// handler is the floor, not a CORS middleware: its answer is recorded, not
// judged.
func Check(s Scenario, r Response, bare bool) Verdict {
	v := Verdict{Outcome: browserOutcome(s, r)}
	isPreflight := s.Request.Method == "OPTIONS" && s.Request.Get("Access-Control-Request-Method") != ""
	if bare {
		v.OK = true
		v.Notes = append(v.Notes, fmt.Sprintf("status %d", r.Status))
		return v
	}
	fail := func(format string, args ...any) Verdict {
		v.OK = false
		v.Problem = fmt.Sprintf(format, args...)
		return v
	}
	vary := listsToken(r.Header["Vary"], "Origin")
	switch s.Want {
	case NotCORS:
		if len(r.Header["Access-Control-Allow-Origin"]) > 0 {
			return fail("Access-Control-Allow-Origin on a request without Origin")
		}
		if !r.HandlerRan || r.Status != http.StatusOK {
			return fail("status %d, handler ran %v; want 200 from the handler", r.Status, r.HandlerRan)
		}
		if !vary {
			v.Notes = append(v.Notes, "no Vary: Origin")
		}
	case Allowed:
		if v.Outcome != Allowed {
			return fail("a browser would refuse it (status %d, %s)", r.Status, corsHeaders(r.Header))
		}
		if !isPreflight {
			if !r.HandlerRan || r.Status != http.StatusOK {
				return fail("status %d, handler ran %v; want 200 from the handler", r.Status, r.HandlerRan)
			}
			for _, e := range s.Policy.Expose {
				if !listsToken(r.Header["Access-Control-Expose-Headers"], e) {
					return fail("%s not exposed", e)
				}
			}
			if !vary {
				v.Notes = append(v.Notes, "no Vary: Origin")
			}
		} else if r.HandlerRan {
			v.Notes = append(v.Notes, "preflight reached the handler")
		}
	case Denied:
		if v.Outcome != Denied {
			return fail("a browser would allow it (status %d, %s)", r.Status, corsHeaders(r.Header))
		}
		switch {
		case !isPreflight && !r.HandlerRan:
			v.Notes = append(v.Notes, fmt.Sprintf("answers %d without running the handler", r.Status))
		case !isPreflight && !vary:
			v.Notes = append(v.Notes, "no Vary: Origin")
		case isPreflight && (r.Status < 200 || r.Status > 299):
			v.Notes = append(v.Notes, fmt.Sprintf("refused with %d", r.Status))
		case isPreflight:
			v.Notes = append(v.Notes, fmt.Sprintf("refused in headers, status %d", r.Status))
		}
	case Either:
		if v.Outcome == Denied {
			v.Notes = append(v.Notes, fmt.Sprintf("refused with %d", r.Status))
		} else {
			n := 0
			for _, l := range r.Header["Access-Control-Allow-Headers"] {
				n += len(l)
			}
			v.Notes = append(v.Notes, fmt.Sprintf("granted; Allow-Headers of %d bytes", n))
		}
	}
	v.OK = true
	return v
}

// browserOutcome applies the CORS check of Fetch (section 4.10) and, for a
// preflight, the checks of its CORS-preflight fetch, for a request made
// with credentials when the policy has them.
func browserOutcome(s Scenario, r Response) Outcome {
	origin := s.Request.Get("Origin")
	if origin == "" {
		return NotCORS
	}
	creds := s.Policy.Credentials
	h := r.Header
	acao := h["Access-Control-Allow-Origin"]
	if len(acao) != 1 || !(acao[0] == origin || !creds && acao[0] == "*") {
		return Denied
	}
	if creds {
		if acac := h["Access-Control-Allow-Credentials"]; len(acac) != 1 || acac[0] != "true" {
			return Denied
		}
	}
	method := s.Request.Get("Access-Control-Request-Method")
	if s.Request.Method != "OPTIONS" || method == "" {
		return Allowed
	}
	if r.Status < 200 || r.Status > 299 {
		return Denied
	}
	methods := splitList(h["Access-Control-Allow-Methods"])
	switch {
	case method == "GET" || method == "HEAD" || method == "POST":
	case contains(methods, method):
	case !creds && contains(methods, "*"):
	default:
		return Denied
	}
	granted := splitList(h["Access-Control-Allow-Headers"])
	for i := range granted {
		granted[i] = strings.ToLower(granted[i])
	}
	for _, name := range splitList([]string{s.Request.Get("Access-Control-Request-Headers")}) {
		name = strings.ToLower(name)
		if contains(granted, name) || !creds && name != "authorization" && contains(granted, "*") {
			continue
		}
		return Denied
	}
	return Allowed
}

// splitList splits header lines at commas and drops empty elements.
func splitList(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, e := range strings.Split(l, ",") {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func listsToken(lines []string, token string) bool {
	for _, e := range splitList(lines) {
		if strings.EqualFold(e, token) {
			return true
		}
	}
	return false
}

// corsHeaders lists the CORS response headers of h briefly, for problems.
func corsHeaders(h http.Header) string {
	var parts []string
	for _, name := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"} {
		if v := h[name]; len(v) > 0 {
			s := strings.Join(v, " | ")
			if len(s) > 60 {
				s = s[:60] + "…"
			}
			parts = append(parts, name+": "+s)
		}
	}
	if len(parts) == 0 {
		return "no CORS headers"
	}
	return strings.Join(parts, "; ")
}
