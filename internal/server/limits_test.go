package server_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/server"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// rawResponse sends req on a new connection and reads one response.
func rawResponse(t *testing.T, addr, req string) (*http.Response, []byte) {
	t.Helper()
	return slowResponse(t, addr, req, 0, "")
}

// slowResponse is rawResponse from a slow client: after req it goes on
// writing more, a little every interval (fifty times at most), while it
// waits for the response.
func slowResponse(t *testing.T, addr, req string, every time.Duration, more string) (*http.Response, []byte) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	if every > 0 {
		done := make(chan struct{})
		defer close(done)
		go func() {
			for range 50 {
				select {
				case <-done:
					return
				case <-time.After(every):
				}
				if _, err := io.WriteString(c, more); err != nil {
					return
				}
			}
		}()
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no HTTP answer: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// awsError checks that an answer is an AWS JSON error with the code.
func awsError(t *testing.T, resp *http.Response, body []byte, status int, code string) {
	t.Helper()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if resp.StatusCode != status || resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
		resp.Header.Get("X-Amzn-Errortype") != code || resp.Header.Get("X-Amzn-Requestid") == "" ||
		json.Unmarshal(body, &e) != nil || e.Type != code || e.Message == "" {
		t.Errorf("answer %d %v %s; want %d %s in AWS's error shape", resp.StatusCode, resp.Header, body, status, code)
	}
}

// TestEarlyRefusalsAreAWSShaped: requests net/http refuses before any
// handler runs are answered in AWS's error shape, not net/http's plain text.
func TestEarlyRefusalsAreAWSShaped(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	addr := s.Addr().String()
	resp, body := rawResponse(t, addr, "NOT-HTTP\r\n\r\n")
	awsError(t, resp, body, 400, "SerializationException")
	resp, body = rawResponse(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
	awsError(t, resp, body, 501, "SerializationException")
	resp, body = rawResponse(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 2<<20)+"\r\n\r\n")
	awsError(t, resp, body, 431, "RequestEntityTooLargeException")
	// A handler's own plain-text answer is left alone.
	resp, body = rawResponse(t, addr, "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp.StatusCode != 400 && resp.StatusCode != 404 && resp.StatusCode != 405 {
		t.Errorf("an ordinary answer: %d %s", resp.StatusCode, body)
	}
}

// TestSlowBodyIsAnswered: a body sent a byte at a time is cut off at the
// read timeout with an AWS error, not waited for forever.
func TestSlowBodyIsAnswered(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{ReadTimeout: time.Second})
	// A byte a second, for far longer than the timeout.
	resp, body := slowResponse(t, s.Addr().String(), "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSEvents.ListEventBuses\r\n"+
		"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n{", time.Second, " ")
	awsError(t, resp, body, 400, "SerializationException")
}

// TestIdleConnectionsAreClosed: a keep-alive connection left idle past the
// idle timeout is closed by the server.
func TestIdleConnectionsAreClosed(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{IdleTimeout: 500 * time.Millisecond})
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.WriteString(c, "GET /_switchyard/health HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	// Nothing more is sent: the server closes the connection (EOF), well
	// before the test's own deadline.
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("idle connection: read %v, want EOF from the server closing it", err)
	}
}

// TestConnectionCap: connections over the cap are answered 503
// ServiceUnavailableException at once; once one closes, a new one is served.
func TestConnectionCap(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{MaxConnections: 3})
	addr := s.Addr().String()
	var held []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
		defer c.Close()
		// A request answered proves the server accepted the connection.
		if _, err := io.WriteString(c, "GET /_switchyard/health HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("connection under the cap: %v %v", resp, err)
		}
	}
	resp, body := rawResponse(t, addr, "GET /_switchyard/health HTTP/1.1\r\nHost: x\r\n\r\n")
	awsError(t, resp, body, 503, "ServiceUnavailableException")
	held[0].Close()
	// The slot comes back once the server has seen the close.
	testwait.Cond(t, "a slot after a connection closed", func() bool {
		resp, _ := rawResponse(t, addr, "GET /_switchyard/health HTTP/1.1\r\nHost: x\r\n\r\n")
		return resp.StatusCode == 200
	})
}

// TestSlowHeaderIsAnswered: a request whose header does not arrive within
// the read timeout is answered RequestTimeoutException before the server
// closes the connection (net/http alone closes it without a word).
func TestSlowHeaderIsAnswered(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{ReadTimeout: time.Second})
	resp, body := slowResponse(t, s.Addr().String(), "POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 300*time.Millisecond, "a")
	awsError(t, resp, body, 408, "RequestTimeoutException")
}
