package apidest

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentInvocations mixes auth kinds, destinations, rate limits and
// token drops from many goroutines; run it with -race.
func TestConcurrentInvocations(t *testing.T) {
	ts := newTokenServer(t)
	dst := bearerServer(t, func() string { return "" })
	c := New(Options{KeepAlive: true})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				var a Auth
				switch (g + i) % 3 {
				case 0:
					a = Auth{Type: AuthBasic, Username: "u", Password: "p"}
				case 1:
					a = Auth{Type: AuthAPIKey, APIKeyName: "k", APIKeyValue: "v"}
				default:
					a = Auth{Type: AuthOAuth, OAuth: ts.oauth()}
				}
				r := post(dst.URL, a)
				r.Conn.Key = fmt.Sprint("conn-", g%2)
				r.Dest.Key = fmt.Sprint("dest-", i%3)
				r.Dest.RateLimitPerSecond = 100000
				if res := c.Invoke(context.Background(), r); res.Err != nil {
					t.Error(res.Err)
				}
				if i%10 == 0 {
					c.Forget(r.Conn.Key)
				}
			}
		})
	}
	wg.Wait()
	if dst.count() != 200 {
		t.Errorf("%d of 200 delivered", dst.count())
	}
}
