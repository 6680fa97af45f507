package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Environment variables of the contract with CI and developers.
const (
	// EnvRequire, set to "1", turns a missing browser from a skip into a
	// failure.
	EnvRequire = "CORSKIT_REQUIRE_BROWSER"
	// EnvEngines limits the engines the tests run to a comma-separated
	// list of names ("chromium,firefox"); unset or empty, all of them.
	EnvEngines = "CORSKIT_BROWSERS"
	// EnvChromium names the Chromium binary, as a path or a name on $PATH.
	EnvChromium = "CORSKIT_CHROMIUM"
	// EnvFirefox names the Firefox binary.
	EnvFirefox = "CORSKIT_FIREFOX"
	// EnvWebKitDriver names WebKitWebDriver.
	EnvWebKitDriver = "CORSKIT_WEBKITDRIVER"
	// EnvMiniBrowser names WebKitGTK's MiniBrowser, which is not on $PATH.
	EnvMiniBrowser = "CORSKIT_MINIBROWSER"
)

// ErrNotFound means that an engine's programs were not found; the error
// that wraps it says which and where the package looked.
var ErrNotFound = errors.New("not found")

// A kind is one engine the package can start: how to find its programs,
// how to install them, and how to start it from what was found.
type kind struct {
	name    string
	install string   // the command that installs it on Debian
	envs    []string // the variables naming its programs
	// find returns a function that starts the engine from the programs it
	// found.
	find func() (func() (Engine, error), error)
}

// kinds are the engines, in the order the tests run them.
var kinds = []kind{
	{
		name: Chromium, install: "apt-get install -y chromium", envs: []string{EnvChromium},
		find: func() (func() (Engine, error), error) {
			path, err := lookPath(EnvChromium, "chromium", "chromium-browser", "google-chrome")
			if err != nil {
				return nil, err
			}
			return func() (Engine, error) { return startChromium(path) }, nil
		},
	},
	{
		name: Firefox, install: "apt-get install -y firefox-esr", envs: []string{EnvFirefox},
		find: func() (func() (Engine, error), error) {
			path, err := lookPath(EnvFirefox, "firefox-esr", "firefox")
			if err != nil {
				return nil, err
			}
			return func() (Engine, error) { return startFirefox(path) }, nil
		},
	},
	{
		name: WebKit, install: "apt-get install -y webkit2gtk-driver xvfb", envs: []string{EnvWebKitDriver, EnvMiniBrowser},
		find: func() (func() (Engine, error), error) {
			var p webkitPaths
			var errs []error
			var err error
			if p.driver, err = lookPath(EnvWebKitDriver, "WebKitWebDriver"); err != nil {
				errs = append(errs, err)
			}
			if p.miniBrowser, err = findMiniBrowser(); err != nil {
				errs = append(errs, err)
			}
			if p.xvfb, err = lookPath("", "Xvfb"); err != nil {
				errs = append(errs, err)
			}
			if len(errs) > 0 {
				return nil, joinErrors(errs)
			}
			return func() (Engine, error) { return startWebKit(p) }, nil
		},
	},
}

// kindOf returns the kind named name.
func kindOf(name string) (kind, error) {
	for _, k := range kinds {
		if k.name == name {
			return k, nil
		}
	}
	return kind{}, fmt.Errorf("no browser engine named %q (have %s, %s and %s)", name, Chromium, Firefox, WebKit)
}

// Engines returns the names of the engines the tests run: every engine, or
// those $CORSKIT_BROWSERS lists, in the order chromium, firefox, webkit. A
// listed name that is no engine comes last, so that ForTest fails on it
// rather than the tests passing with nothing run.
func Engines() []string {
	var listed []string
	for _, name := range strings.Split(os.Getenv(EnvEngines), ",") {
		if name = strings.ToLower(strings.TrimSpace(name)); name != "" && !slices.Contains(listed, name) {
			listed = append(listed, name)
		}
	}
	var names []string
	for _, k := range kinds {
		if len(listed) == 0 || slices.Contains(listed, k.name) {
			names = append(names, k.name)
		}
	}
	for _, name := range listed {
		if _, err := kindOf(name); err != nil {
			names = append(names, name)
		}
	}
	return names
}

// Find reports whether the programs of the engine named name are
// installed; the error says which are missing and where it looked.
func Find(name string) error {
	k, err := kindOf(name)
	if err != nil {
		return err
	}
	_, err = k.find()
	return err
}

// Start starts the engine named name with a fresh profile. Close it when
// done.
func Start(name string) (Engine, error) {
	k, err := kindOf(name)
	if err != nil {
		return nil, err
	}
	start, err := k.find()
	if err != nil {
		return nil, err
	}
	return start()
}

// lookPath returns the path of the program that $env names if it is set
// (an error if it names no executable), else of the first of names on
// $PATH.
func lookPath(env string, names ...string) (string, error) {
	if env != "" {
		if p := os.Getenv(env); p != "" {
			path, err := exec.LookPath(p)
			if err != nil {
				return "", fmt.Errorf("$%s=%q: %w", env, p, err)
			}
			return path, nil
		}
	}
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	where := "on $PATH"
	if env != "" {
		where = "in $" + env + ", then on $PATH"
	}
	return "", fmt.Errorf("%s %w (looked %s)", strings.Join(names, " or "), ErrNotFound, where)
}

// miniBrowserGlobs are where Debian's WebKitGTK packages put MiniBrowser:
// the library directory of the 4.1 API (GTK 3, libsoup 3), of 6.0 (GTK 4)
// and of 4.0 (libsoup 2).
var miniBrowserGlobs = []string{
	"/usr/lib/*/webkit2gtk-4.1/MiniBrowser",
	"/usr/lib/*/webkitgtk-6.0/MiniBrowser",
	"/usr/lib/*/webkit2gtk-4.0/MiniBrowser",
	"/usr/libexec/webkit2gtk-4.1/MiniBrowser",
	"/usr/libexec/webkitgtk-6.0/MiniBrowser",
}

// findMiniBrowser returns $CORSKIT_MINIBROWSER, or the first MiniBrowser in
// the library directories of WebKitGTK.
func findMiniBrowser() (string, error) {
	if p := os.Getenv(EnvMiniBrowser); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("$%s=%q: %w", EnvMiniBrowser, p, err)
		}
		return path, nil
	}
	for _, g := range miniBrowserGlobs {
		matches, _ := filepath.Glob(g)
		for _, m := range matches {
			if path, err := exec.LookPath(m); err == nil {
				return path, nil
			}
		}
	}
	return "", fmt.Errorf("MiniBrowser %w (looked in $%s, then %s)", ErrNotFound, EnvMiniBrowser, strings.Join(miniBrowserGlobs, ", "))
}

// joinErrors joins errs on one line; errors.Is and As see each of them.
func joinErrors(errs []error) error { return joined(errs) }

type joined []error

func (j joined) Error() string {
	msgs := make([]string, len(j))
	for i, err := range j {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (j joined) Unwrap() []error { return j }
