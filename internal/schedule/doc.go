// Package schedule parses EventBridge ScheduleExpression values and computes
// when they fire.
//
// There are two kinds of expression, both in UTC and both with one-minute
// precision:
//
//   - rate(value unit) fires every value minutes, hours or days, counted from an
//     anchor: the rule's creation time. The first firing is one period after the
//     anchor, never at it, which is what AWS documents ("the first run happens
//     about one period after creation").
//   - cron(minutes hours day-of-month month day-of-week year) is the Quartz-style
//     six-field cron that AWS documents, with day-of-week numbered 1 = SUN.
//
// A Schedule has two methods: Next, the first firing strictly after a time, and
// String, the expression as given. Parse and ParseAt build one; Run is the
// blocking loop a caller runs in a goroutine it owns to act on each firing.
//
// # What is accepted
//
// The grammar is AWS's documented one (EventBridge user guide, "Cron expressions
// reference" and "Rate expressions reference"), narrowed or widened only where
// AWS-recorded behaviour says so. Where neither the documents nor a recording
// settle a question, the choice below is deliberate and strict: an expression
// that this package accepts but AWS rejects fails only at deploy time, which is
// the surprise an emulator exists to prevent.
//
//   - The whole expression is at most 256 bytes (the model's limit), starts with
//     lowercase "rate(" or "cron(", ends with ")", and has no whitespace outside
//     the parentheses or just inside them. AWS rejects " rate(10 minutes)" and
//     "rate( 10 minutes )" (localstack test_put_rule_with_invalid_schedule_rate,
//     marked aws.validated).
//   - Parts are separated by exactly one ASCII space. Nothing recorded shows AWS
//     accepting more, so runs of spaces and tabs are rejected.
//   - Numbers are ASCII decimal digits and may have leading zeros ("05"). This
//     is the one lenient choice: AWS's cron is Quartz-derived, Quartz parses
//     numbers with Integer.parseInt, and public AWS-oriented validators accept
//     "01" and "0/05"; rate follows the same rule so that there is one rule.
//     The numeric value decides singular or plural, so rate(01 minute) is
//     valid and rate(01 minutes) is not. Names and numbers may be mixed in a
//     range ("2-FRI").
//   - rate units are lowercase: AWS rejects rate(10 MINUTES) (same recording).
//     rate values run from 1 to 2147483647 (a Java int).
//   - In cron, month and weekday names and the letters L and W are
//     case-insensitive (Quartz upper-cases the expression; the AWS console
//     accepts "mOn").
//   - Exactly one of day-of-month and day-of-week is "?". "*" in both is
//     rejected (AWS-recorded: cron(0 1 * * * *)), and so is "?" in both.
//   - Each field accepts only the operators in AWS's table: "/" is not allowed
//     in day-of-week, "L" and "W" only in the day fields, "#" only in
//     day-of-week.
//   - Steps ("a/n", "*/n", "a-b/n") need 1 <= n <= the field's largest value
//     (59, 23, 31, 12): AWS rejects cron(*/60 * * * ? *) (aws/aws-sdk-js#4212),
//     matching Quartz's "Increment > 60" check. Quartz does not limit year
//     steps; here they run from 1 to 2199.
//   - Ranges may wrap in the cyclic fields, as in Quartz: hours "22-2" is
//     22,23,0,1,2 and "FRI-MON" is FRI,SAT,SUN,MON. A year range must not run
//     backwards.
//   - Day-of-month special forms are "L" (last day), "LW" (last weekday) and
//     "nW" (weekday nearest day n, never crossing into another month; "1W" on a
//     Saturday is Monday the 3rd; "nW" does not fire in a month shorter than n
//     days). Day-of-week special forms are "L" (SAT, the last day of the week,
//     as AWS's table says and Quartz does), "dL" (last weekday d of the month)
//     and "d#n" (nth weekday d, n 1 to 5; no firing in a month without a fifth).
//     Each special form must be the whole field: AWS says "#" allows only one
//     expression, and Quartz warns that L and W in lists give "unexpected
//     results", so lists containing them are rejected rather than guessed at.
//   - Quartz's "L-n" offset is not accepted: AWS does not document it.
//
// A schedule never fires after 2199-12-31T23:59Z, the end of cron's year range;
// rate schedules stop there too, so Next has one horizon for both kinds.
package schedule
