package core

import (
	"bytes"
	"strconv"
	"strings"
)

// A PathPolicy is a policy of its own for some paths of the server, an entry
// of [Config.PathPolicies]:
//
//	core.PathPolicy{Name: "public", Paths: []string{"/public/", "/health"},
//		Config: core.Config{Origins: []string{"*"}}}
type PathPolicy struct {
	// Name identifies the policy in log lines and in Rejection.Policy, such
	// as "public": letters, digits, '-', '_' and '.', unique, and not
	// "default", which names the enclosing Config's own policy.
	Name string

	// Paths lists the paths the policy serves, each in one of two forms:
	//
	//	"/health"    that path, also spelled "/health/"
	//	"/public/"   that path and every path under it: "/public", "/public/a/b"
	//
	// A request gets the policy of the most specific entry that matches its
	// path, whatever the order of the entries. Paths are written the way
	// routers match them: in clean form (no "//", "." or ".." segments), without
	// percent-encoding, query, wildcards or parameters. Two entries must not
	// serve the same path: "/a" and "/a/", or "/a/" and "/A/", which a router
	// that ignores the trailing slash or the case routes alike, are an error.
	Paths []string

	// Config is the policy for those paths. Its own PathPolicies, Logger
	// and OnReject must be empty: the enclosing Config's Logger and
	// OnReject serve every path.
	Config
}

// PolicyFor returns the name of the policy that serves requests whose path,
// as the client sends it, is path: a PathPolicy's Name, DefaultPolicy or
// AmbiguousPathPolicy; "" if the Config has no PathPolicies. It is what
// Rejection.Policy says of a refused request, for tools that explain a
// policy (corskit explain) and for tests.
func (p *Policy) PolicyFor(path string) string {
	if p.paths == nil {
		return ""
	}
	return p.paths.choose(path).name
}

// The names of the policies [Rejection.Policy] reports besides those of
// PathPolicies.
const (
	// DefaultPolicy names the policy of the paths no entry of
	// Config.PathPolicies matches: the enclosing Config's own fields.
	DefaultPolicy = "default"
	// AmbiguousPathPolicy names the policy of a request path that routers
	// could take for paths of different policies (see Config.PathPolicies).
	// It allows nothing cross-origin, and has RejectDisallowed and
	// CrossOriginProtection if any of the policies has them.
	AmbiguousPathPolicy = "ambiguous path"
)

// maxPatternLen bounds the length of a path in PathPolicy.Paths, and so the
// part of a request path the table looks at.
const maxPatternLen = 256

// maxUncleanLen bounds the length of a request path that is not in clean
// form which the table rewrites to find its policy; a longer one gets the
// ambiguous-path policy.
const maxUncleanLen = 1024

// A pathTable chooses the policy of a request from its path.
type pathTable struct {
	// entries maps each path of every PathPolicy, in lower case and without
	// a trailing slash, to its entry. Routers that ignore the case find an
	// entry through the lower case; the others need entry.path to match as
	// it is.
	entries   map[string]pathEntry
	maxLen    int                          // the longest key
	lengths   [maxPatternLen/64 + 1]uint64 // bit n set: some key is n bytes long
	def       *Policy                      // paths no entry matches
	ambiguous *Policy                      // paths whose readings disagree
}

type pathEntry struct {
	path    string // as written, without a trailing slash
	subtree bool   // written with a trailing slash: serves the paths under it too
	policy  *Policy
}

// choose returns the policy of a request whose path, as the client sent it
// (percent-encoded, without the query), is path.
//
// A router may read a path as it was sent, percent-decoded, cleaned of
// "//", "." and ".." segments, both (in either order), and in any letter
// case; it may also
// add or remove a trailing slash. A path in clean form reads the same in
// all these ways but the case. For any other path, choose matches every
// reading; if they do not all land on the same policy, nor do they in
// either letter case, the request gets the ambiguous-path policy, which
// allows nothing: never more than the strictest policy any router could
// route the path to.
func (t *pathTable) choose(path string) *Policy {
	if isCleanPath(path) {
		return match(t, path)
	}
	if len(path) > maxUncleanLen || !strings.HasPrefix(path, "/") {
		return t.ambiguous
	}
	var decodedBuf, cleanBuf, cleanDecodedBuf, decodedCleanBuf [maxUncleanLen + 1]byte
	decoded, ok := percentDecode(decodedBuf[:0], path)
	if !ok || bytes.IndexByte(decoded, '%') >= 0 || bytes.IndexByte(decoded, '\\') >= 0 {
		// An invalid escape, or one that decodes to another: a router
		// decoding twice would read yet another path. A backslash is a
		// separator to some servers and a character to others.
		return t.ambiguous
	}
	cleaned := cleanPath(cleanBuf[:0], path)
	decodedCleaned, _ := percentDecode(decodedCleanBuf[:0], cleaned)
	p := match(t, path)
	for _, reading := range [...][]byte{
		decoded,
		cleaned,
		cleanPath(cleanDecodedBuf[:0], decoded),
		decodedCleaned,
	} {
		if match(t, reading) != p {
			return t.ambiguous
		}
	}
	return p
}

// match returns the policy of the most specific entry that serves path,
// which starts with "/", ignoring one trailing slash. If a router that
// ignores the case would choose another policy, match returns t.ambiguous.
// It takes a string or the bytes of a rewritten path, without copying them.
func match[P string | []byte](t *pathTable, path P) *Policy {
	if len(path) == 0 || path[0] != '/' {
		return t.ambiguous
	}
	if len(path) > 1 && path[len(path)-1] == '/' {
		path = path[:len(path)-1]
	}
	// Only the first maxLen bytes can matter: no key is longer. Keys are
	// in lower case: a path with upper-case letters is looked up in a
	// lower-case copy.
	look := path[:min(len(path), t.maxLen)]
	upper := false
	for i := 0; i < len(look); i++ {
		if 'A' <= look[i] && look[i] <= 'Z' {
			upper = true
			break
		}
	}
	var lower []byte
	if upper {
		var buf [maxPatternLen]byte // zeroed only for the paths that need it
		lower = buf[:0]
		for i := 0; i < len(look); i++ {
			c := look[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower = append(lower, c)
		}
	}
	var exact, folded *Policy
	for end := len(path); end > 0; end = lastSlash(path[:end]) {
		if end > t.maxLen || t.lengths[end/64]&(1<<(end%64)) == 0 {
			continue // no key that long: save the lookup
		}
		var e pathEntry
		var ok bool
		if upper {
			e, ok = t.entries[string(lower[:end])]
		} else {
			e, ok = t.entries[string(path[:end])]
		}
		if !ok || (end < len(path) && !e.subtree) {
			continue
		}
		if folded == nil {
			folded = e.policy
		}
		if e.path == string(path[:end]) {
			exact = e.policy
			break
		}
	}
	switch {
	case folded == nil:
		return t.def
	case exact != folded:
		return t.ambiguous
	}
	return exact
}

// isCleanPath reports whether path starts with "/" and reads the same
// percent-decoded and cleaned: it has no '%', no '\\', no empty segment
// but a trailing one, and no "." or ".." segment.
func isCleanPath(path string) bool {
	if len(path) == 0 || path[0] != '/' {
		return false
	}
	for i := 0; i < len(path); i++ {
		switch path[i] {
		case '%', '\\':
			return false
		case '/':
			// The segment after this slash must not be empty (but at the
			// end), "." or "..".
			rest := path[i+1:]
			if len(rest) > 0 && rest[0] == '/' {
				return false
			}
			if len(rest) > 0 && rest[0] == '.' {
				if len(rest) == 1 || rest[1] == '/' {
					return false
				}
				if rest[1] == '.' && (len(rest) == 2 || rest[2] == '/') {
					return false
				}
			}
		}
	}
	return true
}

// percentDecode appends path with every %XX escape decoded to dst. It
// reports false for an invalid escape.
func percentDecode[P string | []byte](dst []byte, path P) ([]byte, bool) {
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c == '%' {
			if i+2 >= len(path) || !isHex(path[i+1]) || !isHex(path[i+2]) {
				return dst, false
			}
			c = unhex(path[i+1])<<4 | unhex(path[i+2])
			i += 2
		}
		dst = append(dst, c)
	}
	return dst, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// cleanPath appends to dst the clean form of path, which starts with "/":
// empty, "." and ".." segments resolved as path.Clean does, and a trailing
// slash kept, as http.ServeMux redirects.
func cleanPath[P string | []byte](dst []byte, path P) []byte {
	dst = append(dst, '/')
	last := ""
	for i := 0; i < len(path); {
		if path[i] == '/' {
			i++
			last = ""
			continue
		}
		j := i
		for j < len(path) && path[j] != '/' {
			j++
		}
		seg := path[i:j]
		switch {
		case len(seg) == 1 && seg[0] == '.':
			last = "."
		case len(seg) == 2 && seg[0] == '.' && seg[1] == '.':
			// Drop the last segment, never the root.
			dst = dst[:max(lastSlash(dst), 1)]
			last = "."
		default:
			if len(dst) > 1 {
				dst = append(dst, '/')
			}
			dst = append(dst, seg...)
			last = "segment"
		}
		i = j
	}
	if len(dst) > 1 && last != "segment" {
		dst = append(dst, '/')
	}
	return dst
}

// lastSlash returns the index of the last '/' in b, or -1.
func lastSlash[P string | []byte](b P) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '/' {
			return i
		}
	}
	return -1
}

// compilePaths compiles cfg.PathPolicies into a table in front of def, the
// policy of cfg's own fields, and returns the policy that consults it.
func compilePaths(cfg Config, def *Policy, ps *problems) *Policy {
	def.name = DefaultPolicy
	// The ambiguous-path policy allows no origin, and refuses what the
	// strictest policy refuses before the handler runs.
	strictest := Config{Logger: cfg.Logger, OnReject: cfg.OnReject, RejectDisallowed: cfg.RejectDisallowed, CrossOriginProtection: cfg.CrossOriginProtection}
	for _, pp := range cfg.PathPolicies {
		strictest.RejectDisallowed = strictest.RejectDisallowed || pp.RejectDisallowed
		strictest.CrossOriginProtection = strictest.CrossOriginProtection || pp.CrossOriginProtection
	}
	ambiguous := compilePolicy(strictest, "", ps)
	ambiguous.name = AmbiguousPathPolicy
	t := &pathTable{entries: make(map[string]pathEntry), def: def, ambiguous: ambiguous}
	names := make(map[string]int)
	owner := make(map[string]int) // key in lower case -> index of the entry that serves it
	for i, pp := range cfg.PathPolicies {
		at := indexed("PathPolicies", i) + "."
		switch j, dup := names[pp.Name]; {
		case pp.Name == "":
			ps.add(at+"Name", pp.Name, ErrPathPolicyInvalid, "none; log lines and Rejections name the policy that refused a request", `name it, such as "public"`)
		case !isPolicyName(pp.Name):
			ps.add(at+"Name", pp.Name, ErrPathPolicyInvalid, "a name is letters, digits, '-', '_' and '.', at most 64 bytes", `name it, such as "public"`)
		case pp.Name == DefaultPolicy:
			ps.add(at+"Name", pp.Name, ErrPathPolicyInvalid, `"default" names the policy of the paths no entry matches`, "choose another name")
		case dup:
			ps.add(at+"Name", pp.Name, ErrPathPolicyInvalid, "also the name of "+indexed("{PathPolicies}", j), "choose another name")
		default:
			names[pp.Name] = i
		}
		if len(pp.PathPolicies) > 0 {
			ps.add(at+"PathPolicies", "", ErrPathPolicyInvalid, "path policies do not nest", "list every path policy in the enclosing {PathPolicies}")
		}
		if pp.Logger != nil {
			ps.add(at+"Logger", "", ErrPathPolicyInvalid, "the enclosing Config's {Logger} serves every path policy", "set {Logger} on the enclosing Config")
		}
		if pp.OnReject != nil {
			ps.add(at+"OnReject", "", ErrPathPolicyInvalid, "the enclosing Config's {OnReject} serves every path policy", "set {OnReject} on the enclosing Config")
		}
		if len(pp.Paths) == 0 {
			ps.add(at+"Paths", "", ErrPathPolicyInvalid, "it serves no path, so it can never apply", `list the paths it serves, such as "/public/"`)
		}
		inner := pp.Config
		inner.PathPolicies, inner.Logger, inner.OnReject = nil, cfg.Logger, cfg.OnReject
		p := compilePolicy(inner, at, ps)
		p.name = pp.Name
		for k, path := range pp.Paths {
			field := at + indexed("Paths", k)
			key, subtree, ok := compilePathPattern(field, path, ps)
			if !ok {
				continue
			}
			folded := strings.ToLower(key)
			if j, dup := owner[folded]; dup {
				other := cfg.PathPolicies[j]
				ps.add(field, path, ErrPathConflict,
					"also served by "+indexed("{PathPolicies}", j)+" "+quote(other.Name)+"; routers that ignore the case or a trailing slash route both spellings to one handler",
					"keep one of them")
				continue
			}
			owner[folded] = i
			t.entries[folded] = pathEntry{path: key, subtree: subtree, policy: p}
			t.maxLen = max(t.maxLen, len(key))
			t.lengths[len(key)/64] |= 1 << (len(key) % 64)
		}
	}
	return &Policy{paths: t}
}

// compilePathPattern checks one path of PathPolicy.Paths and returns it
// without its trailing slash, and whether it serves the paths under it.
func compilePathPattern(field, path string, ps *problems) (key string, subtree, ok bool) {
	bad := func(detail, fix string) (string, bool, bool) {
		ps.add(field, path, ErrPathInvalid, detail, fix)
		return "", false, false
	}
	switch {
	case path == "":
		return bad("empty", `write a path such as "/public/"`)
	case path == "/":
		return bad("it would serve every path", "put that policy in the enclosing Config's own fields, which serve the paths no entry matches")
	case path[0] != '/':
		return bad("not starting with /", "write "+quote("/"+path))
	case len(path) > maxPatternLen:
		return bad("longer than "+strconv.Itoa(maxPatternLen)+" bytes", "")
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		return bad("a query or fragment is never part of the path", "write "+quote(path[:i]))
	}
	if i := strings.IndexAny(path, "*{}:"); i >= 0 {
		// Cut at the segment with the wildcard or parameter.
		cut := path[:strings.LastIndexByte(path[:i], '/')+1]
		fix := "write " + quote(cut) + " to serve everything under it"
		if cut == "/" {
			fix = "write the literal part of the path, ending in / to serve everything under it"
		}
		return bad("wildcards and path parameters are not patterns here; a trailing slash serves every path under it", fix)
	}
	for i := 0; i < len(path); i++ {
		if c := path[i]; c <= ' ' || c >= 0x7f {
			return bad("a space, control or non-ASCII byte; write the path as routers see it, percent-decoded ASCII", "")
		}
	}
	if strings.Contains(path, "%") {
		decoded, ok := percentDecode(nil, path)
		fix := ""
		if ok && isCleanPath(string(decoded)) {
			fix = "write " + quote(string(decoded))
		}
		return bad("percent-encoded; routers match the decoded path", fix)
	}
	if !isCleanPath(path) {
		return bad("not in clean form", "write "+quote(string(cleanPath(nil, path))))
	}
	key = strings.TrimSuffix(path, "/")
	return key, strings.HasSuffix(path, "/"), true
}

// isPolicyName reports whether s is a valid PathPolicy.Name.
func isPolicyName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
