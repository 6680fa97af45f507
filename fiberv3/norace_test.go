//go:build !race

package corsfiberv3_test

const raceEnabled = false
