package pattern

import (
	"errors"
	"testing"
)

type matchCase struct {
	name    string
	pattern string
	event   string
	want    bool
}

// operatorCases covers each operator's edge cases; comments name the
// EventBridge behaviour being pinned.
var operatorCases = []matchCase{
	// exact strings
	{"string", `{"a":["x"]}`, `{"a":"x"}`, true},
	{"string other", `{"a":["x"]}`, `{"a":"y"}`, false},
	{"string case sensitive", `{"a":["x"]}`, `{"a":"X"}`, false},
	{"string vs number", `{"a":["1"]}`, `{"a":1}`, false},
	{"string escapes", `{"a":["q\"\u00e9"]}`, `{"a":"q\"é"}`, true},
	{"empty string", `{"a":[""]}`, `{"a":""}`, true},
	{"missing field", `{"a":["x"]}`, `{"b":"x"}`, false},
	{"key case sensitive", `{"a":["x"]}`, `{"A":"x"}`, false},
	{"exactly", `{"a":[{"exactly":"x"}]}`, `{"a":"x"}`, true},

	// numbers: numeric value and text
	{"number", `{"a":[300]}`, `{"a":300}`, true},
	{"number exponent", `{"a":[300]}`, `{"a":3.0e2}`, true},
	{"number decimal zeros", `{"a":[300]}`, `{"a":300.000}`, true},
	{"number pattern exponent", `{"a":[3e2]}`, `{"a":300}`, true},
	{"number fraction", `{"a":[0.1]}`, `{"a":0.10}`, true},
	{"number negative zero", `{"a":[0]}`, `{"a":-0}`, true},
	{"number differs", `{"a":[300]}`, `{"a":301}`, false},
	{"number vs string", `{"a":[300]}`, `{"a":"300"}`, false},
	{"big int same text", `{"a":[12345678901234567890123]}`, `{"a":12345678901234567890123}`, true},
	{"big int neighbour", `{"a":[12345678901234567890123]}`, `{"a":12345678901234567890124}`, false},
	{"big int other text", `{"a":[12345678901234567890123]}`, `{"a":1.2345678901234567890123e22}`, false},
	{"account id", `{"account":[123456789012]}`, `{"account":123456789012}`, true},
	{"huge number text", `{"a":[1e400]}`, `{"a":1e400}`, true},

	// literals
	{"true", `{"a":[true]}`, `{"a":true}`, true},
	{"true vs string", `{"a":[true]}`, `{"a":"true"}`, false},
	{"false", `{"a":[false]}`, `{"a":false}`, true},
	{"false vs true", `{"a":[false]}`, `{"a":true}`, false},
	{"null", `{"a":[null]}`, `{"a":null}`, true},
	{"null vs missing", `{"a":[null]}`, `{"b":1}`, false},
	{"null vs string", `{"a":[null]}`, `{"a":"null"}`, false},
	{"null vs empty array", `{"a":[null]}`, `{"a":[]}`, false},

	// arrays and nesting
	{"event array any element", `{"a":["x"]}`, `{"a":["y","x"]}`, true},
	{"event array none", `{"a":["x"]}`, `{"a":["y","z"]}`, false},
	{"pattern list is OR", `{"a":["x","y"]}`, `{"a":"y"}`, true},
	{"array of arrays", `{"a":[1]}`, `{"a":[[0],[1]]}`, true},
	{"nested", `{"a":{"b":{"c":["x"]}}}`, `{"a":{"b":{"c":"x"}}}`, true},
	{"nested AND", `{"a":{"b":["x"]},"c":["y"]}`, `{"a":{"b":"x"},"c":"z"}`, false},
	{"object value is not a leaf", `{"a":["x"]}`, `{"a":{"b":"x"}}`, false},
	{"array of objects", `{"a":{"b":["x"]}}`, `{"a":[{"b":"y"},{"b":"x"}]}`, true},
	{"string holding JSON", `{"a":{"b":["x"]}}`, `{"a":"{\"b\":\"x\"}"}`, false},

	// dotted keys
	{"dotted event key", `{"a":{"b":["x"]}}`, `{"a.b":"x"}`, true},
	{"dotted pattern key", `{"a.b":["x"]}`, `{"a":{"b":"x"}}`, true},
	{"dotted both", `{"a.b":{"c":["x"]}}`, `{"a":{"b.c":"x"}}`, true},
	{"dotted longer", `{"a":{"b":["x"]}}`, `{"a.b":{"b":"x"}}`, false},

	// prefix / suffix
	{"prefix", `{"a":[{"prefix":"ab"}]}`, `{"a":"abc"}`, true},
	{"prefix whole", `{"a":[{"prefix":"abc"}]}`, `{"a":"abc"}`, true},
	{"prefix no", `{"a":[{"prefix":"ab"}]}`, `{"a":"xab"}`, false},
	{"prefix empty matches strings", `{"a":[{"prefix":""}]}`, `{"a":"q"}`, true},
	{"prefix not numbers", `{"a":[{"prefix":"1"}]}`, `{"a":12}`, false},
	{"prefix case", `{"a":[{"prefix":"ab"}]}`, `{"a":"ABc"}`, false},
	{"suffix", `{"a":[{"suffix":".png"}]}`, `{"a":"x.png"}`, true},
	{"suffix no", `{"a":[{"suffix":".png"}]}`, `{"a":"x.png.gz"}`, false},
	{"prefix ignore case", `{"a":[{"prefix":{"equals-ignore-case":"EventB"}}]}`, `{"a":"eventbridge"}`, true},
	{"prefix ignore case no", `{"a":[{"prefix":{"equals-ignore-case":"EventB"}}]}`, `{"a":"event"}`, false},
	{"suffix ignore case", `{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}`, `{"a":"x.png"}`, true},
	{"multibyte prefix", `{"a":[{"prefix":"é"}]}`, `{"a":"été"}`, true},

	// equals-ignore-case
	{"ignore case", `{"a":[{"equals-ignore-case":"AlPhA"}]}`, `{"a":"aLpHa"}`, true},
	{"ignore case differs", `{"a":[{"equals-ignore-case":"alpha"}]}`, `{"a":"alphas"}`, false},
	{"ignore case sharp s", `{"a":[{"equals-ignore-case":"straße"}]}`, `{"a":"STRASSE"}`, true},
	{"ignore case sharp s reverse", `{"a":[{"equals-ignore-case":"STRASSE"}]}`, `{"a":"straße"}`, true},
	{"ignore case greek", `{"a":[{"equals-ignore-case":"ΣΊΣΥΦΟΣ"}]}`, `{"a":"σίσυφος"}`, true},
	{"ignore case not numbers", `{"a":[{"equals-ignore-case":"1"}]}`, `{"a":1}`, false},
	{"ignore case empty", `{"a":[{"equals-ignore-case":""}]}`, `{"a":""}`, true},

	// anything-but
	{"anything-but string", `{"a":[{"anything-but":"x"}]}`, `{"a":"y"}`, true},
	{"anything-but string same", `{"a":[{"anything-but":"x"}]}`, `{"a":"x"}`, false},
	{"anything-but missing", `{"a":[{"anything-but":"x"}]}`, `{"b":"y"}`, false},
	{"anything-but null", `{"a":[{"anything-but":"x"}]}`, `{"a":null}`, true},
	{"anything-but number value", `{"a":[{"anything-but":"x"}]}`, `{"a":5}`, true},
	{"anything-but array any differs", `{"a":[{"anything-but":"x"}]}`, `{"a":["x","y"]}`, true},
	{"anything-but array all same", `{"a":[{"anything-but":"x"}]}`, `{"a":["x","x"]}`, false},
	{"anything-but empty array", `{"a":[{"anything-but":"x"}]}`, `{"a":[]}`, false},
	{"anything-but list", `{"a":[{"anything-but":["x","y"]}]}`, `{"a":"y"}`, false},
	{"anything-but list other", `{"a":[{"anything-but":["x","y"]}]}`, `{"a":"z"}`, true},
	{"anything-but number", `{"a":[{"anything-but":300}]}`, `{"a":3e2}`, false},
	{"anything-but number other", `{"a":[{"anything-but":300}]}`, `{"a":301}`, true},
	{"anything-but number list", `{"a":[{"anything-but":[1,2]}]}`, `{"a":2.0}`, false},
	{"anything-but number vs string", `{"a":[{"anything-but":[1,2]}]}`, `{"a":"1"}`, true},
	{"anything-but zero", `{"a":[{"anything-but":0}]}`, `{"a":0}`, false},
	{"anything-but prefix", `{"a":[{"anything-but":{"prefix":"init"}}]}`, `{"a":"initial"}`, false},
	{"anything-but prefix other", `{"a":[{"anything-but":{"prefix":"init"}}]}`, `{"a":"done"}`, true},
	{"anything-but prefix number", `{"a":[{"anything-but":{"prefix":"1"}}]}`, `{"a":12}`, true},
	{"anything-but prefix list", `{"a":[{"anything-but":{"prefix":["a","b"]}}]}`, `{"a":"bob"}`, false},
	{"anything-but suffix", `{"a":[{"anything-but":{"suffix":".txt"}}]}`, `{"a":"x.txt"}`, false},
	{"anything-but suffix other", `{"a":[{"anything-but":{"suffix":".txt"}}]}`, `{"a":"x.png"}`, true},
	{"anything-but ignore case", `{"a":[{"anything-but":{"equals-ignore-case":"X"}}]}`, `{"a":"x"}`, false},
	{"anything-but ignore case list", `{"a":[{"anything-but":{"equals-ignore-case":["X","Y"]}}]}`, `{"a":"z"}`, true},
	{"anything-but ignore case null", `{"a":[{"anything-but":{"equals-ignore-case":"X"}}]}`, `{"a":null}`, true},
	{"anything-but wildcard", `{"a":[{"anything-but":{"wildcard":"*/dir/*"}}]}`, `{"a":"/x/dir/y"}`, false},
	{"anything-but wildcard other", `{"a":[{"anything-but":{"wildcard":"*/dir/*"}}]}`, `{"a":"/x/y"}`, true},
	{"anything-but wildcard list", `{"a":[{"anything-but":{"wildcard":["a*","*b"]}}]}`, `{"a":"cb"}`, false},
	{"anything-but wildcard empty", `{"a":[{"anything-but":{"wildcard":""}}]}`, `{"a":""}`, false},

	// numeric
	{"numeric =", `{"a":[{"numeric":["=",5]}]}`, `{"a":5.0}`, true},
	{"numeric = no", `{"a":[{"numeric":["=",5]}]}`, `{"a":5.000001}`, false},
	{"numeric <", `{"a":[{"numeric":["<",5]}]}`, `{"a":4.9}`, true},
	{"numeric < edge", `{"a":[{"numeric":["<",5]}]}`, `{"a":5}`, false},
	{"numeric <=", `{"a":[{"numeric":["<=",5]}]}`, `{"a":5}`, true},
	{"numeric >", `{"a":[{"numeric":[">",5]}]}`, `{"a":5}`, false},
	{"numeric >=", `{"a":[{"numeric":[">=",5]}]}`, `{"a":5}`, true},
	{"numeric range", `{"a":[{"numeric":[">",0,"<=",5]}]}`, `{"a":5}`, true},
	{"numeric range low", `{"a":[{"numeric":[">",0,"<=",5]}]}`, `{"a":0}`, false},
	{"numeric range high", `{"a":[{"numeric":[">=",0,"<",5]}]}`, `{"a":5}`, false},
	{"numeric negative", `{"a":[{"numeric":["<",-1e-6]}]}`, `{"a":-0.5}`, true},
	{"numeric big", `{"a":[{"numeric":[">",5e9]}]}`, `{"a":1e20}`, true},
	{"numeric string", `{"a":[{"numeric":[">",0]}]}`, `{"a":"5"}`, false},
	{"numeric null", `{"a":[{"numeric":[">",0]}]}`, `{"a":null}`, false},
	{"numeric float vs int", `{"a":[{"numeric":[">",100]}]}`, `{"a":101.0}`, true},
	{"numeric array", `{"a":[{"numeric":[">",100]}]}`, `{"a":[1,200]}`, true},

	// exists
	{"exists", `{"a":[{"exists":true}]}`, `{"a":"x"}`, true},
	{"exists null", `{"a":[{"exists":true}]}`, `{"a":null}`, true},
	{"exists missing", `{"a":[{"exists":true}]}`, `{"b":1}`, false},
	{"exists empty array", `{"a":[{"exists":true}]}`, `{"a":[]}`, false},
	{"exists object", `{"a":[{"exists":true}]}`, `{"a":{"b":1}}`, false},
	{"exists false missing", `{"a":[{"exists":false}]}`, `{"b":1}`, true},
	{"exists false present", `{"a":[{"exists":false}]}`, `{"a":1}`, false},
	{"exists false null", `{"a":[{"exists":false}]}`, `{"a":null}`, false},
	{"exists false empty array", `{"a":[{"exists":false}]}`, `{"a":[]}`, true},
	{"exists false object", `{"a":[{"exists":false}]}`, `{"a":{"b":1}}`, true},
	{"exists false nested", `{"a":{"b":[{"exists":false}]},"c":["x"]}`, `{"c":"x"}`, true},
	{"exists false or value", `{"a":["x",{"exists":false}]}`, `{"a":"x"}`, true},
	{"exists false or value missing", `{"a":["x",{"exists":false}]}`, `{}`, true},
	{"exists false or value other", `{"a":["x",{"exists":false}]}`, `{"a":"y"}`, false},

	// cidr and address literals
	{"cidr v4", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"10.0.0.255"}`, true},
	{"cidr v4 out", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"10.0.1.0"}`, false},
	{"cidr host bits ignored", `{"ip":[{"cidr":"10.0.0.77/24"}]}`, `{"ip":"10.0.0.1"}`, true},
	{"cidr not string", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":123}`, false},
	{"cidr not address", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"10.0.0.x"}`, false},
	{"cidr /0", `{"ip":[{"cidr":"0.0.0.0/0"}]}`, `{"ip":"255.1.2.3"}`, true},
	{"cidr v6", `{"ip":[{"cidr":"2001:db8:1234:1a00::/64"}]}`, `{"ip":"2001:0DB8:1234:1A00:0:0:0:1"}`, true},
	{"cidr v6 out", `{"ip":[{"cidr":"2001:db8:1234:1a00::/64"}]}`, `{"ip":"2001:db8:1234:1a01::1"}`, false},
	{"cidr family", `{"ip":[{"cidr":"0.0.0.0/0"}]}`, `{"ip":"::1"}`, false},
	{"address literal canonical", `{"ip":["2001:db8::1"]}`, `{"ip":"2001:0db8:0:0:0:0:0:1"}`, true},
	{"address literal v4", `{"ip":["10.0.0.1"]}`, `{"ip":"10.0.0.1"}`, true},

	// wildcard
	{"wildcard", `{"a":[{"wildcard":"*.png"}]}`, `{"a":"x.png"}`, true},
	{"wildcard middle", `{"a":[{"wildcard":"a*c*e"}]}`, `{"a":"abcde"}`, true},
	{"wildcard middle no", `{"a":[{"wildcard":"a*c*e"}]}`, `{"a":"abde"}`, false},
	{"wildcard empty star", `{"a":[{"wildcard":"ab*"}]}`, `{"a":"ab"}`, true},
	{"wildcard overlapping", `{"a":[{"wildcard":"*aa*aa"}]}`, `{"a":"aaa"}`, false},
	{"wildcard overlapping yes", `{"a":[{"wildcard":"*aa*aa"}]}`, `{"a":"aaaa"}`, true},
	{"wildcard escaped star", `{"a":[{"wildcard":"a\\*b"}]}`, `{"a":"a*b"}`, true},
	{"wildcard escaped star literal", `{"a":[{"wildcard":"a\\*b"}]}`, `{"a":"axb"}`, false},
	{"wildcard escaped backslash", `{"a":[{"wildcard":"a\\\\*"}]}`, `{"a":"a\\bc"}`, true},
	{"wildcard empty", `{"a":[{"wildcard":""}]}`, `{"a":""}`, true},
	{"wildcard empty no", `{"a":[{"wildcard":""}]}`, `{"a":"x"}`, false},
	{"wildcard not numbers", `{"a":[{"wildcard":"1*"}]}`, `{"a":12}`, false},

	// $or
	{"or first", `{"$or":[{"a":["x"]},{"b":["y"]}]}`, `{"a":"x"}`, true},
	{"or second", `{"$or":[{"a":["x"]},{"b":["y"]}]}`, `{"b":"y"}`, true},
	{"or none", `{"$or":[{"a":["x"]},{"b":["y"]}]}`, `{"a":"y"}`, false},
	{"or with and", `{"c":["z"],"$or":[{"a":["x"]},{"b":["y"]}]}`, `{"a":"x"}`, false},
	{"or with and yes", `{"c":["z"],"$or":[{"a":["x"]},{"b":["y"]}]}`, `{"a":"x","c":"z"}`, true},
	{"or nested level", `{"d":{"$or":[{"a":["x"]},{"b":["y"]}]}}`, `{"d":{"b":"y"}}`, true},
	{"or nested or", `{"$or":[{"a":["x"]},{"$or":[{"b":["y"]},{"c":["z"]}]}]}`, `{"c":"z"}`, true},
	{"or two ors", `{"$or":[{"a":[1]},{"b":[1]}],"c":{"$or":[{"d":[1]},{"e":[1]}]}}`, `{"b":1,"c":{"e":1}}`, true},
	{"or two ors no", `{"$or":[{"a":[1]},{"b":[1]}],"c":{"$or":[{"d":[1]},{"e":[1]}]}}`, `{"b":1,"c":{"f":1}}`, false},
	{"or override", `{"a":["x"],"$or":[{"a":["y"]},{"b":["z"]}]}`, `{"a":"y"}`, true},
	{"duplicate key last wins", `{"a":["x"],"a":["y"]}`, `{"a":"y"}`, true},
	{"duplicate key first lost", `{"a":["x"],"a":["y"]}`, `{"a":"x"}`, false},

	// array consistency
	{"array same element", `{"a":{"b":["x"],"c":["y"]}}`, `{"a":[{"b":"x","c":"y"},{"b":"p","c":"q"}]}`, true},
	{"array different elements", `{"a":{"b":["x"],"c":["y"]}}`, `{"a":[{"b":"x","c":"q"},{"b":"p","c":"y"}]}`, false},
	{"array outside value free", `{"a":{"b":["x"]},"d":["y"]}`, `{"a":[{"b":"x"}],"d":"y"}`, true},
	{"array nested same", `{"a":{"b":{"c":["x"],"d":["y"]}}}`, `{"a":[{"b":[{"c":"x","d":"z"},{"c":"z","d":"y"}]},{"b":[{"c":"x","d":"y"}]}]}`, true},
	{"array nested different", `{"a":{"b":{"c":["x"],"d":["y"]}}}`, `{"a":[{"b":[{"c":"x","d":"z"},{"c":"z","d":"y"}]}]}`, false},
	{"array different arrays", `{"a":{"b":["x"]},"c":{"d":["y"]}}`, `{"a":[{"b":"x"}],"c":[{"d":"y"}]}`, true},
	{"array backtrack", `{"a":{"b":["x","w"],"c":["y"]}}`, `{"a":[{"b":"x","c":"q"},{"b":"w","c":"y"}]}`, true},
}

func TestOperators(t *testing.T) {
	for _, c := range operatorCases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Compile([]byte(c.pattern))
			if err != nil {
				t.Fatalf("Compile(%s): %v", c.pattern, err)
			}
			got, err := p.Match([]byte(c.event))
			if err != nil {
				t.Fatalf("Match(%s): %v", c.event, err)
			}
			if got != c.want {
				t.Fatalf("pattern %s event %s: got %v, want %v", c.pattern, c.event, got, c.want)
			}
		})
	}
}

// TestOperatorsMatcher runs the same table through one Matcher holding all
// the patterns, so shared field indexes must keep rules apart.
func TestOperatorsMatcher(t *testing.T) {
	m := NewMatcher()
	for _, c := range operatorCases {
		p, err := Compile([]byte(c.pattern))
		if err != nil {
			t.Fatal(err)
		}
		m.Add(c.name, p)
	}
	for _, c := range operatorCases {
		names, err := m.Match([]byte(c.event))
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, n := range names {
			got = got || n == c.name
		}
		if got != c.want {
			t.Errorf("%s: in Matcher results = %v, want %v", c.name, got, c.want)
		}
	}
}

// rejectCases pins reasons for invalid patterns beyond those AWS recorded;
// the texts are Event Ruler's.
var rejectCases = []struct{ pattern, reason string }{
	{`[1,2]`, "Filter is not an object\n at [Source: (String)\"[1,2]\"; line: 1, column: 2]"},
	{`{}`, "Empty objects are not allowed"},
	{`{"a":{}}`, "Empty objects are not allowed"},
	{`{"a":1}`, `"a" must be an object or an array`},
	{`{"a":null}`, `"a" must be an object or an array`},
	{`{"a":[]}`, "Empty arrays are not allowed"},
	{`{"a":[[1]]}`, "Match value must be String, number, true, false, or null"},
	{`{"a":[{}]}`, "Match expression name not found"},
	{`{"a":[{"prefix":"x","suffix":"y"}]}`, "Only one key allowed in match expression"},
	{`{"a":[{"foo":"x"}]}`, "Unrecognized match type foo"},
	{`{"a":[{"exactly":1}]}`, "exact match pattern must be a string"},
	{`{"a":[{"prefix":null}]}`, "prefix match pattern must be a string"},
	{`{"a":[{"prefix":{"equals-ignore-case":5}}]}`, "equals-ignore-case match pattern must be a string"},
	{`{"a":[{"numeric":[">",1,"<",0]}]}`, "Bottom must be less than top"},
	{`{"a":[{"numeric":["!",1]}]}`, "Unrecognized numeric range operator: !"},
	{`{"a":[{"numeric":[1]}]}`, "Invalid member in numeric match: 1"},
	{`{"a":[{"numeric":["=",true]}]}`, "Value of equals must be numeric"},
	{`{"a":[{"numeric":["=",1,2]}]}`, "Too many elements in numeric expression"},
	{`{"a":[{"numeric":["<",1,">",0]}]}`, "Too many elements in numeric expression"},
	{`{"a":[{"numeric":[">",1,"<",2,3]}]}`, "Too many terms in numeric range expression"},
	{`{"a":[{"numeric":[">",1,5]}]}`, "Bad value in numeric range: 5"},
	{`{"a":[{"numeric":[">",1e400]}]}`, "Value must be between -1.7976931348623157E308 and 1.7976931348623157E308, inclusive"},
	{`{"a":[{"exists":"yes"}]}`, "exists match pattern must be either true or false."},
	{`{"a":[{"anything-but":{"foo":"x"}}]}`, "Unsupported anything-but pattern: foo"},
	{`{"a":[{"anything-but":{}}]}`, "Anything-But expression name not found"},
	{`{"a":[{"anything-but":["x",1]}]}`, "Inside anything but list, either all values are number or string, mixed type is not supported"},
	{`{"a":[{"anything-but":[]}]}`, "Inside anything but list, either all values are number or string, mixed type is not supported"},
	{`{"a":[{"anything-but":{"prefix":["x",""]}}]}`, "Null prefix/suffix not allowed"},
	{`{"a":[{"anything-but":{"wildcard":"a**"}}]}`, "Consecutive wildcard characters at pos 2"},
	{`{"a":[{"wildcard":"ab**c"}]}`, "Consecutive wildcard characters at pos 3"},
	{`{"a":[{"wildcard":"a*c\\d"}]}`, "Unrecognized character escape 'd' (code 100)"},
	{`{"a":[{"wildcard":"*:*:*:*:*:event-bus/*"}]}`, tooComplex},
	{`{"a":[{"cidr":"10.0.0.0/32"}]}`, "IPv4 mask bits must be < 32"},
	{`{"a":[{"cidr":"::/128"}]}`, "IPv6 mask bits must be < 128"},
	{`{"a":[{"cidr":"10.0.0.0/-1"}]}`, "Malformed CIDR, mask bits must not be negative"},
	{`{"a":[{"cidr":"10.0.0/8"}]}`, "Nonstandard IP address: 10.0.0"},
	{`{"a":[{"cidr":"10.0.0.0/8/8"}]}`, "Malformed CIDR, one '/' required"},
	{`{"a":[{"cidr":"10.0.0.0/"}]}`, "Malformed CIDR, one '/' required"},
	{`{"$or":[{"a":[1]}]}`, "There must have at least 2 Objects in $or relationship."},
	{`{"$or":{"a":[1]}}`, "It must be an Array followed with $or."},
	{`{"$or":[{"a":[1]},[1]]}`, "Only JSON object is allowed in array of $or relationship."},
	{`{"$or":[{"a":[1]},{"prefix":[1]}]}`, "prefix is Ruler reserved fieldName which cannot be used inside $or."},
	{`{"a":[1]`, "Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)\"{\"a\":[1]\"; line: 1, column: 1])\n at [Source: (String)\"{\"a\":[1]\"; line: 1, column: 9]"},
	{`{"a":[1,]}`, "Unexpected character (']' (code 93)): expected a value\n at [Source: (String)\"{\"a\":[1,]}\"; line: 1, column: 9]"},
	{`{"a" [1]}`, "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value\n at [Source: (String)\"{\"a\" [1]}\"; line: 1, column: 6]"},
}

func TestRejects(t *testing.T) {
	for _, c := range rejectCases {
		_, err := Compile([]byte(c.pattern))
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Errorf("Compile(%s) = %v, want CompileError", c.pattern, err)
			continue
		}
		if ce.Reason != c.reason {
			t.Errorf("Compile(%s)\n got %q\nwant %q", c.pattern, ce.Reason, c.reason)
		}
		if ce.Error() != ce.Reason {
			t.Errorf("Error() != Reason")
		}
	}
}

func TestMatchErrors(t *testing.T) {
	p, err := Compile([]byte(`{"a":["x"]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{``, `[]`, `"x"`, `1`, `null`, `{`, `{"a":}`, `{"a":"x"`, `{"a":"x"} x`, `{"b":[1,},"a":}`, `{"a":tru}`, `{"a":01}`} {
		if _, err := p.Match([]byte(ev)); err == nil {
			t.Errorf("Match(%q): no error", ev)
		}
	}
}
