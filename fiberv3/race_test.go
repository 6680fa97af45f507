//go:build race

package corsfiberv3_test

// The race detector makes sync.Pool drop items at random, so that the
// framework allocates contexts it would otherwise reuse: TestAllocs then
// measures nothing about corskit.
const raceEnabled = true
