package server

import (
	"bytes"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api"
)

// listener is the server's socket with its connection limits: at most max
// connections at once (a client over the limit is answered 503
// ServiceUnavailableException at once, which SDKs retry, rather than left
// waiting unseen), and every connection wrapped so that net/http's own
// early answers go out in AWS's error shape.
type listener struct {
	net.Listener
	slots chan struct{} // one per open connection; nil: no limit
}

func newListener(ln net.Listener, max int) *listener {
	l := &listener{Listener: ln}
	if max > 0 {
		l.slots = make(chan struct{}, max)
	}
	return l
}

// refuseTimeout bounds the write of a refusal to a client over the limit.
const refuseTimeout = 5 * time.Second

func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.slots == nil {
			return &conn{Conn: c}, nil
		}
		select {
		case l.slots <- struct{}{}:
			return &conn{Conn: c, release: func() { <-l.slots }}, nil
		default:
			go refuse(c)
		}
	}
}

// refuse answers a connection over the limit and closes it.
func refuse(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(refuseTimeout))
	_, _ = c.Write(api.RawError(http.StatusServiceUnavailable, api.Errorf(api.ServiceUnavailable,
		"The server has too many open connections; try again.")))
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	_ = c.Close()
}

// conn is an accepted connection: it gives its slot back once closed, and
// answers in AWS's error shape where net/http would answer in plain text or
// not at all.
type conn struct {
	net.Conn
	release func()
	once    sync.Once
	// unanswered counts the bytes read since the last answer was written:
	// a request begun and never answered.
	unanswered atomic.Int64
}

func (c *conn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.unanswered.Add(int64(n))
	}
	return n, err
}

// Close gives the slot back. net/http closes a connection whose request
// header did not arrive within the read timeout without a word: the client
// then sees a reset it cannot tell from a crash. A request begun and not
// answered gets RequestTimeoutException first.
func (c *conn) Close() error {
	if c.unanswered.Load() > 0 {
		_ = c.Conn.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = c.Conn.Write(api.RawError(http.StatusRequestTimeout, api.Errorf(api.RequestTimeout,
			"The request was not received in time.")))
	}
	if c.release != nil {
		c.once.Do(c.release)
	}
	return c.Conn.Close()
}

// Write sends b, or in its place the AWS-shaped form of a refusal net/http
// writes by itself before any handler runs: a malformed request (400), an
// unsupported transfer encoding (501), headers too large (431). net/http
// writes each of those with one Write straight to the connection, as a
// status line followed by exactly this header block; a handler's response
// always carries a Date header, so it never looks like one.
func (c *conn) Write(b []byte) (int, error) {
	c.unanswered.Store(0)
	if early, ok := awsShaped(b); ok {
		if _, err := c.Conn.Write(early); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return c.Conn.Write(b)
}

// cannedHeaders is the header block of net/http's own refusals.
const cannedHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

func awsShaped(b []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(b, []byte("HTTP/1.1 "))
	if !ok || len(rest) < 3 {
		return nil, false
	}
	line, text, ok := bytes.Cut(rest, []byte(cannedHeaders))
	if !ok || bytes.Contains(line, []byte("\r\n")) {
		return nil, false
	}
	status, err := strconv.Atoi(string(line[:3]))
	if err != nil || status < 400 {
		return nil, false
	}
	e := api.Errorf(api.Serialization, "The request could not be read as HTTP: %s.", bytes.TrimSpace(text))
	if status == http.StatusRequestHeaderFieldsTooLarge {
		e = api.Errorf(api.RequestTooLarge, "The request's header fields are too large.")
	}
	return api.RawError(status, e), true
}
