package core

import (
	"net/http"
	"strings"
	"sync"
)

// FactsFrom reads the Facts of r. It does not allocate: the header slices
// are r's own. Scheme is "https" when r arrived over TLS, else "http"; Host
// is r.Host; Path is the path as the client sent it, from r.RequestURI.
// The Access-Control-Request-* headers are read only for OPTIONS requests,
// the only ones whose answer depends on them, which saves three header
// lookups on every other request.
func FactsFrom(r *http.Request) Facts {
	var f Facts
	readFacts(r, &f)
	return f
}

// readFacts is FactsFrom writing into f, which must be zero.
func readFacts(r *http.Request, f *Facts) {
	f.Method = r.Method
	f.Origin = r.Header["Origin"]
	f.Scheme = "http"
	if r.TLS != nil {
		f.Scheme = "https"
	}
	f.Host = r.Host
	f.Path = requestPath(r)
	f.Context = r.Context()
	f.Target = httpTarget{r}
	if r.Method == http.MethodOptions { // see Facts.RequestMethod
		f.RequestMethod = r.Header["Access-Control-Request-Method"]
		f.RequestHeaders = r.Header["Access-Control-Request-Headers"]
		f.PrivateNetwork = r.Header["Access-Control-Request-Private-Network"]
	}
}

// httpTarget is the Target of a request from net/http, for the header
// lines Decide reads only when it needs them (Sec-Fetch-Site). Host and
// Scheme are in the Facts already. Being one pointer, it is stored in the
// Target interface without allocation.
type httpTarget struct{ r *http.Request }

func (t httpTarget) Host() string { return t.r.Host }

func (t httpTarget) Scheme() string {
	if t.r.TLS != nil {
		return "https"
	}
	return "http"
}

// Lines returns the request's name header lines; name is canonical.
func (t httpTarget) Lines(name string) []string { return t.r.Header[name] }

// requestPath returns the path of r as the client sent it, without the
// query: from the request line when r came from a server, else r.URL's
// escaped path.
func requestPath(r *http.Request) string {
	if uri := r.RequestURI; strings.HasPrefix(uri, "/") {
		path, _, _ := strings.Cut(uri, "?")
		return path
	}
	return r.URL.EscapedPath()
}

// Handle is the whole work of a net/http middleware: it decides r with the
// policy h serves, applies the decision to header (the response's, see
// [Decision.Apply]), and returns the decision's Status: the status to
// answer with at once, or 0 to call the next handler. It is
//
//	d := h.Decide(FactsFrom(r))
//	d.Apply(header)
//	return d.Status
//
// without copying the Facts and the Decision on the way, which is a
// measurable part of the cost per request. It does not allocate beyond
// what Apply does.
func (h *Holder) Handle(r *http.Request, header http.Header) (status int) {
	p := h.policy.Load()
	if p == nil {
		p = closed
	}
	var f Facts
	readFacts(r, &f)
	var d Decision
	p.decide(&f, &d)
	d.Apply(header)
	return d.Status
}

// Apply sets the decision's headers on h and appends its Vary token.
//
// Whoever gets h next (the handler, or middleware outside corskit, also
// when corskit answers the request itself) may modify the values it finds
// there, so Apply copies every value into one backing array of this
// request's own: nothing outside this request can ever see the change. That
// array is carved from a pooled slab that serves many requests, each its
// own slots (see perRequest), so Apply allocates once per few dozen
// requests rather than once per request.
//
// If h already has Access-Control-Allow-Origin, another CORS layer has
// answered, and Apply sets no second set of CORS headers.
func (d *Decision) Apply(h http.Header) {
	var slots []slot
	var oldVary []string
	vary := d.Vary != ""
	if len(h) == 0 {
		// The common case, nothing set before corskit: no header to look
		// for.
		if d.grants != nil {
			slots = d.grants.slots
		}
	} else {
		if d.grants != nil && len(h[headerAllowOrigin]) == 0 {
			slots = d.grants.slots
		}
		if vary {
			oldVary = h[headerVary]
			vary = !listsToken(oldVary, d.Vary)
		}
	}
	n := 0
	for i := range slots {
		n += len(d.values(&slots[i]))
	}
	if vary {
		n += len(oldVary) + 1
	}
	if n == 0 {
		return
	}
	buf := perRequest(n)
	for i := range slots {
		k := copy(buf, d.values(&slots[i]))
		h[slots[i].name] = buf[:k:k]
		buf = buf[k:]
	}
	if vary {
		k := copy(buf, oldVary)
		buf[k] = d.Vary
		h[headerVary] = buf[: k+1 : k+1]
	}
}

// slabLen is the number of value slots in one slab: as many as fit one
// 4 KB allocation with the runtime's header, so that a slab serves dozens
// of requests (see results/2026-12-02-fastpaths.txt in conformance/bench
// for what the slab saves).
const slabLen = 255

// A slab is a run of value slots not yet handed out.
type slab struct{ free []string }

var slabs = sync.Pool{New: func() any { return new(slab) }}

// perRequest returns n value slots that no other request ever gets: each
// call takes the next n slots of a slab, and a slot is never handed out
// twice, so what one handler writes into its header values stays with its
// own response. The capacity is n, so an append by the handler copies
// rather than growing into a neighbour's slots. Slabs are taken from a
// sync.Pool (per P, no lock) and replaced when used up; the garbage
// collector frees one when no response holds a slot of it any longer. A
// handler that keeps a header slice for good keeps its 4 KB slab alive.
func perRequest(n int) []string {
	if n > slabLen/8 {
		return make([]string, n)
	}
	s := slabs.Get().(*slab)
	if len(s.free) < n {
		s.free = make([]string, slabLen)
	}
	buf := s.free[:n:n]
	s.free = s.free[n:]
	slabs.Put(s)
	return buf
}

// A HeaderWriter is a response header that is not an http.Header, such as
// fasthttp's. See [Decision.Write].
type HeaderWriter interface {
	// Values returns every name header line of the response, nil if there
	// is none. Write reads the result before its next call to the
	// HeaderWriter and keeps nothing of it, so an implementation may return
	// strings aliasing its own buffers and reuse one slice.
	Values(name string) []string
	// Set replaces every name header line with one line of value, copying
	// what it keeps. name is in canonical form, so an implementation may
	// skip normalising it.
	Set(name, value string)
	// Add adds a name header line with value, copying what it keeps.
	Add(name, value string)
}

// Write is [Decision.Apply] for frameworks whose response header is not an
// http.Header. It sets one line per value: the first with Set, the others
// (several Access-Control-Request-Headers lines echoed) with Add.
func (d *Decision) Write(w HeaderWriter) {
	if d.grants != nil && len(w.Values(headerAllowOrigin)) == 0 {
		for i := range d.grants.slots {
			s := &d.grants.slots[i]
			for j, v := range d.values(s) {
				if j == 0 {
					w.Set(s.name, v)
				} else {
					w.Add(s.name, v)
				}
			}
		}
	}
	if d.Vary != "" && !listsToken(w.Values(headerVary), d.Vary) {
		w.Add(headerVary, d.Vary)
	}
}

// listsToken reports whether some comma-separated header line lists token,
// compared case-insensitively. A Vary of "*" lists every token.
func listsToken(lines []string, token string) bool {
	for _, line := range lines {
		for line != "" {
			var elem string
			if i := strings.IndexByte(line, ','); i >= 0 {
				elem, line = line[:i], line[i+1:]
			} else {
				elem, line = line, ""
			}
			elem = strings.Trim(elem, " \t")
			if elem == "*" || strings.EqualFold(elem, token) {
				return true
			}
		}
	}
	return false
}
