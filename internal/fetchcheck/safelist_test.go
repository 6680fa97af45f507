package fetchcheck

import (
	"slices"
	"strings"
	"testing"
)

func TestHeaderSafelisted(t *testing.T) {
	long := strings.Repeat("a", 129)
	for _, tc := range []struct {
		name, value string
		want        bool
	}{
		{"Accept", "*/*", true},
		{"accept", "application/json, text/plain", true},
		{"Accept", `text/html; q="0.5"`, false}, // '"' is CORS-unsafe
		{"Accept", "a" + long, false},
		{"Accept-Language", "en-US,en;q=0.9", true},
		{"Accept-Language", "en_US", false},
		{"Content-Language", "de-DE", true},
		{"Content-Type", "text/plain", true},
		{"Content-Type", "text/plain;charset=UTF-8", true},
		{"Content-Type", " TEXT/Plain ; charset=utf-8", true},
		{"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8", true},
		{"Content-Type", "multipart/form-data; boundary=xyz", true},
		{"Content-Type", "application/json", false},
		{"Content-Type", "text/plain; charset=\"utf-8\"", false}, // '"'
		{"Content-Type", "text/plain(comment)", false},
		{"Content-Type", "text", false},
		{"Content-Type", "text/", false},
		{"Content-Type", "text/plain;" + long, false},
		{"Range", "bytes=0-499", true},
		{"Range", "bytes=500-", true},
		{"Range", "Bytes=0-0", true},
		{"Range", "bytes=-500", false}, // suffix range
		{"Range", "bytes=0-1,5-6", false},
		{"Range", "bytes = 0-1", false},
		{"Range", "bytes=5-1", false},
		{"Range", "bytes=", false},
		{"Range", "bytes=-", false},
		{"Range", "bytes=99999999999999999999999-999999999999999999999999", true},
		{"Range", "bytes=999999999999999999999999-99999999999999999999999", false},
		{"Range", "items=0-1", false},
		{"X-Custom", "1", false},
		{"Authorization", "Bearer x", false},
		{"Content-Length", "5", false},
	} {
		if got := HeaderSafelisted(tc.name, tc.value); got != tc.want {
			t.Errorf("HeaderSafelisted(%q, %q) = %v, want %v", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestUnsafeHeaderNames(t *testing.T) {
	for _, tc := range []struct {
		headers []Header
		want    []string
	}{
		{nil, nil},
		{[]Header{{"Accept", "*/*"}, {"Content-Type", "text/plain"}}, nil},
		{[]Header{{"X-B", "1"}, {"Content-Type", "application/json"}, {"x-a", "1"}, {"X-b", "2"}}, []string{"content-type", "x-a", "x-b"}},
		{[]Header{{"Authorization", "x"}}, []string{"authorization"}},
		// Safelisted values adding up to more than 1024 bytes all need a
		// preflight.
		{[]Header{
			{"Accept", strings.Repeat("a", 128)}, {"Accept-Language", strings.Repeat("b", 128)},
			{"Content-Language", strings.Repeat("c", 128)}, {"Accept", strings.Repeat("a", 128)},
			{"Accept", strings.Repeat("a", 128)}, {"Accept", strings.Repeat("a", 128)},
			{"Accept", strings.Repeat("a", 128)}, {"Accept", strings.Repeat("a", 128)},
			{"Content-Type", "text/plain"},
		}, []string{"accept", "accept-language", "content-language", "content-type"}},
	} {
		if got := UnsafeHeaderNames(tc.headers); !slices.Equal(got, tc.want) {
			t.Errorf("UnsafeHeaderNames(%v) = %q, want %q", tc.headers, got, tc.want)
		}
	}
}

func TestMethods(t *testing.T) {
	for in, want := range map[string]string{"get": "GET", "Delete": "DELETE", "put": "PUT", "options": "OPTIONS", "patch": "patch", "PATCH": "PATCH", "post": "POST", "head": "HEAD", "Custom": "Custom"} {
		if got := NormalizeMethod(in); got != want {
			t.Errorf("NormalizeMethod(%q) = %q, want %q", in, got, want)
		}
	}
	for _, m := range []string{"GET", "HEAD", "POST"} {
		if !MethodSafelisted(m) {
			t.Errorf("%s is safelisted", m)
		}
	}
	for _, m := range []string{"get", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		if MethodSafelisted(m) {
			t.Errorf("%s is not safelisted", m)
		}
	}
	for _, m := range []string{"CONNECT", "trace", "Track"} {
		if !ForbiddenMethod(m) {
			t.Errorf("%s is forbidden", m)
		}
	}
}

func TestForbiddenRequestHeader(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        bool
	}{
		{"Cookie", "a=b", true},
		{"origin", "x", true},
		{"Host", "x", true},
		{"Sec-Fetch-Mode", "cors", true},
		{"Proxy-Authorization", "x", true},
		{"Accept-Encoding", "gzip", true},
		{"Authorization", "x", false},
		{"X-Custom", "x", false},
		{"X-HTTP-Method-Override", "TRACE", true},
		{"X-HTTP-Method-Override", "PUT, track", true},
		{"X-Method-Override", "PATCH", false},
		{"X-HTTP-Method", `"TRACE"`, false}, // a quoted string is not a method
		{"X-HTTP-Method", `"a,TRACE"`, false},
	} {
		if got := ForbiddenRequestHeader(tc.name, tc.value); got != tc.want {
			t.Errorf("ForbiddenRequestHeader(%q, %q) = %v, want %v", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestSplitHeaderValue(t *testing.T) {
	for in, want := range map[string][]string{
		"":                 {""},
		"a":                {"a"},
		" a , b ":          {"a", "b"},
		`"a,b", c`:         {`"a,b"`, "c"},
		`x"y,z"w, v`:       {`x"y,z"w`, "v"},
		`"unterminated, a`: {`"unterminated, a`},
		`"esc\"aped,", d`:  {`"esc\"aped,"`, "d"},
		"a,,b":             {"a", "", "b"},
		"\ta\t,\tb\t":      {"a", "b"},
		`"trailing\`:       {`"trailing\`},
	} {
		if got := splitHeaderValue(in); !slices.Equal(got, want) {
			t.Errorf("splitHeaderValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
		ok   bool
	}{
		{nil, nil, true},
		{[]string{"GET, PUT"}, []string{"GET", "PUT"}, true},
		{[]string{"GET,PUT", " DELETE "}, []string{"GET", "PUT", "DELETE"}, true},
		{[]string{",,x-a,, x-b ,"}, []string{"x-a", "x-b"}, true},
		{[]string{"\tx-a\t"}, []string{"x-a"}, true},
		{[]string{"*"}, []string{"*"}, true},
		{[]string{"x a"}, nil, false},
		{[]string{"x-a; x-b"}, nil, false},
		{[]string{"é"}, nil, false},
		{[]string{strings.Repeat("a,", maxListElements+1)}, nil, false},
	} {
		got, err := ParseList(tc.in)
		if (err == nil) != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("ParseList(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, ok := range []string{"null", "https://app.example.com", "http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:8080", "chrome-extension://abcdef"} {
		if err := CheckOrigin(ok); err != nil {
			t.Errorf("CheckOrigin(%q): %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"https://App.example.com":     "write https://app.example.com",
		"https://app.example.com/":    "write https://app.example.com",
		"https://app.example.com:443": "write https://app.example.com",
		"http://app.example.com:80":   "write http://app.example.com",
		"HTTPS://app.example.com":     "write https://app.example.com",
		"https://app.example.com/x?y": "write https://app.example.com",
		"http://[::0001]:1":           "write http://[::1]:1",
		"app.example.com":             "not an origin",
		"*":                           "never send Origin: *",
		"":                            "no origin",
		"Null":                        "in lower case",
		"https://u@app.example.com":   "not an origin",
	} {
		err := CheckOrigin(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckOrigin(%q) = %v, want an error saying %q", in, err, want)
		}
	}
}

// FuzzUnsafeHeaderNames checks the request-header safelist on any input:
// no panic, a sorted lower-case set, safelisted headers left out unless
// their values add up to more than 1024 bytes.
func FuzzUnsafeHeaderNames(f *testing.F) {
	f.Add("Content-Type", "text/plain;charset=UTF-8", "X-Custom", "1")
	f.Add("Range", "bytes=0-", "accept", `a"b`)
	f.Add("Accept-Language", "en;q=0.5", "Content-Language", "de\x01")
	f.Add("Content-Type", "text/plain; a=\"b\"", "Range", "bytes=-1")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string) {
		headers := []Header{{n1, v1}, {n2, v2}}
		got := UnsafeHeaderNames(headers)
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Fatalf("not a sorted set: %q", got)
		}
		total := 0
		for _, h := range headers {
			safe := HeaderSafelisted(h.Name, h.Value)
			if safe {
				total += len(h.Value)
			}
			if safe != (whyNotSafelisted(h.Name, h.Value) == "") {
				t.Fatalf("HeaderSafelisted and whyNotSafelisted disagree on %q", h)
			}
			if safe && len(h.Value) > 128 {
				t.Fatalf("%q is safelisted with a value over 128 bytes", h)
			}
		}
		for _, h := range headers {
			in := slices.Contains(got, strings.ToLower(h.Name))
			if !HeaderSafelisted(h.Name, h.Value) && !in {
				t.Fatalf("%q is not safelisted but missing from %q", h, got)
			}
		}
		for _, name := range got {
			if name != strings.ToLower(name) {
				t.Fatalf("%q is not lower case", name)
			}
			if total <= safelistedValueLimit && !slices.ContainsFunc(headers, func(h Header) bool {
				return strings.EqualFold(h.Name, name) && !HeaderSafelisted(h.Name, h.Value)
			}) {
				t.Fatalf("%q listed though safelisted (%q)", name, headers)
			}
		}
	})
}

// FuzzParseList checks the parser of Access-Control-Allow-Methods,
// -Allow-Headers and -Expose-Headers: no panic, only tokens, and what it
// returns parses back to itself.
func FuzzParseList(f *testing.F) {
	f.Add("GET, PUT,DELETE", "x-a")
	f.Add(",, ,", "\t*\t")
	f.Add("content-type;x", "é")
	f.Fuzz(func(t *testing.T, a, b string) {
		got, err := ParseList([]string{a, b})
		if err != nil {
			if got != nil {
				t.Fatalf("a failure returned %q", got)
			}
			return
		}
		for _, e := range got {
			if !IsToken(e) {
				t.Fatalf("%q is not a token", e)
			}
		}
		again, err := ParseList([]string{strings.Join(got, ", ")})
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("%q parses back to %q, %v", got, again, err)
		}
	})
}

// FuzzSplitHeaderValue checks "get, decode, and split": no panic, and
// every byte outside the separators is kept.
func FuzzSplitHeaderValue(f *testing.F) {
	f.Add(`a, "b,c", d`)
	f.Add(`"\`)
	f.Add(`x"y\"z,w"`)
	f.Fuzz(func(t *testing.T, v string) {
		got := splitHeaderValue(v)
		if len(got) == 0 {
			t.Fatal("no values")
		}
		if n := strings.Count(strings.Join(got, ""), ","); n > strings.Count(v, ",") {
			t.Fatalf("%q: more commas out than in: %q", v, got)
		}
		if !strings.ContainsRune(v, '"') && len(got) != strings.Count(v, ",")+1 {
			t.Fatalf("%q: without quotes every comma separates: %q", v, got)
		}
	})
}

// FuzzCheckOrigin checks that whatever CheckOrigin accepts is a serialised
// origin it accepts again, and that its suggestion is accepted.
func FuzzCheckOrigin(f *testing.F) {
	f.Add("https://App.example.com:443/")
	f.Add("http://[::FFFF:1.2.3.4]:80")
	f.Add("null")
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckOrigin(s)
		if err == nil {
			return
		}
		msg := err.Error()
		if i := strings.LastIndex(msg, "; write "); i >= 0 {
			suggestion := msg[i+len("; write "):]
			if err := CheckOrigin(suggestion); err != nil {
				t.Fatalf("CheckOrigin(%q) suggests %q, which it refuses: %v", s, suggestion, err)
			}
		}
	})
}
