package core

import (
	"fmt"
	"strings"
	"testing"
)

// A stringSet answers as a map does, whether it lists its strings or
// keeps the map.
func TestStringSet(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, maxListed, maxListed + 1, 100} {
		m := map[string]struct{}{}
		for i := 0; i < n; i++ {
			m[fmt.Sprintf("x-header-%d", i)] = struct{}{}
		}
		s := newSet(m)
		if listed := s.m == nil; listed != (n <= maxListed) {
			t.Errorf("n=%d: listed = %v", n, listed)
		}
		var buf [maxHeaderNameLen]byte
		for _, c := range []struct {
			v         string
			has, fold bool
		}{
			{"x-header-0", n > 0, n > 0},
			{fmt.Sprintf("x-header-%d", n-1), n > 0, n > 0},
			{"X-Header-0", false, n > 0},
			{"x-header-", false, false},
			{"x-header-00", false, false},
			{fmt.Sprintf("x-header-%d", n), false, false},
			{"", false, false},
			{strings.Repeat("x", maxHeaderNameLen+1), false, false},
		} {
			if got := s.has(c.v); got != c.has {
				t.Errorf("n=%d: has(%q) = %v, want %v", n, c.v, got, c.has)
			}
			if got := s.hasLower(c.v, buf[:]); got != c.fold {
				t.Errorf("n=%d: hasLower(%q) = %v, want %v", n, c.v, got, c.fold)
			}
		}
	}
}
