package corsbench

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
)

// recorder is a reusable http.ResponseWriter: between requests only its
// header map is cleared (keeping its storage) and its status reset, so a
// run costs what the framework and the middleware cost, not the recorder.
type recorder struct {
	header http.Header
	status int
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(b), nil
}

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) reset() {
	clear(w.header)
	w.status = 0
}

// newRequest builds the *http.Request of r, sent to api.example.com over
// plain HTTP.
func newRequest(r Request) *http.Request {
	req := httptest.NewRequest(r.Method, "http://api.example.com"+r.Path, nil)
	for _, h := range r.Header {
		req.Header.Add(h[0], h[1])
	}
	return req
}

// httpRunner runs req through h with a reused recorder. ran counts the
// handler's runs.
func httpRunner(h http.Handler, r Request, ran *int) Runner {
	req := newRequest(r)
	// No size hint: like net/http's own response header, the map starts
	// small (up to 8 entries in one group, no hashing on lookups).
	w := &recorder{header: make(http.Header)}
	run := func() {
		w.reset()
		h.ServeHTTP(w, req)
	}
	return Runner{
		Run: run,
		Probe: func() Response {
			before := *ran
			run()
			status := w.status
			if status == 0 {
				status = http.StatusOK
			}
			h := make(http.Header, len(w.header))
			for k, v := range w.header {
				h[k] = slices.Clone(v)
			}
			return Response{Status: status, Header: h, HandlerRan: *ran > before}
		},
		Mutate: func() {
			run()
			// Values that alias the request's own header lines (an echoed
			// Origin) belong to this request alone: leave them.
			own := map[*string]bool{}
			for _, v := range req.Header {
				own[&v[0]] = true
			}
			for _, k := range slices.Collect(maps.Keys(w.header)) {
				if v := w.header[k]; len(v) > 0 && !own[&v[0]] {
					for i := range v {
						v[i] = mutated
					}
				}
			}
		},
	}
}

// mutated is what Mutate writes into every header value the handler could
// reach.
const mutated = "MUTATED-BY-HANDLER"

// handlerFunc is the application behind every net/http candidate: it
// counts its runs and answers 200, or 204 to OPTIONS (the floor of a
// preflight is the framework answering it from a route).
func handlerFunc(ran *int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		*ran++
		if r.Method == "OPTIONS" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

// mux is the router of the net/http candidates.
func mux(ran *int) *http.ServeMux {
	m := http.NewServeMux()
	h := handlerFunc(ran)
	m.Handle("GET "+path, h)
	m.Handle("PUT "+path, h)
	m.Handle("POST "+path, h)
	m.Handle("OPTIONS "+path, h)
	return m
}
