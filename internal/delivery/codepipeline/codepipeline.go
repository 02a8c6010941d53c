package codepipeline

import (
	"context"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliver makes one attempt to deliver r. (Placeholder until built.)
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	return target.Fail(target.CodeNoResource, "Switchyard does not deliver to codepipeline targets yet.")
}
