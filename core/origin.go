package core

import (
	"net/netip"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// maxOriginLen bounds the work spent on one Origin value. A serialized origin
// is a scheme, "://", a host of at most 253 bytes and a port; anything much
// longer is not an origin a browser sends.
const maxOriginLen = 512

// origin is a serialized origin split into its parts. The parts are
// substrings of the value parsed.
type origin struct {
	scheme string
	host   string // without brackets for IPv6
	port   string // without the colon; "" for the scheme's default port
	ipv6   bool
}

// defaultPort returns the port browsers omit for scheme, or "".
func defaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// knownScheme reports whether browsers produce origins with scheme. Web pages
// are http or https; the others are browser extensions and the web views of
// mobile and desktop app frameworks, which send Origin headers like
// "capacitor://localhost".
func knownScheme(scheme string) bool {
	switch scheme {
	case "http", "https",
		"chrome-extension", "moz-extension", "safari-web-extension",
		"capacitor", "ionic", "tauri":
		return true
	}
	return false
}

// A flaw is what is wrong with an origin: one of the ErrOrigin* errors and a
// short constant detail. The zero flaw means nothing is.
type flaw struct {
	err    error
	detail string
}

// parseOrigin splits s, which must be a serialized origin exactly as a
// browser sends it, or says what is wrong with it. It never allocates, so
// Decide can use it on every request.
func parseOrigin(s string) (o origin, f flaw) {
	if len(s) > maxOriginLen {
		return o, flaw{ErrOriginMalformed, "too long"}
	}
	for j := 0; j < len(s); j++ {
		if c := s[j]; c <= ' ' || c == 0x7f {
			return o, flaw{ErrOriginMalformed, "white space or control byte"}
		}
	}
	i := strings.Index(s, "://")
	if i < 0 {
		return o, flaw{ErrOriginMalformed, `no "scheme://"`}
	}
	o.scheme = s[:i]
	if o.scheme == "" {
		return o, flaw{ErrOriginMalformed, "empty scheme"}
	}
	for j := 0; j < len(o.scheme); j++ {
		c := o.scheme[j]
		switch {
		case 'a' <= c && c <= 'z':
		case 'A' <= c && c <= 'Z':
			return o, flaw{ErrOriginNotCanonical, "upper case"}
		case j > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return o, flaw{ErrOriginMalformed, "invalid scheme"}
		}
	}
	rest := s[i+3:]
	// Anything after the host and port is not part of an origin.
	for j := 0; j < len(rest); j++ {
		switch c := rest[j]; {
		case c == '/':
			if j == len(rest)-1 {
				return o, flaw{ErrOriginNotCanonical, "trailing slash"}
			}
			return o, flaw{ErrOriginMalformed, "has a path"}
		case c == '?':
			return o, flaw{ErrOriginMalformed, "has a query"}
		case c == '#':
			return o, flaw{ErrOriginMalformed, "has a fragment"}
		case c == '@':
			return o, flaw{ErrOriginMalformed, "has user info"}
		case c >= 0x80:
			return o, flaw{ErrOriginNotCanonical, "non-ASCII host"}
		}
	}
	hostport := rest
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return o, flaw{ErrOriginMalformed, "unclosed IPv6 bracket"}
		}
		o.host, o.ipv6 = hostport[1:end], true
		hostport = hostport[end+1:]
		if hostport != "" && hostport[0] != ':' {
			return o, flaw{ErrOriginMalformed, "invalid host"}
		}
		if hostport != "" {
			o.port = hostport[1:]
			if o.port == "" {
				return o, flaw{ErrOriginMalformed, "empty port"}
			}
		}
	} else if c := strings.LastIndexByte(hostport, ':'); c >= 0 {
		o.host, o.port = hostport[:c], hostport[c+1:]
		if o.port == "" {
			return o, flaw{ErrOriginMalformed, "empty port"}
		}
	} else {
		o.host = hostport
	}
	if o.host == "" {
		return o, flaw{ErrOriginMalformed, "empty host"}
	}
	if f := checkPort(o.port, o.scheme); f.err != nil {
		return o, f
	}
	if o.ipv6 {
		a, perr := netip.ParseAddr(o.host)
		if perr != nil || !a.Is6() || a.Zone() != "" {
			return o, flaw{ErrOriginMalformed, "invalid IPv6 address"}
		}
		var buf [64]byte
		if string(appendURLIPv6(buf[:0], a)) != o.host {
			return o, flaw{ErrOriginNotCanonical, "IPv6 address not in canonical form"}
		}
		return o, flaw{}
	}
	return o, checkHost(o.host)
}

// parseWebOrigin is parseOrigin's fast path for what browsers send almost
// always: "http://" or "https://", a lower-case host name or IPv4 address
// and perhaps a port, checked in one pass over the bytes. It reports ok
// only for values parseOrigin accepts, with the same parts (a fuzz test
// holds it to that); for anything else, including every flawed value, it
// reports !ok and the caller asks parseOrigin, which says what is wrong.
func parseWebOrigin(s string) (o origin, ok bool) {
	var rest string
	switch {
	case len(s) > maxOriginLen:
		return o, false
	case strings.HasPrefix(s, "https://"):
		o.scheme, rest = s[:5], s[8:]
	case strings.HasPrefix(s, "http://"):
		o.scheme, rest = s[:4], s[7:]
	default:
		return o, false
	}
	// Host: non-empty labels of [a-z0-9_-] separated by dots.
	i, label := 0, 0
	for ; i < len(rest); i++ {
		c := rest[i]
		if c == '.' {
			if label == 0 {
				return o, false
			}
			label = 0
			continue
		}
		if c == ':' {
			break
		}
		if !hostChars[c] {
			return o, false
		}
		label++
	}
	if label == 0 {
		return o, false
	}
	o.host = rest[:i]
	if endsInNumber(o.host) && !isDottedQuad(o.host) {
		return o, false
	}
	if i == len(rest) {
		return o, true
	}
	// Port: 1 to 65535 in decimal, no leading zero, not the default.
	port := rest[i+1:]
	if port == "" || len(port) > 5 || port[0] == '0' {
		return o, false
	}
	n := 0
	for j := 0; j < len(port); j++ {
		c := port[j]
		if c < '0' || c > '9' {
			return o, false
		}
		n = n*10 + int(c-'0')
	}
	if n > 65535 || port == defaultPort(o.scheme) {
		return o, false
	}
	o.port = port
	return o, true
}

// hostChars are the bytes of a host label as browsers serialize it.
var hostChars = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'] = true, true
	return t
}()

// checkPort checks a port without its colon: decimal, no leading zero,
// 1 to 65535, and not the scheme's default.
func checkPort(port, scheme string) flaw {
	if port == "" {
		return flaw{}
	}
	if len(port) > 5 || port[0] == '0' {
		return flaw{ErrOriginMalformed, "invalid port"}
	}
	n := 0
	for i := 0; i < len(port); i++ {
		c := port[i]
		if c < '0' || c > '9' {
			return flaw{ErrOriginMalformed, "invalid port"}
		}
		n = n*10 + int(c-'0')
	}
	if n > 65535 {
		return flaw{ErrOriginMalformed, "port out of range"}
	}
	if port == defaultPort(scheme) {
		return flaw{ErrOriginNotCanonical, "default port spelled out"}
	}
	return flaw{}
}

// checkHost checks a domain name or IPv4 address as browsers serialize it:
// ASCII lower case letters, digits and hyphens in non-empty dot-separated
// labels.
func checkHost(host string) flaw {
	if endsInNumber(host) && !isDottedQuad(host) {
		// Browsers read such a host as an IPv4 address, and send it as
		// four decimal numbers, or refuse it.
		return flaw{ErrOriginNotCanonical, "IPv4 address not written as four decimal numbers"}
	}
	label := 0
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			label++
		case 'A' <= c && c <= 'Z':
			return flaw{ErrOriginNotCanonical, "upper case"}
		case c == '.':
			if label == 0 {
				return flaw{ErrOriginMalformed, "empty label in host"}
			}
			label = 0
		default:
			return flaw{ErrOriginMalformed, "invalid character in host"}
		}
	}
	if label == 0 {
		return flaw{ErrOriginMalformed, "empty label in host"}
	}
	return flaw{}
}

// canonicalOrigin tries to turn a mistyped origin into the form browsers
// send, for the Fix of a ConfigError. It returns "" when there is no single
// obvious answer.
func canonicalOrigin(raw string) string {
	s := strings.TrimSpace(raw)
	i := strings.Index(s, "://")
	if i <= 0 {
		return ""
	}
	scheme := strings.ToLower(s[:i])
	rest := s[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.LastIndexByte(rest, '@'); j >= 0 {
		rest = rest[j+1:]
	}
	host, port := rest, ""
	if strings.HasPrefix(rest, "[") {
		if j := strings.IndexByte(rest, ']'); j >= 0 {
			host, port = rest[:j+1], strings.TrimPrefix(rest[j+1:], ":")
			if a, err := netip.ParseAddr(rest[1:j]); err == nil {
				host = "[" + string(appendURLIPv6(nil, a)) + "]"
			}
		}
	} else if j := strings.LastIndexByte(rest, ':'); j >= 0 {
		host, port = rest[:j], rest[j+1:]
	}
	if !strings.HasPrefix(host, "[") {
		if !isASCII(host) {
			return "" // the ASCII form needs IDNA; fixFor says so
		}
		host = strings.ToLower(host)
		if endsInNumber(host) {
			if v, ok := parseURLIPv4(host); ok {
				host = v
			}
		}
	}
	if port == defaultPort(scheme) {
		port = ""
	}
	out := scheme + "://" + host
	if port != "" {
		out += ":" + port
	}
	if out == raw {
		return ""
	}
	return out
}

// originSet is the compiled form of Config.Origins. Matching costs a few
// comparisons or map lookups whatever the number of entries: exact origins
// are a stringSet (a list up to maxListed, a map beyond), and a subdomain
// pattern is keyed by the suffix after its "*", so a request origin is
// looked up once per dot in its host (or compared with each of a few
// patterns, see maxListedPatterns).
type originSet struct {
	any   bool      // "*"
	exact stringSet // "https://app.example.com", "null"
	// subdomains maps a scheme to the suffixes of its subdomain patterns:
	// "https://*.example.com:8443" is stored as ".example.com:8443" under
	// "https". anyPortSubdomains holds the patterns ending in ":*", without
	// the port.
	subdomains        map[string]map[string]struct{}
	anyPortSubdomains map[string]map[string]struct{}
	// anyPort holds "scheme://host" of port patterns "scheme://host:*".
	anyPort map[string]struct{}
	// few holds the subdomain patterns again, as lists, when there are at
	// most maxListedPatterns of them (see listFewPatterns).
	few []schemePatterns
}

func (s *originSet) hasPatterns() bool {
	return len(s.subdomains)+len(s.anyPortSubdomains)+len(s.anyPort) > 0
}

// compileOrigins validates Config.Origins and builds the set.
func compileOrigins(list []string, credentials bool, ps *problems) originSet {
	var s originSet
	exact := make(map[string]struct{}, len(list))
	for i, raw := range list {
		field := indexed("Origins", i)
		switch {
		case raw == "*":
			if len(list) > 1 {
				ps.add(field, raw, ErrAnyOriginMixed, "", `remove "*" to allow only the listed origins, or list only "*"`)
			}
			if credentials {
				ps.add(field, raw, ErrCredentialsAnyOrigin, "", "list the origins you trust instead")
			}
			s.any = true
		case raw == "null":
			if credentials {
				ps.add(field, raw, ErrCredentialsNullOrigin, "", `remove "null", or turn {Credentials} off`)
			}
			exact[raw] = struct{}{}
		case strings.Contains(raw, "*"):
			compilePattern(&s, field, raw, ps)
		default:
			if f := originFlaw(raw); f.err != nil {
				fix := fixFor(raw)
				if f.err == ErrOriginScheme {
					fix = schemeFix
				}
				ps.add(field, raw, f.err, f.detail, fix)
				continue
			}
			exact[raw] = struct{}{}
		}
	}
	s.exact = newSet(exact)
	s.listFewPatterns()
	return s
}

// maxListedPatterns is how many subdomain patterns match by comparing
// suffixes one by one rather than by a map lookup per dot of the host:
// for a few, comparing is cheaper than hashing; beyond, the maps keep the
// cost independent of the number of patterns.
const maxListedPatterns = 8

// schemePatterns are the subdomain patterns of one scheme as lists, in the
// form the maps of originSet key them (".example.com", ".example.com:8443").
type schemePatterns struct {
	scheme         string
	exact, anyPort []string
}

// listFewPatterns fills s.few when the set has at most maxListedPatterns
// subdomain patterns.
func (s *originSet) listFewPatterns() {
	n := 0
	for _, m := range s.subdomains {
		n += len(m)
	}
	for _, m := range s.anyPortSubdomains {
		n += len(m)
	}
	if n == 0 || n > maxListedPatterns {
		return
	}
	schemes := map[string]*schemePatterns{}
	get := func(scheme string) *schemePatterns {
		if schemes[scheme] == nil {
			schemes[scheme] = &schemePatterns{scheme: scheme}
		}
		return schemes[scheme]
	}
	for scheme, m := range s.subdomains {
		for k := range m {
			get(scheme).exact = append(get(scheme).exact, k)
		}
	}
	for scheme, m := range s.anyPortSubdomains {
		for k := range m {
			get(scheme).anyPort = append(get(scheme).anyPort, k)
		}
	}
	for _, sp := range schemes {
		s.few = append(s.few, *sp)
	}
}

// originFlaw is parseOrigin plus the checks that only matter in a Config.
func originFlaw(raw string) flaw {
	o, f := parseOrigin(raw)
	if f.err == nil && !knownScheme(o.scheme) {
		f = flaw{ErrOriginScheme, o.scheme}
	}
	return f
}

const schemeFix = "web origins are http or https (or capacitor, ionic, tauri and browser-extension schemes); check other values in OriginFunc"

func fixFor(raw string) string {
	if c := canonicalOrigin(raw); c != "" {
		if _, f := parseOrigin(strings.ReplaceAll(strings.Replace(c, "://*.", "://", 1), ":*", "")); f.err == nil {
			return "write " + quote(c)
		}
	}
	if !strings.Contains(raw, "://") {
		scheme := "https://"
		if isLocal(strings.TrimSpace(raw)) {
			scheme = "http://" // local development servers rarely have TLS
		}
		return `write it as "` + scheme + strings.TrimSpace(raw) + `"`
	}
	if !isASCII(raw) {
		return `write the host in the ASCII form browsers send, each non-ASCII label as "xn--" and its Punycode (RFC 3492), such as "https://xn--bcher-kva.example" for "https://bücher.example"`
	}
	return ""
}

// isLocal reports whether hostport names this machine: localhost, a
// .localhost name, or a loopback address, with or without a port.
func isLocal(hostport string) bool {
	host := hostport
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		host = hostport[:i]
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func quote(s string) string { return `"` + s + `"` }

// compilePattern adds a pattern origin: "scheme://*.domain[:port]",
// "scheme://host:*" or "scheme://*.domain:*".
func compilePattern(s *originSet, field, raw string, ps *problems) {
	anyPort := strings.HasSuffix(raw, ":*")
	probe := strings.TrimSuffix(raw, ":*")
	i := strings.Index(probe, "://")
	subdomain := i >= 0 && strings.HasPrefix(probe[i+3:], "*.")
	if subdomain {
		probe = probe[:i+3] + probe[i+5:]
	}
	if strings.Contains(probe, "*") || (!anyPort && !subdomain) {
		ps.add(field, raw, ErrOriginPattern, `use "*" alone, "scheme://*.domain" for subdomains, or "scheme://host:*" for any port`, "")
		return
	}
	o, f := parseOrigin(probe)
	if f.err != nil {
		ps.add(field, raw, f.err, f.detail, fixFor(raw))
		return
	}
	if !knownScheme(o.scheme) {
		ps.add(field, raw, ErrOriginScheme, o.scheme, schemeFix)
		return
	}
	if anyPort && o.port != "" {
		ps.add(field, raw, ErrOriginPattern, "two ports", "")
		return
	}
	if subdomain {
		if o.ipv6 || isIPv4(o.host) {
			ps.add(field, raw, ErrOriginPattern, "subdomains of an IP address", "")
			return
		}
		if suffix, _ := publicsuffix.PublicSuffix(o.host); suffix == o.host {
			ps.add(field, raw, ErrPublicSuffixPattern, o.host+" is a public suffix", "list the sites you control, such as "+quote(o.scheme+"://*.example."+o.host))
			return
		}
		key := probe[i+3+len(o.host):] // ":port" or ""
		key = "." + o.host + key
		m := &s.subdomains
		if anyPort {
			m = &s.anyPortSubdomains
		}
		if *m == nil {
			*m = make(map[string]map[string]struct{})
		}
		if (*m)[o.scheme] == nil {
			(*m)[o.scheme] = make(map[string]struct{})
		}
		(*m)[o.scheme][key] = struct{}{}
		return
	}
	if s.anyPort == nil {
		s.anyPort = make(map[string]struct{})
	}
	s.anyPort[probe] = struct{}{}
}

func isIPv4(host string) bool {
	a, err := netip.ParseAddr(host)
	return err == nil && a.Is4()
}

// match reports whether the request origin v is allowed by the set, and
// whether v was malformed. It does not consult Config.OriginFunc and does not
// allocate.
func (s *originSet) match(v string) (ok, malformed bool) {
	if s.any {
		return true, false
	}
	if s.exact.has(v) {
		return true, false
	}
	if v == "null" {
		return false, false
	}
	o, ok := parseWebOrigin(v)
	if !ok {
		var f flaw
		if o, f = parseOrigin(v); f.err != nil {
			return false, true
		}
	}
	if !s.hasPatterns() {
		return false, false
	}
	if o.port != "" && s.anyPort != nil {
		if _, ok := s.anyPort[v[:len(v)-len(o.port)-1]]; ok {
			return true, false
		}
	}
	if o.ipv6 {
		return false, false
	}
	hostStart := len(o.scheme) + len("://")
	hostEnd := hostStart + len(o.host)
	if s.few != nil {
		return s.matchFew(v, o, hostStart, hostEnd), false
	}
	exact, anyPort := s.subdomains[o.scheme], s.anyPortSubdomains[o.scheme]
	if exact == nil && anyPort == nil {
		return false, false
	}
	// Try every suffix that starts at a dot: for "https://a.b.example.com"
	// that is ".b.example.com", ".example.com" and ".com". The label before
	// the dot is never empty, so the apex never matches its own pattern.
	for i := hostStart + 1; i < hostEnd; i++ {
		if v[i] != '.' {
			continue
		}
		if _, ok := exact[v[i:]]; ok {
			return true, false
		}
		if o.port != "" {
			if _, ok := anyPort[v[i:hostEnd]]; ok {
				return true, false
			}
		}
	}
	return false, false
}

// matchFew is the subdomain part of match for a set with few patterns.
// A pattern key such as ".example.com" can only be the suffix of v that is
// as long as it; it matches when that suffix starts inside the host after
// a non-empty label, which is what the map lookup at each dot checks.
func (s *originSet) matchFew(v string, o origin, hostStart, hostEnd int) bool {
	for i := range s.few {
		sp := &s.few[i]
		if sp.scheme != o.scheme {
			continue
		}
		for _, key := range sp.exact {
			if len(v)-len(key) > hostStart && strings.HasSuffix(v, key) {
				return true
			}
		}
		if o.port == "" {
			continue
		}
		host := v[:hostEnd]
		for _, key := range sp.anyPort {
			if len(host)-len(key) > hostStart && strings.HasSuffix(host, key) {
				return true
			}
		}
	}
	return false
}

// sameOrigin reports whether origin is the origin of a request made with
// scheme to host (the Host header, which may carry a port). Host names
// compare case-insensitively and a default port may be spelled out in host.
func sameOrigin(origin, scheme, host string) bool {
	if scheme == "" || host == "" || len(origin) <= len(scheme)+3 {
		return false
	}
	if origin[:len(scheme)] != scheme || origin[len(scheme):len(scheme)+3] != "://" {
		return false
	}
	if p := defaultPort(scheme); p != "" && len(host) > len(p) &&
		host[len(host)-len(p)-1] == ':' && host[len(host)-len(p):] == p {
		host = host[:len(host)-len(p)-1]
	}
	return strings.EqualFold(origin[len(scheme)+3:], host)
}
