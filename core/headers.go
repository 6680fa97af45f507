package core

import (
	"strings"
)

// Bounds on Access-Control-Request-Headers. Browsers send one line of
// lower-case, sorted, comma-separated names, rarely more than a few hundred
// bytes; some gateways forward the list one name per line. The bounds are on
// the list, not on how it is split: a line counts its bytes and one more, as
// the comma that would join it to the next, so thousands of lines, even empty
// ones, are refused after a bounded look, before any is parsed. A comma bomb
// costs no more than a normal request.
const (
	maxRequestHeaderBytes = 4096 // bytes over all lines, one more per line
	maxRequestHeaderNames = 64   // names over all lines
	maxEmptyElements      = 16   // empty list elements ("a,,b", " , ") over all lines
	maxHeaderNameLen      = 128  // bytes in one name
)

// isTokenChar reports whether c may appear in an HTTP token (RFC 9110
// section 5.6.2), which is what method and header names are.
func isTokenChar(c byte) bool { return tokenChars[c] }

// tokenChars is isTokenChar as a table. golang.org/x/net/http/httpguts has
// the same table, but importing it builds x/net/idna and lists x/text, with
// what x/text requires, in every user's module graph.
var tokenChars = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range []byte("!#$%&'*+-.^_`|~") {
		t[c] = true
	}
	return t
}()

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChars[s[i]] {
			return false
		}
	}
	return true
}

// isForbiddenRequestHeader reports whether browsers refuse to let scripts set
// the header name lower (Fetch, "forbidden request-header"), so that
// allowing it in a preflight has no effect.
func isForbiddenRequestHeader(lower string) bool {
	switch lower {
	case "accept-charset", "accept-encoding", "access-control-request-headers",
		"access-control-request-method", "access-control-request-private-network",
		"connection", "content-length", "cookie", "cookie2", "date", "dnt",
		"expect", "host", "keep-alive", "origin", "referer", "set-cookie", "te",
		"trailer", "transfer-encoding", "upgrade", "via":
		return true
	}
	return strings.HasPrefix(lower, "proxy-") || strings.HasPrefix(lower, "sec-")
}

// isForbiddenResponseHeader reports whether browsers never expose the header
// name lower to scripts, whatever Access-Control-Expose-Headers says.
func isForbiddenResponseHeader(lower string) bool {
	return lower == "set-cookie" || lower == "set-cookie2"
}

// isOWS reports optional white space (RFC 9110 section 5.6.3).
func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// lowerInto writes the ASCII lower case of s into buf and returns it, or
// false if s does not fit. Precondition: s is a token.
func lowerInto(buf []byte, s string) ([]byte, bool) {
	if len(s) > len(buf) {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(s)], true
}

// requestHeaders is the outcome of checking Access-Control-Request-Headers.
type requestHeaders struct {
	reason Reason // Allowed, HeaderNotAllowed or RequestMalformed
	detail string // the refused name, as received
	names  int    // how many names were requested
}

// checkRequestHeaders checks every name listed in the Access-Control-Request-
// Headers lines against the policy. Names compare case-insensitively; order,
// optional white space, empty elements and several lines are tolerated, as
// RFC 9110's list syntax allows. The work is bounded by the constants above,
// whatever the input. It allocates only to hand a name to Config.HeaderFunc.
func (p *Policy) checkRequestHeaders(lines []string) requestHeaders {
	total := 0
	for _, l := range lines {
		if total += len(l) + 1; total > maxRequestHeaderBytes+1 {
			return requestHeaders{reason: RequestMalformed, detail: "Access-Control-Request-Headers too long"}
		}
	}
	var out requestHeaders
	var buf [maxHeaderNameLen]byte
	empty := 0
	for _, line := range lines {
		// One pass per line, element by element: optional white space, a
		// token, optional white space, then a comma or the end. An empty
		// line, or what follows a final comma, is no element.
		for i := 0; i < len(line); {
			for i < len(line) && isOWS(line[i]) {
				i++
			}
			start := i
			for i < len(line) && tokenChars[line[i]] {
				i++
			}
			name := line[start:i]
			for i < len(line) && isOWS(line[i]) {
				i++
			}
			if i < len(line) {
				if line[i] != ',' {
					return requestHeaders{reason: RequestMalformed, detail: "invalid byte in Access-Control-Request-Headers"}
				}
				i++
			}
			if name == "" {
				// Empty list elements are allowed (RFC 9110 section 5.6.1),
				// a few of them: browsers send none, and a comma bomb must
				// cost no more than a short list.
				if empty++; empty > maxEmptyElements {
					return requestHeaders{reason: RequestMalformed, detail: "too many empty elements in Access-Control-Request-Headers"}
				}
				continue
			}
			out.names++
			if out.names > maxRequestHeaderNames {
				return requestHeaders{reason: RequestMalformed, detail: "too many names in Access-Control-Request-Headers"}
			}
			if !p.headerAllowed(name, buf[:]) {
				return requestHeaders{reason: HeaderNotAllowed, detail: name}
			}
		}
	}
	return out
}

// headerAllowed reports whether the policy allows the request header name.
// Precondition: name is a token.
func (p *Policy) headerAllowed(name string, buf []byte) bool {
	if p.anyHeader {
		return true
	}
	if p.headers.hasLower(name, buf) {
		return true
	}
	if p.headerFunc == nil {
		return false
	}
	lower, ok := lowerInto(buf, name)
	// string() copies the name: user code may keep it.
	return ok && p.headerFunc(string(lower))
}
