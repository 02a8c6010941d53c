// Package natskv implements store.Store on a JetStream key-value bucket.
//
// Each key is a subject in the bucket's stream and each write is one stream
// message, so a key's revision is the message's stream sequence: it increases
// with every write to the bucket. The store's checks map onto JetStream's
// per-subject "expected last sequence" header, evaluated by the server:
//
//   - Create publishes with expected last sequence 0 (the key has no message),
//     or the sequence of its delete marker if it was deleted;
//   - Update publishes with expected last sequence rev;
//   - Delete publishes a delete marker with expected last sequence rev (an
//     unconditional Delete reads the current revision first and retries on
//     a race, so that deleting a missing key reports store.ErrNotFound).
//
// A refused expectation comes back as API error 10071 ("wrong last
// sequence"; 10164 on replicated streams) and becomes store.ErrExists or
// store.ErrConflict; Update and Delete then read the key once more to tell a
// stale revision (ErrConflict) from a missing key (ErrNotFound).
//
// Get reads the key's last message (a direct get: the stream allows it).
// List creates one ordered consumer over prefix+">" that starts with the last
// message of each matching key and reads until nothing is pending, keeping
// the newest message per key (see Store.List for why it does not use
// nats.go's KV watcher), then sorts. Both are served by the stream's only
// replica, which stores a message before acknowledging it, so every Store on
// the same bucket reads its own and other nodes' acknowledged writes.
// Replicated buckets (Replicas > 1) would need direct gets disabled or served
// by the leader to keep that; the bucket is created with one replica for now.
//
// The bucket's stream is "KV_<bucket>" and its subjects "$KV.<bucket>.<key>",
// nats.go's layout: other tools (the nats CLI, watchers) see the same data.
//
// Durability: on a one-replica file stream in the default persist mode,
// nats-server writes each message to its block file (a write(2), not an
// fsync) before acknowledging it, so an acknowledged write survives a crash
// of the process (checked by TestSIGKILL, which kills the writer with
// SIGKILL), not necessarily of the machine: the server fsyncs every 2
// minutes. natsd.Config.SyncAlways makes it fsync before every
// acknowledgement, for every stream of the server (nats-server has no
// per-stream setting). A stream with PersistMode "async" would lose
// acknowledged writes even to a process crash: the bucket does not use it.
package natskv
