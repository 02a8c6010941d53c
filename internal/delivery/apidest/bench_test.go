package apidest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
)

// BenchmarkInvoke measures one POST of a small event to a loopback server
// with the AWS-documented "Connection: close" and with connection reuse.
func BenchmarkInvoke(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	for _, mode := range []struct {
		name      string
		keepAlive bool
	}{{"close", false}, {"keepalive", true}} {
		for _, par := range []int{1, 16} {
			b.Run(mode.name+"/goroutines="+itoa(par*runtime.GOMAXPROCS(0)), func(b *testing.B) {
				c := New(Options{KeepAlive: mode.keepAlive})
				r := post(srv.URL, Auth{Type: AuthAPIKey, APIKeyName: "k", APIKeyValue: "v"})
				b.ReportAllocs()
				b.SetParallelism(par)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if res := c.Invoke(context.Background(), r); res.Err != nil {
							b.Error(res.Err)
							return
						}
					}
				})
			})
		}
	}
}

func BenchmarkPrepare(b *testing.B) {
	c := New(Options{})
	r := post("https://example.com/orders/*", Auth{Type: AuthAPIKey, APIKeyName: "k", APIKeyValue: "v",
		Invocation: Params{Headers: []KV{{"X-A", "1"}}, Query: []KV{{"q", "1"}}, Body: []KV{{"b", "1"}}}})
	r.Target = TargetParams{PathParameterValues: []string{"42"}, Headers: map[string]string{"X-T": "t"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.prepare(r); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
