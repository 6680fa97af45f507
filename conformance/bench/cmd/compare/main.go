// Command compare times corskit against the other CORS middleware of each
// framework, interleaved, and prints one table per framework.
//
//	cd conformance/bench
//	go run ./cmd/compare                  # every framework and scenario
//	go run ./cmd/compare -rounds 31 -framework nethttp,gin -scenario S2,S4
//	go run ./cmd/compare -benchstat 10    # also go test -bench -count 10 | benchstat
//
// Every candidate is first checked on every scenario (see corsbench.Check);
// one that answers wrongly is listed as such and not timed. Then, in each of
// -rounds rounds, every scenario runs every candidate of a framework in a
// fresh random order for about -slice of wall time. The tables give the
// median over the rounds of ns/op, and of the overhead over the bare
// handler measured in the same round, so that a machine busy with other
// work in one round moves the floor and the candidates together. B/op and
// allocs/op come from runtime.MemStats over all rounds. After timing, each
// middleware is checked for handing a handler header values that other
// requests share (rs/cors#198); the check column says so.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	corsbench "github.com/corskit/corskit/conformance/bench"
)

func main() {
	rounds := flag.Int("rounds", 15, "interleaved rounds; the tables show medians over them")
	slice := flag.Duration("slice", 4*time.Millisecond, "time each candidate runs per round and scenario")
	frameworks := flag.String("framework", strings.Join(corsbench.Frameworks, ","), "comma-separated frameworks")
	scenarios := flag.String("scenario", "", "comma-separated scenarios (default all)")
	benchstat := flag.Int("benchstat", 0, "if > 0, also run go test -bench with this -count and print benchstat's summary")
	flag.Parse()

	var wantScenario []string
	if *scenarios != "" {
		wantScenario = strings.Split(*scenarios, ",")
	}
	fmt.Printf("corskit comparison, %s, %s/%s, GOMAXPROCS=%d, %d rounds of %v per candidate\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), *rounds, *slice)
	fmt.Printf("machine: %s; load before: %s\n", cpuModel(), loadavg())
	start := time.Now()
	var summary []string
	for _, fw := range strings.Split(*frameworks, ",") {
		summary = append(summary, compare(os.Stdout, fw, wantScenario, *rounds, *slice)...)
	}
	fmt.Printf("\ntargets (overheads are medians over the rounds, each against the bare handler of the same round):\n")
	for _, s := range summary {
		fmt.Println(s)
	}
	fmt.Printf("\nload after: %s; took %v\n", loadavg(), time.Since(start).Round(time.Second))
	if *benchstat > 0 {
		runBenchstat(*benchstat, *frameworks, *scenarios)
	}
}

// A row is one candidate on one scenario.
type row struct {
	t         *corsbench.Target
	n         int       // iterations per slice
	ns        []float64 // per round
	over      []float64 // per round, over the bare handler of the same round
	mallocs   uint64
	bytes     uint64
	totalIter uint64
	shares    bool // hands the handler header values shared with other requests
}

func compare(out io.Writer, fw string, wantScenario []string, rounds int, slice time.Duration) (summary []string) {
	cands := corsbench.Candidates(fw)
	if len(cands) == 0 {
		fmt.Fprintf(out, "\n== %s: no candidates\n", fw)
		return nil
	}
	var scen []corsbench.Scenario
	for _, s := range corsbench.Scenarios() {
		if len(wantScenario) == 0 || slices.Contains(wantScenario, s.Name) {
			scen = append(scen, s)
		}
	}
	table := make([][]*row, len(scen)) // [scenario][candidate]
	for i, s := range scen {
		for _, c := range cands {
			r := &row{t: corsbench.Prepare(c, s)}
			if r.t.Timed() {
				r.n = calibrate(r.t.Runner.Run, slice)
			}
			table[i] = append(table[i], r)
		}
	}
	for round := 0; round < rounds; round++ {
		for _, rows := range table {
			order := rand.Perm(len(rows))
			for _, k := range order {
				r := rows[k]
				if r.t.Timed() {
					measure(r)
				}
			}
			bare := rows[0]
			for _, r := range rows {
				if r.t.Timed() && bare.t.Timed() {
					r.over = append(r.over, r.ns[len(r.ns)-1]-bare.ns[len(bare.ns)-1])
				}
			}
		}
		runtime.GC()
	}

	// Only now, after timing: the check lets a handler overwrite the values
	// it was given, which for a library that shares them corrupts every
	// later response of the process (rs/cors shares package variables).
	for i, s := range scen {
		for _, r := range table[i] {
			if r.t.Timed() && !r.t.Candidate.Bare() && s.Request.Method != "OPTIONS" {
				r.shares, _ = corsbench.SharesValues(r.t.Candidate, s)
			}
		}
	}

	fmt.Fprintf(out, "\n== %s ==\n", fw)
	for _, c := range cands {
		fmt.Fprintf(out, "   %-18s %s\n", c.Name, c.Module)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tcandidate\tns/op\tB/op\tallocs/op\toverhead ns\tcorskit÷this\t\tcheck")
	for i, s := range scen {
		rows := table[i]
		var kit *row
		for _, r := range rows {
			if r.t.Candidate.Name == "corskit" {
				kit = r
			}
		}
		for j, r := range rows {
			name := ""
			if j == 0 {
				name = s.Name
			}
			check := "ok"
			if r.shares {
				check = "ok but SHARES values across requests (rs/cors#198)"
			}
			if r.t.Err != nil {
				check = "cannot express the policy: " + short(r.t.Err.Error())
			} else if !r.t.Verdict.OK {
				check = "WRONG, not timed: " + short(r.t.Verdict.Problem)
			} else if len(r.t.Verdict.Notes) > 0 {
				check += "; " + strings.Join(r.t.Verdict.Notes, "; ")
			}
			if !r.t.Timed() {
				fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t-\t\t%s\n", name, r.t.Candidate.Name, check)
				continue
			}
			over, ratio := "-", "-"
			if !r.t.Candidate.Bare() && len(r.over) > 0 {
				over = fmt.Sprintf("%+.1f", median(r.over))
				if !r.t.Candidate.Ours() && kit != nil && kit.t.Timed() {
					ratio = ratioString(median(kit.over), median(r.over))
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.0f\t%.2f\t%s\t%s\t\t%s\n", name, r.t.Candidate.Name,
				median(r.ns), float64(r.bytes)/float64(r.totalIter), float64(r.mallocs)/float64(r.totalIter), over, ratio, check)
		}
		summary = append(summary, target(fw, s, rows, kit))
		for _, r := range rows {
			if r.t.Candidate.Name == "corskit-wrap" && r.t.Timed() {
				summary = append(summary, target(fw, s, rows, r))
			}
		}
	}
	tw.Flush()
	return append(summary, shapeTargets(fw, scen, table)...)
}

// target checks corskit's overhead on s against the brief: at most half
// the fastest correct competitor's (at most equal for S1, where nothing is
// to be done), and against the fastest one that does not hand handlers
// shared values too.
func target(fw string, s corsbench.Scenario, rows []*row, kit *row) string {
	if kit == nil || !kit.t.Timed() {
		return fmt.Sprintf("  %-8s %-16s corskit not timed", fw, s.Name)
	}
	factor := 0.5
	if s.Name == "S1" {
		factor = 1
	}
	ours := median(kit.over)
	verdict := func(best float64) string {
		if ours <= 0 || ours <= factor*best {
			return "MET"
		}
		return "not met"
	}
	line := fmt.Sprintf("  %-8s %-16s %-12s %+7.1f ns (%.2f allocs/op); want ≤ %.1f× the fastest competitor:", fw, s.Name, kit.t.Candidate.Name, ours, kit.allocs(), factor)
	best, safe := fastest(rows, false), fastest(rows, true)
	if best == nil {
		return line + " no correct competitor"
	}
	line += fmt.Sprintf(" %s %+.1f ns: %s", best.t.Candidate.Name, median(best.over), verdict(median(best.over)))
	if safe != nil && safe != best {
		line += fmt.Sprintf("; of those that share no values, %s %+.1f ns: %s", safe.t.Candidate.Name, median(safe.over), verdict(median(safe.over)))
	} else if safe == nil {
		line += "; every competitor shares values"
	}
	return line
}

// fastest returns the correct competitor with the least overhead, only
// among those that do not share values if safe is set.
func fastest(rows []*row, safe bool) *row {
	var best *row
	for _, r := range rows {
		c := r.t.Candidate
		if c.Ours() || c.Bare() || !r.t.Timed() || len(r.over) == 0 || safe && r.shares {
			continue
		}
		if best == nil || median(r.over) < median(best.over) {
			best = r
		}
	}
	return best
}

func (r *row) allocs() float64 { return float64(r.mallocs) / float64(r.totalIter) }

// shapeTargets checks the targets that compare corskit with itself:
// allocations per path, S6 against S5 and across sizes, S7 across sizes,
// S8 (path policies) against S2.
func shapeTargets(fw string, scen []corsbench.Scenario, table [][]*row) []string {
	get := func(name, cand string) *row {
		for i, s := range scen {
			if s.Name != name {
				continue
			}
			for _, r := range table[i] {
				if r.t.Candidate.Name == cand && r.t.Timed() {
					return r
				}
			}
		}
		return nil
	}
	var out []string
	mark := func(ok bool) string {
		if ok {
			return "MET"
		}
		return "not met"
	}
	// Allocations.
	var parts []string
	allocOK := true
	for _, s := range scen {
		k := get(s.Name, "corskit")
		if k == nil {
			continue
		}
		limit := 0.0
		switch fw {
		case "nethttp", "gin":
			if s.Name == "S2" || s.Name == "S4" || strings.HasPrefix(s.Name, "S7") || strings.HasPrefix(s.Name, "S8") || s.Name == "S9-csrf" {
				limit = 1
			}
		case "echo":
			if b := get(s.Name, "bare"); b != nil {
				limit = b.allocs() + 1
			}
		case "fiber":
			if s.Request.Method == "OPTIONS" {
				limit = -1 // no target for preflights
			}
		}
		if limit >= 0 && k.allocs() > limit+0.05 {
			allocOK = false
		}
		parts = append(parts, fmt.Sprintf("%s %.2f", s.Name, k.allocs()))
	}
	rule := map[string]string{
		"nethttp": "≤ 1 on allowed actual and preflight, 0 elsewhere",
		"gin":     "≤ 1 on allowed actual and preflight, 0 elsewhere",
		"echo":    "≤ Echo's bare + 1",
		"fiber":   "0 on actual requests",
	}[fw]
	out = append(out, fmt.Sprintf("  %-8s allocs/op (%s): %s: %s", fw, rule, strings.Join(parts, ", "), mark(allocOK)))
	if fw == "echo" {
		if b := get("S2", "bare-pre"); b != nil {
			out = append(out, fmt.Sprintf("  %-8s   (any e.Pre middleware costs Echo itself %.2f allocs/op: bare-pre on S2)", fw, b.allocs()))
		}
		parts, allocOK = nil, true
		for _, s := range scen {
			w, b := get(s.Name, "corskit-wrap"), get(s.Name, "bare")
			if w == nil || b == nil {
				continue
			}
			if w.allocs() > b.allocs()+1.05 {
				allocOK = false
			}
			parts = append(parts, fmt.Sprintf("%s %.2f", s.Name, w.allocs()))
		}
		if parts != nil {
			out = append(out, fmt.Sprintf("  %-8s allocs/op with corsecho.Wrap (%s): %s: %s", fw, rule, strings.Join(parts, ", "), mark(allocOK)))
		}
	}
	// S6 against S5, and 1 KB against 100 KB. The cost compared is the
	// whole request's, ns/op: where corskit refuses a preflight before the
	// router runs, its overhead over the bare handler is near zero or
	// negative, and a ratio of two such overheads is noise.
	if s5 := get("S5", "corskit"); s5 != nil {
		n5, o5 := median(s5.ns), median(s5.over)
		for _, n := range []string{"S6-commas10000", "S6-names1000", "S6-1KB", "S6-100KB"} {
			if r := get(n, "corskit"); r != nil {
				ns, o := median(r.ns), median(r.over)
				out = append(out, fmt.Sprintf("  %-8s %-16s %.1f ns/op vs S5 %.1f ns/op: %.2f× (want ≤ 2×): %s (overheads %+.1f and %+.1f ns)", fw, n, ns, n5, ns/n5, mark(ns <= 2*n5), o, o5))
			}
		}
	}
	if a, b := get("S6-1KB", "corskit"), get("S6-100KB", "corskit"); a != nil && b != nil {
		out = append(out, fmt.Sprintf("  %-8s S6 1 KB -> 100 KB  %.1f -> %.1f ns/op, %.0f -> %.0f B/op (want no growth): %s", fw,
			median(a.ns), median(b.ns), float64(a.bytes)/float64(a.totalIter), float64(b.bytes)/float64(b.totalIter),
			mark(median(b.ns) <= 1.1*median(a.ns) && b.bytes/b.totalIter <= a.bytes/a.totalIter)))
	}
	if one := get("S7-origins1", "corskit"); one != nil {
		for _, n := range []string{"S7-origins1000", "S7-origins10000"} {
			if r := get(n, "corskit"); r != nil {
				out = append(out, fmt.Sprintf("  %-8s %-16s %.1f ns/op vs %.1f with one origin: %.2f× (want ≤ 1.2×): %s", fw, n,
					median(r.ns), median(one.ns), median(r.ns)/median(one.ns), mark(median(r.ns) <= 1.2*median(one.ns))))
			}
		}
	}
	if s2 := get("S2", "corskit"); s2 != nil {
		for _, n := range []string{"S8-paths1", "S8-paths10", "S8-paths100"} {
			if r := get(n, "corskit"); r != nil {
				out = append(out, fmt.Sprintf("  %-8s %-16s %.1f ns/op vs S2 %.1f without path policies: %+.1f ns, %.2f allocs/op (want ≤ S2 + 10%%, no more allocs): %s", fw, n,
					median(r.ns), median(s2.ns), median(r.ns)-median(s2.ns), r.allocs(),
					mark(median(r.ns) <= 1.1*median(s2.ns) && r.allocs() <= s2.allocs()+0.05)))
			}
		}
	}
	return out
}

func ratioString(ours, theirs float64) string {
	switch {
	case theirs <= 0 && ours <= 0:
		return "both ≤ 0"
	case theirs <= 0:
		return "they ≤ 0"
	case ours <= 0:
		return "< 0"
	}
	return fmt.Sprintf("%.2f", ours/theirs)
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// calibrate returns how many runs take about d.
func calibrate(run func(), d time.Duration) int {
	n := 1
	for {
		start := time.Now()
		for i := 0; i < n; i++ {
			run()
		}
		el := time.Since(start)
		if el >= d/4 || n >= 1<<24 {
			per := float64(el) / float64(n)
			k := int(float64(d) / max(per, 1))
			return max(k, 1)
		}
		n *= 4
	}
}

func measure(r *row) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	run := r.t.Runner.Run
	start := time.Now()
	for i := 0; i < r.n; i++ {
		run()
	}
	el := time.Since(start)
	runtime.ReadMemStats(&after)
	r.ns = append(r.ns, float64(el.Nanoseconds())/float64(r.n))
	r.mallocs += after.Mallocs - before.Mallocs
	r.bytes += after.TotalAlloc - before.TotalAlloc
	r.totalIter += uint64(r.n)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return "unknown CPU"
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ") + fmt.Sprintf(" (1, 5, 15 min; %d CPUs)", runtime.NumCPU())
}

// runBenchstat runs the standard benchmarks count times and prints
// benchstat's summary with confidence intervals, if benchstat is installed.
func runBenchstat(count int, frameworks, scenarios string) {
	pattern := "BenchmarkCORS/framework=(" + strings.ReplaceAll(frameworks, ",", "|") + ")/"
	if scenarios != "" {
		pattern += "candidate=.*/scenario=(" + strings.ReplaceAll(scenarios, ",", "|") + ")$"
	}
	fmt.Printf("\n== go test -bench '%s' -benchtime 100ms -count %d | benchstat -col /candidate ==\n", pattern, count)
	var buf bytes.Buffer
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", pattern, "-benchmem", "-benchtime", "100ms", "-count", fmt.Sprint(count), ".")
	cmd.Stdout, cmd.Stderr = &buf, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "go test: %v\n", err)
		return
	}
	file := filepath.Join(os.TempDir(), "corskit-bench.txt")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	bs, err := exec.LookPath("benchstat")
	if err != nil {
		fmt.Printf("benchstat not found; raw results in %s. Install it with\n  go install golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da\n", file)
		return
	}
	cmd = exec.Command(bs, "-col", "/candidate", file)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "benchstat: %v\n", err)
	}
}
