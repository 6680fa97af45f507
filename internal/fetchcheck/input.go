package fetchcheck

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// An InputError is a Request that fetch() itself would refuse, or that
// Check cannot act on, with what to write instead.
type InputError struct {
	// Field is the Request field at fault: "url", "origin", "method",
	// "header", "body", "cookie" or "expose"; or "preflight-only" for
	// Options.PreflightOnly on a request that needs no preflight.
	Field string
	// Msg says what is wrong and what to write instead.
	Msg string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Msg }

func inputErr(field, format string, args ...any) error {
	return &InputError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Prepare checks req as fetch() checks its arguments, and returns it the
// way the browser would send it: the method normalised, headers of the
// same name joined, and the Content-Type fetch() gives a string body. Its
// errors are *InputError.
func Prepare(req Request) (Request, error) {
	u, err := parseURL(req.URL)
	if err != nil {
		return req, err
	}
	req.URL = u.String()
	if err := CheckOrigin(req.Origin); err != nil {
		return req, &InputError{Field: "origin", Msg: err.Error()}
	}
	if req.Method == "" {
		req.Method = "GET"
	}
	if !IsToken(req.Method) {
		return req, inputErr("method", "%q is not a method name (letters, digits and !#$%%&'*+-.^_`|~ only)", req.Method)
	}
	if ForbiddenMethod(req.Method) {
		return req, inputErr("method", "fetch() refuses %s (a forbidden method): no page can send it", strings.ToUpper(req.Method))
	}
	req.Method = NormalizeMethod(req.Method)
	var headers []Header
	for _, h := range req.Headers {
		if !IsToken(h.Name) {
			return req, inputErr("header", "%q is not a header name (letters, digits and !#$%%&'*+-.^_`|~ only; write NAME or NAME: VALUE)", h.Name)
		}
		v := strings.Trim(h.Value, "\t\n\r ")
		if strings.ContainsAny(v, "\x00\r\n") {
			return req, inputErr("header", "the value of %s contains a NUL, CR or LF byte, which fetch() refuses", h.Name)
		}
		if ForbiddenRequestHeader(h.Name, v) {
			hint := ""
			if strings.EqualFold(h.Name, "Cookie") {
				hint = "; to stand for the browser's cookies, use the cookie option with credentials"
			} else if strings.EqualFold(h.Name, "Origin") {
				hint = "; the origin is given on its own"
			}
			return req, inputErr("header", "%s is a forbidden request header: the browser sets it and drops what a page's fetch() gives%s", h.Name, hint)
		}
		joined := false
		for i := range headers {
			if strings.EqualFold(headers[i].Name, h.Name) {
				headers[i].Value += ", " + v
				joined = true
				break
			}
		}
		if !joined {
			headers = append(headers, Header{Name: h.Name, Value: v})
		}
	}
	if req.Body != "" {
		if req.Method == "GET" || req.Method == "HEAD" {
			return req, inputErr("body", "fetch() refuses a body with %s; use POST, PUT or another method", req.Method)
		}
		if !hasHeader(headers, "Content-Type") {
			headers = append(headers, Header{Name: "Content-Type", Value: "text/plain;charset=UTF-8"})
		}
	}
	req.Headers = headers
	if req.Cookie != "" {
		if !req.Credentials {
			return req, inputErr("cookie", "a browser sends cookies on a cross-origin fetch only with credentials: \"include\"; add the credentials option")
		}
		if strings.ContainsAny(req.Cookie, "\x00\r\n") {
			return req, inputErr("cookie", "the cookie contains a NUL, CR or LF byte")
		}
	}
	for _, name := range req.Expose {
		if !IsToken(name) {
			return req, inputErr("expose", "%q is not a header name", name)
		}
	}
	return req, nil
}

// parseURL checks that s is an absolute http or https URL that fetch()
// accepts, and drops its fragment (never sent).
func parseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, inputErr("url", "%q is not a URL: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		if u.Scheme == "" {
			return nil, inputErr("url", "%q has no scheme; write http://%s or https://%s", s, s, s)
		}
		return nil, inputErr("url", "%q is not an http or https URL; CORS applies to http and https fetches only", s)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, inputErr("url", "%q has no host", s)
	}
	if u.User != nil {
		return nil, inputErr("url", "%q has a user name or password in it, which fetch() refuses; remove it", s)
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

// defaultPort returns the port a scheme implies.
func defaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// originOf returns the serialised origin of an http or https URL.
func originOf(u *url.URL) string {
	if o, err := canonicalOrigin(u.Scheme + "://" + u.Host); err == nil && o != "" {
		return o
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && p != defaultPort(u.Scheme) {
		host += ":" + p
	}
	return u.Scheme + "://" + host
}

// CheckOrigin reports whether origin is written the way browsers send it
// in the Origin header: "null", or a scheme, "://", a host in lower case,
// and a port only when it is not the scheme's default; nothing else. Its
// error says what to write instead.
func CheckOrigin(origin string) error {
	if origin == "null" {
		return nil
	}
	switch {
	case origin == "":
		return fmt.Errorf("no origin given: give the origin of the page that calls the server, such as https://app.example.com")
	case origin == "*":
		return fmt.Errorf("browsers never send Origin: *; give the origin of the page that calls the server, such as https://app.example.com")
	case strings.EqualFold(origin, "null"):
		return fmt.Errorf("%q: browsers send the opaque origin as null, in lower case", origin)
	}
	notOrigin := fmt.Errorf("%q is not an origin: write scheme://host[:port], such as https://app.example.com", origin)
	canon, err := canonicalOrigin(origin)
	if err != nil {
		return err
	}
	if canon == "" {
		return notOrigin
	}
	if canon != origin {
		if again, _ := canonicalOrigin(canon); again != canon {
			return notOrigin
		}
		return fmt.Errorf("%q is not written the way browsers send it (no path, no trailing slash, the host in lower case, no default port); write %s", origin, canon)
	}
	return nil
}

// canonicalOrigin returns the origin s denotes, serialised as browsers
// do, or "" if s is not an origin.
func canonicalOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" || u.User != nil {
		return "", nil
	}
	host := u.Hostname()
	if host == "" {
		return "", nil
	}
	if strings.Contains(host, ":") {
		ip := net.ParseIP(host)
		if ip == nil || strings.Contains(host, "%") {
			return "", nil
		}
		if v4 := ip.To4(); v4 != nil { // IPv4-mapped: browsers write it in hex
			host = fmt.Sprintf("[::ffff:%x:%x]", int(v4[0])<<8|int(v4[1]), int(v4[2])<<8|int(v4[3]))
		} else {
			host = "[" + ip.String() + "]"
		}
	} else {
		for i := 0; i < len(host); i++ {
			b := host[i]
			switch {
			case b >= 0x80:
				return "", fmt.Errorf("%q: browsers send the host in ASCII (punycode, xn--...), as the address bar's URL has it", s)
			case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '-', b == '.', b == '_':
			default:
				return "", nil
			}
		}
		host = strings.ToLower(host)
	}
	port := u.Port()
	if port != "" {
		if !allDigits(port) {
			return "", nil
		}
		if port = strings.TrimLeft(port, "0"); port == "" {
			port = "0"
		}
		if len(port) > 5 || len(port) == 5 && port > "65535" {
			return "", nil
		}
		if port != defaultPort(u.Scheme) {
			host += ":" + port
		}
	}
	return u.Scheme + "://" + host, nil
}

func hasHeader(headers []Header, name string) bool {
	for _, h := range headers {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}
