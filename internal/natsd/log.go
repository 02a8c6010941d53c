package natsd

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// serverLog adapts nats-server's Logger interface to slog. Notices, warnings,
// debug and trace lines go to slog at debug level: nats-server is chatty and
// the host decides whether it wants to see it. Errors and fatal errors go at
// error level. Fatal errors are also remembered so that Open can report why
// the server did not start (nats-server calls Fatalf and gives up instead of
// returning an error from Start).
//
// Write failures are remembered too. When a file store's write fails,
// nats-server keeps the error and refuses every later write to that stream
// (and every removal: acknowledged messages of a work-queue stream then
// stay), but it reports it in its health check only once a message write
// failed, not when the write of a deletion record did; its log line is the
// one signal of the latter. One server instance has one serverLog, so a
// restart starts with a clean slate.
type serverLog struct {
	l       *slog.Logger // nil: discard
	onWrite func()       // called after a write failure is recorded

	mu       sync.Mutex
	fatal    error
	writeErr string // the first write failure logged
}

func (s *serverLog) log(level slog.Level, format string, v []any) {
	if s.l == nil || !s.l.Enabled(context.Background(), level) {
		return
	}
	s.l.Log(context.Background(), level, fmt.Sprintf(format, v...), "component", "nats-server")
}

func (s *serverLog) Noticef(format string, v ...any) { s.log(slog.LevelDebug, format, v) }
func (s *serverLog) Warnf(format string, v ...any)   { s.log(slog.LevelDebug, format, v) }
func (s *serverLog) Debugf(format string, v ...any)  { s.log(slog.LevelDebug, format, v) }
func (s *serverLog) Tracef(format string, v ...any)  { s.log(slog.LevelDebug, format, v) }

func (s *serverLog) Errorf(format string, v ...any) {
	s.log(slog.LevelError, format, v)
	// nats-server's words for a write that failed and is now remembered:
	// "Filestore [stream] Critical write error: ...", "JetStream stream
	// '...' critical write error: ...".
	if !strings.Contains(strings.ToLower(format), "critical write error") {
		return
	}
	s.mu.Lock()
	first := s.writeErr == ""
	if first {
		s.writeErr = fmt.Sprintf(format, v...)
	}
	s.mu.Unlock()
	if first && s.onWrite != nil {
		s.onWrite()
	}
}

func (s *serverLog) Fatalf(format string, v ...any) {
	s.log(slog.LevelError, format, v)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fatal == nil {
		s.fatal = fmt.Errorf(format, v...)
	}
}

func (s *serverLog) fatalErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fatal
}

// writeFailure is the first write failure logged, or "".
func (s *serverLog) writeFailure() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeErr
}
