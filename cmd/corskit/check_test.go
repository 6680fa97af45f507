package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/internal/fetchcheck"
	corshttp "github.com/corskit/corskit/nethttp"
)

// The page's origin in every test: a loopback origin no test server has.
const page = "http://localhost:1111"

// api is a small API without CORS: GET /posts, POST /form (a 302 to
// /posts) and PUT /posts/1.
func api() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /posts", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Total-Count", "2")
		io.WriteString(w, `[{"id":1},{"id":2}]`)
	})
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/posts", http.StatusFound)
	})
	mux.HandleFunc("PUT /posts/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":1}`)
	})
	return mux
}

// corskitServer is api behind corskit's net/http adapter.
func corskitServer(t *testing.T, cfg core.Config) http.Handler {
	t.Helper()
	cors, err := corshttp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cors(api())
}

// handCORS is api behind hand-written CORS handling: set sets the CORS
// headers of every response; preflight answers every OPTIONS.
func handCORS(set func(h http.Header, origin string), preflight http.HandlerFunc) http.Handler {
	mux := api()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && preflight != nil {
			preflight(w, r)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && set != nil {
			set(w.Header(), o)
		}
		mux.ServeHTTP(w, r)
	})
}

// checkCase is one run of corskit check against a server.
type checkCase struct {
	name    string
	server  func(t *testing.T) http.Handler
	path    string   // appended to the server's URL
	args    []string // after the URL
	exit    int
	verdict fetchcheck.Verdict
	reason  fetchcheck.Reason
	// fix lists header lines that must be in the report's fix.
	fix []string
	// warnings lists warning codes that must be reported, and noWarnings
	// those that must not.
	warnings, noWarnings []string
	// text lists strings the text output must contain (the real cause,
	// said in words).
	text []string
	// preflights is how many preflights the server must have seen (-1: any).
	preflights int
}

var checkCases = []checkCase{
	// A correct server: corskit's net/http adapter.
	{
		name: "corskit: simple GET with credentials allowed",
		server: func(t *testing.T) http.Handler {
			return corskitServer(t, core.Config{Origins: []string{page}, Credentials: true, ExposeHeaders: []string{"X-Total-Count"}})
		},
		path: "/posts", args: []string{"--origin", page, "--credentials", "--expose", "X-Total-Count"},
		exit: 0, verdict: fetchcheck.Allowed,
		noWarnings: []string{fetchcheck.WarnNoVary, fetchcheck.WarnNotExposed},
		text:       []string{"verdict: allowed", "the page can read: Content-Length, Content-Type, X-Total-Count"},
	},
	{
		name: "corskit: preflighted PUT allowed",
		server: func(t *testing.T) http.Handler {
			return corskitServer(t, core.Config{Origins: []string{page}, Credentials: true, Methods: []string{"PUT"}, Headers: []string{"Content-Type"}, MaxAge: 10 * time.Minute})
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "put", "-H", "Content-Type: application/json", "--credentials", "-d", `{"title":"x"}`},
		exit: 0, verdict: fetchcheck.Allowed, preflights: 1,
		noWarnings: []string{fetchcheck.WarnMaxAgeCapped},
		text: []string{"A preflight is needed: PUT is not a CORS-safelisted method",
			"Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type",
			"the preflight passes", "Chromium caches it for 600 s"},
	},
	{
		name: "corskit: foreign origin refused, no Allow-Origin",
		server: func(t *testing.T) http.Handler {
			return corskitServer(t, core.Config{Origins: []string{"https://app.example.com"}})
		},
		path: "/posts", args: []string{"--origin", page},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonNoAllowOrigin,
		fix:  []string{"Access-Control-Allow-Origin: " + page, "Vary: Origin"},
		text: []string{"has no Access-Control-Allow-Origin"},
	},
	{
		name: "corskit: preflight for a header not allowed refused with 403",
		server: func(t *testing.T) http.Handler {
			return corskitServer(t, core.Config{Origins: []string{page}, Methods: []string{"PUT"}, Headers: []string{"Content-Type"}})
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "PUT", "-H", "Content-Type: application/json", "-H", "X-Api-Key: k"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonPreflightStatus, preflights: 1,
		fix:  []string{"Access-Control-Allow-Headers: content-type, x-api-key"},
		text: []string{"answered 403 Forbidden", "with headers content-type, x-api-key"},
	},
	{
		name: "corskit: Headers * covers Authorization with credentials",
		server: func(t *testing.T) http.Handler {
			return corskitServer(t, core.Config{Origins: []string{page}, Credentials: true, Headers: []string{"*"}})
		},
		path: "/posts", args: []string{"--origin", page, "-H", "Authorization: Bearer t", "--credentials"},
		exit: 0, verdict: fetchcheck.Allowed, preflights: 1,
		text: []string{"Access-Control-Request-Headers: authorization", "Access-Control-Allow-Headers: authorization"},
	},

	// Deliberately wrong servers, each refused (or warned) for its real
	// cause.
	{
		name: "no Vary: Origin on an echoed origin",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) {
				if origin == page || origin == "https://app.example.com" {
					h.Set("Access-Control-Allow-Origin", origin)
				}
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page},
		exit: 0, verdict: fetchcheck.Allowed,
		warnings: []string{fetchcheck.WarnNoVary}, noWarnings: []string{fetchcheck.WarnReflectsAnyOrigin},
		text: []string{"probe (not sent by browsers)", "Origin: https://corskit-check.invalid",
			"the CORS headers depend on Origin", "Vary: Origin"},
	},
	{
		name: "a fixed Allow-Origin needs no Vary",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, _ string) { h.Set("Access-Control-Allow-Origin", page) }, nil)
		},
		path: "/posts", args: []string{"--origin", page},
		exit: 0, verdict: fetchcheck.Allowed, noWarnings: []string{fetchcheck.WarnNoVary},
		text: []string{"they do not depend on Origin, so no Vary: Origin is needed"},
	},
	{
		name: "no Vary, not probed with --no-probe",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) { h.Set("Access-Control-Allow-Origin", origin) }, nil)
		},
		path: "/posts", args: []string{"--origin", page, "--no-probe"},
		exit: 0, verdict: fetchcheck.Allowed, warnings: []string{fetchcheck.WarnNoVary},
		text: []string{"probing turned off"},
	},
	{
		name: "reflecting any origin with credentials",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Allow-Credentials", "true")
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page, "--credentials"},
		exit: 0, verdict: fetchcheck.Allowed,
		warnings: []string{fetchcheck.WarnNoVary, fetchcheck.WarnReflectsAnyOrigin},
		text:     []string{"every site on the web can read its responses, with the user's cookies"},
	},
	{
		name: "* with credentials",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, _ string) {
				h.Set("Access-Control-Allow-Origin", "*")
				h.Set("Access-Control-Allow-Credentials", "true")
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page, "--credentials"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonWildcardOriginWithCredentials,
		fix:  []string{"Access-Control-Allow-Origin: " + page, "Access-Control-Allow-Credentials: true", "Vary: Origin"},
		text: []string{"Access-Control-Allow-Origin: *, which browsers never accept on a request with credentials"},
	},
	{
		name: "the same * without credentials is allowed",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, _ string) { h.Set("Access-Control-Allow-Origin", "*") }, nil)
		},
		path: "/posts", args: []string{"--origin", page},
		exit: 0, verdict: fetchcheck.Allowed, noWarnings: []string{fetchcheck.WarnNoVary},
		warnings: []string{fetchcheck.WarnNotExposed},
	},
	{
		name: "redirected preflight",
		server: func(*testing.T) http.Handler {
			return handCORS(nil, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			})
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "PUT"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonPreflightRedirected, preflights: 1,
		fix:  []string{"Access-Control-Allow-Origin: " + page, "Access-Control-Allow-Methods: PUT"},
		text: []string{"answered 301 Moved Permanently to /posts/1/", "browsers never follow a redirect of a preflight"},
	},
	{
		name: "2xx preflight without grant headers",
		server: func(*testing.T) http.Handler {
			return handCORS(nil, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Allow", "GET, PUT, OPTIONS")
				w.WriteHeader(http.StatusNoContent)
			})
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "PUT", "-H", "Content-Type: application/json"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonNoAllowOrigin, preflights: 1,
		fix: []string{"Access-Control-Allow-Origin: " + page, "Access-Control-Allow-Methods: PUT", "Access-Control-Allow-Headers: content-type"},
		text: []string{"the preflight response (204 No Content) has no Access-Control-Allow-Origin",
			"framework's own OPTIONS handling"},
	},
	{
		name: "preflight answered 405 by the router",
		server: func(*testing.T) http.Handler {
			return api() // no CORS at all: ServeMux answers OPTIONS 405
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "PUT"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonPreflightStatus, preflights: 1,
		text: []string{"answered 405 Method Not Allowed", "the router answered before any CORS middleware ran"},
	},
	{
		name: "Authorization under Allow-Headers *",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, _ string) { h.Set("Access-Control-Allow-Origin", "*") },
				func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Access-Control-Allow-Origin", "*")
					w.Header().Set("Access-Control-Allow-Headers", "*")
					w.WriteHeader(http.StatusNoContent)
				})
		},
		path: "/posts", args: []string{"--origin", page, "-H", "Authorization: Bearer t", "-H", "X-Custom: 1"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonAuthorizationWildcard, preflights: 1,
		fix:  []string{"Access-Control-Allow-Headers: *, authorization"},
		text: []string{"* covers any request header but Authorization"},
	},
	{
		name: "Allow-Headers * covers other headers without credentials",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, _ string) { h.Set("Access-Control-Allow-Origin", "*") },
				func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Access-Control-Allow-Origin", "*")
					w.Header().Set("Access-Control-Allow-Headers", "*")
					w.Header().Set("Access-Control-Allow-Methods", "*")
					w.WriteHeader(http.StatusNoContent)
				})
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "PUT", "-H", "X-Custom: 1"},
		exit: 0, verdict: fetchcheck.Allowed, preflights: 1,
		text: []string{"PUT allowed by *"},
	},
	{
		name: "Allow-Headers * does not count with credentials",
		server: func(*testing.T) http.Handler {
			return handCORS(nil, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				w.Header().Set("Access-Control-Allow-Credentials", "true")
				w.Header().Set("Access-Control-Allow-Headers", "*")
				w.WriteHeader(http.StatusNoContent)
			})
		},
		path: "/posts", args: []string{"--origin", page, "-H", "X-Custom: 1", "--credentials"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonWildcardHeaderWithCredentials, preflights: 1,
		fix: []string{"Access-Control-Allow-Headers: x-custom"},
	},
	{
		name: "missing Expose-Headers: a warning",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Vary", "Origin")
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page},
		exit: 0, verdict: fetchcheck.Allowed, warnings: []string{fetchcheck.WarnNotExposed},
		text: []string{"the page cannot read: Access-Control-Allow-Origin, Date, Vary, X-Total-Count", "the response has X-Total-Count, which the page cannot read",
			"Access-Control-Expose-Headers: X-Total-Count"},
	},
	{
		name: "missing Expose-Headers: refused with --expose",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Vary", "Origin")
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page, "--expose", "X-Total-Count"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonHeaderNotExposed,
		fix:  []string{"Access-Control-Expose-Headers: X-Total-Count"},
		text: []string{"the response has X-Total-Count, but the page cannot read it"},
	},
	{
		name: "--expose of a header the server does not send",
		server: func(t *testing.T) http.Handler {
			return corskitServer(t, core.Config{Origins: []string{page}, ExposeHeaders: []string{"ETag"}})
		},
		path: "/posts", args: []string{"--origin", page, "--expose", "ETag"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonHeaderMissing,
	},
	{
		name: "Expose-Headers * exposes nothing with credentials",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Allow-Credentials", "true")
				h.Set("Access-Control-Expose-Headers", "*")
				h.Set("Vary", "Origin")
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page, "--credentials", "--expose", "X-Total-Count"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonHeaderNotExposed,
		warnings: []string{fetchcheck.WarnExposeWildcardWithCredentials},
		fix:      []string{"Access-Control-Expose-Headers: X-Total-Count"},
	},
	{
		name: "credentials without Allow-Credentials",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Vary", "Origin")
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page, "--credentials"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonCredentialsNotAllowed,
		fix: []string{"Access-Control-Allow-Credentials: true"},
	},
	{
		name: "Allow-Credentials in the wrong case",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Allow-Credentials", "True")
				h.Set("Vary", "Origin")
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page, "--credentials"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonCredentialsNotAllowed,
		text: []string{`"True"`, "only the exact value true"},
	},
	{
		name: "Allow-Origin with a trailing slash",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) { h.Set("Access-Control-Allow-Origin", origin+"/") }, nil)
		},
		path: "/posts", args: []string{"--origin", page},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonAllowOriginMismatch,
		text: []string{"byte for byte", "letter case or a trailing slash"},
	},
	{
		name: "two Allow-Origin headers (two CORS layers)",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, origin string) {
				h.Add("Access-Control-Allow-Origin", origin)
				h.Add("Access-Control-Allow-Origin", "*")
			}, nil)
		},
		path: "/posts", args: []string{"--origin", page},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonMultipleAllowOrigin,
		text: []string{"exactly one value"},
	},
	{
		name: "method listed in another case",
		server: func(*testing.T) http.Handler {
			return handCORS(nil, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				w.Header().Set("Access-Control-Allow-Methods", "GET, PUT, patch")
				w.WriteHeader(http.StatusNoContent)
			})
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "PATCH"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonMethodNotAllowed, preflights: 1,
		fix:  []string{"Access-Control-Allow-Methods: GET, PUT, patch, PATCH"},
		text: []string{"lists patch in Access-Control-Allow-Methods (GET, PUT, patch), not PATCH"},
	},
	{
		name: "Max-Age above every browser's cap",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, _ string) { h.Set("Access-Control-Allow-Origin", "*") },
				func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Access-Control-Allow-Origin", "*")
					w.Header().Set("Access-Control-Allow-Methods", "PUT")
					w.Header().Set("Access-Control-Max-Age", "604800")
					w.WriteHeader(http.StatusNoContent)
				})
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "PUT"},
		exit: 0, verdict: fetchcheck.Allowed, warnings: []string{fetchcheck.WarnMaxAgeCapped}, preflights: 1,
		text: []string{"Safari and other WebKit browsers cap it at 10 min", "Chromium at 2 h", "Firefox at 24 h"},
	},
	{
		name: "redirect of the request without CORS headers",
		server: func(*testing.T) http.Handler {
			mux := http.NewServeMux()
			mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/posts", http.StatusFound) })
			mux.Handle("/posts", handCORS(func(h http.Header, _ string) { h.Set("Access-Control-Allow-Origin", "*") }, nil))
			return mux
		},
		path: "/old", args: []string{"--origin", page},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonNoAllowOrigin,
		text: []string{"the redirect (302) has no Access-Control-Allow-Origin", "every redirect"},
	},
	{
		name: "a 302 turns POST into GET",
		server: func(*testing.T) http.Handler {
			return handCORS(func(h http.Header, _ string) { h.Set("Access-Control-Allow-Origin", "*") }, func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "no preflight expected", http.StatusInternalServerError)
			})
		},
		path: "/form", args: []string{"--origin", page, "-X", "POST", "-d", "title=x", "-H", "Content-Type: application/x-www-form-urlencoded"},
		exit: 0, verdict: fetchcheck.Allowed,
		text: []string{"→ POST", "← 302 Found", "302 turns POST into GET", "→ GET"},
	},
	{
		name: "redirect loop",
		server: func(*testing.T) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				http.Redirect(w, r, "/loop", http.StatusFound)
			})
		},
		path: "/loop", args: []string{"--origin", page},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonTooManyRedirects,
	},
	{
		name: "redirect to another host is not followed",
		server: func(*testing.T) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				http.Redirect(w, r, "http://localhost:1/elsewhere", http.StatusTemporaryRedirect)
			})
		},
		path: "/posts", args: []string{"--origin", page},
		exit: 2, verdict: fetchcheck.Undecided, reason: fetchcheck.ReasonRedirectOtherHost,
		text: []string{"on another host, which corskit check does not contact", "corskit check http://localhost:1/elsewhere --origin null"},
	},
	{
		name: "--preflight-only sends no request",
		server: func(t *testing.T) http.Handler {
			return corskitServer(t, core.Config{Origins: []string{page}, Methods: []string{"DELETE"}})
		},
		path: "/posts/1", args: []string{"--origin", page, "-X", "DELETE", "--preflight-only"},
		exit: 0, verdict: fetchcheck.Allowed, preflights: 1, warnings: []string{fetchcheck.WarnPreflightOnly},
	},
	{
		name: "same origin: no CORS",
		server: func(*testing.T) http.Handler {
			return api()
		},
		path: "/posts", args: []string{"--origin", "SELF", "-X", "POST"},
		exit: 0, verdict: fetchcheck.Allowed,
		text: []string{"same-origin fetch"},
	},
	{
		name: "Origin null refused unless allowed",
		server: func(t *testing.T) http.Handler {
			return corskitServer(t, core.Config{Origins: []string{page}})
		},
		path: "/posts", args: []string{"--origin", "null"},
		exit: 1, verdict: fetchcheck.Refused, reason: fetchcheck.ReasonNoAllowOrigin,
		text: []string{"Origin: null"},
	},
}

// flat collapses every run of white space into one space, so that the
// wrapping of the text output does not matter.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// countingServer serves h on loopback and counts the preflights it sees.
func countingServer(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int32) {
	n := new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			n.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, n
}

func TestCheckServers(t *testing.T) {
	for _, tc := range checkCases {
		t.Run(tc.name, func(t *testing.T) {
			srv, preflights := countingServer(t, tc.server(t))
			args := slices.Clone(tc.args)
			for i, a := range args {
				if a == "SELF" {
					args[i] = srv.URL
				}
			}
			url := srv.URL + tc.path

			// Text.
			var out, errOut bytes.Buffer
			code := run(append([]string{"check", url}, args...), &out, &errOut)
			if code != tc.exit {
				t.Errorf("exit status %d, want %d\nstderr: %s", code, tc.exit, errOut.String())
			}
			for _, s := range tc.text {
				if !strings.Contains(flat(out.String()), flat(s)) {
					t.Errorf("the output does not say %q", s)
				}
			}
			if got := int(preflights.Load()); tc.preflights >= 0 && got != tc.preflights {
				t.Errorf("the server saw %d preflights, want %d", got, tc.preflights)
			}

			// JSON.
			var jsonOut bytes.Buffer
			if code := run(append([]string{"check", url, "--json"}, args...), &jsonOut, io.Discard); code != tc.exit {
				t.Errorf("--json: exit status %d, want %d", code, tc.exit)
			}
			var rep fetchcheck.Report
			if err := json.Unmarshal(jsonOut.Bytes(), &rep); err != nil {
				t.Fatalf("--json printed no JSON object: %v\n%s", err, jsonOut.String())
			}
			if rep.Verdict != tc.verdict || rep.Reason != tc.reason {
				t.Errorf("verdict %s (%s), want %s (%s): %s", rep.Verdict, rep.Reason, tc.verdict, tc.reason, rep.Message)
			}
			for _, f := range tc.fix {
				if !slices.Contains(rep.Fix, f) {
					t.Errorf("fix %q missing from %q", f, rep.Fix)
				}
			}
			var codes []string
			for _, w := range rep.Warnings {
				codes = append(codes, w.Code)
			}
			for _, w := range tc.warnings {
				if !slices.Contains(codes, w) {
					t.Errorf("warning %s missing; got %v", w, codes)
				}
			}
			for _, w := range tc.noWarnings {
				if slices.Contains(codes, w) {
					t.Errorf("warning %s given; want none", w)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", out.String())
			}
		})
	}
}

// TestCheckTaintedOrigin: a cross-origin API that redirects to another
// origin on the same host makes the browser send Origin: null.
func TestCheckTaintedOrigin(t *testing.T) {
	target := httptest.NewServer(corskitServer(t, core.Config{Origins: []string{page}}))
	defer target.Close()
	// redirecting sends every request to target, with its CORS headers.
	redirecting := httptest.NewServer(corshttp.Must(core.Config{Origins: []string{page}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/posts", http.StatusMovedPermanently)
	})))
	defer redirecting.Close()

	var out bytes.Buffer
	code := run([]string{"check", redirecting.URL + "/old", "--origin", page, "--json"}, &out, io.Discard)
	var rep fetchcheck.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if code != exitProblem || rep.Reason != fetchcheck.ReasonNoAllowOrigin || len(rep.Steps) != 2 {
		t.Fatalf("exit %d, %s: %s; want 1, no-allow-origin at the second request", code, rep.Reason, rep.Message)
	}
	if got := rep.Steps[1].Sent[0]; got != (fetchcheck.Header{Name: "Origin", Value: "null"}) {
		t.Errorf("after the redirect the check sent %v, want Origin: null", got)
	}
	if !strings.Contains(rep.Message, "Origin: null") {
		t.Errorf("the message does not explain the null origin: %s", rep.Message)
	}
}

func TestCheckNetworkError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now

	var out bytes.Buffer
	if code := run([]string{"check", "http://" + addr + "/", "--origin", page}, &out, io.Discard); code != exitError {
		t.Errorf("exit status %d, want 2", code)
	}
	if !strings.Contains(out.String(), "verdict: undecided") || !strings.Contains(flat(out.String()), "not because of CORS") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestCheckTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	var out bytes.Buffer
	start := time.Now()
	code := run([]string{"check", srv.URL, "--origin", page, "--timeout", "300ms"}, &out, io.Discard)
	if code != exitError || !strings.Contains(flat(out.String()), "no complete answer within 300ms") {
		t.Errorf("exit %d, output:\n%s", code, out.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the check took %v with --timeout 300ms", d)
	}
}

// TestCheckBodyCap: a huge body is read up to the cap, then dropped.
func TestCheckBodyCap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for range 64 { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	var out bytes.Buffer
	if code := run([]string{"check", srv.URL, "--origin", page, "--json"}, &out, io.Discard); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var rep fetchcheck.Report
	json.Unmarshal(out.Bytes(), &rep)
	if s := rep.Steps[0]; !s.BodyTruncated || s.BodyBytes != 1<<20 {
		t.Errorf("read %d bytes, truncated %v; want 1 MiB, truncated", s.BodyBytes, s.BodyTruncated)
	}
}

// TestCheckHeaderCap: a response header past 64 KiB is a network error.
func TestCheckHeaderCap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("X-Huge", strings.Repeat("x", 100<<10))
	}))
	defer srv.Close()
	var out bytes.Buffer
	if code := run([]string{"check", srv.URL, "--origin", page}, &out, io.Discard); code != exitError {
		t.Errorf("exit %d, want 2\n%s", code, out.String())
	}
	if !strings.Contains(flat(out.String()), "exceeded 65536 bytes") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestCheckUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "no URL"},
		{[]string{"https://api.example.com/"}, "no --origin"},
		{[]string{"api.example.com", "--origin", page}, "has no scheme; write http://api.example.com"},
		{[]string{"https://api.example.com/", "--origin", "https://App.example.com/"}, "write https://app.example.com"},
		{[]string{"https://api.example.com/", "--origin", "https://app.example.com:443"}, "write https://app.example.com"},
		{[]string{"https://api.example.com/", "--origin", "*"}, "never send Origin: *"},
		{[]string{"https://api.example.com/", "--origin", page, "-H", "Cookie: a=b"}, "forbidden request header"},
		{[]string{"https://api.example.com/", "--origin", page, "-H", "Sec-Fetch-Mode: cors"}, "forbidden request header"},
		{[]string{"https://api.example.com/", "--origin", page, "-X", "TRACE"}, "forbidden method"},
		{[]string{"https://api.example.com/", "--origin", page, "-d", "x"}, "a body with GET"},
		{[]string{"https://api.example.com/", "--origin", page, "--cookie", "a=b"}, "add the credentials option"},
		{[]string{"https://api.example.com/", "--origin", page, "--preflight-only"}, "needs no preflight"},
		{[]string{"https://api.example.com/", "--origin", page, "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"https://api.example.com/", "https://api.example.com/2", "--origin", page}, "one URL only"},
		{[]string{"https://user:pw@api.example.com/", "--origin", page}, "user name or password"},
	} {
		var out, errOut bytes.Buffer
		code := run(append([]string{"check"}, tc.args...), &out, &errOut)
		if code != exitError || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("check %q: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut.String(), tc.want)
		}
		if out.Len() != 0 {
			t.Errorf("check %q wrote to stdout: %q", tc.args, out.String())
		}
	}
}

// TestCheckFlagsAnywhere: flags may come before or after the URL.
func TestCheckFlagsAnywhere(t *testing.T) {
	srv := httptest.NewServer(handCORS(func(h http.Header, _ string) { h.Set("Access-Control-Allow-Origin", "*") }, nil))
	defer srv.Close()
	for _, args := range [][]string{
		{"--origin", page, srv.URL + "/posts"},
		{srv.URL + "/posts", "--origin", page},
		{"--origin", page, "--", srv.URL + "/posts"},
	} {
		if code := run(append([]string{"check"}, args...), io.Discard, io.Discard); code != exitOK {
			t.Errorf("check %q: exit %d, want 0", args, code)
		}
	}
}
