package store

import "context"

// Guard is the optional ability of a storage node to refuse at once a write
// it cannot take now (out of space, failed, recovering), rather than let the
// write wait for an answer that will not come. natsd.Node implements it;
// every writer of Switchyard's streams and of the catalog writes through
// it (GuardedWrite).
type Guard interface {
	// Write runs write with a context that is already ended, or ends the
	// moment the storage stops taking writes. It returns write's error, or,
	// when that is why the write failed, the storage's reason: an error
	// wrapping ErrUnavailable (ErrFull when out of space).
	Write(ctx context.Context, write func(context.Context) error) error
}

// GuardedWrite runs write under g, or as it is when g is nil.
func GuardedWrite(ctx context.Context, g Guard, write func(context.Context) error) error {
	if g == nil {
		return write(ctx)
	}
	return g.Write(ctx, write)
}
