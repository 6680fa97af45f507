//go:build !race

package corsecho_test

const raceEnabled = false
