package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != exitOK {
			t.Errorf("corskit %q: exit %d, want 0", args, code)
		}
		for name, c := range commands {
			if !strings.Contains(out.String(), name) || !strings.Contains(out.String(), c.summary) {
				t.Errorf("corskit %q does not list %s with its summary:\n%s", args, name, out.String())
			}
		}
		if errOut.Len() != 0 {
			t.Errorf("corskit %q wrote to stderr: %s", args, errOut.String())
		}
	}
}

func TestNoCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut); code != exitError {
		t.Errorf("corskit: exit %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "check") || out.Len() != 0 {
		t.Errorf("corskit without a command: stdout %q, stderr %q; want the list of commands on stderr", out.String(), errOut.String())
	}
}

func TestUnknownCommand(t *testing.T) {
	for _, args := range [][]string{{"chek"}, {"help", "chek"}} {
		var errOut bytes.Buffer
		if code := run(args, &bytes.Buffer{}, &errOut); code != exitError {
			t.Errorf("corskit %q: exit %d, want 2", args, code)
		}
		if !strings.Contains(errOut.String(), `no command "chek"`) || !strings.Contains(errOut.String(), "check") {
			t.Errorf("corskit %q: stderr %q", args, errOut.String())
		}
	}
}

// TestCommandHelp: every command documents itself through "help NAME"
// and "NAME -h", on stdout, with exit status 0.
func TestCommandHelp(t *testing.T) {
	for name, c := range commands {
		if c.summary == "" || strings.Contains(c.summary, "\n") {
			t.Errorf("%s: the summary must be one line: %q", name, c.summary)
		}
		for _, args := range [][]string{{"help", name}, {name, "-h"}} {
			var out, errOut bytes.Buffer
			if code := run(args, &out, &errOut); code != exitOK {
				t.Errorf("corskit %q: exit %d, want 0 (stderr %q)", args, code, errOut.String())
			}
			if out.String() != c.usage {
				t.Errorf("corskit %q did not print %s's usage:\n%s", args, name, out.String())
			}
		}
	}
}

func TestCheckUsageMentionsEveryFlag(t *testing.T) {
	for _, flag := range []string{"--origin", "--method", "--header", "--credentials", "--cookie", "--data", "--expose", "--json", "--timeout", "--preflight-only", "--no-probe"} {
		if !strings.Contains(checkUsage, flag) {
			t.Errorf("check's usage does not describe %s", flag)
		}
	}
}
