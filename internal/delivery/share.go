package delivery

import "sync"

// share keeps one target from taking every worker: at most limit attempts
// to one target ARN run at once. A job over its target's limit waits in
// that target's queue, holding no worker; a worker that finishes an
// attempt to the target takes the next waiting job of the same target.
// Without it, a target that hangs for its whole attempt limit, with enough
// events queued, occupied all workers, and every other target's
// deliveries waited behind it.
//
// Invariant: a target has waiting jobs only while limit attempts to it are
// running, so some worker always comes back for them (also while the
// dispatcher closes: a worker drains its target's queue before it exits).
type share struct {
	limit int

	mu      sync.Mutex
	targets map[string]*targetShare
}

type targetShare struct {
	running int
	waiting []*Job
}

func newShare(limit int) *share {
	return &share{limit: limit, targets: map[string]*targetShare{}}
}

// admit takes a slot of j's target for j, or queues j: false means the
// caller must leave j to the worker that will free a slot.
func (s *share) admit(j *Job) bool {
	k := j.Target.ARN
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.targets[k]
	if t == nil {
		t = &targetShare{}
		s.targets[k] = t
	}
	if t.running < s.limit {
		t.running++
		return true
	}
	t.waiting = append(t.waiting, j)
	return false
}

// next frees j's slot and returns the target's next waiting job, its slot
// already taken, or nil.
func (s *share) next(j *Job) *Job {
	k := j.Target.ARN
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.targets[k]
	if len(t.waiting) > 0 {
		n := t.waiting[0]
		t.waiting[0] = nil
		t.waiting = t.waiting[1:]
		return n
	}
	t.running--
	if t.running == 0 {
		delete(s.targets, k)
	}
	return nil
}
