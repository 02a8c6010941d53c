package api_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/api"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

// busyStore is the real store with a second writer that always gets in
// between a read and the write that follows it, for the documents of one
// account: after every Get it writes the document again, as a client
// hammering the same rule from another node would.
type busyStore struct {
	*natskv.Store
	account string
}

func (s *busyStore) Get(ctx context.Context, key string) (store.Entry, error) {
	e, err := s.Store.Get(ctx, key)
	if err == nil && strings.HasPrefix(key, "a."+s.account+".") {
		_, _ = s.Store.Update(ctx, key, e.Value, e.Revision)
	}
	return e, err
}

// TestConcurrentModification: a write that keeps losing its
// compare-and-set to other writers is answered with AWS's
// ConcurrentModificationException (HTTP 400), not a 500 InternalException.
func TestConcurrentModification(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	node, err := natsd.Open(ctx, natsd.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = node.Close(context.Background()) })
	st, err := natskv.Open(ctx, node.JetStream(), "contention", node.StorageType())
	if err != nil {
		t.Fatal(err)
	}
	acct := newAccount()
	cat, err := catalog.Open(ctx, &busyStore{Store: st, account: acct}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cat.Close)
	srv := httptest.NewServer(api.New(api.Config{Catalog: cat, Auth: &api.OpenAuth{DefaultAccount: defaultAccount, DefaultRegion: region}}))
	t.Cleanup(srv.Close)
	c := newClientAt(srv.URL, acct)
	// PutRule creates the rule (no read-modify-write of an existing
	// document yet), then every change of it contends.
	if _, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":["a"]}`)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"),
		Targets: []types.Target{{Id: aws.String("t"), Arn: aws.String("arn:aws:sqs:us-east-1:" + acct + ":q")}}})
	var cm *types.ConcurrentModificationException
	if !errors.As(err, &cm) {
		t.Fatalf("PutTargets under contention: %v", err)
	}
	wantErr(t, err, "ConcurrentModificationException", "") // and HTTP 400
	_, err = c.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String("r")})
	wantErr(t, err, "ConcurrentModificationException", "")
}
