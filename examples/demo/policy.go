package main

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/corskit/corskit/core"
)

// policy is the API's CORS policy: the chapter's blog, open to its own
// client page and nobody else, with cookies. Edit it and restart to see
// what each field changes on the page.
func policy(client string) core.Config {
	return core.Config{
		Origins:       []string{client},
		Credentials:   true,
		Methods:       []string{"PUT", "DELETE"},
		Headers:       []string{"Content-Type", "X-Requested-With"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        10 * time.Minute,
	}
}

// newHolder is where the API's policy comes from: policy, plus the logger
// that explains each refusal. Every adapter serves the Holder through its
// Dynamic constructor, so the policy can be replaced while the demo runs
// (holder.Reconfigure). A policy file would be read here instead, with
// logger passed in the base Config.
func newHolder(client string, logger *slog.Logger) (*core.Holder, error) {
	cfg := policy(client)
	cfg.Logger = logger
	return core.NewHolder(cfg)
}

// describePolicy lists the fields of cfg that are set, for the page.
func describePolicy(cfg core.Config) []string {
	var lines []string
	add := func(name string, v any) { lines = append(lines, fmt.Sprintf("%s: %v", name, v)) }
	list := func(name string, v []string) {
		if len(v) > 0 {
			add(name, "["+strings.Join(v, ", ")+"]")
		}
	}
	list("Origins", cfg.Origins)
	if cfg.Credentials {
		add("Credentials", true)
	}
	list("Methods", cfg.Methods)
	list("Headers", cfg.Headers)
	list("ExposeHeaders", cfg.ExposeHeaders)
	if cfg.MaxAge != 0 {
		add("MaxAge", cfg.MaxAge)
	}
	if cfg.NoPreflightCache {
		add("NoPreflightCache", true)
	}
	if cfg.RejectDisallowed {
		add("RejectDisallowed", true)
	}
	return lines
}
