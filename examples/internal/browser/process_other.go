//go:build !unix

package browser

import (
	"os"
	"os/exec"
)

type signal int

const (
	sigTerm signal = iota
	sigKill
)

// setProcAttr does nothing: without process groups, stop ends the process
// alone.
func setProcAttr(cmd *exec.Cmd) {}

// signalGroup kills the process cmd started.
func signalGroup(cmd *exec.Cmd, sig signal) {
	if cmd.Process != nil {
		cmd.Process.Signal(os.Kill)
	}
}
