package core

// maxListed is the size up to which a set compares its strings one by one
// rather than hashing them for a map lookup, which costs more for a few
// strings; beyond it, the map keeps the cost independent of the set's size.
const maxListed = 8

// A stringSet is a set of strings compiled with a policy: the allowed exact
// origins, methods or (lower-case) request header names.
type stringSet struct {
	list []string            // the strings, when there are at most maxListed
	m    map[string]struct{} // the strings, when there are more
}

// newSet returns the set of the keys of m. It keeps m if m is large.
func newSet(m map[string]struct{}) stringSet {
	if len(m) > maxListed {
		return stringSet{m: m}
	}
	s := stringSet{list: make([]string, 0, len(m))}
	for k := range m {
		s.list = append(s.list, k)
	}
	return s
}

// has reports whether v is in s.
func (s *stringSet) has(v string) bool {
	if s.m != nil {
		_, ok := s.m[v]
		return ok
	}
	for _, k := range s.list {
		if k == v {
			return true
		}
	}
	return false
}

// hasLower reports whether v, in lower case, is in s, whose strings are
// lower case. buf is scratch space for a large set's lookup; a v longer
// than buf is not in s.
func (s *stringSet) hasLower(v string, buf []byte) bool {
	if s.m != nil {
		lower, ok := lowerInto(buf, v)
		if !ok {
			return false
		}
		_, ok = s.m[string(lower)] // string() in a map index does not allocate
		return ok
	}
	for _, k := range s.list {
		// Browsers send names in lower case: try the plain comparison,
		// done a word at a time, before the byte loop.
		if len(k) == len(v) && (k == v || equalLower(v, k)) {
			return true
		}
	}
	return false
}

// equalLower reports whether v in lower case is lower, which is lower case
// and as long as v.
func equalLower(v, lower string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
