package status_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corskit/corskit/examples/internal/status"
)

func TestWriter(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    int
	}{
		{"body only", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }, 200},
		{"status", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }, 204},
		{"two statuses", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403); w.WriteHeader(500) }, 403},
		{"status after body", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok"); w.WriteHeader(500) }, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			sw := status.NewWriter(rec)
			tc.handler(sw, httptest.NewRequest("GET", "/", nil))
			if sw.Code != tc.want || rec.Code != tc.want {
				t.Errorf("recorded %d, sent %d; want %d", sw.Code, rec.Code, tc.want)
			}
		})
	}
}
