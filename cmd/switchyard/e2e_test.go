package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/switchyard-dev/switchyard/internal/testenv"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// The tests in this file build the real binary and drive it as a user
// would: through its flags, its health endpoint, signals, and the aws CLI.

var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "switchyard-bin")
	if err != nil {
		panic(err)
	}
	binPath = filepath.Join(dir, "switchyard")
	out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

type proc struct {
	cmd     *exec.Cmd
	addr    string
	stderr  *syncBuffer
	done    chan struct{} // closed when the process has exited
	waitErr error         // its exit status, once done is closed
}

// syncBuffer collects a child's stderr while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// wait waits for the process to exit and returns its exit status. An exit
// has no measure of progress: the test fails after testwait's stall
// interval, long enough for a clean shutdown on a busy machine.
func (p *proc) wait(t *testing.T) error {
	t.Helper()
	testwait.Cond(t, "switchyard (pid "+strconv.Itoa(p.cmd.Process.Pid)+") to exit", func() bool {
		select {
		case <-p.done:
			return true
		default:
			return false
		}
	})
	return p.waitErr
}

// start runs the binary and waits until its health endpoint answers.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{addr: freeAddr(t), stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binPath, append([]string{"serve", "--addr", p.addr}, args...)...)
	// Tests never reach real AWS: AWS calls go to a port nothing listens on.
	p.cmd.Env = append(os.Environ(), "SWITCHYARD_AWS_ENDPOINT_URL=http://127.0.0.1:1")
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	// Starting on a data dir a SIGKILL left can take a while on a busy
	// machine; the wait goes on while the server uses CPU or logs.
	testwait.For(t, "switchyard on "+p.addr+" to be ready", func() testwait.Status {
		select {
		case <-p.done:
			t.Fatalf("switchyard exited before ready: %v\n%s", p.waitErr, p.stderr)
		default:
		}
		resp, err := http.Get("http://" + p.addr + "/_switchyard/health")
		if err == nil {
			var h map[string]string
			_ = json.NewDecoder(resp.Body).Decode(&h)
			resp.Body.Close()
			if resp.StatusCode == 200 && h["status"] == "ok" {
				return testwait.Status{Done: true}
			}
		}
		log := p.stderr.String()
		return testwait.Status{Progress: testwait.ProcessCPU(p.cmd.Process.Pid) + int64(len(log)), Missing: fmt.Sprintf("a healthy answer (last error %v); stderr:\n%s", err, log)}
	})
	return p
}

func (p *proc) client(t *testing.T) *eventbridge.Client {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	}
	return eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) {
		o.BaseEndpoint = aws.String("http://" + p.addr)
	})
}

// awsCLI runs the aws CLI against the server and returns its JSON output.
func awsCLI(t *testing.T, addr string, args ...string) map[string]any {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", "http://" + addr, "--output", "json", "events"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var v map[string]any
	if len(strings.TrimSpace(string(out))) > 0 {
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("aws %s: output is not JSON: %s", strings.Join(args, " "), out)
		}
	}
	return v
}

func needAWSCLI(t *testing.T) {
	t.Helper()
	testenv.LookPath(t, "aws", testenv.InstallAWSCLI)
}

// TestKillRestartKeepsCatalog makes changes with the aws CLI, kills the server
// with SIGKILL (no shutdown code runs), restarts it on the same data dir and
// finds every change.
func TestKillRestartKeepsCatalog(t *testing.T) {
	needAWSCLI(t)
	dataDir := t.TempDir()
	p := start(t, "--data-dir", dataDir)

	awsCLI(t, p.addr, "create-event-bus", "--name", "orders", "--description", "order events", "--tags", "Key=team,Value=core")
	awsCLI(t, p.addr, "put-rule", "--name", "big-orders", "--event-bus-name", "orders",
		"--event-pattern", `{"source":["shop"],"detail":{"total":[{"numeric":[">",100]}]}}`, "--description", "large orders")
	awsCLI(t, p.addr, "put-rule", "--name", "nightly", "--schedule-expression", "cron(0 2 * * ? *)", "--state", "DISABLED")
	awsCLI(t, p.addr, "put-targets", "--rule", "big-orders", "--event-bus-name", "orders", "--targets",
		`[{"Id":"t1","Arn":"arn:aws:sqs:us-east-1:000000000000:big","InputPath":"$.detail","RetryPolicy":{"MaximumRetryAttempts":3,"MaximumEventAgeInSeconds":600}}]`)
	awsCLI(t, p.addr, "tag-resource", "--resource-arn", "arn:aws:events:us-east-1:000000000000:rule/orders/big-orders", "--tags", "Key=tier,Value=gold")
	awsCLI(t, p.addr, "put-permission", "--event-bus-name", "orders", "--action", "events:PutEvents", "--principal", "111111111111", "--statement-id", "partner")
	// The last change, acknowledged right before the kill.
	awsCLI(t, p.addr, "disable-rule", "--name", "big-orders", "--event-bus-name", "orders")

	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.wait(t)

	p2 := start(t, "--data-dir", dataDir)
	ctx := context.Background()
	eb := p2.client(t)
	bus, err := eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(bus.Description) != "order events" || !strings.Contains(aws.ToString(bus.Policy), `"Sid":"partner"`) {
		t.Errorf("bus after restart: description %q policy %q", aws.ToString(bus.Description), aws.ToString(bus.Policy))
	}
	rule, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("big-orders"), EventBusName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if rule.State != "DISABLED" || aws.ToString(rule.Description) != "large orders" {
		t.Errorf("rule after restart: state %s description %q", rule.State, aws.ToString(rule.Description))
	}
	nightly, err := eb.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("nightly")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(nightly.ScheduleExpression) != "cron(0 2 * * ? *)" || nightly.State != "DISABLED" {
		t.Errorf("nightly after restart: %q %s", aws.ToString(nightly.ScheduleExpression), nightly.State)
	}
	targets, err := eb.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("big-orders"), EventBusName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if len(targets.Targets) != 1 || aws.ToString(targets.Targets[0].InputPath) != "$.detail" ||
		targets.Targets[0].RetryPolicy == nil || aws.ToInt32(targets.Targets[0].RetryPolicy.MaximumRetryAttempts) != 3 {
		t.Errorf("targets after restart: %+v", targets.Targets)
	}
	for arn, want := range map[string]string{
		"arn:aws:events:us-east-1:000000000000:event-bus/orders":       "team=core",
		"arn:aws:events:us-east-1:000000000000:rule/orders/big-orders": "tier=gold",
	} {
		tags, err := eb.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tg := range tags.Tags {
			got = append(got, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
		}
		if strings.Join(got, ",") != want {
			t.Errorf("tags of %s after restart: %v, want %s", arn, got, want)
		}
	}
}

// TestSignalShutdown checks that SIGTERM stops the server cleanly: exit code
// 0, and a restart on the same data dir works.
func TestSignalShutdown(t *testing.T) {
	dataDir := t.TempDir()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		p := start(t, "--data-dir", dataDir)
		if _, err := p.client(t).CreateEventBus(context.Background(), &eventbridge.CreateEventBusInput{Name: aws.String("bus-" + sig.String()[:3])}); err != nil {
			t.Fatal(err)
		}
		if err := p.cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		if err := p.wait(t); err != nil {
			t.Fatalf("exit after %v: %v\n%s", sig, err, p.stderr)
		}
		if !strings.Contains(p.stderr.String(), "shutting down") {
			t.Errorf("no shutdown log after %v:\n%s", sig, p.stderr)
		}
	}
	p := start(t, "--data-dir", dataDir)
	out, err := p.client(t).ListEventBuses(context.Background(), &eventbridge.ListEventBusesInput{NamePrefix: aws.String("bus-")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.EventBuses) != 2 {
		t.Errorf("buses after two clean restarts: %d, want 2", len(out.EventBuses))
	}
}

// TestRefusesOpenAuthOnNetwork: --auth=open (the default on loopback) must
// not silently serve every interface.
func TestRefusesOpenAuthOnNetwork(t *testing.T) {
	cmd := exec.Command(binPath, "serve", "--memory", "--addr", "0.0.0.0:0", "--auth", "open")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("started on 0.0.0.0 in open mode:\n%s", out)
	}
	if !strings.Contains(string(out), "--insecure") {
		t.Errorf("message does not say how to proceed:\n%s", out)
	}
	// Without --auth the mode on a non-loopback address is sigv4, which needs credentials.
	out, err = exec.Command(binPath, "serve", "--memory", "--addr", "0.0.0.0:0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--credentials") {
		t.Fatalf("non-loopback default: err %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--auth open --insecure") {
		t.Errorf("non-loopback default does not name open mode as the other way out:\n%s", out)
	}
}

// TestEnvironmentFlags: every flag can come from SWITCHYARD_<FLAG>; the
// command line wins over the environment.
func TestEnvironmentFlags(t *testing.T) {
	addr := freeAddr(t)
	cmd := exec.Command(binPath)
	cmd.Env = append(os.Environ(), "SWITCHYARD_ADDR="+addr, "SWITCHYARD_MEMORY=true", "SWITCHYARD_ACCOUNT_ID=123456789012",
		"SWITCHYARD_LOG_FORMAT=json", "SWITCHYARD_REGION=eu-west-1", "SWITCHYARD_MAX_STORE=64MiB")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil {
		t.Fatalf("no log line: %v", err)
	}
	var entry map[string]any
	if err := json.Unmarshal([]byte(line), &entry); err != nil {
		t.Fatalf("log is not JSON: %q", line)
	}
	if entry["addr"] != addr || entry["account"] != "123456789012" || entry["region"] != "eu-west-1" || entry["store"] != "embedded nats, memory" ||
		entry["max_store_bytes"] != float64(64<<20) {
		t.Errorf("ready log: %v", entry)
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()

	// An unsigned request gets the default account and region from the environment.
	resp, err := http.Post("http://"+addr+"/", "application/x-amz-json-1.1", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_ = resp
	req, _ := http.NewRequest("POST", "http://"+addr+"/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "AWSEvents.DescribeEventBus")
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Body.Close()
	var bus map[string]any
	_ = json.NewDecoder(r2.Body).Decode(&bus)
	if bus["Arn"] != "arn:aws:events:eu-west-1:123456789012:event-bus/default" {
		t.Errorf("default bus of env-configured server: %v", bus)
	}

	bad := exec.Command(binPath, "--memory")
	bad.Env = append(os.Environ(), "SWITCHYARD_LOG_LEVEL=loud")
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "SWITCHYARD_LOG_LEVEL") && !strings.Contains(string(out), "log-level") {
		t.Errorf("bad env value accepted: %v\n%s", err, out)
	}
	bad = exec.Command(binPath, "--memory", "--addr", freeAddr(t))
	bad.Env = append(os.Environ(), "SWITCHYARD_MAX_STORE=lots")
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "--max-store") {
		t.Errorf("bad SWITCHYARD_MAX_STORE accepted: %v\n%s", err, out)
	}
}

func TestVersion(t *testing.T) {
	out, err := exec.Command(binPath, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "switchyard ") {
		t.Fatalf("version: %v %q", err, out)
	}
	if out, err := exec.Command(binPath, "frobnicate").CombinedOutput(); err == nil {
		t.Fatalf("unknown command accepted: %s", out)
	}
}
