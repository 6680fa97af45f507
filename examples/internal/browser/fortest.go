package browser

import (
	"os"
	"sync"
	"testing"
	"time"
)

// The test binary's running engines, by name: each shared by the tests
// that use it at the same time, and stopped when the last of them
// finishes.
var (
	sharedMu sync.Mutex
	shared   = make(map[string]*sharedEngine)
)

type sharedEngine struct {
	refs int // under sharedMu

	mu  sync.Mutex // held while starting, so that engines start in parallel
	e   Engine
	err error // why it did not start
}

// ForTest returns the test binary's running engine named name, starting it
// on first use, and stops it when the last test that asked for it has
// finished. Without the engine's programs it skips t and says how to
// install them, or fails t if CORSKIT_REQUIRE_BROWSER=1 or a variable
// naming one of its programs names none.
func ForTest(t testing.TB, name string) Engine {
	t.Helper()
	k, err := kindOf(name)
	if err != nil {
		t.Fatal(err)
	}
	start, err := k.find()
	if err != nil {
		required := os.Getenv(EnvRequire) == "1"
		for _, env := range k.envs {
			required = required || os.Getenv(env) != ""
		}
		if required {
			t.Fatalf("%s tests: %v", name, err)
		}
		t.Skipf("%s tests skipped: %v. Install it with `%s`.", name, err, k.install)
	}

	sharedMu.Lock()
	s := shared[name]
	if s == nil {
		s = &sharedEngine{}
		shared[name] = s
	}
	s.refs++
	sharedMu.Unlock()
	t.Cleanup(func() {
		sharedMu.Lock()
		defer sharedMu.Unlock()
		if s.refs--; s.refs == 0 {
			delete(shared, name)
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.e != nil {
				s.e.Close()
			}
		}
	})

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.e == nil && s.err == nil {
		begin := time.Now()
		s.e, s.err = start()
		if s.err == nil {
			t.Logf("started %s in %v", s.e.Version(), time.Since(begin).Round(time.Millisecond))
		}
	}
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.e
}
