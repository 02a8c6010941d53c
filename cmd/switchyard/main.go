// Command switchyard is an event bus server that speaks the Amazon
// EventBridge API.
//
//	switchyard [serve] [flags]   run the server (the default)
//	switchyard bench [flags]     drive an EventBridge endpoint with PutEvents and report
//	switchyard version           print the version
//	switchyard help [command]    list the commands, or show one command's flags
//
// Help goes to standard output and exits 0; a misused command line prints
// its error and the usage on standard error and exits 2; any other failure
// exits 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand: its name, the one line the usage gives it, and
// what runs it with the arguments after its name.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string) error
}

// commands lists the subcommands in the order the usage shows them. It is a
// function, not a variable, because help refers back to it.
func commands() []command {
	return []command{
		{"serve", "run the server (the default when no command is given)", runServe},
		{"bench", "drive an EventBridge endpoint with PutEvents and report throughput and latency", runBench},
		{"version", "print the version", runVersion},
		{"help", "list the commands; switchyard help <command> shows that command's flags", runHelp},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	os.Exit(exitCode(os.Stderr, err))
}

// exitCode reports err as usual CLIs do and returns the process's status:
// 0 for success and for help, 2 for a misused command line, 1 otherwise.
func exitCode(stderr io.Writer, err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		if !ue.reported {
			fmt.Fprintln(stderr, "switchyard:", ue.err)
		}
		if ue.listCommands {
			fmt.Fprintln(stderr)
			usage(stderr)
		}
		return 2
	default:
		fmt.Fprintln(stderr, "switchyard:", err)
		return 1
	}
}

// usageError is a command line that does not make sense: exit status 2.
type usageError struct {
	err          error
	reported     bool // the flag package already printed it, with the flags
	listCommands bool // follow the message with the list of commands
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || len(args[0]) > 0 && args[0][0] == '-' {
		// Bare flags belong to serve, but help flags alone ask what the
		// binary can do, which serve's flags do not say.
		if len(args) == 1 && isHelpFlag(args[0]) {
			return runHelp(ctx, nil)
		}
		return runServe(ctx, args)
	}
	if c, ok := lookup(args[0]); ok {
		return c.run(ctx, args[1:])
	}
	return &usageError{err: fmt.Errorf("unknown command %q", args[0]), listCommands: true}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func isHelpFlag(a string) bool {
	switch a {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

// usage writes the list of commands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: switchyard [command] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "An event bus server that speaks the Amazon EventBridge API.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run switchyard <command> --help for its flags.")
}

// runHelp prints the list of commands, or with one command's name runs that
// command with --help.
func runHelp(ctx context.Context, args []string) error {
	switch len(args) {
	case 0:
		usage(os.Stdout)
		return nil
	case 1:
		if c, ok := lookup(args[0]); ok && c.name != "help" {
			return c.run(ctx, []string{"--help"})
		}
		if isHelpFlag(args[0]) || args[0] == "help" {
			usage(os.Stdout)
			return nil
		}
		return &usageError{err: fmt.Errorf("unknown command %q", args[0]), listCommands: true}
	}
	return &usageError{err: errors.New("help takes at most one command name"), listCommands: true}
}

// newFlagSet returns the flag set of a subcommand, whose help names the
// command and says what it does.
func newFlagSet(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: switchyard %s%s\n\n", name, args)
		if c, ok := lookup(name); ok {
			fmt.Fprintf(w, "%s.\n", upperFirst(c.summary))
		}
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nEach flag can also be set with the environment variable SWITCHYARD_<FLAG> (upper case,\ndashes as underscores); the command line wins.")
			fmt.Fprintln(w, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
