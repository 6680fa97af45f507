//go:build linux

package browser

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts cmd in a process group of its own, and has the kernel
// kill it when the test binary dies.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
