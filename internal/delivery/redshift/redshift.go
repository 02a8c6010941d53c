package redshift

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsrsd "github.com/aws/aws-sdk-go-v2/service/redshiftdata"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// MaxSqls is the most statements one BatchExecuteStatement takes, as
// RedshiftDataParameters.Sqls allows.
const MaxSqls = 40

// Warehouse is where the statements run: a provisioned cluster or a
// serverless workgroup, named by the target ARN.
type Warehouse struct {
	Cluster   string // ClusterIdentifier, for arn:...:redshift:...:cluster:<name>
	Workgroup string // WorkgroupName (the workgroup ARN), for arn:...:redshift-serverless:...:workgroup/<id>
}

// ParseARN finds the warehouse of a Redshift target ARN.
func ParseARN(a arn.ARN) (Warehouse, error) {
	switch a.Service {
	case "redshift":
		if name, ok := strings.CutPrefix(a.Resource, "cluster:"); ok && name != "" {
			return Warehouse{Cluster: name}, nil
		}
	case "redshift-serverless":
		if id, ok := strings.CutPrefix(a.Resource, "workgroup/"); ok && id != "" {
			// The Data API takes a workgroup's name or ARN; the ARN carries
			// the workgroup's id, not its name, so the whole ARN is passed.
			return Warehouse{Workgroup: a.String()}, nil
		}
	}
	return Warehouse{}, fmt.Errorf("redshift: %s is neither a cluster ARN (...:redshift:<region>:<account>:cluster:<name>) nor a serverless workgroup ARN (...:redshift-serverless:<region>:<account>:workgroup/<id>)", a)
}

// Deliver runs the target's SQL through the Redshift Data API: Sql with
// ExecuteStatement, or Sqls with BatchExecuteStatement. One attempt.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	w, err := ParseARN(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	var p *wire.RedshiftDataParameters
	if r.Target != nil {
		p = r.Target.RedshiftDataParameters
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
	cl := target.Client(c, "redshift-data", r.ARN.Region, r.Role(), awsrsd.NewFromConfig)
	if len(p.Sqls) > 0 {
		if len(p.Sqls) > MaxSqls {
			return target.Fail(target.CodeInvalidParameter, fmt.Sprintf("redshift: %d statements in Sqls, at most %d", len(p.Sqls), MaxSqls))
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
