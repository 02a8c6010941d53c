// Package targettest is what the tests of the target kinds share: the
// conformance suite every target.Kind passes (Run, described by a Fixture
// per kind), and the scaffolding those tests stand on.
//
// The scaffolding, each piece a real server rather than a mock:
//
//   - StartMoto runs moto_server; Config and Clients point the SDK and the
//     target clients at it.
//   - StandIn is a local HTTP server in a service's place, for what moto
//     lacks: it records every request and answers as the test says, in the
//     service's protocol (JSONError, QueryError, JSONAnswer).
//   - Proxy sits in front of moto, records every exchange (what a kind sent,
//     what moto answered) and can correct an answer of moto that the Go SDK
//     refuses to decode.
//   - STS answers AssumeRole, for tests of targets called as a role.
//   - VerifySignature checks a SigV4 signature the way AWS does.
//   - Fault endpoints (FaultEndpoint, HangingEndpoint, RefusedEndpoint)
//     make a kind's calls fail in one chosen way.
//   - OpenStorage opens Switchyard's own storage in memory (embedded NATS,
//     the catalog), for API destinations and bus targets.
//   - Call signs and sends the few calls to moto the SDK cannot make.
//
// The suite's contract is in suite.go, what a kind tells it in fixture.go.
//
// The package is imported by tests only. It must not import the dispatcher
// (internal/delivery), which imports every kind: that would be a cycle.
package targettest
