package core

import (
	"errors"
	"sync/atomic"
)

// A Holder serves one compiled [Policy] and swaps in a new one at run time.
// All its methods can be called concurrently with each other and with
// request handling; a new policy applies to requests decided after the swap.
// Every adapter's New builds one, and its Dynamic takes yours.
type Holder struct {
	policy atomic.Pointer[Policy]
}

// NewHolder compiles cfg and returns a Holder serving it, or every problem
// in cfg (see [Compile]).
func NewHolder(cfg Config) (*Holder, error) {
	p, err := Compile(cfg)
	if err != nil {
		return nil, err
	}
	h := new(Holder)
	h.policy.Store(p)
	return h, nil
}

// Reconfigure compiles cfg and, if it is valid, serves it from now on. If
// cfg has problems, Reconfigure returns them and the current policy keeps
// serving.
func (h *Holder) Reconfigure(cfg Config) error {
	p, err := Compile(cfg)
	if err != nil {
		return err
	}
	h.policy.Store(p)
	return nil
}

// Policy returns the policy currently served.
func (h *Holder) Policy() *Policy { return h.policy.Load() }

// Decide is [Policy.Decide] with the policy currently served. A Holder that
// was never given a policy (the zero Holder) allows nothing cross-origin.
func (h *Holder) Decide(f Facts) (d Decision) {
	p := h.policy.Load()
	if p == nil {
		p = closed
	}
	p.decide(&f, &d)
	return d
}

// OriginAllowed is [Policy.OriginAllowed] with the policy currently
// served.
func (h *Holder) OriginAllowed(f Facts) bool {
	p := h.policy.Load()
	if p == nil {
		p = closed
	}
	return p.OriginAllowed(f)
}

// closed is the policy of the zero Config.
var closed = func() *Policy {
	p, err := Compile(Config{})
	if err != nil {
		panic(errors.Join(errors.New("corskit: the zero Config must compile"), err))
	}
	return p
}()
