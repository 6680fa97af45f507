//go:build !race

package corsechov5_test

const raceEnabled = false
