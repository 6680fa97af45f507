package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/core/policyfile"
)

// policy is the API's CORS policy: the chapter's blog, open to its own
// client page and nobody else, with cookies, except its public numbers
// under /api/public/, which any origin may read. Other origins cannot
// change anything either: their forged writes are refused. Edit it and
// restart to see what each field changes on the page.
func policy(client string) core.Config {
	return core.Config{
		Origins:               []string{client},
		Credentials:           true,
		CrossOriginProtection: true,
		Methods:               []string{"PUT", "DELETE"},
		Headers:               []string{"Content-Type", "X-Requested-With"},
		ExposeHeaders:         []string{"X-Total-Count"},
		MaxAge:                10 * time.Minute,
		PathPolicies: []core.PathPolicy{
			{Name: "public", Paths: []string{"/api/public/"}, Config: core.Config{Origins: []string{"*"}}},
		},
	}
}

// loadPolicy returns the Holder serving the API's policy: policy(), or the
// policy file at path, which is then reloaded whenever it changes or the
// demo gets SIGHUP. A file with problems is refused with every problem
// logged, and the policy before it keeps serving. Every adapter serves the
// Holder through its Dynamic constructor.
func (d *demo) loadPolicy(path string, logger *slog.Logger) (*core.Holder, error) {
	base := core.Config{Logger: logger}
	if path == "" {
		cfg := policy(d.Client)
		d.describe(cfg)
		cfg.Logger = logger
		return core.NewHolder(cfg)
	}
	h, err := policyfile.Open(path, base)
	if err != nil {
		return nil, err
	}
	d.describeFile(path)
	ctx, cancel := context.WithCancel(context.Background())
	d.stopWatch = cancel
	go func() {
		err := policyfile.Watch(ctx, path, h, policyfile.Options{
			Base:    base,
			Signals: []os.Signal{syscall.SIGHUP},
			OnReload: func(err error) {
				if err == nil {
					d.describeFile(path)
				}
			},
		})
		if err != nil {
			logger.Error("the policy file is not watched", "err", err)
		}
	}()
	return h, nil
}

// Policy describes the policy served, for the page.
func (d *demo) Policy() []string {
	if p := d.policy.Load(); p != nil {
		return *p
	}
	return nil
}

func (d *demo) describe(cfg core.Config) {
	lines := describePolicy(cfg)
	d.policy.Store(&lines)
}

func (d *demo) describeFile(path string) {
	if cfg, err := policyfile.Load(path); err == nil {
		lines := append([]string{"(from " + path + ", reloaded when it changes)"}, describePolicy(cfg)...)
		d.policy.Store(&lines)
	}
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
	if cfg.CrossOriginProtection {
		add("CrossOriginProtection", true)
	}
	for _, pp := range cfg.PathPolicies {
		lines = append(lines, fmt.Sprintf("PathPolicies: %s, for %s:", pp.Name, strings.Join(pp.Paths, ", ")))
		for _, l := range describePolicy(pp.Config) {
			lines = append(lines, "    "+l)
		}
		if len(pp.Origins) == 0 && pp.OriginFunc == nil {
			lines = append(lines, "    (nothing cross-origin)")
		}
	}
	return lines
}
