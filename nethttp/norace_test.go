//go:build !race

package corshttp_test

const raceEnabled = false
