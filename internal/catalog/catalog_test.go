package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

// The catalog is tested on the real store: an embedded JetStream in memory.
var testCatalog *Catalog

func TestMain(m *testing.M) {
	ctx := context.Background()
	node, err := natsd.Open(ctx, natsd.Config{Memory: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	st, err := natskv.Open(ctx, node.JetStream(), "catalog-test", node.StorageType())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testCatalog, err = Open(ctx, st, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	testCatalog.Close()
	_ = node.Close(ctx)
	os.Exit(code)
}

var accounts atomic.Int64

// scope gives each test its own account, which keeps tests independent on
// the shared store.
func scope(*testing.T) Scope {
	return Scope{Account: fmt.Sprintf("%012d", 100000000000+accounts.Add(1)), Region: "us-east-1"}
}

func TestEscapeRoundTrip(t *testing.T) {
	for _, name := range []string{"plain", "a.b", "a=b", "a.=2E.b", "aws.partner/x.com/1/src", "..", "=3D"} {
		tok := escape(name)
		if got := unescape(tok); got != name {
			t.Errorf("unescape(escape(%q)) = %q (token %q)", name, got, tok)
		}
		for _, c := range tok {
			if c == '.' {
				t.Errorf("escape(%q) = %q still has a dot", name, tok)
			}
		}
	}
}

func TestDefaultBusIsStable(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	b1, err := testCatalog.Bus(ctx, s, DefaultBus)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := testCatalog.Bus(ctx, s, DefaultBus)
	if err != nil {
		t.Fatal(err)
	}
	if !b1.Created.Equal(b2.Created) {
		t.Errorf("default bus creation time changed: %v then %v", b1.Created, b2.Created)
	}
	bs, err := testCatalog.Buses(ctx, s)
	if err != nil || len(bs) != 1 || bs[0].Name != DefaultBus {
		t.Fatalf("Buses = %v, %v", bs, err)
	}
	if _, err := testCatalog.Bus(ctx, s, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing bus: %v", err)
	}
}

func TestBusesWithDotsDoNotCollide(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	now := time.Now()
	for _, name := range []string{"a", "a.b", "a.b.c"} {
		if err := testCatalog.CreateBus(ctx, s, &Bus{Name: name, Created: now, Modified: now}); err != nil {
			t.Fatal(err)
		}
	}
	if err := testCatalog.CreateBus(ctx, s, &Bus{Name: "a.b"}); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate create: %v", err)
	}
	put := func(bus, rule string) {
		if _, err := testCatalog.PutRule(ctx, s, bus, rule, func(*Rule) (*Rule, error) {
			return &Rule{Bus: bus, Name: rule, State: "ENABLED"}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	put("a", "b.r1")
	put("a.b", "r1")
	put("a.b", "r2")
	rs, err := testCatalog.Rules(ctx, s, "a")
	if err != nil || len(rs) != 1 || rs[0].Name != "b.r1" {
		t.Fatalf("rules of bus a: %+v %v", rs, err)
	}
	rs, err = testCatalog.Rules(ctx, s, "a.b")
	if err != nil || len(rs) != 2 {
		t.Fatalf("rules of bus a.b: %+v %v", rs, err)
	}
	if err := testCatalog.DeleteBus(ctx, s, "a.b"); !errors.Is(err, ErrBusHasRules) {
		t.Errorf("delete bus with rules: %v", err)
	}
	if err := testCatalog.DeleteBus(ctx, s, "a.b.c"); err != nil {
		t.Errorf("delete empty bus: %v", err)
	}
	if err := testCatalog.DeleteBus(ctx, s, "a.b.c"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete deleted bus: %v", err)
	}
	bs, _ := testCatalog.Buses(ctx, s)
	var names []string
	for _, b := range bs {
		names = append(names, b.Name)
	}
	if fmt.Sprint(names) != "[a a.b default]" {
		t.Errorf("buses = %v", names)
	}
}

// TestConcurrentTargetLimit: many writers add targets to one rule at once;
// the compare-and-set keeps every accepted write and the limit exact.
func TestConcurrentTargetLimit(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	if _, err := testCatalog.PutRule(ctx, s, DefaultBus, "r", func(*Rule) (*Rule, error) {
		return &Rule{Bus: DefaultBus, Name: "r", State: "ENABLED"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	errLimit := errors.New("limit")
	var wg sync.WaitGroup
	results := make([]error, 12)
	for i := range results {
		wg.Go(func() {
			id := fmt.Sprintf("t%d", i)
			_, results[i] = testCatalog.UpdateRule(ctx, s, DefaultBus, "r", func(r *Rule) error {
				r.Targets = append(r.Targets, Target{ID: id, ARN: id})
				if len(r.Targets) > 5 {
					return errLimit
				}
				return nil
			})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range results {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, errLimit):
			t.Errorf("unexpected error: %v", err)
		}
	}
	r, err := testCatalog.Rule(ctx, s, DefaultBus, "r")
	if err != nil {
		t.Fatal(err)
	}
	if ok != 5 || len(r.Targets) != 5 {
		t.Errorf("%d writes accepted, %d targets stored; want 5 and 5", ok, len(r.Targets))
	}
}

func TestDeleteRuleCheck(t *testing.T) {
	ctx := context.Background()
	s := scope(t)
	if _, err := testCatalog.PutRule(ctx, s, DefaultBus, "r", func(*Rule) (*Rule, error) {
		return &Rule{Bus: DefaultBus, Name: "r", Targets: []Target{{ID: "t", ARN: "t"}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	refuse := errors.New("has targets")
	err := testCatalog.DeleteRule(ctx, s, DefaultBus, "r", func(r *Rule) error {
		if len(r.Targets) > 0 {
			return refuse
		}
		return nil
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("delete with check: %v", err)
	}
	if _, err := testCatalog.Rule(ctx, s, DefaultBus, "r"); err != nil {
		t.Fatalf("rule gone after refused delete: %v", err)
	}
	if err := testCatalog.DeleteRule(ctx, s, DefaultBus, "r", nil); err != nil {
		t.Fatal(err)
	}
	if err := testCatalog.DeleteRule(ctx, s, DefaultBus, "r", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func TestTags(t *testing.T) {
	tags := MergeTags(nil, []Tag{{"a", "1"}, {"b", "2"}})
	tags = MergeTags(tags, []Tag{{"b", "3"}, {"c", "4"}})
	if fmt.Sprint(tags) != "[{a 1} {b 3} {c 4}]" {
		t.Errorf("merge: %v", tags)
	}
	tags = RemoveTags(tags, []string{"a", "zz"})
	if fmt.Sprint(tags) != "[{b 3} {c 4}]" {
		t.Errorf("remove: %v", tags)
	}
	if n := CountTags([]Tag{{"aws:cloudformation:stack", "x"}, {"k", "v"}}); n != 1 {
		t.Errorf("CountTags = %d, want 1 (aws: keys do not count)", n)
	}
}

func TestPolicyRendering(t *testing.T) {
	p1, err := AddPermission(nil, Permission{StatementID: "s1", Action: "events:PutEvents", Principal: "111111111111",
		Resource: "arn:aws:events:us-east-1:000000000000:event-bus/b", Partition: "aws"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"s1","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:000000000000:event-bus/b"}]}`
	if p1 != want {
		t.Errorf("policy:\n got %s\nwant %s", p1, want)
	}
	p2, err := AddPermission(&p1, Permission{StatementID: "s2", Action: "events:PutEvents", Principal: "*",
		Resource: "arn:aws:events:us-east-1:000000000000:event-bus/b", Condition: &Condition{"StringEquals", "aws:PrincipalOrgID", "o-abc"}})
	if err != nil {
		t.Fatal(err)
	}
	want2 := `{"Version":"2012-10-17","Statement":[` + want[len(`{"Version":"2012-10-17","Statement":[`):len(want)-2] +
		`,{"Sid":"s2","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:000000000000:event-bus/b","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}`
	if p2 != want2 {
		t.Errorf("two statements:\n got %s\nwant %s", p2, want2)
	}
	// Same Sid replaces.
	p3, _ := AddPermission(&p2, Permission{StatementID: "s1", Action: "events:PutEvents", Principal: "222222222222", Resource: "r", Partition: "aws"})
	var doc struct{ Statement []map[string]any }
	if err := json.Unmarshal([]byte(p3), &doc); err != nil || len(doc.Statement) != 2 ||
		doc.Statement[0]["Principal"].(map[string]any)["AWS"] != "arn:aws:iam::222222222222:root" {
		t.Errorf("replace by Sid: %s (%v)", p3, err)
	}
	p4, err := RemovePermission(&p3, "s1")
	if err != nil || p4 == nil || json.Unmarshal([]byte(*p4), &doc) != nil || len(doc.Statement) != 1 {
		t.Fatalf("remove s1: %v %v", p4, err)
	}
	p5, err := RemovePermission(p4, "s2")
	if err != nil || p5 != nil {
		t.Errorf("removing the last statement leaves %v, %v; want no policy", p5, err)
	}
	if _, err := RemovePermission(p4, "nope"); !errors.Is(err, ErrStatementNotFound) {
		t.Errorf("unknown sid: %v", err)
	}
	if _, err := RemovePermission(nil, "s1"); !errors.Is(err, ErrStatementNotFound) {
		t.Errorf("no policy: %v", err)
	}
	// A policy given whole keeps its statements when a permission is added,
	// and a single statement object counts as a list of one.
	whole := `{"Version":"2012-10-17","Statement":{"Sid":"x","Effect":"Allow","Principal":"*","Action":"events:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}}`
	p6, err := AddPermission(&whole, Permission{StatementID: "y", Action: "events:PutEvents", Principal: "*", Resource: "r"})
	if err != nil || json.Unmarshal([]byte(p6), &doc) != nil || len(doc.Statement) != 2 || doc.Statement[0]["Action"] != "events:*" {
		t.Errorf("extend whole policy: %s %v", p6, err)
	}
	for _, bad := range []string{"", "[]", `{"Statement":"x"}`, "not json"} {
		if ValidPolicy(bad) {
			t.Errorf("ValidPolicy(%q) = true", bad)
		}
	}
	if !ValidPolicy(`{"Version":"2012-10-17","Statement":[]}`) {
		t.Error("empty statement list refused")
	}
}

func TestParseKey(t *testing.T) {
	s := Scope{Account: "123456789012", Region: "eu-west-1"}
	for _, want := range []ref{ruleRef(s, "bus.with.dots", "r=1"), busRef(s, "a.b"), connRef(s, "c"), destRef(s, "d.=x")} {
		got, ok := parseKey(want.key())
		if !ok || got != want {
			t.Errorf("parseKey(%q) = %+v %v, want %+v", want.key(), got, ok, want)
		}
	}
	for _, bad := range []string{"", "a", "a.1.r.bus", "b.1.r.bus.x", "a.1.r.rule.onlybus", "a.1.r.bus.b.extra"} {
		if _, ok := parseKey(bad); ok {
			t.Errorf("parseKey(%q) ok", bad)
		}
	}
}

func TestAllows(t *testing.T) {
	bus := "arn:aws:events:us-east-1:000000000000:event-bus/b"
	p1, _ := AddPermission(nil, Permission{StatementID: "a", Action: "events:PutEvents", Principal: "111111111111", Resource: bus, Partition: "aws"})
	pStar, _ := AddPermission(nil, Permission{StatementID: "s", Action: "events:PutEvents", Principal: "*", Resource: bus})
	pOrg, _ := AddPermission(nil, Permission{StatementID: "o", Action: "events:PutEvents", Principal: "*", Resource: bus,
		Condition: &Condition{"StringEquals", "aws:PrincipalOrgID", "o-1"}})
	whole := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["222222222222","arn:aws:iam::333333333333:root"]},"Action":["events:*"],"Resource":"*"},` +
		`{"Effect":"Deny","Principal":"*","Action":"events:PutEvents","Resource":"` + bus + `","Condition":{"StringEquals":{"aws:SourceIp":"1.2.3.4"}}}]}`
	allowOnly := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["222222222222","arn:aws:iam::333333333333:root"]},"Action":["events:*"],"Resource":"*"}]}`
	cases := []struct {
		policy  *string
		account string
		want    bool
	}{
		{nil, "111111111111", false},
		{&p1, "111111111111", true},
		{&p1, "222222222222", false},
		{&pStar, "999999999999", true},
		{&pOrg, "999999999999", false}, // conditions cannot be checked: not allowed
		{&allowOnly, "222222222222", true},
		{&allowOnly, "333333333333", true},
		{&allowOnly, "111111111111", false},
		{&whole, "222222222222", false}, // a Deny with a condition still denies
	}
	for i, c := range cases {
		if got := Allows(c.policy, c.account, "events:PutEvents", bus); got != c.want {
			t.Errorf("case %d (%s): Allows = %v, want %v", i, c.account, got, c.want)
		}
	}
	if Allows(&p1, "111111111111", "events:PutEvents", "arn:aws:events:us-east-1:000000000000:event-bus/other") {
		t.Error("statement for another bus allowed")
	}
}
