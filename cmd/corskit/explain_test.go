package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The whole answer to the fetch the README shows: a preflighted PUT with
// credentials, allowed.
func TestExplain_allowedPreflight(t *testing.T) {
	code, stdout, stderr := runIn(t, "testdata", "explain", "cors.yaml", "--origin", "https://app.example.com",
		"-X", "put", "-H", "Content-Type: application/json", "--path", "/posts/1", "--credentials")
	want := `cors.yaml: PUT /posts/1 from https://app.example.com, with credentials
policy: "default", the keys at the top of the file: no entry of path_policies serves /posts/1
A preflight is needed: PUT is not a CORS-safelisted method (only GET, HEAD and POST are);
  content-type is not a CORS-safelisted request header (or not with this value).

1. preflight
   → OPTIONS /posts/1
       Origin: https://app.example.com
       Access-Control-Request-Method: PUT
       Access-Control-Request-Headers: content-type
   ← 204 No Content, from corskit: the handler does not run
       Access-Control-Allow-Origin: https://app.example.com
       Access-Control-Allow-Credentials: true
       Access-Control-Allow-Methods: PUT
       Access-Control-Allow-Headers: content-type
       Access-Control-Max-Age: 600
   corskit: preflight allowed

2. request
   → PUT /posts/1
       Origin: https://app.example.com
       Content-Type: application/json
   ← the handler answers; corskit adds:
       Access-Control-Allow-Origin: https://app.example.com
       Access-Control-Allow-Credentials: true
       Vary: Origin
   corskit: actual request allowed

verdict: allowed: the browser lets the page read the response, and sends cookies with the request
`
	if code != exitOK || stdout != want || stderr != "" {
		t.Errorf("exit %d, stderr %q, output:\n%s\nwant:\n%s", code, stderr, stdout, want)
	}
}

func TestExplain(t *testing.T) {
	const app, evil = "https://app.example.com", "https://evil.example"
	tests := []struct {
		name string
		args []string
		code int
		has  []string // substrings of the output, in order
	}{
		{name: "simple GET: no preflight", args: []string{"cors.yaml", "--origin", app, "--path", "/posts"}, code: exitOK,
			has: []string{"No preflight is needed", "1. request", "→ GET /posts", "← the handler answers; corskit adds:",
				"Access-Control-Allow-Origin: https://app.example.com", "Access-Control-Allow-Credentials: true", "Vary: Origin",
				"verdict: allowed"}},
		{name: "a safelisted Content-Type needs no preflight", args: []string{"cors.yaml", "--origin", app, "-X", "POST", "-H", "Content-Type: text/plain"}, code: exitOK,
			has: []string{"No preflight is needed", "Content-Type: text/plain", "verdict: allowed"}},
		{name: "--preflight asks about one anyway", args: []string{"cors.yaml", "--origin", app, "--preflight"}, code: exitOK,
			has: []string{"No preflight is needed, but one is asked about: --preflight", "1. preflight", "Access-Control-Request-Method: GET", "2. request", "verdict: allowed"}},
		{name: "a path policy serves the path", args: []string{"cors.yaml", "--origin", evil, "--path", "/public/feed"}, code: exitOK,
			has: []string{`policy: "public", path_policies[0] in the file`, "Access-Control-Allow-Origin: *", "verdict: allowed"}},
		{name: "* with credentials", args: []string{"cors.yaml", "--origin", evil, "--path", "/health", "--credentials"}, code: exitProblem,
			has: []string{"corskit: actual request allowed",
				`verdict: refused: the page sends credentials, and the policy "public" (path_policies[0]), which serves /health, answers Access-Control-Allow-Origin: *`,
				`fix, in cors.yaml: list the origins in path_policies[0].origins instead of "*" and set path_policies[0].credentials: true`}},
		{name: "credentials the policy does not allow", args: []string{"nocreds.yaml", "--origin", app, "--credentials"}, code: exitProblem,
			has: []string{"verdict: refused: the page sends credentials, and the policy does not allow them (no Access-Control-Allow-Credentials: true)",
				"fix, in nocreds.yaml: set credentials: true, or fetch without credentials"}},
		{name: "origin the path's policy does not allow", args: []string{"cors.yaml", "--origin", app, "-X", "DELETE", "--path", "/admin/users"}, code: exitProblem,
			has: []string{`policy: "admin", path_policies[1] in the file`, "1. preflight", "← 403 Forbidden, from corskit: the handler does not run",
				"(no Access-Control-* headers)", "corskit: preflight refused: origin not allowed",
				`verdict: refused: the policy "admin" (path_policies[1]), which serves /admin/users, does not allow the origin https://app.example.com`,
				`fix, in cors.yaml: add "https://app.example.com" to path_policies[1].origins`}},
		{name: "header not allowed", args: []string{"cors.yaml", "--origin", app, "-X", "PUT", "-H", "X-Api-Key: k", "-H", "Content-Type: application/json"}, code: exitProblem,
			has: []string{"Access-Control-Request-Headers: content-type,x-api-key", "corskit: preflight refused: header not allowed: x-api-key",
				"does not allow the request header X-Api-Key", `fix, in cors.yaml: add "X-Api-Key" to headers`}},
		{name: "method not allowed", args: []string{"cors.yaml", "--origin", app, "-X", "PATCH"}, code: exitProblem,
			has: []string{"preflight refused: method not allowed: PATCH", `fix, in cors.yaml: add "PATCH" to methods`}},
		{name: "lower-case method", args: []string{"cors.yaml", "--origin", app, "-X", "patch"}, code: exitProblem,
			has: []string{"Access-Control-Request-Method: patch", `fetch() sends "patch" as written`, `write "PATCH" in the page's fetch(), and add "PATCH" to methods`}},
		{name: "foreign origin, simple request", args: []string{"cors.yaml", "--origin", evil, "--path", "/posts"}, code: exitProblem,
			has: []string{"← the handler answers; corskit adds:", "Vary: Origin", "(no Access-Control-* headers)", "corskit: actual request refused: origin not allowed",
				"the handler runs, but the answer has no Access-Control-Allow-Origin, so the browser hides it from the page",
				`fix, in cors.yaml: add "https://evil.example" to origins`}},
		{name: "private network access", args: []string{"cors.yaml", "--origin", app, "--private-network"}, code: exitProblem,
			has: []string{"Access-Control-Request-Private-Network: true", "preflight refused: private network access not allowed", "fix, in cors.yaml: set private_network: true"}},
		{name: "ambiguous path", args: []string{"cors.yaml", "--origin", app, "--path", "/public/%2e%2e/admin/x"}, code: exitProblem,
			has: []string{`policy: "ambiguous path", which allows nothing cross-origin`, "request the path in clean form"}},
		{name: "the query is not part of the path", args: []string{"cors.yaml", "--origin", evil, "--path", "/public/x?admin=1"}, code: exitOK,
			has: []string{`policy: "public"`, "→ GET /public/x?admin=1"}},
		{name: "cross-origin write refused", args: []string{"protect.yaml", "--origin", evil, "-X", "POST"}, code: exitProblem,
			has: []string{"← 403 Forbidden, from corskit: the handler does not run", "refused: cross-origin write not allowed", "(cross_origin_protection)"}},
		{name: "preflight answered by the handler", args: []string{"protect.yaml", "--origin", app, "-X", "PUT"}, code: exitOK,
			has: []string{"← the handler answers the preflight (preflight_passthrough); corskit adds:", "verdict: allowed", "note: with preflight_passthrough"}},
		{name: "JSON policy file", args: []string{"cors.json", "--origin", evil, "--path", "/public/"}, code: exitOK, has: []string{"verdict: allowed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runIn(t, "testdata", append([]string{"explain"}, tt.args...)...)
			if code != tt.code || stderr != "" {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			rest := flat(stdout)
			for _, s := range tt.has {
				i := strings.Index(rest, flat(s))
				if i < 0 {
					t.Fatalf("the output lacks, in order, %q:\n%s", s, stdout)
				}
				rest = rest[i:]
			}
		})
	}
}

func TestExplain_json(t *testing.T) {
	code, stdout, _ := runIn(t, "testdata", "explain", "cors.yaml", "--origin", "https://app.example.com",
		"--method", "DELETE", "--path", "/admin/users", "--json")
	if code != exitProblem {
		t.Errorf("exit %d, want 1", code)
	}
	var rep explainReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if rep.Policy != "admin" || rep.PolicyKey != "path_policies[1]" || !rep.PreflightNeeded || len(rep.Steps) != 1 ||
		rep.Verdict != "refused" || rep.Reason != "origin not allowed" || rep.Fix != `add "https://app.example.com" to path_policies[1].origins` {
		t.Errorf("report: %+v", rep)
	}
	s := rep.Steps[0]
	if s.Kind != "preflight" || s.Method != "OPTIONS" || s.Allowed || s.Status != 403 || s.HandlerRuns || len(s.Headers) != 0 ||
		len(s.Sent) != 2 || s.Sent[1].Value != "DELETE" {
		t.Errorf("step: %+v", s)
	}
}

func TestExplain_usage(t *testing.T) {
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"--origin", "https://a.example"}, "no policy file"},
		{[]string{"cors.yaml"}, "no --origin"},
		{[]string{"cors.yaml", "other.yaml", "--origin", "https://a.example"}, "one policy file only"},
		{[]string{"cors.yaml", "--origin", "https://App.example.com/"}, "--origin \"https://App.example.com/\" is not written the way browsers send it"},
		{[]string{"cors.yaml", "--origin", "https://a.example", "-H", "Cookie: a=b"}, "--header Cookie is a forbidden request header"},
		{[]string{"cors.yaml", "--origin", "https://a.example", "-X", "TRACE"}, "--method fetch() refuses TRACE"},
		{[]string{"cors.yaml", "--origin", "https://a.example", "--path", "posts"}, "starting with /"},
		{[]string{"cors.yaml", "--origin", "https://a.example", "--path", "/a b"}, "percent-encoded (a space is %20)"},
		{[]string{"missing.yaml", "--origin", "https://a.example"}, "missing.yaml: open: no such file or directory"},
		{[]string{"problems.yaml", "--origin", "https://a.example"}, "problems.yaml has problems, and corskit would refuse to serve it:\nproblems.yaml:3: origins[0]"},
		{[]string{"cors.txt", "--origin", "https://a.example"}, `unknown format ".txt"`},
	}
	for _, tt := range tests {
		code, stdout, stderr := runIn(t, "testdata", append([]string{"explain"}, tt.args...)...)
		if code != exitError || !strings.Contains(stderr, tt.stderr) || stdout != "" {
			t.Errorf("explain %q: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, stdout, stderr, tt.stderr)
		}
	}
}

func TestExplainUsageMentionsEveryFlag(t *testing.T) {
	for _, flag := range []string{"--origin", "--method", "--header", "--path", "--credentials", "--preflight", "--private-network", "--json"} {
		if !strings.Contains(explainUsage, flag) {
			t.Errorf("explain's usage does not describe %s", flag)
		}
	}
}
