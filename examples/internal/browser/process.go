package browser

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// A process is a program the package started: Xvfb, Firefox or
// WebKitWebDriver. It runs in a process group of its own, so that stop also
// ends what it started (WebKitWebDriver's MiniBrowser and its helpers), and
// on Linux the kernel kills it if the test binary dies first.
type process struct {
	name string
	cmd  *exec.Cmd
	out  *tail
	done chan struct{} // closed once it has exited
	err  error         // how it exited; set before done is closed
}

// startProcess starts the program at path with args, the environment env
// and its own directory dir; its output goes to out and to watch, if not
// nil. extra are open files it gets as fds 3, 4, ….
func startProcess(path string, args, env []string, dir string, watch io.Writer, extra ...*os.File) (*process, error) {
	p := &process{name: path, out: &tail{max: 16 << 10}, done: make(chan struct{})}
	var w io.Writer = p.out
	if watch != nil {
		w = io.MultiWriter(p.out, watch)
	}
	p.cmd = exec.Command(path, args...)
	p.cmd.Env = env
	p.cmd.Dir = dir
	p.cmd.Stdout = w
	p.cmd.Stderr = w
	p.cmd.ExtraFiles = extra
	setProcAttr(p.cmd)
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited says whether the process has exited, and how.
func (p *process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// stop waits up to grace for the process to exit by itself, then sends its
// group SIGTERM, and SIGKILL to whatever of the group is left. It returns
// once the process has exited, or after a few seconds more at most.
func (p *process) stop(grace time.Duration) {
	if !p.waitFor(grace) {
		signalGroup(p.cmd, sigTerm)
		p.waitFor(3 * time.Second)
	}
	// The group may outlive its leader (a browser's helpers): end it too.
	signalGroup(p.cmd, sigKill)
	p.waitFor(3 * time.Second)
}

// waitFor waits up to d for the process to exit, and says whether it did.
func (p *process) waitFor(d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-p.done:
		return true
	case <-timer.C:
		return false
	}
}

// output returns the last lines the process printed, for error messages.
func (p *process) output() string {
	s := strings.TrimSpace(p.out.String())
	if s == "" {
		return ""
	}
	return fmt.Sprintf("\n%s's last output:\n%s", p.name, s)
}

// childEnv returns the environment of a browser process: the test's, with
// HOME and the XDG directories in the profile directory dir, so that the
// browser reads and writes nothing of the user's, and without proxy
// settings, since every page the tests open is on loopback. more are added
// last.
func childEnv(dir string, more ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToLower(k) {
		case "home", "xdg_config_home", "xdg_cache_home", "xdg_data_home", "xdg_state_home", "xdg_runtime_dir",
			"http_proxy", "https_proxy", "all_proxy", "no_proxy", "display", "wayland_display":
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"HOME="+dir,
		"XDG_CONFIG_HOME="+dir+"/config",
		"XDG_CACHE_HOME="+dir+"/cache",
		"XDG_DATA_HOME="+dir+"/data",
		"XDG_STATE_HOME="+dir+"/state",
	)
	return append(env, more...)
}
