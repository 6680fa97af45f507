package corsbench

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// A Response is what a candidate answered to one request.
type Response struct {
	Status     int
	Header     http.Header // canonical names, a copy
	HandlerRan bool
}

// A Runner sends one prepared request through one candidate.
type Runner struct {
	// Run sends the request once. The harness around the framework reuses
	// its response writer or request context, so that what Run costs is
	// what the framework and the middleware cost.
	Run func()
	// Probe sends the request once and returns the response.
	Probe func() Response
	// Mutate, if not nil, sends the request once and then overwrites, in
	// place, every header value the response carries, as a handler may do
	// with what it finds in its header map (rs/cors#198). A later Probe
	// shows whether the candidate handed out values shared between
	// requests.
	Mutate func()
}

// A Candidate is one middleware (or none: "bare") in one framework.
type Candidate struct {
	Framework string // "nethttp", "gin", "echo", "fiber"
	Name      string // "bare", "corskit", "rs-cors", ...
	Module    string // the module and version, for the report
	// Build configures the candidate with p and returns a function that
	// prepares a request, or why p cannot be expressed.
	Build func(p Policy) (func(Request) Runner, error)
}

// Bare reports whether c is a floor: the framework without middleware
// ("bare"), or with an empty middleware where the framework charges for
// the registration itself ("bare-pre").
func (c Candidate) Bare() bool { return strings.HasPrefix(c.Name, "bare") }

// Ours reports whether c is corskit, in its documented registration
// ("corskit") or another one ("corskit-wrap").
func (c Candidate) Ours() bool { return strings.HasPrefix(c.Name, "corskit") }

// Frameworks lists the frameworks in table order.
var Frameworks = []string{"nethttp", "gin", "echo", "echov5", "fiber", "fiberv3"}

var (
	registryMu sync.Mutex
	registry   []Candidate
)

func register(c Candidate) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry = append(registry, c)
}

// Candidates returns the candidates of framework, the floors first, then
// corskit, then the others.
func Candidates(framework string) []Candidate {
	registryMu.Lock()
	defer registryMu.Unlock()
	var out []Candidate
	for _, rank := range []func(Candidate) bool{
		func(c Candidate) bool { return c.Bare() },
		func(c Candidate) bool { return c.Ours() },
		func(c Candidate) bool { return !c.Bare() && !c.Ours() },
	} {
		for _, c := range registry {
			if c.Framework == framework && rank(c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// A Target is a candidate prepared for one scenario, with the verdict of
// its pre-check.
type Target struct {
	Candidate Candidate
	Scenario  Scenario
	Runner    Runner
	Verdict   Verdict
	Err       error // the candidate cannot express the scenario's policy
}

// Timed reports whether the target may be timed: it was built and
// answered correctly.
func (t *Target) Timed() bool { return t.Err == nil && t.Verdict.OK }

// built caches one build per candidate and policy, so that a policy of
// 10,000 origins is compiled once.
var (
	builtMu sync.Mutex
	built   = map[string]builtEntry{}
)

type builtEntry struct {
	prepare func(Request) Runner
	err     error
}

// Prepare builds c for s, checks its answer and returns the target.
func Prepare(c Candidate, s Scenario) *Target {
	key := c.Framework + "/" + c.Name + "/" + s.Policy.Key()
	builtMu.Lock()
	e, ok := built[key]
	if !ok {
		e.prepare, e.err = buildSafely(c, s.Policy)
		built[key] = e
	}
	builtMu.Unlock()
	t := &Target{Candidate: c, Scenario: s, Err: e.err}
	if e.err != nil {
		return t
	}
	t.Runner = e.prepare(s.Request)
	t.Verdict = Check(s, t.Runner.Probe(), c.Bare())
	return t
}

// buildSafely turns a panic in a competitor's constructor (several panic on
// a configuration they refuse) into an error.
func buildSafely(c Candidate, p Policy) (prepare func(Request) Runner, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	prepare, err = c.Build(p)
	if err == nil && prepare == nil {
		err = errors.New("no runner")
	}
	return prepare, err
}

// SharesValues reports whether c hands the handler header values that are
// shared with other requests: it builds a fresh c for s, lets a "handler"
// overwrite every value in place, and sends the request again. It reports
// false for candidates without a Mutate hook (fasthttp copies every value).
func SharesValues(c Candidate, s Scenario) (bool, error) {
	prepare, err := buildSafely(c, s.Policy)
	if err != nil {
		return false, err
	}
	r := prepare(s.Request)
	if r.Mutate == nil {
		return false, nil
	}
	r.Mutate()
	for _, v := range r.Probe().Header {
		for _, x := range v {
			if x == mutated {
				return true, nil
			}
		}
	}
	return false, nil
}
