package core

import (
	"net/netip"
	"strconv"
	"strings"
)

// Browsers serialize IP address hosts the way the URL standard says
// (https://url.spec.whatwg.org/#host-serializing): IPv4 as four decimal
// numbers, whatever form the page wrote (127.1, 0x7f.0.0.1 and 2130706433
// are all 127.0.0.1), and IPv6 as eight hexadecimal pieces with the longest
// run of zeros compressed, never with a dotted IPv4 tail. An origin written
// any other way can never match what a browser sends.

// endsInNumber reports whether the URL standard reads host as an IPv4
// address: its last label is decimal digits or "0x" and hexadecimal digits.
func endsInNumber(host string) bool {
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if len(last) >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') {
		for i := 2; i < len(last); i++ {
			if !isHexDigit(last[i]) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isDottedQuad reports whether host is four decimal numbers from 0 to 255
// without leading zeros, as browsers send an IPv4 host.
func isDottedQuad(host string) bool {
	parts, n, digits := 0, 0, 0
	for i := 0; i <= len(host); i++ {
		if i == len(host) || host[i] == '.' {
			if digits == 0 || n > 255 {
				return false
			}
			parts, n, digits = parts+1, 0, 0
			continue
		}
		c := host[i]
		if c < '0' || c > '9' || digits > 0 && n == 0 || digits == 3 {
			return false // not a digit, a leading zero, or too long
		}
		n, digits = n*10+int(c-'0'), digits+1
	}
	return parts == 4
}

// parseURLIPv4 reads host as the URL standard's IPv4 parser does: one to
// four dot-separated numbers, each decimal, octal (a leading 0) or
// hexadecimal ("0x"), the last filling the remaining bytes. It returns
// the address in dotted-decimal form, or false if host is not one.
func parseURLIPv4(host string) (string, bool) {
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return "", false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		base := 10
		switch {
		case len(p) >= 2 && (p[:2] == "0x" || p[:2] == "0X"):
			base, p = 16, p[2:]
		case len(p) >= 2 && p[0] == '0':
			base, p = 8, p[1:]
		}
		if p == "" {
			if base == 10 {
				return "", false // an empty part
			}
			nums[i] = 0 // "0x" and "0" followed by nothing are zero
			continue
		}
		n, err := strconv.ParseUint(p, base, 32)
		if err != nil {
			return "", false
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return "", false
		}
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return "", false
	}
	v := last
	for i, n := range nums[:len(nums)-1] {
		v += n << (8 * (3 - i))
	}
	var b [4]byte
	for i := range b {
		b[i] = byte(v >> (8 * (3 - i)))
	}
	return netip.AddrFrom4(b).String(), true
}

// appendURLIPv6 appends a as browsers serialize it: eight lower-case
// hexadecimal pieces without leading zeros, the first longest run of two or
// more zero pieces written "::".
func appendURLIPv6(dst []byte, a netip.Addr) []byte {
	b := a.As16()
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	start, length := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > length {
			start, length = i, j-i
		}
		i = j
	}
	for i := 0; i < 8; i++ {
		if i == start {
			dst = append(dst, "::"...)
			i += length - 1
			continue
		}
		if i > 0 && i != start+length {
			dst = append(dst, ':')
		}
		dst = strconv.AppendUint(dst, uint64(pieces[i]), 16)
	}
	return dst
}
