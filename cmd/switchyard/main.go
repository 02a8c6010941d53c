// Command switchyard is an event bus server that speaks the Amazon
// EventBridge API.
//
//	switchyard [serve] [flags]   run the server (the default)
//	switchyard bench [flags]     drive an EventBridge endpoint with PutEvents and report
//	switchyard version           print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "switchyard:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args)
	case "bench":
		return runBench(ctx, args)
	case "version":
		return runVersion(args)
	case "help":
		fmt.Fprintln(os.Stdout, "usage: switchyard [serve|bench|version] [flags]; switchyard serve -h and switchyard bench -h list the flags")
		return nil
	}
	return fmt.Errorf("unknown command %q (want serve or version)", cmd)
}
