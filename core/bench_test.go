package core

import (
	"fmt"
	"strings"
	"testing"
)

// bigAllowList returns n exact origins, the last of which is the one
// benchmark requests use, and m subdomain patterns.
func bigAllowList(n, m int) Config {
	cfg := allowList
	cfg.Origins = nil
	for i := 0; i < n-1; i++ {
		cfg.Origins = append(cfg.Origins, fmt.Sprintf("https://app%d.example.com", i))
	}
	for i := m - 1; i >= 0; i-- {
		cfg.Origins = append(cfg.Origins, fmt.Sprintf("https://*.tenant%d.example.net", i))
	}
	cfg.Origins = append(cfg.Origins, "https://web.example.com")
	return cfg
}

func BenchmarkDecide(b *testing.B) {
	paths := []struct {
		name  string
		facts Facts
	}{
		{"no-origin", Facts{Method: "GET"}},
		{"actual-allowed", get("https://web.example.com")},
		{"actual-denied", get("https://evil.example.com")},
		{"actual-pattern", get("https://a.b.tenant0.example.net")},
		{"preflight-allowed", preflight("https://web.example.com", "PUT", "content-type,x-requested-with")},
		{"preflight-denied", preflight("https://web.example.com", "PUT", "content-type,x-foo")},
		{"preflight-comma-bomb", preflight("https://web.example.com", "PUT", strings.Repeat(",", 100_000))},
		{"preflight-1000-names", preflight("https://web.example.com", "PUT", thousandNames)},
	}
	for _, size := range []struct{ origins, patterns int }{{1, 1}, {100, 10}, {10_000, 100}} {
		p := MustCompile(bigAllowList(size.origins, size.patterns))
		for _, path := range paths {
			b.Run(fmt.Sprintf("path=%s/origins=%d", path.name, size.origins), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					p.Decide(path.facts)
				}
			})
		}
	}
}

var thousandNames = func() string {
	names := make([]string, 1000)
	for i := range names {
		names[i] = fmt.Sprintf("x-header-%d", i)
	}
	return strings.Join(names, ",")
}()
