package consumer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/smallfs"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// TestReclaimAfterFullDisk shows why Reclaim exists and that it works, on a
// real full disk. A work-queue stream whose store had a write fail keeps
// every message acknowledged afterwards (nats-server cannot record the
// removal, and keeps refusing once a write failed); after the server
// restarts the acknowledgements stand and the messages are still there,
// never to be delivered again. A Loop with Stream set removes them.
func TestReclaimAfterFullDisk(t *testing.T) {
	fs := smallfs.Mount(t, 64<<20)
	ctx := t.Context()
	node, err := natsd.Open(ctx, natsd.Config{DataDir: filepath.Join(fs.Dir, "data")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = node.Close(context.Background()) })
	js := node.JetStream()
	stream, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "s", Subjects: []string{"s.>"},
		Storage: jetstream.FileStorage, Retention: jetstream.WorkQueuePolicy})
	if err != nil {
		t.Fatal(err)
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, "s", jetstream.ConsumerConfig{Durable: "d", AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		t.Fatal(err)
	}
	const msgs = 40
	payload := strings.Repeat("x", 100<<10)
	for range msgs {
		if _, err := js.Publish(ctx, "s.x", []byte(payload)); err != nil {
			t.Fatal(err)
		}
	}

	fs.Fill(t)
	// A write fails on the full disk: the stream's store keeps the error.
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	_, err = js.Publish(pctx, "s.x", []byte(payload))
	cancel()
	if err == nil {
		t.Fatal("a write succeeded on a full disk")
	}
	// The work is done and acknowledged meanwhile.
	batch, err := cons.Fetch(msgs, jetstream.FetchMaxWait(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	acked := 0
	for m := range batch.Messages() {
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatal(err)
		}
		acked++
	}
	if acked != msgs {
		t.Fatalf("acknowledged %d of %d", acked, msgs)
	}

	fs.Free(t)
	// The node restarts its server once there is room.
	testwait.Cond(t, "the store recovered", func() bool {
		st := node.Check()
		return st.Err == nil && st.Recoveries > 0
	})
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after the restart: the stream holds %d messages (%d bytes, sequences %d to %d); the consumer's acknowledgement floor is %d, %d pending",
		info.State.Msgs, info.State.Bytes, info.State.FirstSeq, info.State.LastSeq, ci.AckFloor.Stream, ci.NumPending)
	if info.State.Msgs == 0 {
		t.Fatal("nats-server removed the acknowledged messages itself: Reclaim is not needed any more")
	}

	// The write that failed may be there too: nats-server kept it in its
	// write buffer and wrote it out when it stopped, with room again. It is
	// new work (the writer was told it failed, and would send it again:
	// at least once); the acknowledged messages must not come back.
	l := Open(Config{Consumer: cons, Stream: stream, ReclaimEvery: 100 * time.Millisecond}, func(ctx context.Context, m *Msg) {
		if md, err := m.Metadata(); err != nil || md.Sequence.Stream <= msgs {
			t.Errorf("an acknowledged message delivered again: %+v %v", md, err)
		}
		_ = m.Ack()
	})
	defer l.Close()
	testwait.For(t, "the acknowledged messages removed", func() testwait.Status {
		info, err := stream.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return testwait.Status{Done: info.State.Msgs == 0, Missing: fmt.Sprintf("stream state %+v", info.State)}
	})
	// The space is back: the stream's block files are gone.
	var held int64
	_ = filepath.WalkDir(filepath.Join(fs.Dir, "data", "jetstream", "$G", "streams", "s", "msgs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".blk") {
			if fi, err := d.Info(); err == nil {
				held += fi.Size()
			}
		}
		return nil
	})
	if held > 64<<10 {
		t.Errorf("the stream's blocks still hold %d bytes", held)
	}
	// New work still flows.
	if _, err := js.Publish(ctx, "s.x", []byte("new")); err != nil {
		t.Fatal(err)
	}
}
