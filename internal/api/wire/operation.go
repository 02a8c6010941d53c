package wire

import "slices"

// Operation names an operation of the model with its input and output
// structure shapes ("" when the model declares none).
type Operation struct {
	Name, Input, Output string
}

// IsFault reports whether the exception shape name is a server fault
// (HTTP 500) rather than a client error (HTTP 400).
func IsFault(name string) bool { return slices.Contains(FaultShapes, name) }
