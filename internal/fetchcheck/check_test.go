package fetchcheck

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const page = "http://localhost:1111"

// seen records the requests a test server got, as "METHOD path Origin=…".
type seen struct {
	mu   sync.Mutex
	list []string
	reqs []*http.Request
}

func (s *seen) wrap(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.list = append(s.list, fmt.Sprintf("%s %s Origin=%s", r.Method, r.URL.Path, r.Header.Get("Origin")))
		s.reqs = append(s.reqs, r)
		s.mu.Unlock()
		h(w, r)
	})
}

// permissive grants every preflight and CORS request, echoing what was
// asked for, with max-age seconds.
func permissive(maxAge string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if o := r.Header.Get("Origin"); o != "" {
			h.Set("Access-Control-Allow-Origin", o)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Vary", "Origin")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
			if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" {
				h.Set("Access-Control-Allow-Headers", rh)
			}
			if maxAge != "" {
				h.Set("Access-Control-Max-Age", maxAge)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next(w, r)
	}
}

func check(t *testing.T, req Request, opts Options) *Report {
	t.Helper()
	rep, err := Check(context.Background(), req, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestRedirectPreflightsAgain: after a redirect to another URL, a request
// that still needs a preflight gets one for the new URL, unless the
// browser has it cached.
func TestRedirectPreflightsAgain(t *testing.T) {
	var s seen
	srv := httptest.NewServer(s.wrap(permissive("600", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/new":
			w.WriteHeader(http.StatusOK)
		}
	})))
	defer srv.Close()
	rep := check(t, Request{URL: srv.URL + "/old", Origin: page, Headers: []Header{{"X-Custom", "1"}}}, Options{})
	want := []string{
		"OPTIONS /old Origin=" + page, "GET /old Origin=" + page,
		"OPTIONS /new Origin=" + page, "GET /new Origin=" + page,
	}
	if rep.Verdict != Allowed || !slices.Equal(s.list, want) {
		t.Errorf("verdict %s (%s); the server saw %q, want %q", rep.Verdict, rep.Message, s.list, want)
	}
}

// TestPreflightCache: a redirect back to a URL preflighted with a positive
// max-age uses the cached preflight; with max-age 0 it preflights again.
// A loop between two URLs: each is preflighted once with a positive
// max-age, every time with max-age 0.
func TestPreflightCache(t *testing.T) {
	for _, tc := range []struct {
		maxAge     string
		preflights int
	}{{"600", 2}, {"0", 4}} {
		var s seen
		var hops atomic.Int32
		srv := httptest.NewServer(s.wrap(permissive(tc.maxAge, func(w http.ResponseWriter, r *http.Request) {
			n := hops.Load()
			if r.Method == "PUT" {
				n = hops.Add(1)
			}
			if n >= 4 {
				w.WriteHeader(http.StatusOK)
				return
			}
			next := map[string]string{"/a": "/b", "/b": "/a"}[r.URL.Path]
			http.Redirect(w, r, next, http.StatusTemporaryRedirect)
		})))
		rep := check(t, Request{URL: srv.URL + "/a", Origin: page, Method: "PUT"}, Options{})
		srv.Close()
		n := 0
		for _, x := range s.list {
			if strings.HasPrefix(x, "OPTIONS") {
				n++
			}
		}
		if rep.Verdict != Allowed || n != tc.preflights {
			t.Errorf("max-age %s: verdict %s, %d preflights, want allowed and %d: %q", tc.maxAge, rep.Verdict, n, tc.preflights, s.list)
		}
	}
}

// TestRedirectMethodChange: 301 and 302 turn POST into GET, 303 anything
// but GET and HEAD; the body headers go, and with them the need for a
// preflight.
func TestRedirectMethodChange(t *testing.T) {
	for _, tc := range []struct {
		status       int
		method       string
		wantFollowed string
	}{
		{301, "POST", "GET"}, {302, "POST", "GET"}, {303, "POST", "GET"}, {303, "PUT", "GET"},
		{307, "POST", "POST"}, {308, "PUT", "PUT"}, {301, "PUT", "PUT"}, {303, "HEAD", "HEAD"},
	} {
		var s seen
		srv := httptest.NewServer(s.wrap(permissive("", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/from" {
				http.Redirect(w, r, "/to", tc.status)
				return
			}
			if r.Header.Get("Content-Type") != "" && r.Method == "GET" {
				t.Errorf("%d %s: GET /to carried Content-Type", tc.status, tc.method)
			}
		})))
		body := "{}"
		if tc.method == "HEAD" {
			body = ""
		}
		rep := check(t, Request{URL: srv.URL + "/from", Origin: page, Method: tc.method, Body: body, Headers: []Header{{"Content-Type", "application/json"}}}, Options{})
		srv.Close()
		last := s.reqs[len(s.reqs)-1]
		if rep.Verdict != Allowed || last.Method != tc.wantFollowed || last.URL.Path != "/to" {
			t.Errorf("%d %s: verdict %s, last request %s %s, want %s /to", tc.status, tc.method, rep.Verdict, last.Method, last.URL.Path, tc.wantFollowed)
		}
		if tc.wantFollowed == "GET" && slices.Contains(s.list, "OPTIONS /to Origin="+page) {
			t.Errorf("%d %s: the GET without Content-Type was preflighted: %q", tc.status, tc.method, s.list)
		}
	}
}

// TestRedirectAcrossOrigins: a redirect to another origin on the same host
// drops Authorization and makes the Origin null.
func TestRedirectAcrossOrigins(t *testing.T) {
	var s seen
	target := httptest.NewServer(s.wrap(permissive("", func(w http.ResponseWriter, r *http.Request) {})))
	defer target.Close()
	first := httptest.NewServer(s.wrap(permissive("", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/to", http.StatusFound)
	})))
	defer first.Close()
	rep := check(t, Request{URL: first.URL + "/from", Origin: page, Headers: []Header{{"Authorization", "Bearer x"}, {"X-Custom", "1"}}}, Options{})
	if rep.Verdict != Allowed {
		t.Fatalf("verdict %s: %s", rep.Verdict, rep.Message)
	}
	want := []string{
		"OPTIONS /from Origin=" + page, "GET /from Origin=" + page,
		"OPTIONS /to Origin=null", "GET /to Origin=null",
	}
	if !slices.Equal(s.list, want) {
		t.Errorf("the servers saw %q, want %q", s.list, want)
	}
	last := s.reqs[len(s.reqs)-1]
	if last.Header.Get("Authorization") != "" || last.Header.Get("X-Custom") != "1" {
		t.Errorf("after the redirect: Authorization %q, X-Custom %q; want none and 1", last.Header.Get("Authorization"), last.Header.Get("X-Custom"))
	}
	if got := s.reqs[2].Header.Get("Access-Control-Request-Headers"); got != "x-custom" {
		t.Errorf("the second preflight asked for %q, want x-custom", got)
	}
	if !slices.ContainsFunc(rep.Warnings, func(w Warning) bool { return w.Code == WarnOriginTainted }) {
		t.Errorf("no warning about the null origin: %v", rep.Warnings)
	}
}

// TestSameOriginThenCrossOrigin: a same-origin request (no CORS) that a
// redirect sends to another origin on the same host becomes a CORS
// request, with a preflight if it needs one, and the page's own Origin
// (not null).
func TestSameOriginThenCrossOrigin(t *testing.T) {
	var s seen
	target := httptest.NewServer(s.wrap(permissive("", func(w http.ResponseWriter, r *http.Request) {})))
	defer target.Close()
	self := httptest.NewServer(s.wrap(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/to", http.StatusTemporaryRedirect)
	}))
	defer self.Close()
	rep := check(t, Request{URL: self.URL + "/from", Origin: self.URL, Method: "PUT"}, Options{})
	want := []string{"PUT /from Origin=" + self.URL, "OPTIONS /to Origin=" + self.URL, "PUT /to Origin=" + self.URL}
	if rep.Verdict != Allowed || !rep.SameOrigin || !slices.Equal(s.list, want) {
		t.Errorf("verdict %s, same origin %v; the servers saw %q, want %q", rep.Verdict, rep.SameOrigin, s.list, want)
	}
}

func TestBadRedirects(t *testing.T) {
	for _, tc := range []struct {
		location string
		reason   Reason
	}{
		{"ftp://127.0.0.1/x", ReasonBadRedirect},
		{"javascript:alert(1)", ReasonBadRedirect},
		{"http://user:pw@127.0.0.1/x", ReasonRedirectCredentials},
		{"http://[::1", ReasonBadRedirect},
	} {
		srv := httptest.NewServer(permissive("", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", tc.location)
			w.WriteHeader(http.StatusFound)
		}))
		rep := check(t, Request{URL: srv.URL + "/", Origin: page}, Options{})
		srv.Close()
		if rep.Verdict != Refused || rep.Reason != tc.reason {
			t.Errorf("Location %q: %s (%s), want refused (%s): %s", tc.location, rep.Verdict, rep.Reason, tc.reason, rep.Message)
		}
	}
}

// TestPreflightSendsNoCredentials: the preflight carries no cookie, no
// Authorization and none of the page's headers; the request carries them.
func TestPreflightSendsNoCredentials(t *testing.T) {
	var s seen
	srv := httptest.NewServer(s.wrap(permissive("", func(w http.ResponseWriter, r *http.Request) {})))
	defer srv.Close()
	rep := check(t, Request{URL: srv.URL + "/", Origin: page, Method: "DELETE", Credentials: true, Cookie: "session=1",
		Headers: []Header{{"Authorization", "Bearer x"}, {"X-B", "1"}, {"x-a", "2"}, {"X-B", "3"}}}, Options{})
	if rep.Verdict != Allowed || len(s.reqs) != 2 {
		t.Fatalf("verdict %s; the server saw %q", rep.Verdict, s.list)
	}
	pre, req := s.reqs[0].Header, s.reqs[1].Header
	for _, name := range []string{"Cookie", "Authorization", "X-B", "X-A"} {
		if pre.Get(name) != "" {
			t.Errorf("the preflight carried %s", name)
		}
	}
	if got := pre.Get("Access-Control-Request-Headers"); got != "authorization,x-a,x-b" {
		t.Errorf("Access-Control-Request-Headers %q, want authorization,x-a,x-b", got)
	}
	if pre.Get("Access-Control-Request-Method") != "DELETE" || pre.Get("Accept") != "*/*" {
		t.Errorf("preflight headers %v", pre)
	}
	if req.Get("Cookie") != "session=1" || req.Get("Authorization") != "Bearer x" || req.Get("X-B") != "1, 3" {
		t.Errorf("request headers %v", req)
	}
}

func TestPreflightParsing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		methods string
		headers string
		maxAge  string
		req     Request
		reason  Reason
		warning string
	}{
		{name: "malformed methods", methods: "PUT; DELETE", req: Request{Method: "PUT"}, reason: ReasonMalformedAllowMethods},
		{name: "malformed headers", methods: "PUT", headers: "x-a x-b", req: Request{Method: "PUT"}, reason: ReasonMalformedAllowHeaders},
		{name: "methods over lines", methods: "GET, ,PUT", req: Request{Method: "PUT"}},
		{name: "headers in any case", headers: "X-CUSTOM", req: Request{Headers: []Header{{"x-custom", "1"}}}},
		{name: "no Allow-Methods", req: Request{Method: "PUT"}, reason: ReasonMethodNotAllowed},
		{name: "safelisted method needs no listing", headers: "x-a", methods: "PUT", req: Request{Method: "POST", Headers: []Header{{"X-A", "1"}}}},
		{name: "* method with credentials", methods: "*", req: Request{Method: "PUT", Credentials: true}, reason: ReasonWildcardMethodWithCredentials},
		{name: "Authorization listed with *", headers: "*, Authorization", req: Request{Headers: []Header{{"Authorization", "x"}, {"X-A", "1"}}}},
		{name: "Authorization not listed", headers: "x-a", req: Request{Headers: []Header{{"Authorization", "x"}, {"X-A", "1"}}}, reason: ReasonHeaderNotAllowed},
		{name: "max-age not a number", methods: "PUT", maxAge: "ten", req: Request{Method: "PUT"}, warning: WarnMaxAgeInvalid},
		{name: "max-age negative", methods: "PUT", maxAge: "-1", req: Request{Method: "PUT"}, warning: WarnMaxAgeInvalid},
		{name: "max-age for Safari too long", methods: "PUT", maxAge: "601", req: Request{Method: "PUT"}, warning: WarnMaxAgeCapped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h := w.Header()
				h.Set("Access-Control-Allow-Origin", page)
				h.Set("Access-Control-Allow-Credentials", "true")
				if r.Method == http.MethodOptions {
					for _, l := range strings.Split(tc.methods, ",,") {
						if l != "" {
							h.Add("Access-Control-Allow-Methods", l)
						}
					}
					if tc.headers != "" {
						h.Set("Access-Control-Allow-Headers", tc.headers)
					}
					if tc.maxAge != "" {
						h.Set("Access-Control-Max-Age", tc.maxAge)
					}
				}
			}))
			defer srv.Close()
			req := tc.req
			req.URL, req.Origin = srv.URL, page
			rep := check(t, req, Options{})
			want := Allowed
			if tc.reason != "" {
				want = Refused
			}
			if rep.Verdict != want || rep.Reason != tc.reason {
				t.Errorf("verdict %s (%s), want %s (%s): %s", rep.Verdict, rep.Reason, want, tc.reason, rep.Message)
			}
			if tc.warning != "" && !slices.ContainsFunc(rep.Warnings, func(w Warning) bool { return w.Code == tc.warning }) {
				t.Errorf("no %s warning: %v", tc.warning, rep.Warnings)
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	req, err := Prepare(Request{URL: "https://api.example.com/x#frag", Origin: page, Method: "post", Body: "hi",
		Headers: []Header{{"X-A", " 1 "}, {"x-a", "2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if req.URL != "https://api.example.com/x" || req.Method != "POST" {
		t.Errorf("URL %q, method %q", req.URL, req.Method)
	}
	want := []Header{{"X-A", "1, 2"}, {"Content-Type", "text/plain;charset=UTF-8"}}
	if !slices.Equal(req.Headers, want) {
		t.Errorf("headers %q, want %q", req.Headers, want)
	}
	for _, bad := range []Request{
		{URL: "https://api.example.com/", Origin: page, Method: "GET /x"},
		{URL: "https://api.example.com/", Origin: page, Headers: []Header{{"X A", "1"}}},
		{URL: "https://api.example.com/", Origin: page, Headers: []Header{{"X-A", "1\r\nX-B: 2"}}},
		{URL: "https://api.example.com/", Origin: page, Expose: []string{"a b"}},
		{URL: "file:///etc/passwd", Origin: page},
		{URL: "https:///x", Origin: page},
	} {
		if _, err := Prepare(bad); err == nil {
			t.Errorf("Prepare(%+v) accepted it", bad)
		}
	}
}
