package corsbench

import (
	"fmt"
	"strings"
)

// A Request is what a scenario sends: one line per header, in order, so
// that duplicates could be expressed.
type Request struct {
	Method string
	Path   string
	Header [][2]string
}

// Get returns the first value of the header name, or "".
func (r Request) Get(name string) string {
	for _, h := range r.Header {
		if strings.EqualFold(h[0], name) {
			return h[1]
		}
	}
	return ""
}

// Outcome is what a browser makes of a response.
type Outcome uint8

const (
	NotCORS Outcome = iota // no Origin: the handler answers, no CORS headers
	Allowed                // the browser lets the page read the response, or sends the actual request
	Denied                 // the browser hides the response, or fails the preflight
	Either                 // no browser sends this; refusing or granting nothing more is fine
)

var outcomeNames = [...]string{"not CORS", "allowed", "denied", "either"}

func (o Outcome) String() string { return outcomeNames[o] }

// A Scenario is one request against one policy, with the outcome every
// candidate must produce.
type Scenario struct {
	Name    string // "S2", "S6-commas10000": no slash, so that it is one benchmark name element
	About   string
	Policy  Policy
	Request Request
	Want    Outcome
}

const (
	allowedOrigin = "https://app.example.org"
	deniedOrigin  = "https://evil.example.org"
	path          = "/api/items"
)

// browserHeaders are the other header lines a browser sends with a fetch,
// so that header lookups cost what they cost in production: with more than
// eight lines, Go's map is a hashed table, not a short list.
var browserHeaders = [][2]string{
	{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
	{"Accept", "*/*"},
	{"Accept-Language", "en-GB,en;q=0.9"},
	{"Accept-Encoding", "gzip, deflate, br, zstd"},
	{"Referer", "https://app.example.org/"},
	{"Sec-Fetch-Mode", "cors"},
	{"Sec-Fetch-Site", "cross-site"},
	{"Sec-Fetch-Dest", "empty"},
	{"Connection", "keep-alive"},
}

func actual(origin string) Request {
	r := Request{Method: "GET", Path: path}
	if origin != "" {
		r.Header = append(r.Header, [2]string{"Origin", origin})
	}
	r.Header = append(r.Header, browserHeaders...)
	return r
}

func preflight(origin, method, headers string) Request {
	h := [][2]string{
		{"Origin", origin},
		{"Access-Control-Request-Method", method},
		{"Access-Control-Request-Headers", headers},
	}
	return Request{Method: "OPTIONS", Path: path, Header: append(h, browserHeaders...)}
}

// commas returns a comma bomb of n bytes.
func commas(n int) string { return strings.Repeat(",", n) }

// names returns n distinct header names, none of them allowed, joined as a
// browser would join them.
func names(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("x-custom-%d", i)
	}
	return strings.Join(s, ",")
}

// Scenarios returns every scenario, in table order.
func Scenarios() []Scenario {
	s := []Scenario{
		{"S1", "no Origin (not CORS)", Base, actual(""), NotCORS},
		{"S2", "allowed actual GET", Base, actual(allowedOrigin), Allowed},
		{"S3", "disallowed actual GET", Base, actual(deniedOrigin), Denied},
		{"S4", "allowed preflight (PUT, authorization,content-type)", Base, preflight(allowedOrigin, "PUT", "authorization,content-type"), Allowed},
		{"S5", "preflight with a header not allowed", Base, preflight(allowedOrigin, "PUT", "authorization,x-not-allowed"), Denied},
		{"S6-commas10000", "preflight, Access-Control-Request-Headers of 10,000 commas", Base, preflight(allowedOrigin, "PUT", commas(10_000)), Either},
		{"S6-names1000", "preflight, 1,000 distinct header names, none allowed", Base, preflight(allowedOrigin, "PUT", names(1000)), Denied},
		{"S6-1KB", "preflight, comma bomb of 1 KB", Base, preflight(allowedOrigin, "PUT", commas(1<<10)), Either},
		{"S6-100KB", "preflight, comma bomb of 100 KB", Base, preflight(allowedOrigin, "PUT", commas(100<<10)), Either},
	}
	for _, n := range []int{1, 1000, 10_000} {
		p := WithOrigins(n)
		s = append(s, Scenario{
			fmt.Sprintf("S7-origins%d", n),
			fmt.Sprintf("allowed actual GET from the last of %d exact origins", n),
			p, actual(p.Origins[len(p.Origins)-1]), Allowed,
		})
	}
	for _, n := range []int{1, 10, 100} {
		p := Base
		p.Paths = n
		s = append(s, Scenario{
			fmt.Sprintf("S8-paths%d", n),
			fmt.Sprintf("allowed actual GET under the last of %d path policies (corskit only; the others get the one policy)", n),
			p, actual(allowedOrigin), Allowed,
		})
	}
	csrf := Base
	csrf.CSRF = true
	post := actual(allowedOrigin)
	post.Method = "POST"
	post.Header = append(post.Header, [2]string{"Content-Type", "application/x-www-form-urlencoded"}, [2]string{"Cookie", "session=0123456789abcdef"})
	s = append(s, Scenario{
		"S9-csrf", "allowed credentialed form POST (Sec-Fetch-Site: cross-site), with cross-origin write protection (corskit's CrossOriginProtection; rs-cors+csrf: net/http's)",
		csrf, post, Allowed,
	})
	return s
}

// ScenarioNamed returns the scenario called name.
func ScenarioNamed(name string) (Scenario, bool) {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}
