// Package status records the status code a handler answered with, for the
// demo's journal and the browser tests' recorder.
package status

import "net/http"

// A Writer passes everything to the ResponseWriter it wraps and keeps the
// status code of the response in Code: the first one written, or 200 when
// the handler wrote a body without one.
type Writer struct {
	http.ResponseWriter
	Code  int
	wrote bool
}

// NewWriter wraps w.
func NewWriter(w http.ResponseWriter) *Writer {
	return &Writer{ResponseWriter: w, Code: http.StatusOK}
}

// WriteHeader records code, unless a status was already sent, and passes it on.
func (w *Writer) WriteHeader(code int) {
	if !w.wrote {
		w.Code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write passes p on; a status written after it is not recorded.
func (w *Writer) Write(p []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(p)
}
