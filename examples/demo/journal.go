package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/corskit/corskit/examples/internal/status"
)

// A journal keeps the API's recent history for the client page: every
// request as the server saw it, with the CORS headers it answered, and
// every line corskit logged about a refusal. The page reads it from GET
// /debug/log after each scenario, so that "why did the browser refuse?" is
// answered on the page, in the server's own words.
type journal struct {
	out io.Writer // the terminal: log lines are written there too

	mu      sync.Mutex
	seq     int
	entries []entry
}

// An entry is one request or one log line.
type entry struct {
	Seq  int    `json:"seq"`
	Kind string `json:"kind"` // "request" or "log"
	// Line is "PUT /api/posts/1 from http://localhost:1111: 200" for a
	// request, the log line for a log entry.
	Line string `json:"line"`
	// Headers are the CORS response headers of a request.
	Headers [][2]string `json:"headers,omitempty"`
}

const journalSize = 200

func (j *journal) add(e entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	if len(j.entries) == journalSize {
		j.entries = append(j.entries[:0], j.entries[1:]...)
	}
	j.entries = append(j.entries, e)
}

// Write takes one log line from corskit's logger: slog handlers write each
// record with one Write.
func (j *journal) Write(p []byte) (int, error) {
	j.add(entry{Kind: "log", Line: strings.TrimSpace(string(p))})
	return j.out.Write(p)
}

// request records one request and what was answered.
func (j *journal) request(method, path, origin string, status int, header func(string) string) {
	from := "without Origin"
	if origin != "" {
		from = "from " + origin
	}
	if method == "OPTIONS" && header("Access-Control-Request-Method") != "" {
		from += " (preflight)"
	}
	e := entry{Kind: "request", Line: method + " " + path + " " + from + ": " + strconv.Itoa(status) + " " + http.StatusText(status)}
	for _, name := range corsHeaders {
		if v := header(name); v != "" {
			e.Headers = append(e.Headers, [2]string{name, v})
		}
	}
	j.add(e)
}

// corsHeaders are the response headers the page shows for each request.
var corsHeaders = []string{
	"Access-Control-Allow-Origin",
	"Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers",
	"Access-Control-Max-Age",
	"Access-Control-Expose-Headers",
	"Vary",
}

// isDebug reports whether path is the journal's own endpoint, which the
// journal does not record.
func isDebug(path string) bool { return strings.HasPrefix(path, "/debug/") }

// wrap records every request h serves, for the frameworks built on
// net/http. It sits in front of corskit, so it sees refused requests too.
func (j *journal) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isDebug(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		sw := status.NewWriter(w)
		h.ServeHTTP(sw, r)
		j.request(r.Method, r.URL.Path, r.Header.Get("Origin"), sw.Code, func(name string) string {
			if name == "Access-Control-Request-Method" {
				return r.Header.Get(name)
			}
			return strings.Join(w.Header().Values(name), ", ")
		})
	})
}

// serve answers GET /debug/log?after=N: the entries after sequence number
// N, and the last sequence number, as JSON.
func (j *journal) serve(w http.ResponseWriter, r *http.Request) {
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	j.mu.Lock()
	res := struct {
		Last    int     `json:"last"`
		Entries []entry `json:"entries"`
	}{Last: j.seq, Entries: []entry{}}
	for _, e := range j.entries {
		if e.Seq > after {
			res.Entries = append(res.Entries, e)
		}
	}
	j.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, res)
}
