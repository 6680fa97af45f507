package browser

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// startXvfb starts the X virtual framebuffer at path on a display number
// that no other X server uses, which it picks itself (-displayfd), listening
// on no TCP port. It returns the process and the display (":N").
func startXvfb(path, dir string) (*process, string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, "", err
	}
	defer r.Close()
	// Screen size: taller than any page the tests photograph, so that
	// WebKit's window can hold it whole.
	proc, err := startProcess(path, []string{
		"-displayfd", "3", "-nolisten", "tcp", "-screen", "0", xvfbScreen,
	}, childEnv(dir), dir, nil, w)
	w.Close()
	if err != nil {
		return nil, "", err
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- s
	}()
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case s := <-line:
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			proc.stop(0)
			return nil, "", fmt.Errorf("starting %s: display number %q: %v%s", path, s, err, proc.output())
		}
		return proc, ":" + strconv.Itoa(n), nil
	case <-timer.C:
		proc.stop(0)
		return nil, "", fmt.Errorf("starting %s: no display after %v%s", path, startTimeout, proc.output())
	}
}

// xvfbScreen is the size and depth of Xvfb's screen.
const xvfbScreen = "1600x6000x24"
