package main

import (
	"context"
	"os"

	"github.com/switchyard-dev/switchyard/internal/bench"
)

// runBench drives an EventBridge-compatible endpoint with PutEvents and
// prints a report; see internal/bench for what it measures.
func runBench(ctx context.Context, args []string) error {
	fs := newFlagSet("bench", " [flags]")
	cfg := bench.Defaults()
	var asJSON bool
	fs.StringVar(&cfg.Endpoint, "endpoint", cfg.Endpoint, "EventBridge-compatible endpoint URL (Switchyard, moto, or https://events.REGION.amazonaws.com)")
	fs.StringVar(&cfg.Region, "region", cfg.Region, "signing region")
	fs.StringVar(&cfg.AccessKey, "access-key", cfg.AccessKey, "access key id")
	fs.StringVar(&cfg.SecretKey, "secret-key", cfg.SecretKey, "secret access key")
	fs.IntVar(&cfg.Clients, "clients", cfg.Clients, "concurrent PutEvents callers")
	fs.IntVar(&cfg.Batch, "batch", cfg.Batch, "entries per PutEvents (1 to 10)")
	fs.IntVar(&cfg.EventSize, "event-size", cfg.EventSize, "bytes of each event's Detail")
	fs.IntVar(&cfg.Rules, "rules", cfg.Rules, "rules on the bench bus, matching ones included")
	fs.IntVar(&cfg.MatchingRules, "matching-rules", cfg.MatchingRules, "how many of the rules match the events; the others never do")
	fs.Float64Var(&cfg.Rate, "rate", cfg.Rate, "target events/s across all clients; 0: as fast as possible")
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "length of the measured phase; 0 with --events: until that many events")
	fs.Int64Var(&cfg.Events, "events", cfg.Events, "stop after this many events (0: no limit); with --duration, whichever comes first")
	fs.DurationVar(&cfg.Warmup, "warmup", cfg.Warmup, "send for this long before measuring")
	fs.DurationVar(&cfg.Drain, "drain", cfg.Drain, "wait up to this long after sending for outstanding deliveries")
	fs.StringVar(&cfg.Target, "target", cfg.Target, "none, or http: deliver matching events to an HTTP server of the bench through an API destination")
	var apiDestRate int
	fs.IntVar(&apiDestRate, "api-destination-rate", 0, "InvocationRateLimitPerSecond of the API destination (0: the endpoint's default)")
	fs.StringVar(&cfg.RoleARN, "role-arn", "", "RoleArn of the API destination targets (default: a role in the bus's account)")
	fs.StringVar(&cfg.Bus, "bus", cfg.Bus, "event bus; created if absent and then deleted unless --keep")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the bus, rules, connection and API destination after the run")
	fs.DurationVar(&cfg.RequestTimeout, "request-timeout", cfg.RequestTimeout, "timeout of one PutEvents call")
	fs.DurationVar(&cfg.ProgressInterval, "progress-interval", cfg.ProgressInterval, "progress line interval on stderr; negative: none")
	fs.BoolVar(&asJSON, "json", false, "print the final report as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg.APIDestinationRate = int32(min(max(apiDestRate, 0), 1<<30))
	cfg.Progress = os.Stderr

	rep, err := bench.Run(ctx, cfg)
	if rep != nil {
		write := rep.WriteText
		if asJSON {
			write = rep.WriteJSON
		}
		if werr := write(os.Stdout); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}
