package transform

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchEvent is an envelope of about 1 KB.
var benchEvent = []byte(`{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Order Placed",` +
	`"source":"com.example.shop","account":"111111111111","time":"2026-01-01T12:00:00Z","region":"us-east-1",` +
	`"resources":["arn:aws:shop:us-east-1:111111111111:order/1234"],"detail":{"order":{"id":"o-1234",` +
	`"customer":{"id":"c-99","name":"Ada Lovelace","email":"ada@example.com","tier":"gold"},` +
	`"items":[{"sku":"A-1","qty":1,"price":9.99},{"sku":"B-2","qty":3,"price":4.5},{"sku":"C-3","qty":2,"price":19.0}],` +
	`"shipping":{"method":"express","address":{"street":"1 Analytical Way","city":"London","zip":"N1 9GU","country":"GB"}},` +
	`"payment":{"method":"card","last4":"4242","status":"captured"},"notes":"leave at the door, ring twice",` +
	`"tags":["priority","gift","fragile"],"created":"2026-01-01T11:59:58Z","total":61.49}},` +
	`"metadata":{"trace":"1-abc-def","attempt":1,"flags":{"a":true,"b":false,"c":null}}}`)

var benchVars = Vars{RuleArn: "arn:aws:events:us-east-1:111111111111:rule/orders", RuleName: "orders", IngestionTime: time.Unix(1767268800, 0)}

func BenchmarkApply(b *testing.B) {
	tmpl := `{"order": <order>, "customer": "<name> <<email>>", "city": <city>}`
	paths := map[string]string{"order": "$.detail.order.id", "name": "$.detail.order.customer.name",
		"email": "$.detail.order.customer.email", "city": "$.detail.order.shipping.address.city"}
	cases := []struct {
		name string
		spec Spec
	}{
		{"template3", Spec{PathsMap: paths, Template: &tmpl}},
		{"inputpath", Spec{InputPath: ptr("$.detail.order.customer")}},
		{"event", Spec{PathsMap: paths, Template: ptr(`{"e": <aws.events.event>, "arn": <aws.events.rule-arn>}`)}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			tr, err := Compile(c.spec)
			if err != nil {
				b.Fatal(err)
			}
			var dst []byte
			b.SetBytes(int64(len(benchEvent)))
			b.ReportAllocs()
			for b.Loop() {
				dst, err = tr.Apply(dst[:0], benchEvent, benchVars)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkApplyPaths grows InputPathsMap: one walk serves every path.
func BenchmarkApplyPaths(b *testing.B) {
	fields := []string{"$.id", "$.time", "$.detail.order.id", "$.detail.order.customer.name",
		"$.detail.order.items[1].sku", "$.detail.order.shipping.address.zip", "$.detail.order.total",
		"$.detail.order.tags[2]", "$.detail.metadata.trace", "$.detail.metadata.flags.a"}
	for _, n := range []int{1, 3, 10} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			paths := map[string]string{}
			var sb strings.Builder
			sb.WriteString("{")
			for i := range n {
				k := fmt.Sprintf("v%d", i)
				paths[k] = fields[i]
				fmt.Fprintf(&sb, "%q: <%s>,", k, k)
			}
			sb.WriteString(`"end": 1}`)
			tmpl := sb.String()
			tr, err := Compile(Spec{PathsMap: paths, Template: &tmpl})
			if err != nil {
				b.Fatal(err)
			}
			var dst []byte
			b.ReportAllocs()
			for b.Loop() {
				dst, _ = tr.Apply(dst[:0], benchEvent, benchVars)
			}
		})
	}
}

func BenchmarkPath(b *testing.B) {
	big := []byte(`{"detail":{"pad":"` + strings.Repeat("x", 1<<20) + `","want":1}}`)
	many := []byte(`{"detail":{"pad":[` + strings.Repeat(`{"k":"v","n":[1,2,3],"s":"some text"},`, 1<<20/38) + `0],"want":1}}`)
	for _, c := range []struct {
		name string
		ev   []byte
		path string
	}{
		{"1KB", benchEvent, "$.detail.order.shipping.address.city"},
		{"1MiB-one-string", big, "$.detail.want"},
		{"1MiB-small-values", many, "$.detail.want"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.ev)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := Path(c.ev, c.path); !ok {
					b.Fatal("not found")
				}
			}
		})
	}
}

func ptr(s string) *string { return &s }
