package redshift

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsrsd "github.com/aws/aws-sdk-go-v2/service/redshiftdata"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// maxSqls is the most statements one BatchExecuteStatement takes, as
// RedshiftDataParameters.Sqls allows.
const maxSqls = 40

// warehouse is where the statements run: a provisioned cluster or a
// serverless workgroup, named by the target ARN.
type warehouse struct {
	Cluster   string // ClusterIdentifier, for arn:...:redshift:...:cluster:<name>
	Workgroup string // WorkgroupName (the workgroup ARN), for arn:...:redshift-serverless:...:workgroup/<id>
}

// Kind delivers to Redshift clusters and serverless workgroups: it runs
// the target's SQL through the Data API.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the Redshift kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

// CheckARN accepts the ARN of a provisioned cluster or a serverless
// workgroup.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := warehouseOf(a)
	return err
}

// warehouseOf finds the warehouse of a Redshift target ARN.
func warehouseOf(a arn.ARN) (warehouse, error) {
	if a.Region != "" && arn.ValidAccount(a.Account) {
		switch a.Service {
		case "redshift":
			if name, ok := strings.CutPrefix(a.Resource, "cluster:"); ok && name != "" {
				return warehouse{Cluster: name}, nil
			}
		case "redshift-serverless":
			if id, ok := strings.CutPrefix(a.Resource, "workgroup/"); ok && id != "" {
				// The Data API takes a workgroup's name or ARN; the ARN
				// carries the workgroup's id, not its name, so the whole ARN
				// is passed.
				return warehouse{Workgroup: a.String()}, nil
			}
		}
	}
	return warehouse{}, fmt.Errorf("redshift: %s is neither a cluster ARN (...:redshift:<region>:<account>:cluster:<name>) nor a serverless workgroup ARN (...:redshift-serverless:<region>:<account>:workgroup/<id>)", a)
}

// Deliver runs the target's SQL through the Redshift Data API: Sql with
// ExecuteStatement, or Sqls with BatchExecuteStatement. One attempt.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	w, err := warehouseOf(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	var p *catalog.RedshiftDataParameters
	if r.Target != nil {
		p = r.Target.RedshiftData
	}
	if p == nil {
		return target.Fail(target.CodeInvalidParameter, "redshift: the target has no RedshiftDataParameters")
	}
	// Every string parameter may be a dynamic path ("$.detail.x", the whole
	// value) into the original event.
	str := func(v *string) *string {
		if v == nil {
			return nil
		}
		s := r.Dynamic(*v)
		if s == "" {
			return nil
		}
		return aws.String(s)
	}
	db := str(p.Database)
	if db == nil {
		return target.Fail(target.CodeInvalidParameter, "redshift: RedshiftDataParameters.Database is empty")
	}
	var wc, wg *string
	if w.Cluster != "" {
		wc = aws.String(w.Cluster)
	} else {
		wg = aws.String(w.Workgroup)
	}
	cl := target.Client(k.c, "redshift-data", r.ARN.Region, r.Role(), awsrsd.NewFromConfig)
	if len(p.Sqls) > 0 {
		if len(p.Sqls) > maxSqls {
			return target.Fail(target.CodeInvalidParameter, fmt.Sprintf("redshift: %d statements in Sqls, at most %d", len(p.Sqls), maxSqls))
		}
		sqls := make([]string, len(p.Sqls))
		for i, s := range p.Sqls {
			if sqls[i] = r.Dynamic(s); sqls[i] == "" {
				return target.Fail(target.CodeInvalidParameter, fmt.Sprintf("redshift: statement %d of Sqls is empty", i+1))
			}
		}
		_, err = cl.BatchExecuteStatement(ctx, &awsrsd.BatchExecuteStatementInput{
			Database: db, Sqls: sqls, ClusterIdentifier: wc, WorkgroupName: wg,
			DbUser: str(p.DbUser), SecretArn: str(p.SecretManagerArn), StatementName: str(p.StatementName),
			WithEvent: p.WithEvent,
		})
	} else {
		sql := str(p.Sql)
		if sql == nil {
			return target.Fail(target.CodeInvalidParameter, "redshift: RedshiftDataParameters has neither Sql nor Sqls")
		}
		_, err = cl.ExecuteStatement(ctx, &awsrsd.ExecuteStatementInput{
			Database: db, Sql: sql, ClusterIdentifier: wc, WorkgroupName: wg,
			DbUser: str(p.DbUser), SecretArn: str(p.SecretManagerArn), StatementName: str(p.StatementName),
			WithEvent: p.WithEvent,
		})
	}
	if err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}
