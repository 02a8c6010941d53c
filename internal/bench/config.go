package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Config is one bench run. The zero value of a field means its default (see
// Defaults), except where a comment says otherwise.
type Config struct {
	Endpoint  string `json:"endpoint"`
	Region    string `json:"region"`
	AccessKey string `json:"access_key"`
	SecretKey string `json:"-"`

	Clients       int     `json:"clients"`        // concurrent PutEvents callers
	Batch         int     `json:"batch"`          // entries per PutEvents, 1..10
	EventSize     int     `json:"event_size"`     // bytes of each entry's Detail
	Rules         int     `json:"rules"`          // rules on the bus, matching ones included
	MatchingRules int     `json:"matching_rules"` // 0 means none
	Rate          float64 `json:"rate"`           // events/s; 0: as fast as possible

	Duration time.Duration `json:"duration"` // measured phase; 0 with Events > 0: no time limit
	Events   int64         `json:"events"`   // measured events; 0: no count limit
	Warmup   time.Duration `json:"warmup"`   // 0: none
	Drain    time.Duration `json:"drain"`    // wait for outstanding deliveries

	Target             string `json:"target"` // "none" or "http"
	APIDestinationRate int32  `json:"api_destination_rate,omitempty"`
	RoleARN            string `json:"role_arn,omitempty"`

	Bus  string `json:"bus"`
	Keep bool   `json:"keep"`

	RequestTimeout   time.Duration `json:"request_timeout"`
	ProgressInterval time.Duration `json:"progress_interval"` // < 0: no progress lines

	// Progress receives the progress lines and setup notes (the command gives
	// it os.Stderr); nil discards them.
	Progress io.Writer `json:"-"`
}

// Defaults returns the configuration of `switchyard bench` without flags.
func Defaults() Config {
	return Config{
		Endpoint:         "http://127.0.0.1:4010",
		Region:           "us-east-1",
		AccessKey:        "test",
		SecretKey:        "test",
		Clients:          16,
		Batch:            10,
		EventSize:        1024,
		Rules:            10,
		MatchingRules:    1,
		Duration:         30 * time.Second,
		Drain:            10 * time.Second,
		Target:           "none",
		Bus:              "switchyard-bench",
		RequestTimeout:   10 * time.Second,
		ProgressInterval: time.Second,
	}
}

// minEventSize is the smallest Detail the bench can generate: the JSON
// around the token with an empty pad.
var minEventSize = len(detailHead) + len(tokenPrefix("0123456789ab")) + tokenTail + len(detailMid) + len(detailTail)

var busName = regexp.MustCompile(`^[/\.\-_A-Za-z0-9]{1,256}$`)

// Validate fills in defaults and checks the combination of values.
func (c *Config) Validate() error {
	d := Defaults()
	if c.Endpoint == "" {
		c.Endpoint = d.Endpoint
	}
	if c.Region == "" {
		c.Region = d.Region
	}
	if c.Target == "" {
		c.Target = d.Target
	}
	if c.Bus == "" {
		c.Bus = d.Bus
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = d.RequestTimeout
	}
	if c.ProgressInterval == 0 {
		c.ProgressInterval = d.ProgressInterval
	}
	var errs []error
	if u, err := url.Parse(c.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("endpoint %q is not an http:// or https:// URL", c.Endpoint))
	}
	if c.Clients < 1 {
		errs = append(errs, fmt.Errorf("clients must be at least 1, not %d", c.Clients))
	}
	if c.Batch < 1 || c.Batch > 10 {
		errs = append(errs, fmt.Errorf("batch must be 1 to 10 (the PutEvents limit), not %d", c.Batch))
	}
	if c.EventSize < minEventSize || c.EventSize > 256*1024 {
		errs = append(errs, fmt.Errorf("event-size must be %d to 262144 bytes, not %d", minEventSize, c.EventSize))
	}
	if c.Rules < 0 || c.MatchingRules < 0 || c.MatchingRules > c.Rules {
		errs = append(errs, fmt.Errorf("want 0 <= matching-rules (%d) <= rules (%d)", c.MatchingRules, c.Rules))
	}
	if c.Rate < 0 {
		errs = append(errs, fmt.Errorf("rate must not be negative"))
	}
	if c.Duration < 0 || c.Events < 0 || c.Warmup < 0 || c.Drain < 0 {
		errs = append(errs, fmt.Errorf("duration, events, warmup and drain must not be negative"))
	}
	if c.Duration == 0 && c.Events == 0 {
		errs = append(errs, fmt.Errorf("give a duration, a number of events, or both"))
	}
	switch c.Target {
	case "none":
	case "http":
		if c.MatchingRules == 0 {
			errs = append(errs, fmt.Errorf("target http needs at least one matching rule to attach it to"))
		}
	default:
		errs = append(errs, fmt.Errorf("target must be none or http, not %q", c.Target))
	}
	if !busName.MatchString(c.Bus) {
		errs = append(errs, fmt.Errorf("bus %q is not a valid event bus name", c.Bus))
	}
	return errors.Join(errs...)
}

// Flags renders the configuration as the command line that reproduces it,
// for the report.
func (c *Config) Flags() string {
	var b strings.Builder
	f := func(name string, v any) { fmt.Fprintf(&b, " --%s=%v", name, v) }
	f("endpoint", c.Endpoint)
	f("region", c.Region)
	f("clients", c.Clients)
	f("batch", c.Batch)
	f("event-size", c.EventSize)
	f("rules", c.Rules)
	f("matching-rules", c.MatchingRules)
	f("rate", c.Rate)
	f("duration", c.Duration)
	f("events", c.Events)
	f("warmup", c.Warmup)
	f("drain", c.Drain)
	f("target", c.Target)
	if c.APIDestinationRate > 0 {
		f("api-destination-rate", c.APIDestinationRate)
	}
	f("bus", c.Bus)
	if c.Keep {
		f("keep", true)
	}
	f("request-timeout", c.RequestTimeout)
	return "switchyard bench" + b.String()
}

// MarshalJSON writes durations as Go duration strings ("30s"), as the flags
// take them, rather than as nanoseconds.
func (c Config) MarshalJSON() ([]byte, error) {
	type plain Config // without this method
	return json.Marshal(struct {
		plain
		Duration         string `json:"duration"`
		Warmup           string `json:"warmup"`
		Drain            string `json:"drain"`
		RequestTimeout   string `json:"request_timeout"`
		ProgressInterval string `json:"progress_interval"`
	}{
		plain:            plain(c),
		Duration:         c.Duration.String(),
		Warmup:           c.Warmup.String(),
		Drain:            c.Drain.String(),
		RequestTimeout:   c.RequestTimeout.String(),
		ProgressInterval: c.ProgressInterval.String(),
	})
}
