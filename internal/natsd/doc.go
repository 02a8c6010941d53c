// Package natsd gives Switchyard one NATS connection with JetStream behind it:
// either an embedded nats-server running inside the process, or a connection
// to an external NATS deployment.
//
// A Node is opened once by the host process and closed when it exits. Code
// above this package only sees the *nats.Conn and the jetstream.JetStream
// handle, which behave the same in both modes: embedded, the client talks to
// the in-process server over an in-memory pipe (nats.InProcessServer) and no
// TCP port is opened.
//
// Storage: embedded with a DataDir, JetStream keeps its files under
// DataDir/jetstream and recovers them on the next Open, including after the
// previous process was killed with SIGKILL (writes to R1 streams are handed
// to the kernel before they are acknowledged, so a process crash loses
// nothing; a machine crash can lose what was not yet fsynced unless
// Config.SyncAlways is set). Embedded with Memory, nothing survives Close.
// StorageType reports which kind of streams and buckets callers should
// create.
//
// Store health: a Node knows whether its store can take writes (Status,
// Check) and guards every write Switchyard makes (Write, the
// store.Guard): while the disk is full, JetStream holds Config.MaxStore, or
// a write failed, writes fail at once with an error wrapping
// store.ErrUnavailable (store.ErrFull when out of space). Embedded on disk,
// a supervisor restarts a server whose store failed once there is room
// again, and the Node's connections follow it to the new server (they
// reach the embedded server through one in-process dialer). See health.go
// and docs/reliability.md.
package natsd
