package core

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Apply's per-request slots come from shared slabs: no two responses, even
// on different goroutines, may ever get the same slot (rs/cors#198), also
// when corskit answers itself (preflights, rejections): middleware outside
// corskit sees those headers.
func TestApply_slotsNeverShared(t *testing.T) {
	t.Parallel()
	rejecting := allowList
	rejecting.RejectDisallowed = true
	policies := []*Policy{MustCompile(allowList), MustCompile(rejecting), MustCompile(Config{Origins: []string{"*"}, Methods: []string{"PUT"}, MaxAge: time.Minute})}
	facts := []Facts{
		get("https://web.example.com"), get("https://evil.example"), {Method: "GET"},
		preflight("https://web.example.com", "PUT", "content-type"), preflight("https://evil.example", "PUT"),
	}
	var mu sync.Mutex
	seen := map[*string]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []*string
			for i := 0; i < 2000; i++ {
				h := http.Header{}
				p := policies[i%len(policies)]
				d := p.Decide(facts[i/len(policies)%len(facts)])
				d.Apply(h)
				for _, v := range h {
					for j := range v {
						mine = append(mine, &v[j])
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for _, s := range mine {
				if seen[s] {
					t.Errorf("a value slot was handed to two responses")
					return
				}
				seen[s] = true
			}
		}()
	}
	wg.Wait()
}

// A handler's append to a header it got from Apply must not grow into the
// next response's slots.
func TestApply_appendStaysOwn(t *testing.T) {
	t.Parallel()
	p := MustCompile(allowList)
	d := p.Decide(Facts{Method: "GET"})
	h1, h2 := http.Header{}, http.Header{}
	d.Apply(h1)
	d.Apply(h2)
	h1["Vary"] = append(h1["Vary"], "Accept-Encoding")
	if got := h2["Vary"]; len(got) != 1 || got[0] != "Origin" {
		t.Errorf("second response's Vary = %q after the first handler appended", got)
	}
}

// The token table agrees with RFC 9110's definition on every byte.
func TestTokenChars(t *testing.T) {
	t.Parallel()
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
			b != 0 && strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0
		if got := isTokenChar(b); got != want {
			t.Errorf("isTokenChar(%q) = %v, want %v", b, got, want)
		}
	}
}

// parseWebOrigin accepts only what parseOrigin accepts, with the same parts.
func FuzzParseWebOrigin(f *testing.F) {
	for _, s := range []string{
		"https://app.example.com", "http://localhost:3000", "https://a.b.example.com:8443",
		"http://127.0.0.1:8080", "https://example.com:443", "http://x:0", "http://x:65536",
		"https://.example.com", "https://example..com", "https://example.com.", "https://EXAMPLE.com",
		"https://example.com/", "https://user@example.com", "http://[::1]:3000", "https://ex_ample.com",
		"https://", "http://:80", "https://a:", "https://a:1:2", "capacitor://localhost",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := parseWebOrigin(s)
		if !ok {
			return
		}
		slow, fl := parseOrigin(s)
		if fl.err != nil {
			t.Fatalf("parseWebOrigin(%q) accepted what parseOrigin refuses: %v %s", s, fl.err, fl.detail)
		}
		if fast != slow {
			t.Fatalf("parseWebOrigin(%q) = %+v, parseOrigin = %+v", s, fast, slow)
		}
	})
}

// With few patterns, match compares suffixes instead of looking up each
// dot's suffix in a map; both must agree on every origin.
func FuzzMatchFewPatterns(f *testing.F) {
	for _, s := range []string{
		"https://a.example.com", "https://example.com", "https://a.b.example.com:8443", "https://a.example.com:8443",
		"http://a.example.com", "https://a.example.org:9000", "https://example.org:9000", "https://x.tenant.example.net",
		"https://tenant.example.net", "https://aexample.com", "https://a.example.com.evil", "http://localhost:3000",
	} {
		f.Add(s)
	}
	cfg := Config{Origins: []string{
		"https://*.example.com", "https://*.example.com:8443", "https://*.example.org:*",
		"https://*.tenant.example.net", "http://*.example.com", "http://localhost:*",
	}}
	p := MustCompile(cfg)
	if p.origins.few == nil {
		f.Fatal("the policy should list its few patterns")
	}
	maps := p.origins
	maps.few = nil
	f.Fuzz(func(t *testing.T, v string) {
		ok1, bad1 := p.origins.match(v)
		ok2, bad2 := maps.match(v)
		if ok1 != ok2 || bad1 != bad2 {
			t.Fatalf("match(%q): with lists %v %v, with maps %v %v", v, ok1, bad1, ok2, bad2)
		}
	})
}

// requestFor builds the *http.Request that FactsFrom reads as f.
func requestFor(f Facts) *http.Request {
	r := &http.Request{Method: f.Method, Host: f.Host, URL: &url.URL{Path: f.Path}, Header: http.Header{}}
	if f.Scheme == "https" {
		r.TLS = &tls.ConnectionState{}
	}
	for name, lines := range map[string][]string{
		"Origin":                                 f.Origin,
		"Access-Control-Request-Method":          f.RequestMethod,
		"Access-Control-Request-Headers":         f.RequestHeaders,
		"Access-Control-Request-Private-Network": f.PrivateNetwork,
	} {
		if lines != nil {
			r.Header[name] = lines
		}
	}
	return r
}

// Holder.Handle is Decide and Apply in one call: on every row of the
// decide table it sets the same headers and returns the same status.
func TestHandle(t *testing.T) {
	t.Parallel()
	for _, c := range decideCases {
		if c.facts.Method != "OPTIONS" && (c.facts.RequestMethod != nil || c.facts.RequestHeaders != nil || c.facts.PrivateNetwork != nil) {
			continue // FactsFrom reads these only on OPTIONS
		}
		t.Run(c.name, func(t *testing.T) {
			h := mustHolder(t, c.cfg)
			want := http.Header{"Vary": {"Accept-Encoding"}}
			d := h.Decide(c.facts)
			d.Apply(want)
			got := http.Header{"Vary": {"Accept-Encoding"}}
			status := h.Handle(requestFor(c.facts), got)
			if status != d.Status || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Handle: status %d, headers %v\nDecide and Apply: status %d, headers %v", status, got, d.Status, want)
			}
		})
	}
}

// A preflight answered at once shares the compiled values: Handle
// allocates nothing, even under the race detector, which empties pools.
func TestHandle_preflightAllocs(t *testing.T) {
	h := mustHolder(t, allowList)
	r := requestFor(preflight("https://web.example.com", "PUT", "content-type"))
	header := http.Header{}
	if n := testing.AllocsPerRun(100, func() {
		clear(header)
		h.Handle(r, header)
	}); n != 0 {
		t.Errorf("Handle allocs = %v on an allowed preflight, want 0", n)
	}
}

func mustHolder(t *testing.T, cfg Config) *Holder {
	t.Helper()
	h, err := NewHolder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
