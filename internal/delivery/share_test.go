package delivery

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/router"
)

// TestShareRunsEveryJobWithinItsLimit: workers taking jobs of a few
// targets through the share run every job once, never more than the limit
// of one target at a time, and leave no target behind.
func TestShareRunsEveryJobWithinItsLimit(t *testing.T) {
	const limit, jobs, workers = 3, 3000, 16
	s := newShare(limit)
	targets := []*router.Target{}
	for _, a := range []string{"a", "b", "c", "d"} {
		targets = append(targets, &router.Target{Target: catalog.Target{ARN: a}})
	}
	queue := make(chan *Job, jobs)
	for i := range jobs {
		queue <- &Job{Target: targets[i%7%len(targets)]}
	}
	close(queue)
	var ran atomic.Int64
	var running [4]atomic.Int32
	index := map[*router.Target]int{targets[0]: 0, targets[1]: 1, targets[2]: 2, targets[3]: 3}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range queue {
				if !s.admit(j) {
					continue
				}
				for ; j != nil; j = s.next(j) {
					r := &running[index[j.Target]]
					if n := r.Add(1); n > limit {
						t.Errorf("%d attempts to one target at once", n)
					}
					ran.Add(1)
					r.Add(-1)
				}
			}
		})
	}
	wg.Wait()
	if n := ran.Load(); n != jobs {
		t.Errorf("%d jobs ran, want %d", n, jobs)
	}
	if len(s.targets) != 0 {
		t.Errorf("targets left behind: %v", s.targets)
	}
}
