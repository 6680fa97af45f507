package fetchcheck

import (
	"fmt"
	"strings"
)

// maxListElements bounds the elements ParseList accepts: far more than any
// real Access-Control-Allow-* header lists, few enough that a hostile
// server's comma bomb costs nothing.
const maxListElements = 1000

// ParseList parses the values of a header whose syntax is a list of tokens
// (#method or #field-name: Access-Control-Allow-Methods,
// Access-Control-Allow-Headers, Access-Control-Expose-Headers, Vary), over
// all of its header lines in order: elements separated by commas, with
// optional spaces and tabs around them; empty elements are ignored. It
// returns an error naming the first element that is not a token, which
// makes the browser treat the whole header as unparseable.
//
// Fetch: https://fetch.spec.whatwg.org/#extract-header-list-values
func ParseList(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for elem := range strings.SplitSeq(v, ",") {
			elem = strings.Trim(elem, " \t")
			if elem == "" {
				continue
			}
			if !IsToken(elem) {
				return nil, fmt.Errorf("%q is not a token", elem)
			}
			if len(out) == maxListElements {
				return nil, fmt.Errorf("more than %d elements", maxListElements)
			}
			out = append(out, elem)
		}
	}
	return out, nil
}

// containsExact reports whether list holds s, compared byte for byte (as
// methods are).
func containsExact(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// containsFold reports whether list holds s in any letter case (as header
// names are compared).
func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}
