package schedule_test

import (
	"fmt"
	"time"

	"github.com/switchyard-dev/switchyard/internal/schedule"
)

func ExampleParse() {
	s, err := schedule.Parse("cron(0/5 8-17 ? * MON-FRI *)")
	if err != nil {
		panic(err)
	}
	// Friday 2024-08-02 17:57 UTC: the next firing is Monday at 08:00.
	at := time.Date(2024, 8, 2, 17, 57, 0, 0, time.UTC)
	for range 3 {
		at, _ = s.Next(at)
		fmt.Println(at.Format(time.RFC3339))
	}
	// Output:
	// 2024-08-05T08:00:00Z
	// 2024-08-05T08:05:00Z
	// 2024-08-05T08:10:00Z
}

func ExampleParseAt() {
	created := time.Date(2024, 8, 2, 9, 41, 27, 0, time.UTC)
	s, err := schedule.ParseAt("rate(1 hour)", created)
	if err != nil {
		panic(err)
	}
	// A rate counts from the rule's creation minute; the first run is one
	// period later.
	next, _ := s.Next(created)
	fmt.Println(next.Format(time.RFC3339))
	// Output:
	// 2024-08-02T10:41:00Z
}

func ExampleParse_invalid() {
	_, err := schedule.Parse("rate(5 hour)")
	fmt.Println(err)
	// Output:
	// schedule: invalid expression: rate unit "hour" does not agree with value 5
}
