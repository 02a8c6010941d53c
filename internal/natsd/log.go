package natsd

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// serverLog adapts nats-server's Logger interface to slog. Notices, warnings,
// debug and trace lines go to slog at debug level: nats-server is chatty and
// the host decides whether it wants to see it. Errors and fatal errors go at
// error level. Fatal errors are also remembered so that Open can report why
// the server did not start (nats-server calls Fatalf and gives up instead of
// returning an error from Start).
type serverLog struct {
	l *slog.Logger // nil: discard

	mu    sync.Mutex
	fatal error
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
func (s *serverLog) Errorf(format string, v ...any)  { s.log(slog.LevelError, format, v) }

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
