package conformance

import (
	"strings"
	"testing"
)

// families maps each family of rows to the DESIGN.md rule it pins down.
var families = map[string]int{
	"classification":  1,
	"origins":         2,
	"credentials":     3,
	"vary":            4,
	"preflight":       5,
	"actual":          6,
	"maxage":          7,
	"expose":          8,
	"private-network": 9,
	"bad-input":       10,
	"layers":          10,
	"routing":         11,
	"observability":   12,
}

// TestCases checks the table itself: every rule has rows, names are unique
// and filterable, and each row is well formed.
func TestCases(t *testing.T) {
	t.Parallel()
	cases := Cases()
	if len(cases) < 150 {
		t.Errorf("the table has %d rows, want at least 150", len(cases))
	}
	perRule := map[int]int{}
	seen := map[string]bool{}
	for _, c := range cases {
		family, situation, ok := strings.Cut(c.Name, "/")
		switch {
		case !ok || situation == "" || strings.Contains(situation, "/"):
			t.Errorf("%q: want a name of the form family/situation", c.Name)
		case seen[c.Name]:
			t.Errorf("%q: name used twice", c.Name)
		case family == "config":
			if c.ConfigError == nil {
				t.Errorf("%q: a config row needs a ConfigError", c.Name)
			}
		case families[family] == 0:
			t.Errorf("%q: unknown family %q", c.Name, family)
		case families[family] != c.Rule:
			t.Errorf("%q: Rule %d, want %d for family %q", c.Name, c.Rule, families[family], family)
		}
		seen[c.Name] = true
		if c.Rule < 1 || c.Rule > 12 {
			t.Errorf("%q: Rule %d is not one of DESIGN.md's rules 1 to 12", c.Name, c.Rule)
		}
		perRule[c.Rule]++
		if c.ConfigError != nil {
			if c.Status != 0 || c.Handler || c.Want != nil || c.Request.Method != "" {
				t.Errorf("%q: a config row sends nothing and expects nothing", c.Name)
			}
			continue
		}
		if c.Status == 0 {
			t.Errorf("%q: no expected status", c.Name)
		}
		if len(c.Request.Header)%2 != 0 {
			t.Errorf("%q: Request.Header must hold name, value pairs", c.Name)
		}
		if c.Request.Method == "" {
			t.Errorf("%q: no request method", c.Name)
		}
	}
	for rule := 1; rule <= 12; rule++ {
		if perRule[rule] < 3 {
			t.Errorf("rule %d has %d rows, want at least 3", rule, perRule[rule])
		}
	}
}

// TestCases_fresh: each call builds the rows anew, so a caller changing one
// row does not change the next caller's table.
func TestCases_fresh(t *testing.T) {
	t.Parallel()
	a := Cases()
	a[0].Name = "changed"
	for k := range a[0].Want {
		a[0].Want[k] = "changed"
	}
	b := Cases()
	if b[0].Name == "changed" {
		t.Error("Cases returned the same slice twice")
	}
	for k, v := range b[0].Want {
		if v == "changed" {
			t.Errorf("Want[%q] shared between calls", k)
		}
	}
}
