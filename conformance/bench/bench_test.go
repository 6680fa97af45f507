package corsbench

import (
	"strings"
	"testing"
)

// TestPrecheck checks every candidate on every scenario, as the benchmarks
// and cmd/compare do before timing. corskit must be right everywhere; a
// competitor's wrong answer is logged (it is reported, not timed).
func TestPrecheck(t *testing.T) {
	for _, fw := range Frameworks {
		for _, c := range Candidates(fw) {
			for _, s := range Scenarios() {
				t.Run("framework="+fw+"/candidate="+c.Name+"/scenario="+s.Name, func(t *testing.T) {
					tg := Prepare(c, s)
					switch {
					case tg.Err != nil && c.Ours():
						t.Fatalf("build: %v", tg.Err)
					case tg.Err != nil:
						t.Logf("cannot express the policy: %v", tg.Err)
					case !tg.Verdict.OK && c.Ours():
						t.Errorf("%s: %s", s.About, tg.Verdict.Problem)
					case !tg.Verdict.OK:
						t.Logf("wrong, not timed: %s", tg.Verdict.Problem)
					default:
						t.Logf("%s; %s", tg.Verdict.Outcome, strings.Join(tg.Verdict.Notes, "; "))
					}
				})
			}
		}
	}
}

// TestSharedValues checks the rule of rs/cors#198 for corskit: a handler
// that modifies the header values it finds must not change what other
// requests get.
func TestSharedValues(t *testing.T) {
	for _, fw := range Frameworks {
		for _, c := range Candidates(fw) {
			if !c.Ours() {
				continue
			}
			for _, name := range []string{"S1", "S2", "S3"} {
				s, _ := ScenarioNamed(name)
				shared, err := SharesValues(c, s)
				if err != nil {
					t.Fatal(err)
				}
				if shared {
					t.Errorf("framework=%s scenario=%s: a handler's change to a header value leaked into the next response", fw, name)
				}
			}
		}
	}
}

// BenchmarkCORS times every candidate that passed its pre-check, with names
// such as BenchmarkCORS/framework=nethttp/candidate=corskit/scenario=S2.
func BenchmarkCORS(b *testing.B) {
	for _, fw := range Frameworks {
		for _, c := range Candidates(fw) {
			for _, s := range Scenarios() {
				b.Run("framework="+fw+"/candidate="+c.Name+"/scenario="+s.Name, func(b *testing.B) {
					tg := Prepare(c, s)
					if tg.Err != nil {
						b.Skipf("cannot express the policy: %v", tg.Err)
					}
					if !tg.Verdict.OK {
						b.Skipf("wrong answer, not timed: %s", tg.Verdict.Problem)
					}
					run := tg.Runner.Run
					b.ReportAllocs()
					for b.Loop() {
						run()
					}
				})
			}
		}
	}
}
