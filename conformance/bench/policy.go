// Package corsbench compares corskit with other CORS middleware, in process,
// through each framework's real request path: net/http (corskit, rs/cors,
// jub0bs/cors, go-chi/cors), Gin (corskit, gin-contrib/cors), Echo v4
// (corskit, Echo's CORSWithConfig) and Fiber v2 (corskit, Fiber's cors), each
// next to the bare handler with no middleware, which is the floor.
//
// Every candidate is configured with the same [Policy], as far as it can
// express it, and is checked on every [Scenario] before it is timed: a
// candidate that answers a scenario wrongly is reported as such and not
// timed as if it were correct (see [Check]).
//
// It is a module of its own, so that the competitors never enter corskit's
// dependency graph. Run the benchmarks with
//
//	cd conformance/bench
//	go test -run '^$' -bench . -benchmem
//
// and the interleaved comparison, with tables, with
//
//	go run ./cmd/compare
package corsbench

import (
	"fmt"
	"strings"
	"time"

	"github.com/corskit/corskit/core"
)

// A Policy is the CORS policy every candidate is configured with.
type Policy struct {
	Origins     []string // exact origins
	Pattern     string   // one subdomain pattern, "https://*.example.com"
	Credentials bool
	Methods     []string
	Headers     []string
	Expose      []string
	MaxAge      int // seconds

	// Paths, if not zero, gives corskit that many path policies, with the
	// policy above serving "/api/" (the scenarios' path) as the last of
	// them and the others "/svc0/", "/svc1/", ... with an origin of their
	// own; the default policy allows nothing. The other candidates cannot
	// choose a policy by path in one middleware and get the policy alone,
	// which answers the scenarios' path the same.
	Paths int

	// CSRF turns on corskit's CrossOriginProtection, which refuses
	// cross-origin writes from origins the policy does not allow.
	CSRF bool
}

// Base is the policy of scenarios S1 to S6: three exact origins and one
// subdomain pattern, credentials, four methods, three request headers, one
// exposed header and a preflight cache of ten minutes.
var Base = Policy{
	Origins:     []string{"https://app.example.org", "https://admin.example.net", "https://partner.example.io"},
	Pattern:     "https://*.example.com",
	Credentials: true,
	Methods:     []string{"GET", "POST", "PUT", "DELETE"},
	Headers:     []string{"Authorization", "Content-Type", "X-Requested-With"},
	Expose:      []string{"X-Total-Count"},
	MaxAge:      600,
}

// WithOrigins returns Base with n exact origins instead of three, the last
// of which is Base's last origin, so that a request from it is allowed
// whatever n.
func WithOrigins(n int) Policy {
	p := Base
	p.Origins = make([]string, 0, n)
	for i := 0; i < n-1; i++ {
		p.Origins = append(p.Origins, fmt.Sprintf("https://tenant%d.example.org", i))
	}
	p.Origins = append(p.Origins, Base.Origins[len(Base.Origins)-1])
	return p
}

// AllOrigins returns the exact origins followed by the pattern.
func (p Policy) AllOrigins() []string {
	return append(p.Origins[:len(p.Origins):len(p.Origins)], p.Pattern)
}

// Corskit returns p as a corskit Config.
func (p Policy) Corskit() core.Config {
	if p.Paths > 0 {
		var cfg core.Config
		for i := range p.Paths - 1 {
			cfg.PathPolicies = append(cfg.PathPolicies, core.PathPolicy{
				Name:   fmt.Sprintf("svc%d", i),
				Paths:  []string{fmt.Sprintf("/svc%d/", i)},
				Config: core.Config{Origins: []string{fmt.Sprintf("https://svc%d.example.org", i)}},
			})
		}
		api := p
		api.Paths = 0
		cfg.PathPolicies = append(cfg.PathPolicies, core.PathPolicy{Name: "api", Paths: []string{"/api/"}, Config: api.Corskit()})
		return cfg
	}
	return core.Config{
		CrossOriginProtection: p.CSRF,
		Origins:               p.AllOrigins(),
		Credentials:           p.Credentials,
		Methods:               p.Methods,
		Headers:               p.Headers,
		ExposeHeaders:         p.Expose,
		MaxAge:                time.Duration(p.MaxAge) * time.Second,
	}
}

// Key identifies p for caching built candidates.
func (p Policy) Key() string {
	return fmt.Sprintf("%d:%s:%s:%d:%v", len(p.Origins), p.Origins[len(p.Origins)-1], strings.Join(p.Headers, ","), p.Paths, p.CSRF)
}
