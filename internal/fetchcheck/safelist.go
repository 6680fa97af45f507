package fetchcheck

import (
	"sort"
	"strings"
)

// This file holds the Fetch standard's request-side rules: which methods
// and headers are CORS-safelisted, which a page may not set at all, and
// which request header names make a preflight necessary.

// MethodSafelisted reports whether method is a CORS-safelisted method:
// GET, HEAD or POST, compared case-sensitively (fetch() has already
// upper-cased them; see NormalizeMethod).
//
// Fetch: https://fetch.spec.whatwg.org/#cors-safelisted-method
func MethodSafelisted(method string) bool {
	switch method {
	case "GET", "HEAD", "POST":
		return true
	}
	return false
}

// normalizedMethods are the methods fetch() upper-cases whatever case the
// page writes them in.
var normalizedMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}

// NormalizeMethod returns method as fetch() sends it: DELETE, GET, HEAD,
// OPTIONS, POST and PUT in upper case whatever case they were written in,
// every other method (PATCH among them) exactly as written.
//
// Fetch: https://fetch.spec.whatwg.org/#concept-method-normalize
func NormalizeMethod(method string) string {
	for _, m := range normalizedMethods {
		if strings.EqualFold(method, m) {
			return m
		}
	}
	return method
}

// ForbiddenMethod reports whether fetch() refuses method outright:
// CONNECT, TRACE and TRACK, in any case.
//
// Fetch: https://fetch.spec.whatwg.org/#forbidden-method
func ForbiddenMethod(method string) bool {
	return strings.EqualFold(method, "CONNECT") || strings.EqualFold(method, "TRACE") || strings.EqualFold(method, "TRACK")
}

// forbiddenHeaderNames are the request headers the browser controls; a
// page's fetch() silently drops them.
var forbiddenHeaderNames = map[string]bool{
	"accept-charset": true, "accept-encoding": true, "access-control-request-headers": true,
	"access-control-request-method": true, "connection": true, "content-length": true,
	"cookie": true, "cookie2": true, "date": true, "dnt": true, "expect": true, "host": true,
	"keep-alive": true, "origin": true, "referer": true, "set-cookie": true, "te": true,
	"trailer": true, "transfer-encoding": true, "upgrade": true, "via": true,
}

// ForbiddenRequestHeader reports whether a page may not set the request
// header (name, value): the browser controls it (Cookie, Host, Origin,
// Sec-*, Proxy-*, …), and fetch() drops it without an error. A method
// override header (X-HTTP-Method, X-HTTP-Method-Override,
// X-Method-Override) is forbidden when it names a forbidden method.
//
// Fetch: https://fetch.spec.whatwg.org/#forbidden-request-header
func ForbiddenRequestHeader(name, value string) bool {
	n := strings.ToLower(name)
	if forbiddenHeaderNames[n] || strings.HasPrefix(n, "proxy-") || strings.HasPrefix(n, "sec-") {
		return true
	}
	switch n {
	case "x-http-method", "x-http-method-override", "x-method-override":
		for _, m := range splitHeaderValue(value) {
			if ForbiddenMethod(m) {
				return true
			}
		}
	}
	return false
}

// safelistedValueLimit is the most bytes the values of CORS-safelisted
// request headers may add up to before all of them need a preflight.
const safelistedValueLimit = 1024

// HeaderSafelisted reports whether the request header (name, value) is a
// CORS-safelisted request-header: Accept, Accept-Language,
// Content-Language, Content-Type and Range with values of the restricted
// forms the standard gives, each at most 128 bytes. Whether a request needs a
// preflight also depends on the total size of those values; see
// UnsafeHeaderNames.
//
// Fetch: https://fetch.spec.whatwg.org/#cors-safelisted-request-header
func HeaderSafelisted(name, value string) bool {
	return whyNotSafelisted(name, value) == ""
}

// notSafelistedName is whyNotSafelisted's answer for a name that is never
// safelisted, whatever its value.
const notSafelistedName = "only Accept, Accept-Language, Content-Language, Content-Type and Range can be, with restricted values"

// whyNotSafelisted returns why (name, value) is not a CORS-safelisted
// request-header, in words, or "" if it is one.
func whyNotSafelisted(name, value string) string {
	n := strings.ToLower(name)
	switch n {
	case "accept", "accept-language", "content-language", "content-type", "range":
	default:
		return notSafelistedName
	}
	if len(value) > 128 {
		return "its value is longer than 128 bytes"
	}
	switch n {
	case "accept":
		if i := unsafeByte(value); i >= 0 {
			return "its value contains " + quoteByte(value[i]) + ", a byte that needs a preflight"
		}
	case "accept-language", "content-language":
		for i := 0; i < len(value); i++ {
			if !languageByte(value[i]) {
				return "its value contains " + quoteByte(value[i]) + "; only letters, digits, space and * , - . ; = are safelisted"
			}
		}
	case "content-type":
		if i := unsafeByte(value); i >= 0 {
			return "its value contains " + quoteByte(value[i]) + ", a byte that needs a preflight"
		}
		essence, ok := mimeEssence(value)
		if !ok {
			return "its value is not a MIME type"
		}
		switch essence {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		default:
			return "only application/x-www-form-urlencoded, multipart/form-data and text/plain can be sent without a preflight"
		}
	case "range":
		start, _, ok := parseSingleRange(value)
		if !ok {
			return "only a single byte range (bytes=0-499) can be sent without a preflight"
		}
		if !start {
			return "a suffix range (bytes=-500) needs a preflight"
		}
	}
	return ""
}

// UnsafeHeaderNames returns the names, in lower case, sorted and without
// duplicates, of the headers in headers that are not CORS-safelisted: the
// value of the preflight's Access-Control-Request-Headers. If the values of
// the safelisted ones add up to more than 1024 bytes, they are all unsafe
// too. A request needs a preflight when this list is not empty or its
// method is not safelisted.
//
// Fetch: https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
func UnsafeHeaderNames(headers []Header) []string {
	var unsafe, potentially []string
	size := 0
	for _, h := range headers {
		if HeaderSafelisted(h.Name, h.Value) {
			potentially = append(potentially, h.Name)
			size += len(h.Value)
		} else {
			unsafe = append(unsafe, h.Name)
		}
	}
	if size > safelistedValueLimit {
		unsafe = append(unsafe, potentially...)
	}
	return sortedLowerSet(unsafe)
}

// sortedLowerSet lower-cases names, sorts them byte-wise and drops
// duplicates.
func sortedLowerSet(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	set := make([]string, 0, len(names))
	for _, n := range names {
		set = append(set, strings.ToLower(n))
	}
	sort.Strings(set)
	out := set[:1]
	for _, n := range set[1:] {
		if n != out[len(out)-1] {
			out = append(out, n)
		}
	}
	return out
}

// unsafeByte returns the index of the first CORS-unsafe request-header
// byte in v, or -1.
//
// Fetch: https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
func unsafeByte(v string) int {
	for i := 0; i < len(v); i++ {
		b := v[i]
		if b < 0x20 && b != '\t' || b == 0x7f || strings.IndexByte(`"():<>?@[\]{}`, b) >= 0 {
			return i
		}
	}
	return -1
}

// languageByte reports whether b may appear in a safelisted
// Accept-Language or Content-Language value.
func languageByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || strings.IndexByte(" *,-.;=", b) >= 0
}

func quoteByte(b byte) string {
	if b >= 0x20 && b < 0x7f {
		return "'" + string(rune(b)) + "'"
	}
	const hex = "0123456789ABCDEF"
	return "byte 0x" + string([]byte{hex[b>>4], hex[b&15]})
}

// isTokenByte reports whether b is an HTTP token code point.
func isTokenByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b < 0x80 && strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0
}

// IsToken reports whether s is an HTTP token: the syntax of methods and
// header names.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

// mimeEssence parses v as a MIME type, as the MIME Sniffing standard
// does, and returns its essence (type/subtype in lower case). Parameters
// do not make a MIME type invalid and are ignored.
//
// MIME Sniffing: https://mimesniff.spec.whatwg.org/#parse-a-mime-type
func mimeEssence(v string) (string, bool) {
	v = strings.Trim(v, "\t\n\r ")
	slash := strings.IndexByte(v, '/')
	if slash < 0 {
		return "", false
	}
	typ := v[:slash]
	rest := v[slash+1:]
	if semi := strings.IndexByte(rest, ';'); semi >= 0 {
		rest = rest[:semi]
	}
	sub := strings.TrimRight(rest, "\t\n\r ")
	if !IsToken(typ) || !IsToken(sub) {
		return "", false
	}
	return strings.ToLower(typ) + "/" + strings.ToLower(sub), true
}

// parseSingleRange parses a Range value as "parse a single range header
// value" does without white space: "bytes=" then a start, "-", an end,
// either of which (not both) may be missing. It reports whether the start
// is present, whether the end is, and whether the value parsed.
//
// Fetch: https://fetch.spec.whatwg.org/#simple-range-header-value
func parseSingleRange(v string) (start, end, ok bool) {
	i := 0
	for i < len(v) && (v[i] >= 'a' && v[i] <= 'z' || v[i] >= 'A' && v[i] <= 'Z') {
		i++
	}
	if !strings.EqualFold(v[:i], "bytes") || i >= len(v) || v[i] != '=' {
		return false, false, false
	}
	i++
	s := i
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	startDigits := v[s:i]
	if i >= len(v) || v[i] != '-' {
		return false, false, false
	}
	i++
	e := i
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	endDigits := v[e:i]
	if i != len(v) || startDigits == "" && endDigits == "" {
		return false, false, false
	}
	if startDigits != "" && endDigits != "" && decimalGreater(startDigits, endDigits) {
		return false, false, false
	}
	return startDigits != "", endDigits != "", true
}

// decimalGreater reports whether the decimal digits a denote a larger
// number than b, for numbers of any length.
func decimalGreater(a, b string) bool {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// splitHeaderValue is the standard's "get, decode, and split" of one
// header value: elements separated by commas outside quoted strings, with
// surrounding tabs and spaces removed.
//
// Fetch: https://fetch.spec.whatwg.org/#header-value-get-decode-and-split
func splitHeaderValue(v string) []string {
	var values []string
	pos := 0
	var cur strings.Builder
	for {
		for pos < len(v) && v[pos] != '"' && v[pos] != ',' {
			cur.WriteByte(v[pos])
			pos++
		}
		if pos < len(v) && v[pos] == '"' {
			start := pos
			pos++
			for pos < len(v) {
				c := v[pos]
				pos++
				if c == '\\' {
					if pos < len(v) {
						pos++
					}
					continue
				}
				if c == '"' {
					break
				}
			}
			cur.WriteString(v[start:pos])
			if pos < len(v) {
				continue
			}
		}
		values = append(values, strings.Trim(cur.String(), "\t "))
		cur.Reset()
		if pos >= len(v) {
			return values
		}
		pos++ // the comma
	}
}
