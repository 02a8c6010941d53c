package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// RawError is a whole HTTP/1.1 response that carries e in AWS's error
// shape, with the given status and "Connection: close": the answer for
// what is refused before any handler runs (the server's connection limit,
// and the requests net/http itself refuses as malformed), so that every
// answer a client gets, however early, is one an AWS SDK can read.
func RawError(status int, e *Error) []byte {
	id := newRequestID()
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{string(e.Code), e.Message})
	b := make([]byte, 0, 256+len(body))
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = append(b, http.StatusText(status)...)
	b = append(b, "\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: "...)
	b = append(b, id...)
	b = append(b, "\r\nX-Amzn-ErrorType: "...)
	b = append(b, e.Code...)
	b = append(b, "\r\nDate: "...)
	b = append(b, time.Now().UTC().Format(http.TimeFormat)...)
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\nConnection: close\r\n\r\n"...)
	return append(b, body...)
}
