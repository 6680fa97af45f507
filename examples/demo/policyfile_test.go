package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPolicyFile runs the demo with -policy: the file decides who may call
// the API, a change to it applies without a restart, and a broken file is
// refused while the last good policy keeps serving.
func TestPolicyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cors.yaml")
	write := func(content string) {
		t.Helper()
		// Write a new file and rename it over the old one, as editors do.
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	write("origins: [\"http://localhost:1\"]\n")

	var logs syncBuffer
	d, err := start(options{framework: "nethttp", host: "localhost", policyFile: path}, &logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = d.Shutdown(ctx)
	})

	allowOrigin := func() string {
		t.Helper()
		req, _ := http.NewRequest("GET", d.API+"/api/posts", nil)
		req.Header.Set("Origin", d.Client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("Access-Control-Allow-Origin")
	}
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for allowOrigin() != want {
			if time.Now().After(deadline) {
				t.Fatalf("Allow-Origin never became %q; log:\n%s", want, logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	if got := allowOrigin(); got != "" {
		t.Fatalf("before the change: Allow-Origin %q, want none", got)
	}
	if got := strings.Join(d.Policy(), "\n"); !strings.Contains(got, "http://localhost:1") {
		t.Errorf("the page describes %q, want the file's origins", got)
	}

	write("origins: [\"" + d.Client + "\"]\nmethods: [PUT]\n")
	waitFor(d.Client)
	// The page's description is redrawn by OnReload, just after the swap.
	deadline := time.Now().Add(5 * time.Second)
	for got := strings.Join(d.Policy(), "\n"); !strings.Contains(got, d.Client); got = strings.Join(d.Policy(), "\n") {
		if time.Now().After(deadline) {
			t.Fatalf("after the change the page describes %q, want %q", got, d.Client)
		}
		time.Sleep(20 * time.Millisecond)
	}

	write("origins: [\"" + d.Client + "/\"]\ncredentials: true\n")
	deadline = time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "trailing slash") {
		if time.Now().After(deadline) {
			t.Fatalf("the broken file was not reported; log:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := allowOrigin(); got != d.Client {
		t.Errorf("after a broken file: Allow-Origin %q, want the last good policy's %q", got, d.Client)
	}
}
