package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// The exit statuses of every command.
const (
	// exitOK: check: a browser would allow the request; lint: no problem.
	exitOK = 0
	// exitProblem: check: a browser would refuse the request; lint:
	// problems found.
	exitProblem = 1
	// exitError: the command was used wrongly, an input could not be read,
	// or (check) the server could not be reached.
	exitError = 2
)

// A command is one subcommand of corskit. Each registers itself in
// commands from an init function in its own file.
type command struct {
	// summary is one line for the list of commands.
	summary string
	// usage is the command's help: its synopsis, what it does, its flags.
	usage string
	// run runs the command with the arguments after its name, and returns
	// the exit status. Given -h, it prints usage to stdout and returns
	// exitOK (parseFlags does both); its errors go to stderr.
	run func(args []string, stdout, stderr io.Writer) int
}

// commands maps each command's name to it.
var commands = map[string]command{}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args (without the program name) and returns
// the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		writeHelp(stderr)
		return exitError
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "corskit: no command %q; the commands are %s\n", args[1], strings.Join(commandNames(), ", "))
				return exitError
			}
			fmt.Fprint(stdout, c.usage)
			return exitOK
		}
		writeHelp(stdout)
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "corskit: no command %q; the commands are %s (corskit help lists them)\n", name, strings.Join(commandNames(), ", "))
		return exitError
	}
	return c.run(args[1:], stdout, stderr)
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// writeHelp writes the list of commands.
func writeHelp(w io.Writer) {
	fmt.Fprint(w, `corskit: CORS from the browser's side.

Usage:

	corskit <command> [arguments]

The commands are:

`)
	for _, name := range commandNames() {
		fmt.Fprintf(w, "\t%-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprint(w, `
"corskit help <command>" (or "corskit <command> -h") describes one.
Exit status: 0 allowed or clean, 1 refused or problems found, 2 usage,
input or network error.
`)
}

// parseFlags parses args with fs, accepting flags before, between and
// after the positional arguments (corskit check URL --origin O), and
// returns the positional ones. "--" ends the flags. On -h it writes
// usage to stdout and returns flag.ErrHelp; on any other error it writes
// the error and a pointer to the help to stderr.
func parseFlags(fs *flag.FlagSet, usage string, args []string, stdout, stderr io.Writer) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var positional []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return nil, err
		}
		if err != nil {
			fmt.Fprintf(stderr, "corskit %s: %v\nRun \"corskit help %s\" for usage.\n", fs.Name(), err, fs.Name())
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// fs.Parse stops at the first positional argument, or after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
