package natskv

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store"
)

// Writes through natsd's file storage survive Close and a new Open on the
// same DataDir, revisions included, and the revision sequence goes on from
// there.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := testContext(t)

	n1, err := natsd.Open(ctx, natsd.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s1 := openStore(t, n1.JetStream(), "catalog", n1.StorageType())
	want := map[string]store.Entry{}
	var last uint64
	for i := range 50 {
		k := fmt.Sprintf("bus.b%02d", i)
		rev, err := s1.Create(ctx, k, []byte("v1"))
		if err != nil {
			t.Fatal(err)
		}
		want[k] = store.Entry{Key: k, Value: []byte("v1"), Revision: rev}
		last = rev
	}
	for i := 0; i < 50; i += 5 {
		k := fmt.Sprintf("bus.b%02d", i)
		rev, err := s1.Update(ctx, k, []byte("v2"), want[k].Revision)
		if err != nil {
			t.Fatal(err)
		}
		want[k] = store.Entry{Key: k, Value: []byte("v2"), Revision: rev}
		last = rev
	}
	for i := 1; i < 50; i += 7 {
		k := fmt.Sprintf("bus.b%02d", i)
		if err := s1.Delete(ctx, k, 0); err != nil {
			t.Fatal(err)
		}
		delete(want, k)
	}
	if err := n1.Close(ctx); err != nil {
		t.Fatal(err)
	}

	n2 := openNode(t, natsd.Config{DataDir: dir})
	s2 := openStore(t, n2.JetStream(), "catalog", n2.StorageType())
	entries, err := s2.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Fatalf("after restart List returned %d entries, want %d", len(entries), len(want))
	}
	for _, e := range entries {
		w := want[e.Key]
		if string(e.Value) != string(w.Value) || e.Revision != w.Revision {
			t.Errorf("after restart %q = %q at %d, want %q at %d", e.Key, e.Value, e.Revision, w.Value, w.Revision)
		}
		if g, err := s2.Get(ctx, e.Key); err != nil || g.Revision != w.Revision {
			t.Errorf("after restart Get(%q) = %+v, %v", e.Key, g, err)
		}
	}
	if _, err := s2.Get(ctx, "bus.b01"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted key after restart: %v", err)
	}
	rev, err := s2.Create(ctx, "bus.b01", []byte("again"))
	if err != nil || rev <= last {
		t.Fatalf("Create after restart: revision %d (last before restart %d), %v", rev, last, err)
	}
}

// helperEnv names the data directory of the child process of TestSIGKILL.
const helperEnv = "NATSKV_SIGKILL_HELPER_DIR"

// TestHelperProcess is the child of TestSIGKILL: it writes until it is
// killed and prints every acknowledged write on stdout.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		t.Skip("helper process for TestSIGKILL")
	}
	if err := writeUntilKilled(dir, os.Getenv(helperEnv+"_START"), os.Getenv(helperEnv+"_SYNC") != ""); err != nil {
		fmt.Printf("error %v\n", err)
		os.Exit(2)
	}
}

// writeUntilKilled writes from helperWriters goroutines at once, so that
// several writes are in flight when the kill comes: writer g creates keys
// k.<n> with value <n> for n = start+g, start+g+helperWriters, ..., and
// writer 0 also sets "counter" to n after each of its creates. Each
// acknowledged write is printed ("create <key> <rev>", "update <n> <rev>")
// with one write(2) straight to the file descriptor: what the parent reads
// was acknowledged.
func writeUntilKilled(dir, start string, sync bool) error {
	ctx := context.Background()
	n, err := natsd.Open(ctx, natsd.Config{DataDir: dir, SyncAlways: sync})
	if err != nil {
		return err
	}
	s, err := Open(ctx, n.JetStream(), "catalog", n.StorageType())
	if err != nil {
		return err
	}
	first, _ := strconv.Atoi(start)
	e, err := s.Get(ctx, "counter")
	if errors.Is(err, store.ErrNotFound) {
		e.Revision, err = s.Create(ctx, "counter", []byte("0"))
	}
	if err != nil {
		return err
	}
	fmt.Println("ready")
	errc := make(chan error, helperWriters)
	for g := range helperWriters {
		go func() {
			rev := e.Revision
			for i := first + g; ; i += helperWriters {
				k := fmt.Sprintf("k.%07d", i)
				r, err := s.Create(ctx, k, []byte(strconv.Itoa(i)))
				if err != nil {
					errc <- err
					return
				}
				fmt.Printf("create %s %d\n", k, r)
				if g != 0 {
					continue
				}
				if rev, err = s.Update(ctx, "counter", []byte(strconv.Itoa(i)), rev); err != nil {
					errc <- err
					return
				}
				fmt.Printf("update %d %d\n", i, rev)
			}
		}()
	}
	return <-errc
}

// helperWriters is the number of goroutines writing in the child.
const helperWriters = 4

// TestSIGKILL kills a child process in the middle of its writes, reopens its
// data directory and checks that every write the child saw acknowledged is
// there. Three rounds on the same directory: recovery after a kill must also
// survive the next kill.
func TestSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	for _, sync := range []bool{false, true} {
		t.Run(fmt.Sprintf("SyncAlways=%v", sync), func(t *testing.T) {
			dir := t.TempDir()
			next := 0
			for round := range 3 {
				next = killRound(t, dir, round, next, sync)
			}
		})
	}
}

// acked is what a child reported acknowledged.
type acked struct {
	keys    map[string]uint64 // key -> revision
	counter int               // last acknowledged counter value, -1 if none
}

// killRound runs one child from key number start, kills it after 300
// acknowledged creates, checks the data and returns the next key number.
func killRound(t *testing.T, dir string, round, start int, sync bool) int {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir, fmt.Sprintf("%s_START=%d", helperEnv, start))
	if sync {
		cmd.Env = append(cmd.Env, helperEnv+"_SYNC=1")
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	got := acked{keys: map[string]uint64{}, counter: -1}
	sc := bufio.NewScanner(stdout)
	killed := false
	timeout := time.AfterFunc(20*time.Second, func() { _ = cmd.Process.Kill() })
	defer timeout.Stop()
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 3 && f[0] == "create":
			rev, _ := strconv.ParseUint(f[2], 10, 64)
			got.keys[f[1]] = rev
		case len(f) == 3 && f[0] == "update":
			got.counter, _ = strconv.Atoi(f[1])
		case len(f) == 1 && f[0] == "ready":
		default:
			t.Fatalf("child: %q", sc.Text())
		}
		if !killed && len(got.keys) >= 300 {
			// Kill while the child is between a write and the next.
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended before the kill: %v", err)
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die of SIGKILL: %v", err)
	}

	// Reopen the same directory and look for every acknowledged write.
	ctx := testContext(t)
	openStart := time.Now()
	n, err := natsd.Open(ctx, natsd.Config{DataDir: dir})
	if err != nil {
		t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
	}
	defer func() { _ = n.Close(context.Background()) }()
	openTook := time.Since(openStart)
	s, err := Open(ctx, n.JetStream(), "catalog", n.StorageType())
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for k, rev := range got.keys {
		e, err := s.Get(ctx, k)
		i, _ := strconv.Atoi(strings.TrimPrefix(k, "k."))
		if err != nil || e.Revision != rev || string(e.Value) != strconv.Itoa(i) {
			lost++
			if lost <= 10 {
				t.Errorf("round %d: acknowledged %s at revision %d: after SIGKILL got %+v, %v", round, k, rev, e, err)
			}
		}
	}
	all, err := s.List(ctx, "k.")
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.Get(ctx, "counter")
	if err != nil {
		t.Fatal(err)
	}
	counter, _ := strconv.Atoi(string(e.Value))
	if counter < got.counter {
		t.Errorf("round %d: counter %d after SIGKILL, last acknowledged %d", round, counter, got.counter)
	}
	if lost > 0 {
		t.Errorf("round %d: %d of %d acknowledged creates lost", round, lost, len(got.keys))
	}
	t.Logf("round %d: %d acknowledged creates (%d printed after the kill signal), all present; %d keys stored in all; counter %d (last acknowledged %d); reopen took %v",
		round, len(got.keys), len(got.keys)-300, len(all), counter, got.counter, openTook.Round(time.Millisecond))
	// The next round goes on after every key written so far.
	if len(all) == 0 {
		return start
	}
	lastKey, _ := strconv.Atoi(strings.TrimPrefix(all[len(all)-1].Key, "k."))
	return lastKey + 1
}
