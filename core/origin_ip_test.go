package core

import (
	"net/netip"
	"testing"
)

func TestParseURLIPv4(t *testing.T) {
	for _, tt := range []struct {
		host, want string
		ok         bool
	}{
		{"127.0.0.1", "127.0.0.1", true},
		{"127.1", "127.0.0.1", true},
		{"127.0.1", "127.0.0.1", true},
		{"2130706433", "127.0.0.1", true},
		{"0x7f.0.0.1", "127.0.0.1", true},
		{"0x7F000001", "127.0.0.1", true},
		{"0177.0.0.01", "127.0.0.1", true},
		{"0x", "0.0.0.0", true},
		{"1.2.3.256", "", false},
		{"1.2.65536", "", false},
		{"256.1", "", false},
		{"1.2.3.4.5", "", false},
		{"1..2", "", false},
		{"09.1.1.1", "", false}, // 9 is no octal digit
		{"4294967296", "", false},
	} {
		got, ok := parseURLIPv4(tt.host)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseURLIPv4(%q) = %q, %v; want %q, %v", tt.host, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAppendURLIPv6(t *testing.T) {
	for in, want := range map[string]string{
		"::1":             "::1",
		"0:0::1":          "::1",
		"::":              "::",
		"1::":             "1::",
		"::ffff:1.2.3.4":  "::ffff:102:304",
		"2001:DB8::0:1":   "2001:db8::1",
		"1:0:0:2:0:0:0:3": "1:0:0:2::3",
		"1:0:0:2:0:0:3:4": "1::2:0:0:3:4",
		"1:2:3:4:5:6:7:0": "1:2:3:4:5:6:7:0",
		"0:1:0:1:0:1:0:1": "0:1:0:1:0:1:0:1",
	} {
		if got := string(appendURLIPv6(nil, netip.MustParseAddr(in))); got != want {
			t.Errorf("appendURLIPv6(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestIsDottedQuad(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "0.0.0.0": true, "255.255.255.255": true,
		"256.0.0.1": false, "01.0.0.1": false, "1.2.3": false, "1.2.3.4.5": false,
		"1..2.3": false, "1.2.3.": false, "1000.1.1.1": false, "a.b.c.d": false,
	} {
		if got := isDottedQuad(host); got != want {
			t.Errorf("isDottedQuad(%q) = %v, want %v", host, got, want)
		}
	}
}
