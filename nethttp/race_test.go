//go:build race

package corshttp_test

// The race detector makes sync.Pool drop items at random, so that the
// pooled blocks Apply carves header values from are allocated again and
// again: TestMiddleware_allocs then measures the race detector.
const raceEnabled = true
