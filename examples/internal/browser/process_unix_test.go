//go:build unix

package browser

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestProcessStop: stop ends the process and what it started, even when the
// process ignores SIGTERM, within a bounded time.
func TestProcessStop(t *testing.T) {
	dir := t.TempDir()
	watch := newLineWatcher("child ")
	// The shell ignores SIGTERM and starts a child in its group.
	p, err := startProcess("/bin/sh", []string{"-c", `trap "" TERM; sleep 60 & echo "child $!"; wait`}, os.Environ(), dir, watch)
	if err != nil {
		t.Fatal(err)
	}
	var child int
	select {
	case s := <-watch.found:
		child, _ = strconv.Atoi(strings.TrimSpace(s))
	case <-time.After(5 * time.Second):
		t.Fatal("the shell did not start its child")
	}
	begin := time.Now()
	p.stop(100 * time.Millisecond)
	if took := time.Since(begin); took > 8*time.Second {
		t.Errorf("stop took %v", took)
	}
	if exited, _ := p.exited(); !exited {
		t.Error("the process is still running")
	}
	// The child is gone, or a zombie about to be reaped by init.
	deadline := time.Now().Add(2 * time.Second)
	for syscall.Kill(child, 0) == nil && time.Now().Before(deadline) {
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(child) + "/stat"); err == nil && strings.Contains(string(b), ") Z ") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(child) + "/stat"); err == nil && !strings.Contains(string(b), ") Z ") {
		t.Errorf("the child %d outlived stop: %s", child, b)
	}
}
