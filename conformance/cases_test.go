package conformance

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A rule is one section of docs/behaviour.md.
type rule struct {
	title    string
	families []string
}

var (
	ruleHeading = regexp.MustCompile(`(?m)^## Rule (\d+): (.+)$`)
	rowsLine    = regexp.MustCompile("(?m)^Rows: (.+)$")
	family      = regexp.MustCompile("`([a-z-]+)`")
)

// readRules reads the rules of the behaviour specification and the row
// families each names.
func readRules(t *testing.T) map[int]rule {
	t.Helper()
	doc, err := os.ReadFile("../docs/behaviour.md")
	if err != nil {
		t.Fatalf("the behaviour specification: %v", err)
	}
	text := string(doc)
	rules := map[int]rule{}
	headings := ruleHeading.FindAllStringSubmatchIndex(text, -1)
	for i, h := range headings {
		n, _ := strconv.Atoi(text[h[2]:h[3]])
		end := len(text)
		if i+1 < len(headings) {
			end = headings[i+1][0]
		}
		section := text[h[1]:end]
		r := rule{title: text[h[4]:h[5]]}
		if m := rowsLine.FindStringSubmatch(section); m != nil {
			for _, f := range family.FindAllStringSubmatch(m[1], -1) {
				r.families = append(r.families, f[1])
			}
		}
		if len(r.families) == 0 {
			t.Errorf("docs/behaviour.md, rule %d: no line \"Rows: `family`\"", n)
		}
		if !strings.Contains(section, "Why: ") {
			t.Errorf("docs/behaviour.md, rule %d: no paragraph saying why", n)
		}
		rules[n] = r
	}
	if len(rules) == 0 {
		t.Fatal("docs/behaviour.md has no \"## Rule N: title\" headings")
	}
	return rules
}

// TestCases checks the table against the specification: every rule has
// rows, every row cites a rule of the specification, belongs to one of
// that rule's families and says why it is there; names are unique and
// filterable.
func TestCases(t *testing.T) {
	t.Parallel()
	rules := readRules(t)
	familyRule := map[string]int{}
	for n, r := range rules {
		for _, f := range r.families {
			familyRule[f] = n
		}
	}
	perRule := map[int]int{}
	seen := map[string]bool{}
	for _, c := range rows() {
		fam, situation, ok := strings.Cut(c.Name, "/")
		switch {
		case !ok || situation == "" || strings.Contains(situation, "/"):
			t.Errorf("%q: want a name of the form family/situation", c.Name)
		case seen[c.Name]:
			t.Errorf("%q: name used twice", c.Name)
		}
		seen[c.Name] = true
		if _, ok := rules[c.Rule]; !ok {
			t.Errorf("%q: Rule %d is not a rule of docs/behaviour.md", c.Name, c.Rule)
		} else if familyRule[fam] != c.Rule {
			t.Errorf("%q: family %q is not listed under rule %d (%s) in docs/behaviour.md", c.Name, fam, c.Rule, rules[c.Rule].title)
		}
		if why := c.Why; why == "" || !strings.HasSuffix(why, ".") || strings.Contains(strings.TrimSuffix(why, "."), ". ") || len(why) > 240 {
			t.Errorf("%q: Why must be one sentence of at most 240 bytes, ending in a full stop; got %q", c.Name, why)
		}
		perRule[c.Rule]++
		if c.Status == 0 && c.Routed == nil {
			t.Errorf("%q: no expected status", c.Name)
		}
		if c.Routed != nil && len(c.Routed) != len(frameworks) {
			t.Errorf("%q: Routed must say, for each of %v, whether its router runs the handler", c.Name, frameworks)
		}
		if len(c.Request.Header)%2 != 0 {
			t.Errorf("%q: Request.Header must hold name, value pairs", c.Name)
		}
		if c.Request.Method == "" {
			t.Errorf("%q: no request method", c.Name)
		}
	}
	for n, r := range rules {
		if perRule[n] < 3 {
			t.Errorf("rule %d (%s) has %d rows, want at least 3", n, r.title, perRule[n])
		}
	}
}

// TestRows_fresh: each call builds the rows anew, so a caller changing one
// row does not change the next caller's table.
func TestRows_fresh(t *testing.T) {
	t.Parallel()
	a := rows()
	a[0].Name = "changed"
	for k := range a[0].Want {
		a[0].Want[k] = "changed"
	}
	b := rows()
	if b[0].Name == "changed" {
		t.Error("rows returned the same slice twice")
	}
	for k, v := range b[0].Want {
		if v == "changed" {
			t.Errorf("Want[%q] shared between calls", k)
		}
	}
}

// frameworks are the names a FrameworkHarness may give, one per adapter.
var frameworks = []string{"nethttp", "gin", "echo", "echov5", "fiber", "fiberv3"}
