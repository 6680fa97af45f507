package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fakeSource is an origin table that counts how often it is asked.
type fakeSource struct {
	mu      sync.Mutex
	allowed map[string]bool
	err     error // if set, every lookup fails with it
	calls   atomic.Int64
}

func (s *fakeSource) lookup(_ context.Context, origin string) (bool, error) {
	s.calls.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false, s.err
	}
	return s.allowed[origin], nil
}

func (s *fakeSource) set(origin string, allowed bool) {
	s.mu.Lock()
	s.allowed[origin] = allowed
	s.mu.Unlock()
}

func (s *fakeSource) fail(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// newTestCache returns a cache over a source allowing https://a.example,
// with a fake clock.
func newTestCache(t testing.TB, opts OriginCacheOptions) (*OriginCache, *fakeSource, *fakeClock) {
	t.Helper()
	src := &fakeSource{allowed: map[string]bool{"https://a.example": true}}
	c, err := NewOriginCache(src.lookup, opts)
	if err != nil {
		t.Fatalf("NewOriginCache: %v", err)
	}
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	c.now = clock.now
	return c, src, clock
}

var errSourceDown = errors.New("source down")

// A cacheStep changes the world, then asks the cache about one origin.
type cacheStep struct {
	advance time.Duration               // move the clock first
	change  func(*fakeSource)           // then change the source, if set
	forget  string                      // then Forget this origin, if set
	origin  string                      // then ask about it
	want    bool                        // the answer
	lookups int64                       // lookups made so far, this step included
	stats   func(OriginCacheStats) bool // extra check, if set
}

func TestOriginCache(t *testing.T) {
	const (
		a = "https://a.example" // allowed by the source
		b = "https://b.example" // not allowed
	)
	opts := OriginCacheOptions{TTL: time.Minute, NegativeTTL: 10 * time.Second, ErrorTTL: time.Second}
	allow := func(o string) func(*fakeSource) { return func(s *fakeSource) { s.set(o, true) } }
	deny := func(o string) func(*fakeSource) { return func(s *fakeSource) { s.set(o, false) } }
	tests := []struct {
		name  string
		steps []cacheStep
	}{
		{"miss then hit", []cacheStep{
			{origin: a, want: true, lookups: 1},
			{origin: a, want: true, lookups: 1, stats: func(s OriginCacheStats) bool { return s.Hits == 1 && s.Misses == 1 }},
		}},
		{"allowed answer expires after TTL", []cacheStep{
			{origin: a, want: true, lookups: 1},
			{change: deny(a), advance: time.Minute - 1, origin: a, want: true, lookups: 1},
			{advance: 1, origin: a, want: false, lookups: 2},
		}},
		{"refusal is cached for NegativeTTL", []cacheStep{
			{origin: b, want: false, lookups: 1},
			{change: allow(b), advance: 10*time.Second - 1, origin: b, want: false, lookups: 1},
			{advance: 1, origin: b, want: true, lookups: 2},
		}},
		{"each origin has its own entry", []cacheStep{
			{origin: a, want: true, lookups: 1},
			{origin: b, want: false, lookups: 2},
			{origin: a, want: true, lookups: 2},
			{origin: b, want: false, lookups: 2},
		}},
		{"error fails closed and is retried after ErrorTTL", []cacheStep{
			{change: func(s *fakeSource) { s.fail(errSourceDown) }, origin: a, want: false, lookups: 1,
				stats: func(s OriginCacheStats) bool { return s.Errors == 1 }},
			{change: func(s *fakeSource) { s.fail(nil) }, advance: time.Second - 1, origin: a, want: false, lookups: 1},
			{advance: 1, origin: a, want: true, lookups: 2, stats: func(s OriginCacheStats) bool { return s.Errors == 1 }},
		}},
		{"error replaces a stale allowed answer", []cacheStep{
			{origin: a, want: true, lookups: 1},
			{advance: time.Minute, change: func(s *fakeSource) { s.fail(errSourceDown) }, origin: a, want: false, lookups: 2},
			{origin: a, want: false, lookups: 2},
		}},
		{"Forget looks up again at once", []cacheStep{
			{origin: b, want: false, lookups: 1},
			{change: allow(b), forget: b, origin: b, want: true, lookups: 2},
		}},
		{"empty and oversized values are refused without a lookup", []cacheStep{
			{origin: "", want: false, lookups: 0},
			{origin: "https://" + strings.Repeat("a", 600) + ".example", want: false, lookups: 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, src, clock := newTestCache(t, opts)
			for i, s := range tt.steps {
				clock.advance(s.advance)
				if s.change != nil {
					s.change(src)
				}
				if s.forget != "" {
					c.Forget(s.forget)
				}
				if got := c.Allow(s.origin); got != s.want {
					t.Errorf("step %d: Allow(%q): got %v, want %v", i, s.origin, got, s.want)
				}
				if got := src.calls.Load(); got != s.lookups {
					t.Errorf("step %d: lookups: got %d, want %d", i, got, s.lookups)
				}
				if st := c.Stats(); s.stats != nil && !s.stats(st) {
					t.Errorf("step %d: unexpected stats %v", i, st)
				}
			}
		})
	}
}

func TestNewOriginCache_invalid(t *testing.T) {
	lookup := func(context.Context, string) (bool, error) { return true, nil }
	tests := []struct {
		name     string
		lookup   func(context.Context, string) (bool, error)
		opts     OriginCacheOptions
		problems int
	}{
		{"zero options are valid", lookup, OriginCacheOptions{}, 0},
		{"nil lookup", nil, OriginCacheOptions{}, 1},
		{"negative size", lookup, OriginCacheOptions{Size: -1}, 1},
		{"every duration negative", lookup, OriginCacheOptions{TTL: -1, NegativeTTL: -1, ErrorTTL: -1, Timeout: -1}, 4},
		{"all at once", nil, OriginCacheOptions{Size: -1, NegativeSize: -1, TTL: -time.Second}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewOriginCache(tt.lookup, tt.opts)
			if tt.problems == 0 {
				if err != nil || c == nil {
					t.Fatalf("NewOriginCache: got %v, want a cache", err)
				}
				return
			}
			if c != nil || !errors.Is(err, ErrCacheOptionInvalid) {
				t.Fatalf("NewOriginCache: got (%v, %v), want ErrCacheOptionInvalid", c, err)
			}
			var joined interface{ Unwrap() []error }
			if !errors.As(err, &joined) || len(joined.Unwrap()) != tt.problems {
				t.Errorf("NewOriginCache: got %v, want %d problems", err, tt.problems)
			}
		})
	}
}

// Concurrent misses of one origin share one lookup.
func TestOriginCache_singleflight(t *testing.T) {
	const n = 100
	var calls atomic.Int64
	release := make(chan struct{})
	c, err := NewOriginCache(func(ctx context.Context, origin string) (bool, error) {
		calls.Add(1)
		<-release
		return origin == "https://new.example", nil
	}, OriginCacheOptions{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var joined sync.WaitGroup
	joined.Add(n)
	c.joined = joined.Done

	var wg sync.WaitGroup
	var allowed atomic.Int64
	for range n {
		wg.Go(func() {
			if c.Allow("https://new.example") {
				allowed.Add(1)
			}
		})
	}
	joined.Wait() // every caller waits on the lookup, which is still blocked
	close(release)
	wg.Wait()

	if got := calls.Load(); got != 1 {
		t.Errorf("lookups: got %d, want 1", got)
	}
	if got := allowed.Load(); got != n {
		t.Errorf("allowed: got %d, want %d", got, n)
	}
	if st := c.Stats(); st.Misses != n || st.Lookups != 1 || st.Hits != 0 {
		t.Errorf("Stats: got %v, want %d misses and 1 lookup", st, n)
	}
	if !c.Allow("https://new.example") || c.Stats().Hits != 1 {
		t.Errorf("after the lookup: got %v, want a hit", c.Stats())
	}
}

func TestOriginCache_timeout(t *testing.T) {
	const timeout = 50 * time.Millisecond
	tests := []struct {
		name string
		// lookup blocks until its context ends or release is closed.
		honoursContext bool
	}{
		{"lookup honours its context", true},
		{"lookup ignores its context", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			var reported atomic.Value
			c, err := NewOriginCache(func(ctx context.Context, origin string) (bool, error) {
				if tt.honoursContext {
					<-ctx.Done()
					return false, ctx.Err()
				}
				<-release
				return true, nil
			}, OriginCacheOptions{Timeout: timeout, OnError: func(_ string, err error) { reported.Store(err) }})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			if c.Allow("https://slow.example") {
				t.Errorf("Allow: got true, want false after the timeout")
			}
			if d := time.Since(start); d < timeout || d > timeout+5*time.Second {
				t.Errorf("Allow took %v, want about %v", d, timeout)
			}
			if tt.honoursContext {
				// The caller may give up a moment before the lookup returns.
				waitFor(t, func() bool { return c.Stats().Errors == 1 })
				err, _ := reported.Load().(error)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("OnError: got %v, want context.DeadlineExceeded", err)
				}
				if st := c.Stats(); st.Errors != 1 {
					t.Errorf("Stats: got %v, want 1 error", st)
				}
				return
			}
			// The late answer is still cached when it comes.
			close(release)
			waitFor(t, func() bool { return c.allowed.Contains("https://slow.example") })
			if !c.Allow("https://slow.example") {
				t.Error("Allow after the late answer: got false, want true")
			}
		})
	}
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met after 5s")
		}
	}
}

func TestOriginCache_errorReported(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	var got []string
	c, err := NewOriginCache(func(context.Context, string) (bool, error) {
		return true, errSourceDown
	}, OriginCacheOptions{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		OnError: func(origin string, err error) {
			mu.Lock()
			got = append(got, origin+": "+err.Error())
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Allow("https://a.example") {
		t.Error("Allow: got true from a failed lookup, want false")
	}
	if want := []string{"https://a.example: source down"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("OnError: got %q, want %q", got, want)
	}
	line := logs.String()
	for _, want := range []string{"level=ERROR", `origin=https://a.example`, `error="source down"`} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %s", line, want)
		}
	}
}

func TestOriginCache_panic(t *testing.T) {
	var reported error
	c, err := NewOriginCache(func(context.Context, string) (bool, error) {
		panic("boom")
	}, OriginCacheOptions{OnError: func(_ string, err error) { reported = err }})
	if err != nil {
		t.Fatal(err)
	}
	if c.Allow("https://a.example") {
		t.Error("Allow: got true from a panicking lookup, want false")
	}
	if reported == nil || !strings.Contains(reported.Error(), "boom") {
		t.Errorf("OnError: got %v, want the panic", reported)
	}
}

// The cache keeps its own copy of the origin: Fiber hands out strings that
// alias buffers it reuses for the next request.
func TestOriginCache_copiesKey(t *testing.T) {
	c, src, _ := newTestCache(t, OriginCacheOptions{})
	buf := []byte("https://a.example")
	aliased := unsafe.String(&buf[0], len(buf))
	if !c.Allow(aliased) {
		t.Fatal("Allow: got false, want true")
	}
	copy(buf, "https://z.example") // the server reuses its buffer
	if !c.Allow("https://a.example") {
		t.Error("Allow after the buffer changed: got false, want true")
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("lookups: got %d, want 1 (the second call is a hit)", n)
	}
	if keys := c.allowed.Keys(); len(keys) != 1 || keys[0] != "https://a.example" {
		t.Errorf("cached keys: got %q, want [https://a.example]", keys)
	}
}

// Refusals are kept apart from allowed origins, so that a flood of made-up
// origins cannot evict the allowed ones; both stay bounded.
func TestOriginCache_bounded(t *testing.T) {
	c, src, _ := newTestCache(t, OriginCacheOptions{Size: 2, NegativeSize: 3})
	src.set("https://b.example", true)
	src.set("https://c.example", true)
	c.Allow("https://a.example")
	for i := range 100 {
		c.Allow(fmt.Sprintf("https://made-up-%d.example", i))
	}
	if got := c.refused.Len(); got != 3 {
		t.Errorf("refused entries: got %d, want 3", got)
	}
	before := src.calls.Load()
	if !c.Allow("https://a.example") || src.calls.Load() != before {
		t.Error("an allowed origin was evicted by refusals")
	}
	c.Allow("https://b.example")
	c.Allow("https://c.example")
	if got := c.allowed.Len(); got != 2 {
		t.Errorf("allowed entries: got %d, want 2", got)
	}
}

// Many origins, concurrent requests, the clock moving and Forget: for -race.
func TestOriginCache_concurrent(t *testing.T) {
	c, src, clock := newTestCache(t, OriginCacheOptions{Size: 8, TTL: time.Second, ErrorTTL: time.Millisecond})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				o := fmt.Sprintf("https://o%d.example", (g+i)%16)
				switch i % 50 {
				case 0:
					clock.advance(300 * time.Millisecond)
				case 1:
					c.Forget(o)
				case 2:
					src.set(o, i%3 == 0)
				case 3:
					c.Purge()
				}
				c.Allow(o)
			}
		})
	}
	wg.Wait()
	st := c.Stats()
	if st.Hits+st.Misses != 8*500 {
		t.Errorf("Stats: got %v, want hits+misses = %d", st, 8*500)
	}
}

// A cached answer does not allocate.
func TestOriginCache_allocs(t *testing.T) {
	tests := []struct {
		name, origin string
		want         bool
	}{
		{"allowed hit", "https://a.example", true},
		{"refused hit", "https://b.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := newTestCache(t, OriginCacheOptions{})
			c.Allow(tt.origin)
			n := testing.AllocsPerRun(1000, func() {
				if c.Allow(tt.origin) != tt.want {
					t.Fatal("wrong answer")
				}
			})
			if n != 0 {
				t.Errorf("Allow(%q) allocs: got %v, want 0", tt.origin, n)
			}
		})
	}
}

func BenchmarkOriginCache(b *testing.B) {
	const origin = "https://web.example.com"
	lookup := func(_ context.Context, o string) (bool, error) { return o == origin, nil }
	newCache := func(b *testing.B) *OriginCache {
		c, err := NewOriginCache(lookup, OriginCacheOptions{})
		if err != nil {
			b.Fatal(err)
		}
		c.Allow(origin)
		c.Allow("https://evil.example.com")
		return c
	}
	b.Run("hit", func(b *testing.B) {
		c := newCache(b)
		b.ReportAllocs()
		for b.Loop() {
			c.Allow(origin)
		}
	})
	b.Run("refused-hit", func(b *testing.B) {
		c := newCache(b)
		b.ReportAllocs()
		for b.Loop() {
			c.Allow("https://evil.example.com")
		}
	})
	b.Run("hit-parallel", func(b *testing.B) {
		c := newCache(b)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				c.Allow(origin)
			}
		})
	})
	// The same request decided with a static allow-list and with the cache
	// as OriginFunc. Decide copies the origin it hands to OriginFunc.
	facts := Facts{Method: "GET", Origin: []string{origin}, Scheme: "https", Host: "api.example.com", Path: "/posts"}
	b.Run("decide-static", func(b *testing.B) {
		p := MustCompile(Config{Origins: []string{origin}})
		b.ReportAllocs()
		for b.Loop() {
			p.Decide(facts)
		}
	})
	b.Run("decide-cached", func(b *testing.B) {
		p := MustCompile(Config{OriginFunc: newCache(b).Allow})
		b.ReportAllocs()
		for b.Loop() {
			p.Decide(facts)
		}
	})
}

// Forget must win over a lookup that answered before it and stores after
// it: the forgotten origin's stale "allowed" must not be cached.
func TestOriginCache_forgetDuringStore(t *testing.T) {
	c, _, _ := newTestCache(t, OriginCacheOptions{})
	const a = "https://a.example"
	forgotten := make(chan struct{})
	c.beforeStore = func() {
		// Forget in the window between the lookup's answer and its store.
		go func() { c.Forget(a); close(forgotten) }()
		time.Sleep(20 * time.Millisecond)
	}
	if !c.Allow(a) {
		t.Fatal("Allow: got false, want true from the source")
	}
	<-forgotten
	if c.allowed.Contains(a) {
		t.Error("the lookup's answer was cached after Forget")
	}
}

// With MaxLookups, thousands of concurrent requests from distinct origins
// never run more lookups at once; the excess is refused, counted and
// reported, and not cached.
func TestOriginCache_maxLookups(t *testing.T) {
	const limit, origins = 4, 2000
	var inFlight, peak atomic.Int64
	var shed atomic.Int64
	c, err := NewOriginCache(func(ctx context.Context, origin string) (bool, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-ctx.Done() // every lookup takes the whole Timeout
		return false, ctx.Err()
	}, OriginCacheOptions{MaxLookups: limit, Timeout: 100 * time.Millisecond, OnError: func(_ string, err error) {
		if errors.Is(err, ErrTooManyLookups) {
			shed.Add(1)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range origins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Allow(fmt.Sprintf("https://o%d.example", i))
		}()
	}
	wg.Wait()
	// Requests give up after Timeout; lookups may still be finishing.
	waitFor(t, func() bool { st := c.Stats(); return st.Lookups+st.Shed == origins && inFlight.Load() == 0 })
	if p := peak.Load(); p > limit {
		t.Errorf("lookups in flight: peak %d, want at most %d", p, limit)
	}
	st := c.Stats()
	if st.Shed == 0 || st.Shed != uint64(shed.Load()) || st.Lookups+st.Shed != origins {
		t.Errorf("Stats %v and %d reports to OnError: want %d lookups and shed lookups, each shed one reported", st, shed.Load(), origins)
	}
	if n := c.refused.Len() + c.allowed.Len(); uint64(n) > st.Lookups {
		t.Errorf("%d origins cached after %d lookups: shed origins must not be cached", n, st.Lookups)
	}
}
