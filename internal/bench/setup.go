package bench

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// env is what setup created, for the run and for teardown.
type env struct {
	busCreated  bool
	account     string
	rules       []string // names of the rules created, matching ones first
	targeted    int      // how many of the first rules got the HTTP target
	connection  string
	destination string
	notes       []string
}

// setupConcurrency bounds the control-plane calls in flight during setup and
// teardown: enough to create hundreds of rules quickly, few enough not to be
// throttled by AWS's control-plane limits.
const setupConcurrency = 8

func (e *env) note(format string, args ...any) {
	e.notes = append(e.notes, fmt.Sprintf(format, args...))
}

func resourceName(runID, kind string, i int) string {
	if i < 0 {
		return "swb-" + runID + "-" + kind
	}
	return fmt.Sprintf("swb-%s-%s%03d", runID, kind, i)
}

// setup creates the bus (unless it exists), the rules and, when rc is not
// nil, the Connection and ApiDestination that lead to rc. A target the
// endpoint cannot create (it answers NotImplementedException, as Switchyard
// did before it had API destinations) is a note, not an error: the run goes
// on and measures PutEvents alone.
func setup(ctx context.Context, client *eventbridge.Client, c *Config, runID, apiKey string, rc *receiver) (*env, error) {
	e := &env{account: "000000000000"}
	if c.Bus != "default" {
		out, err := client.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(c.Bus)})
		switch {
		case err == nil:
			e.busCreated = true
			e.account = accountOf(aws.ToString(out.EventBusArn), e.account)
		case errorCode(err) == "ResourceAlreadyExistsException":
			e.note("bus %s already existed: it is kept, only the bench's rules are removed", c.Bus)
		default:
			return e, fmt.Errorf("CreateEventBus %s: %w", c.Bus, err)
		}
	}
	if !e.busCreated {
		out, err := client.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(c.Bus)})
		if err != nil {
			return e, fmt.Errorf("DescribeEventBus %s: %w", c.Bus, err)
		}
		e.account = accountOf(aws.ToString(out.Arn), e.account)
	}

	var destARN string
	if rc != nil {
		var err error
		destARN, err = e.createDestination(ctx, client, c, runID, apiKey, rc.URL())
		if err != nil {
			return e, err
		}
	}

	for i := range c.Rules {
		if i < c.MatchingRules {
			e.rules = append(e.rules, resourceName(runID, "m", i))
		} else {
			e.rules = append(e.rules, resourceName(runID, "n", i-c.MatchingRules))
		}
	}
	roleARN := c.RoleARN
	if roleARN == "" {
		// AWS requires a role for API destination targets; emulators
		// accept any well-formed one.
		roleARN = "arn:aws:iam::" + e.account + ":role/switchyard-bench"
	}
	if destARN != "" {
		e.targeted = c.MatchingRules
	}
	err := forEach(ctx, len(e.rules), func(ctx context.Context, i int) error {
		pattern := matchingPattern
		if i >= c.MatchingRules {
			pattern = nonMatchingPattern(i - c.MatchingRules)
		}
		if _, err := client.PutRule(ctx, &eventbridge.PutRuleInput{
			Name:         aws.String(e.rules[i]),
			EventBusName: aws.String(c.Bus),
			EventPattern: aws.String(pattern),
			State:        types.RuleStateEnabled,
		}); err != nil {
			return fmt.Errorf("PutRule %s: %w", e.rules[i], err)
		}
		if i >= e.targeted {
			return nil
		}
		out, err := client.PutTargets(ctx, &eventbridge.PutTargetsInput{
			Rule:         aws.String(e.rules[i]),
			EventBusName: aws.String(c.Bus),
			Targets: []types.Target{{
				Id:      aws.String("bench"),
				Arn:     aws.String(destARN),
				RoleArn: aws.String(roleARN),
				// The header tells the receiver which rule delivered,
				// so that two rules delivering one event are not
				// counted as a duplicate.
				HttpParameters: &types.HttpParameters{
					HeaderParameters: map[string]string{ruleHeader: strconv.Itoa(i)},
				},
			}},
		})
		if err != nil {
			return fmt.Errorf("PutTargets %s: %w", e.rules[i], err)
		}
		if out.FailedEntryCount > 0 && len(out.FailedEntries) > 0 {
			f := out.FailedEntries[0]
			return fmt.Errorf("PutTargets %s: %s: %s", e.rules[i], aws.ToString(f.ErrorCode), aws.ToString(f.ErrorMessage))
		}
		return nil
	})
	return e, err
}

func (e *env) createDestination(ctx context.Context, client *eventbridge.Client, c *Config, runID, apiKey, url string) (string, error) {
	name := resourceName(runID, "http", -1)
	conn, err := client.CreateConnection(ctx, &eventbridge.CreateConnectionInput{
		Name:              aws.String(name),
		AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{
			ApiKeyAuthParameters: &types.CreateConnectionApiKeyAuthRequestParameters{
				ApiKeyName:  aws.String(apiKeyHeader),
				ApiKeyValue: aws.String(apiKey),
			},
		},
	})
	if err != nil {
		if errorCode(err) == "NotImplementedException" {
			e.note("target http not set up: CreateConnection answered NotImplementedException (%s); deliveries are not measured", errorMessage(err))
			return "", nil
		}
		return "", fmt.Errorf("CreateConnection: %w", err)
	}
	e.connection = name
	in := &eventbridge.CreateApiDestinationInput{
		Name:          aws.String(name),
		ConnectionArn: conn.ConnectionArn,
		// AWS accepts only https endpoints; Switchyard and emulators
		// accept this plain loopback URL.
		InvocationEndpoint: aws.String(url),
		HttpMethod:         types.ApiDestinationHttpMethodPost,
	}
	if c.APIDestinationRate > 0 {
		in.InvocationRateLimitPerSecond = aws.Int32(c.APIDestinationRate)
	}
	dest, err := client.CreateApiDestination(ctx, in)
	if err != nil {
		if errorCode(err) == "NotImplementedException" {
			e.note("target http not set up: CreateApiDestination answered NotImplementedException (%s); deliveries are not measured", errorMessage(err))
			return "", nil
		}
		return "", fmt.Errorf("CreateApiDestination: %w", err)
	}
	e.destination = name
	return aws.ToString(dest.ApiDestinationArn), nil
}

// teardown removes what setup created, as far as it got, unless keep; it
// keeps going after an error and returns them all.
func teardown(ctx context.Context, client *eventbridge.Client, c *Config, e *env) error {
	if e == nil || c.Keep {
		return nil
	}
	var mu sync.Mutex
	var errs []error
	_ = forEach(ctx, len(e.rules), func(ctx context.Context, i int) error {
		var err error
		if i < e.targeted {
			_, err = client.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{
				Rule: aws.String(e.rules[i]), EventBusName: aws.String(c.Bus), Ids: []string{"bench"},
			})
		}
		if err == nil {
			_, err = client.DeleteRule(ctx, &eventbridge.DeleteRuleInput{
				Name: aws.String(e.rules[i]), EventBusName: aws.String(c.Bus),
			})
		}
		if err != nil && errorCode(err) != "ResourceNotFoundException" {
			// A rule setup never got to create is not an error.
			mu.Lock()
			errs = append(errs, fmt.Errorf("rule %s: %w", e.rules[i], err))
			mu.Unlock()
		}
		return nil // keep removing the other rules
	})
	if e.destination != "" {
		if _, err := client.DeleteApiDestination(ctx, &eventbridge.DeleteApiDestinationInput{Name: aws.String(e.destination)}); err != nil {
			errs = append(errs, fmt.Errorf("DeleteApiDestination: %w", err))
		}
	}
	if e.connection != "" {
		if _, err := client.DeleteConnection(ctx, &eventbridge.DeleteConnectionInput{Name: aws.String(e.connection)}); err != nil {
			errs = append(errs, fmt.Errorf("DeleteConnection: %w", err))
		}
	}
	if e.busCreated {
		if _, err := client.DeleteEventBus(ctx, &eventbridge.DeleteEventBusInput{Name: aws.String(c.Bus)}); err != nil {
			errs = append(errs, fmt.Errorf("DeleteEventBus: %w", err))
		}
	}
	return errors.Join(errs...)
}

// forEach calls f for 0..n-1, setupConcurrency at a time, and returns the
// first error; after an error it starts no more calls.
func forEach(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	sem := make(chan struct{}, setupConcurrency)
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := f(ctx, i); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// accountOf returns the account field of an ARN, or def.
func accountOf(arn, def string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[4] != "" {
		return parts[4]
	}
	return def
}
