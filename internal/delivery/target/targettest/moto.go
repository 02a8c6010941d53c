package targettest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/testenv"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// StartMoto starts moto_server on a loopback port the kernel picks (port
// 0: no window in which another server of the test run could take it),
// reads the port from the line the server prints, waits until it answers
// and returns its URL; t.Cleanup stops it by its PID. When moto_server is
// not on PATH the test is skipped, or fails under SWITCHYARD_REQUIRE_TOOLS
// (testenv).
func StartMoto(t testing.TB) string {
	t.Helper()
	bin := testenv.LookPath(t, "moto_server", testenv.InstallMoto)
	var out bytes.Buffer
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", "0")
	lw := &lockedWriter{w: &out} // one writer: os/exec then copies both streams through it
	cmd.Stdout, cmd.Stderr = lw, lw
	if err := cmd.Start(); err != nil {
		t.Fatalf("start moto_server: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	// Many packages start moto at once, each a Python process importing
	// a large library: on a busy machine that takes long, so the wait
	// goes on while moto still uses CPU and fails when it stops.
	url := ""
	testwait.For(t, "moto_server to answer", func() testwait.Status {
		if url == "" {
			if m := runningOn.FindSubmatch(lw.Bytes()); m != nil {
				url = string(m[1])
			}
		}
		if url != "" {
			resp, err := http.Get(url + "/moto-api/")
			if err == nil {
				resp.Body.Close()
				return testwait.Status{Done: true}
			}
		}
		select {
		case <-exited:
			t.Fatalf("moto_server exited: %s", lw.Bytes())
		default:
		}
		return testwait.Status{Progress: testwait.ProcessCPU(cmd.Process.Pid), Missing: fmt.Sprintf("an answer (url %q); output: %s", url, lw.Bytes())}
	})
	return url
}

// runningOn finds the address in the line the server prints once it
// listens (" * Running on http://127.0.0.1:38207").
var runningOn = regexp.MustCompile(`Running on (http://127\.0\.0\.1:[0-9]+)`)

// Config is an SDK configuration for a stand-in at url (moto or a local
// HTTP server), in us-east-1, with static test credentials: for reading
// back what a target received.
func Config(url string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url),
	}
}

// Clients are target clients sending every service to url.
func Clients(url string) *target.Clients {
	return target.NewFromConfig(Config(url), target.Options{Endpoints: map[string]string{"*": url}})
}

// Call signs req for service in us-east-1 with the test credentials,
// sends it and returns the answer's body; an answer other than 200 fails
// the test. It is for the few calls of tests that the SDK cannot make:
// actions of services without an SDK module in go.mod (EC2, IAM), and
// answers of moto the SDK refuses to decode.
func Call(t testing.TB, req *http.Request, service string) []byte {
	t.Helper()
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			t.Fatal(err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	creds, _ := Config("").Credentials.Retrieve(req.Context())
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(req.Context(), creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s %s", service, req.URL.Path, resp.Status, b)
	}
	return b
}

// FreePort is a loopback port that refuses connections for the rest of
// the test: a socket is bound to it but never listens, so no other server
// of the test run (a moto starting in parallel) can be given it.
func FreePort(t testing.TB) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return sa.(*syscall.SockaddrInet4).Port
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

// Bytes is a copy of what was written so far.
func (l *lockedWriter) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.w.Bytes())
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
