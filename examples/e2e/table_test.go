package e2e_test

// The README's table of what each engine did in each scenario is made from
// a run of TestBrowser, and checked against every complete run, so that it
// cannot drift from what the browsers do.

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/corskit/corskit/examples/internal/browser"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's table of what each browser engine did from this run of TestBrowser")

// The README's table sits between these lines.
const (
	readmePath = "../../README.md"
	tableBegin = "<!-- browser table: made by `go -C examples test ./e2e -run TestBrowser -update-readme`; TestBrowser fails when it is out of date -->\n"
	tableEnd   = "<!-- end of browser table -->\n"
	updateHint = "go -C examples test ./e2e -run TestBrowser -update-readme"
)

// tableEngines are the engines the table has a column for, in order, with
// their column titles.
var tableEngines = []struct{ name, title string }{
	{browser.Chromium, "Chromium"},
	{browser.Firefox, "Firefox"},
	{browser.WebKit, "WebKit"},
}

// outcomes collects what each engine did in each scenario, for each
// adapter.
type outcomes struct {
	mu       sync.Mutex
	versions map[string]string                       // engine → version
	cells    map[string]map[string]map[string]string // engine → scenario → adapter → cell
	errors   map[string][]string                     // engine → the errors of blocked fetches
}

func newOutcomes() *outcomes {
	return &outcomes{
		versions: make(map[string]string),
		cells:    make(map[string]map[string]map[string]string),
		errors:   make(map[string][]string),
	}
}

// started notes the engine's version.
func (o *outcomes) started(engine, version string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.versions[engine] = version
}

// add notes what the engine did in the scenario for the adapter.
func (o *outcomes) add(engine, scenario, adapter string, c *checking, m mark) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cells[engine] == nil {
		o.cells[engine] = make(map[string]map[string]string)
	}
	if o.cells[engine][scenario] == nil {
		o.cells[engine][scenario] = make(map[string]string)
	}
	o.cells[engine][scenario][adapter] = cell(c, m)
	if !c.got.OK && !c.submits && !slices.Contains(o.errors[engine], c.got.Error) {
		o.errors[engine] = append(o.errors[engine], c.got.Error)
	}
}

// A mark is where a scenario's exchanges start in the recorders of its
// server: everything after it, the scenario caused.
type mark struct{ api, redirects int }

// markOf returns the mark of the server's recorders now.
func markOf(srv *e2eServer) mark {
	return mark{recorded(&srv.api.rec), recorded(&srv.redirRec)}
}

func recorded(rec *recorder) int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.list)
}

// cell says what the page could read and how many preflights the browser
// sent (to the API, or to the redirecting server in front of it) since m.
func cell(c *checking, m mark) string {
	s := "blocked"
	switch {
	case c.submits:
		s = "form sent, unreadable"
	case c.got.OK && c.got.Status == 0:
		s = "opaque (no-cors)"
	case c.got.OK:
		s = fmt.Sprintf("read (%d)", c.got.Status)
	}
	n := preflightsSince(&c.srv.api.rec, m.api) + preflightsSince(&c.srv.redirRec, m.redirects)
	switch n {
	case 0:
	case 1:
		s += ", 1 preflight"
	default:
		s += fmt.Sprintf(", %d preflights", n)
	}
	return s
}

// preflightsSince counts the preflights rec saw after its first n
// exchanges.
func preflightsSince(rec *recorder, n int) int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	count := 0
	for _, x := range rec.list[n:] {
		if x.Preflight {
			count++
		}
	}
	return count
}

// table returns the README's table, and whether every engine ran every
// scenario with every adapter.
func (o *outcomes) table(adapters []e2eAdapter) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	complete := true
	var b strings.Builder
	b.WriteString("| scenario |")
	for _, e := range tableEngines {
		fmt.Fprintf(&b, " %s |", e.title)
	}
	b.WriteString(" where an engine differs, why |\n|---|")
	for range tableEngines {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	for _, s := range allScenarios() {
		fmt.Fprintf(&b, "| %s |", s.name)
		for _, e := range tableEngines {
			text, ok := summarize(o.cells[e.name][s.name], s, adapters)
			complete = complete && ok
			fmt.Fprintf(&b, " %s |", text)
		}
		var why []string
		for _, e := range tableEngines {
			if d, ok := s.engines[e.name]; ok && e.name != browser.Chromium {
				why = append(why, e.title+": "+d.why)
			}
		}
		fmt.Fprintf(&b, " %s |\n", strings.Join(why, " "))
	}
	b.WriteString("| *a blocked `fetch()` rejects with* |")
	for _, e := range tableEngines {
		errs := slices.Clone(o.errors[e.name])
		slices.Sort(errs)
		for i, err := range errs {
			errs[i] = "`" + err + "`"
		}
		fmt.Fprintf(&b, " %s |", strings.Join(errs, ", "))
	}
	b.WriteString(" the reason is only in the browser's console |\n")
	return b.String(), complete
}

// summarize makes one cell of the table from what one engine did in one
// scenario for each adapter: the same for all, or each outcome with the
// adapters that had it. It also says whether every adapter ran.
func summarize(byAdapter map[string]string, s scenario, adapters []e2eAdapter) (string, bool) {
	complete := true
	var order []string
	who := make(map[string][]string)
	for _, a := range adapters {
		if s.slash && a.slashRequest == "" {
			continue
		}
		c, ok := byAdapter[a.name]
		if !ok {
			complete = false
			continue
		}
		if _, seen := who[c]; !seen {
			order = append(order, c)
		}
		who[c] = append(who[c], a.name)
	}
	switch len(order) {
	case 0:
		return "–", complete
	case 1:
		return order[0], complete
	}
	parts := make([]string, len(order))
	for i, c := range order {
		parts[i] = fmt.Sprintf("%s (%s)", c, strings.Join(who[c], ", "))
	}
	return strings.Join(parts, "; "), complete
}

// checkREADME compares the README's table with this run's, or rewrites it
// under -update-readme. It checks only a run in which every engine ran
// every scenario with every adapter and nothing failed.
func (o *outcomes) checkREADME(t *testing.T, adapters []e2eAdapter) {
	table, complete := o.table(adapters)
	for _, e := range tableEngines {
		if v := o.versions[e.name]; v != "" {
			t.Logf("%s: %s", e.title, v)
		}
	}
	t.Logf("what each engine did:\n%s", table)
	if !complete || t.Failed() {
		t.Logf("not every engine ran every scenario, or a scenario failed: README.md's table is not checked")
		return
	}
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	begin := strings.Index(readme, tableBegin)
	end := strings.Index(readme, tableEnd)
	if begin < 0 || end < begin {
		t.Fatalf("%s has no browser table: want it between the lines\n%s%s", readmePath, tableBegin, tableEnd)
	}
	begin += len(tableBegin)
	if readme[begin:end] == table {
		return
	}
	if *updateREADME {
		if err := os.WriteFile(readmePath, []byte(readme[:begin]+table+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the browser table of %s", readmePath)
		return
	}
	t.Errorf("the browser table of %s is not what this run saw; if the run is right, `%s` rewrites it", readmePath, updateHint)
}
