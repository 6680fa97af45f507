package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// ErrCacheOptionInvalid: a [OriginCacheOptions] field that [NewOriginCache]
// cannot use, such as a negative size or duration, or a nil lookup.
var ErrCacheOptionInvalid = errors.New("invalid origin cache option")

// ErrTooManyLookups is what OriginCacheOptions.OnError gets for an origin that
// was refused without a lookup because OriginCacheOptions.MaxLookups lookups
// were in flight for the whole Timeout.
var ErrTooManyLookups = errors.New("corskit: too many origin lookups in flight; origin refused without a lookup")

// Defaults of OriginCacheOptions.
const (
	defaultCacheSize     = 10_000
	defaultCacheTTL      = time.Minute
	defaultCacheErrorTTL = time.Second
	defaultCacheTimeout  = time.Second
	defaultMaxLookups    = 16
)

// OriginCacheOptions tune an [OriginCache]. The zero OriginCacheOptions uses the
// defaults given with each field.
type OriginCacheOptions struct {
	// Size bounds how many allowed origins are remembered; the least
	// recently used one is forgotten first. Default 10,000.
	Size int

	// NegativeSize bounds how many refused origins (and failed lookups)
	// are remembered. They are kept apart from allowed origins, so that a
	// flood of made-up origins cannot push allowed ones out of the cache.
	// Default: Size.
	NegativeSize int

	// TTL is how long an "allowed" answer is trusted: removing an origin
	// from the source takes effect within TTL. Default 1 minute.
	TTL time.Duration

	// NegativeTTL is how long a "refused" answer is trusted: adding an
	// origin to the source takes effect within NegativeTTL. Default: TTL.
	NegativeTTL time.Duration

	// ErrorTTL is how long a failed lookup counts as a refusal before the
	// origin is looked up again. Keep it short: while it lasts, the origin
	// is refused even if it is allowed. Default 1 second.
	ErrorTTL time.Duration

	// Timeout bounds one lookup: its context is cancelled after Timeout,
	// and no request waits longer than Timeout for an answer. A lookup
	// that times out counts as failed. Default 1 second.
	Timeout time.Duration

	// MaxLookups bounds the lookups in flight at once, so that a flood of
	// requests from made-up origins cannot open more database connections
	// than the pool allows; keep it at or below the pool's limit.
	// Concurrent requests from one origin share one lookup. A lookup that
	// finds MaxLookups others in flight waits for one to end, for at most
	// Timeout; then the origin is refused without a lookup (fail closed),
	// counted in [OriginCacheStats].Shed, reported to OnError with
	// [ErrTooManyLookups] (not to Logger, which a flood would flood), and
	// not remembered, so that its next request asks again. Default 16.
	MaxLookups int

	// OnError, if set, is called once per failed lookup (not once per
	// waiting request) with the origin and the error. Use it to count
	// failures or raise an alert. It must be safe for concurrent use.
	OnError func(origin string, err error)

	// Logger, if set, gets one line per failed lookup at Error level.
	Logger *slog.Logger
}

// OriginCacheStats are an [OriginCache]'s counters since it was made.
// The JSON names suit expvar.Func(func() any { return cache.Stats() }).
type OriginCacheStats struct {
	Hits    uint64 `json:"hits"`    // answers from the cache, allowed or refused
	Misses  uint64 `json:"misses"`  // requests that had to wait for a lookup
	Lookups uint64 `json:"lookups"` // calls to the lookup function; concurrent misses of one origin share one call
	Errors  uint64 `json:"errors"`  // lookups that failed, timed out or panicked
	Shed    uint64 `json:"shed"`    // origins refused without a lookup: MaxLookups were in flight
}

// An OriginCache answers "is this origin allowed?" from a slow source, such
// as a database, without asking the source on every request. Use its Allow
// method as Config.OriginFunc:
//
//	cache, err := core.NewOriginCache(lookup, core.OriginCacheOptions{TTL: 30 * time.Second})
//	…
//	cfg := core.Config{OriginFunc: cache.Allow}
//
// Answers are remembered for OriginCacheOptions.TTL (allowed) or NegativeTTL
// (refused), in two bounded least-recently-used caches. Concurrent requests
// from an origin that is not cached wait for one shared lookup. A lookup
// that fails or exceeds OriginCacheOptions.Timeout refuses the origin (fail
// closed), is reported through OnError and Logger, and is retried after
// ErrorTTL.
//
// An OriginCache is safe for concurrent use. A cached answer costs a map
// lookup under a mutex and does not allocate.
type OriginCache struct {
	lookup  func(ctx context.Context, origin string) (bool, error)
	allowed *lru.Cache[string, cacheEntry]
	refused *lru.Cache[string, cacheEntry] // refusals and failed lookups
	group   singleflight.Group

	ttl, negativeTTL, errorTTL, timeout time.Duration
	onError                             func(string, error)
	logger                              *slog.Logger

	// gen changes on Forget and Purge. A lookup that started before the
	// change does not store its answer, which may predate the change. mu
	// makes a lookup's check of gen and its store one step, so that a
	// Forget cannot fall between them.
	mu  sync.Mutex
	gen atomic.Uint64

	// slots holds a token per lookup in flight, at most MaxLookups.
	slots chan struct{}

	hits, misses, lookups, errors, shed atomic.Uint64

	now         func() time.Time // time.Now; tests replace it
	joined      func()           // tests only: called once a miss has joined its lookup
	beforeStore func()           // tests only: called just before a lookup's answer is stored
}

type cacheEntry struct {
	expires time.Time
}

// NewOriginCache returns an OriginCache that asks lookup about origins it
// has no fresh answer for. lookup gets its own copy of the origin and a
// context that is cancelled after opts.Timeout; it must honour the context
// and be safe for concurrent use. It returns whether the origin is allowed,
// or an error if it cannot tell, in which case the origin is refused.
//
// If lookup is nil or opts has a negative value, NewOriginCache returns
// every problem, each a [*ConfigError] wrapping [ErrCacheOptionInvalid].
func NewOriginCache(lookup func(ctx context.Context, origin string) (bool, error), opts OriginCacheOptions) (*OriginCache, error) {
	var ps problems
	if lookup == nil {
		ps.add("lookup", "", ErrCacheOptionInvalid, "nil", "pass the function that looks an origin up")
	}
	size := cacheDefault("OriginCacheOptions.Size", opts.Size, defaultCacheSize, &ps)
	negativeSize := cacheDefault("OriginCacheOptions.NegativeSize", opts.NegativeSize, size, &ps)
	ttl := cacheDefault("OriginCacheOptions.TTL", opts.TTL, defaultCacheTTL, &ps)
	negativeTTL := cacheDefault("OriginCacheOptions.NegativeTTL", opts.NegativeTTL, ttl, &ps)
	errorTTL := cacheDefault("OriginCacheOptions.ErrorTTL", opts.ErrorTTL, defaultCacheErrorTTL, &ps)
	timeout := cacheDefault("OriginCacheOptions.Timeout", opts.Timeout, defaultCacheTimeout, &ps)
	maxLookups := cacheDefault("OriginCacheOptions.MaxLookups", opts.MaxLookups, defaultMaxLookups, &ps)
	if len(ps) > 0 {
		return nil, errors.Join(ps...)
	}
	c := &OriginCache{
		lookup:      lookup,
		ttl:         ttl,
		negativeTTL: negativeTTL,
		errorTTL:    errorTTL,
		timeout:     timeout,
		onError:     opts.OnError,
		logger:      opts.Logger,
		slots:       make(chan struct{}, maxLookups),
		now:         time.Now,
	}
	var err error
	if c.allowed, err = lru.New[string, cacheEntry](size); err != nil {
		return nil, err
	}
	if c.refused, err = lru.New[string, cacheEntry](negativeSize); err != nil {
		return nil, err
	}
	return c, nil
}

// cacheDefault returns v, or def if v is zero, after checking that v is not
// negative.
func cacheDefault[T int | time.Duration](field string, v, def T, ps *problems) T {
	switch {
	case v < 0:
		ps.add(field, fmt.Sprint(v), ErrCacheOptionInvalid, "negative", "leave it 0 for the default "+fmt.Sprint(def))
		return def
	case v == 0:
		return def
	}
	return v
}

// Allow reports whether origin is allowed, from the cache if it has a
// fresh answer, else by looking it up. It waits at most OriginCacheOptions.Timeout
// and returns false if the lookup fails or takes longer. The empty string
// and values longer than 512 bytes, which are never origins, are refused
// without a lookup.
//
// Allow does not keep origin: it may alias a buffer the caller reuses. A
// cached answer does not allocate.
func (c *OriginCache) Allow(origin string) bool {
	if origin == "" || len(origin) > maxOriginLen {
		return false
	}
	now := c.now()
	// A fresh answer is in at most one of the two caches: store removes the
	// origin from the other one.
	if e, ok := c.allowed.Get(origin); ok && now.Before(e.expires) {
		c.hits.Add(1)
		return true
	}
	if e, ok := c.refused.Get(origin); ok && now.Before(e.expires) {
		c.hits.Add(1)
		return false
	}
	c.misses.Add(1)
	return c.wait(origin)
}

// wait joins or starts the lookup of origin and waits for its answer for
// at most the timeout.
func (c *OriginCache) wait(origin string) bool {
	// The key outlives this call, in the singleflight group and in the
	// cache, so it must not alias the caller's buffer (Fiber reuses them).
	key := strings.Clone(origin)
	ch := c.group.DoChan(key, func() (any, error) { return c.fetch(key), nil })
	if c.joined != nil {
		c.joined()
	}
	// The lookup's own context has the same deadline; this timer only
	// matters for a lookup that ignores its context. Such a lookup keeps
	// running, and its answer is still cached when it comes.
	t := time.NewTimer(c.timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.Val.(bool)
	case <-t.C:
		return false
	}
}

// fetch calls lookup for origin, remembers the answer and returns it.
// Precondition: origin is the caller's own copy.
func (c *OriginCache) fetch(origin string) bool {
	gen := c.gen.Load()
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		c.shed.Add(1)
		if c.onError != nil {
			c.onError(origin, ErrTooManyLookups)
		}
		return false
	}
	c.lookups.Add(1)
	ok, err := c.call(ctx, origin)
	ttl := c.negativeTTL
	switch {
	case err != nil:
		// Fail closed: an origin nobody could vouch for is refused. The
		// refusal is remembered only briefly, so that an outage of the
		// source does not turn into minutes of refusals after it ends,
		// while a broken source is not hammered by every request.
		ok, ttl = false, c.errorTTL
		c.errors.Add(1)
		c.reportError(origin, err)
	case ok:
		ttl = c.ttl
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() == gen {
		if c.beforeStore != nil {
			c.beforeStore()
		}
		c.store(origin, ok, ttl)
	}
	return ok
}

// call runs the lookup, turning a panic into an error: the lookup runs on a
// goroutine of its own (see singleflight.Group.DoChan), where a panic would
// end the program rather than one request.
func (c *OriginCache) call(ctx context.Context, origin string) (ok bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			ok, err = false, fmt.Errorf("corskit: origin lookup panicked: %v", v)
		}
	}()
	ok, err = c.lookup(ctx, origin)
	if err == nil && !ok && ctx.Err() != nil {
		// A lookup that honours its context may report a timeout as a
		// plain "no"; it is a failure all the same.
		err = ctx.Err()
	}
	return ok, err
}

func (c *OriginCache) store(origin string, ok bool, ttl time.Duration) {
	e := cacheEntry{expires: c.now().Add(ttl)}
	if ok {
		c.refused.Remove(origin)
		c.allowed.Add(origin, e)
	} else {
		c.allowed.Remove(origin)
		c.refused.Add(origin, e)
	}
}

func (c *OriginCache) reportError(origin string, err error) {
	if c.onError != nil {
		c.onError(origin, err)
	}
	if c.logger != nil {
		c.logger.LogAttrs(context.Background(), slog.LevelError, "corskit: origin lookup failed; refusing the origin",
			slog.String("origin", origin),
			slog.String("error", err.Error()),
			slog.String("retry_after", c.errorTTL.String()))
	}
}

// Forget drops what the cache knows about origin, so that the next request
// from it is looked up. Call it after changing the origin in the source,
// for the change to take effect at once in this process; other processes
// see it within their TTL, or at once if a change feed (such as
// PostgreSQL's LISTEN/NOTIFY, or a message bus) calls Forget in each of
// them, and Purge when it reconnects after missing changes. A lookup of origin already under way is not
// cached and not shared with later requests.
func (c *OriginCache) Forget(origin string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	c.group.Forget(origin)
	c.allowed.Remove(origin)
	c.refused.Remove(origin)
}

// Purge drops every cached answer. Lookups already under way are not
// cached.
func (c *OriginCache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	c.allowed.Purge()
	c.refused.Purge()
}

// Stats returns the cache's counters. Each is read atomically, but not all
// of them at one instant.
func (c *OriginCache) Stats() OriginCacheStats {
	return OriginCacheStats{
		Hits:    c.hits.Load(),
		Misses:  c.misses.Load(),
		Lookups: c.lookups.Load(),
		Errors:  c.errors.Load(),
		Shed:    c.shed.Load(),
	}
}

// String reads, for example, "hits=120 misses=3 lookups=2 errors=0 shed=0".
func (s OriginCacheStats) String() string {
	return "hits=" + strconv.FormatUint(s.Hits, 10) +
		" misses=" + strconv.FormatUint(s.Misses, 10) +
		" lookups=" + strconv.FormatUint(s.Lookups, 10) +
		" errors=" + strconv.FormatUint(s.Errors, 10) +
		" shed=" + strconv.FormatUint(s.Shed, 10)
}
