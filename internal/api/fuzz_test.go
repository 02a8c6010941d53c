package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/natsd"
	"github.com/switchyard-dev/switchyard/internal/store/natskv"
)

var (
	fuzzOnce sync.Once
	fuzzAPI  *API
	fuzzErr  error
)

// fuzzHandler is the real API on a real (in-memory) JetStream catalog,
// shared by every fuzz iteration of the process.
func fuzzHandler(t testing.TB) *API {
	fuzzOnce.Do(func() {
		ctx := context.Background()
		node, err := natsd.Open(ctx, natsd.Config{Memory: true})
		if err != nil {
			fuzzErr = err
			return
		}
		st, err := natskv.Open(ctx, node.JetStream(), "fuzz-catalog", node.StorageType())
		if err != nil {
			fuzzErr = err
			return
		}
		cat, err := catalog.Open(ctx, st, nil)
		if err != nil {
			fuzzErr = err
			return
		}
		fuzzAPI = New(Config{
			Catalog: cat,
			Auth:    &OpenAuth{DefaultAccount: "000000000000", DefaultRegion: "us-east-1"},
		})
	})
	if fuzzErr != nil {
		t.Fatal(fuzzErr)
	}
	return fuzzAPI
}

// FuzzRequest sends arbitrary bodies to every operation through the whole
// handler (decode, validate, run against the catalog) and checks that every
// answer is a well-formed success or a client error: never a panic, never a
// 5xx, always a JSON body, errors always with __type and message.
func FuzzRequest(f *testing.F) {
	seeds := []string{
		`{}`, ``, `null`, `[]`, `"x"`, `{"Name":"b1"}`, `{"Name":"default"}`,
		`{"Name":"r1","EventPattern":"{\"source\":[\"a\"]}"}`,
		`{"Name":"r1","ScheduleExpression":"rate(5 minutes)"}`,
		`{"Rule":"r1","Targets":[{"Id":"t1","Arn":"arn:aws:sqs:us-east-1:000000000000:q","InputTransformer":{"InputPathsMap":{"a":"$.detail"},"InputTemplate":"<a>"}}]}`,
		`{"Rule":"r1","Ids":["t1"]}`,
		`{"ResourceARN":"arn:aws:events:us-east-1:000000000000:rule/r1","Tags":[{"Key":"k","Value":"v"}]}`,
		`{"Action":"events:PutEvents","Principal":"*","StatementId":"s"}`,
		`{"Policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}`,
		`{"Limit":0}`, `{"Limit":"x"}`, `{"NextToken":"!!"}`, `{"Name":1}`, `{"Tags":{}}`,
		`{"EventPattern":"{}","Event":"{}"}`, `{"Entries":[{}]}`, strings.Repeat(`[`, 5000),
		// Names that match a member only in another case are unknown members.
		`{"name":"b1"}`, `{"Rule":"r1","targets":[{"id":"t1"}]}`, `{"entries":[{"Source":"s"}]}`,
		`{"Name":"c1","AuthorizationType":"API_KEY","AuthParameters":{"apiKeyAuthParameters":{"ApiKeyName":"k"}}}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, opIndex uint8, body []byte) {
		a := fuzzHandler(t)
		op := wire.Operations[int(opIndex)%len(wire.Operations)].Name
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		r.Header.Set("X-Amz-Target", targetPrefix+op)
		w := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			defer close(done)
			a.ServeHTTP(w, r)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("%s %q hung:\n%s", op, body, buf[:n])
		}
		if w.Code >= 500 {
			t.Fatalf("%s %q: status %d %s", op, body, w.Code, w.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: body is not a JSON object: %q", op, body, w.Body)
		}
		if w.Code != 200 {
			if _, ok := out["__type"].(string); !ok {
				t.Fatalf("%s: error without __type: %s", op, w.Body)
			}
			if _, ok := out["message"].(string); !ok {
				t.Fatalf("%s: error without message: %s", op, w.Body)
			}
		}
		if w.Header().Get("Date") == "" || len(w.Header()["x-amzn-RequestId"]) != 1 {
			t.Fatalf("%s: missing Date or x-amzn-RequestId", op)
		}
	})
}
