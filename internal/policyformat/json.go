package policyformat

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// maxDepth bounds how deeply collections nest, in JSON and YAML: a policy
// file nests four deep (path_policies, an entry, a list, its items).
const maxDepth = 20

// parseJSON reads data, one JSON value, into nodes with their lines.
// encoding/json checks the syntax; keys are checked by the binder, which
// unlike encoding/json takes them exactly and once.
func parseJSON(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonParser{dec: dec, data: data, lineAt: 1}
	n, err := p.value(0)
	if err != nil {
		return nil, p.syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Problem{Line: p.line(), Msg: "unexpected data after the policy object; a policy file holds one object"}
	}
	return n, nil
}

type jsonParser struct {
	dec    *json.Decoder
	data   []byte
	offset int // lineAt is the line at offset
	lineAt int
}

// line returns the line of the decoder's position: the end of the token
// it returned last.
func (p *jsonParser) line() int { return p.lineOf(int(p.dec.InputOffset())) }

func (p *jsonParser) lineOf(offset int) int {
	offset = min(offset, len(p.data))
	if offset < p.offset {
		p.offset, p.lineAt = 0, 1
	}
	p.lineAt += bytes.Count(p.data[p.offset:offset], []byte{'\n'})
	p.offset = offset
	return p.lineAt
}

// syntax turns an error of encoding/json into a Problem at its line.
func (p *jsonParser) syntax(err error) error {
	var pr *Problem
	var se *json.SyntaxError
	switch {
	case errors.As(err, &pr):
		return err
	case errors.As(err, &se):
		return &Problem{Line: p.lineOf(int(se.Offset)), Msg: se.Error()}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &Problem{Line: p.lineOf(len(p.data)), Msg: "unexpected end of the file: a { or [ is not closed"}
	}
	return &Problem{Line: p.line(), Msg: err.Error()}
}

func (p *jsonParser) value(depth int) (*node, error) {
	t, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	n := &node{line: p.line()}
	switch t := t.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, &Problem{Line: n.line, Msg: "nested more than " + strconv.Itoa(maxDepth) + " levels deep; a policy file nests four"}
		}
		if t == '[' {
			n.kind = seqNode
			n.items = []*node{}
			for p.dec.More() {
				it, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, it)
			}
		} else {
			n.kind = mapNode
			for p.dec.More() {
				k, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				pr := pair{key: k.(string), line: p.line()}
				if pr.val, err = p.value(depth + 1); err != nil {
					return nil, err
				}
				n.pairs = append(n.pairs, pr)
			}
		}
		if _, err := p.dec.Token(); err != nil { // the closing ] or }
			return nil, err
		}
	case string:
		n.kind, n.text, n.quoted = stringNode, t, true
	case json.Number:
		n.kind, n.text = floatNode, t.String()
		if isDecimalInt(n.text) {
			if v, err := strconv.ParseInt(n.text, 10, 64); err == nil {
				n.kind, n.num = intNode, v
			}
		}
	case bool:
		n.kind, n.text = boolNode, strconv.FormatBool(t)
	case nil:
		n.kind, n.text = nullNode, "null"
	}
	return n, nil
}

// isDecimalInt reports whether s is a whole number written in decimal
// without a sign but '-' and without leading zeros: "600", "-1", "0".
func isDecimalInt(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && isDigits(s) && (s == "0" || s[0] != '0')
}
