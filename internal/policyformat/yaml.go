package policyformat

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseYAML reads data, one YAML document in the subset policy files use,
// and returns its value as go.yaml.in/yaml/v3 decodes it into an any:
// map[string]any, []any, string, int, bool or nil. Whatever it accepts,
// yaml/v3 reads the same way (a differential fuzz test in
// internal/policyformat/yamloracle holds it to that); what it cannot be
// sure of, it refuses with a [*Problem] naming the line and saying what to
// write instead.
//
// It reads:
//   - block mappings (key: value) and block sequences (- item), also a
//     sequence at the indentation of its key and a mapping that starts on
//     the line of its "- ";
//   - flow sequences [a, b] and flow mappings {a: b}, which may span lines;
//   - plain, 'single-quoted' and "double-quoted" scalars, each on one line,
//     with every escape yaml/v3 reads;
//   - comments, a first "---" line, and CRLF line ends;
//   - scalars resolved as YAML 1.2's core schema does in yaml/v3: null, ~
//     and the empty value; true and false (in three spellings each); whole
//     decimal numbers; everything else that yaml/v3 reads as a string.
//
// It refuses: anchors (&a), aliases (*a, and so a bare *), tags (!!str),
// block scalars (| and >), merge keys (<<), complex keys (?), directives
// (%YAML), a second document (---, ...), plain scalars that go on over
// several lines and quoted ones with a line break, numbers yaml/v3 would
// read as floats, dates, octal, hexadecimal or binary numbers, keys that
// are not strings, repeated keys, tabs outside comments, control
// characters, and nesting deeper than 20 levels.
func ParseYAML(data []byte) (any, error) {
	n, err := parseYAML(data)
	if err != nil {
		return nil, err
	}
	return n.value(), nil
}

// syntaxError carries a Problem out of the parser, which panics with it
// so as not to check an error after every step; parseYAML recovers it.
type syntaxError struct{ p *Problem }

type yamlParser struct {
	src        []byte
	pos        int
	line       int  // the line of pos, from 1
	bol        int  // the offset where pos's line begins
	depth      int  // collections open
	allowStart bool // a "---" may still open the document
}

type scalarContext uint8

const (
	blockContext scalarContext = iota
	flowContext
)

func parseYAML(data []byte) (n *node, err error) {
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(syntaxError)
			if !ok {
				panic(r)
			}
			n, err = nil, se.p
		}
	}()
	p := &yamlParser{src: checkChars(data), line: 1, allowStart: true}
	p.skip()
	if p.eof() {
		return &node{kind: nullNode, line: p.line}, nil
	}
	n = p.block(-1)
	p.skip()
	if !p.eof() {
		p.failf("unexpected text after the policy, at a smaller indentation than the line it follows or after a complete value; align it with the keys above, or write a value on one line")
	}
	return n, nil
}

func (p *yamlParser) failf(format string, args ...any) {
	panic(syntaxError{&Problem{Line: p.line, Msg: fmt.Sprintf(format, args...)}})
}

func failAt(line int, format string, args ...any) {
	panic(syntaxError{&Problem{Line: line, Msg: fmt.Sprintf(format, args...)}})
}

// checkChars refuses what yaml/v3 would read otherwise than as the text it
// looks like: invalid UTF-8, control characters, Unicode line breaks, a
// byte order mark but at the start (which it drops), and a CR but in CRLF
// (which it reads as LF).
func checkChars(data []byte) []byte {
	line := 1
	src := data
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		src = src[3:]
	}
	crlf := false
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			failAt(line, "the file is not valid UTF-8; save it as UTF-8")
		case r == '\n':
			line++
		case r == '\r':
			if i+1 >= len(src) || src[i+1] != '\n' {
				failAt(line, "a carriage return (\\r) without a line feed; save the file with \\n or \\r\\n line ends")
			}
			crlf = true
		case r == '\t':
		case r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0:
			failAt(line, "a control character (U+%04X); remove it, or write it as an escape in a double-quoted value", r)
		case r == 0x2028 || r == 0x2029:
			failAt(line, "a Unicode line or paragraph separator (U+%04X); end lines with \\n", r)
		case r == 0xfeff:
			failAt(line, "a byte order mark (U+FEFF) inside the file; remove it")
		case r == 0xfffe || r == 0xffff:
			failAt(line, "a noncharacter (U+%04X); remove it", r)
		}
		i += size
	}
	if crlf {
		src = []byte(strings.ReplaceAll(string(src), "\r\n", "\n"))
	}
	return src
}

func (p *yamlParser) eof() bool { return p.pos >= len(p.src) }

// at returns the byte i after pos, or 0 past the end (checkChars refuses
// NUL, so 0 means the end).
func (p *yamlParser) at(i int) byte {
	if p.pos+i < len(p.src) {
		return p.src[p.pos+i]
	}
	return 0
}

func (p *yamlParser) cur() byte { return p.at(0) }

func (p *yamlParser) col() int { return p.pos - p.bol }

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == 0 }

// isDash reports whether pos is at a "- " that opens a sequence item.
func (p *yamlParser) isDash() bool { return p.cur() == '-' && isBlank(p.at(1)) }

// isValueColon reports whether pos is at a ": " that ends a key.
func (p *yamlParser) isValueColon() bool { return p.cur() == ':' && isBlank(p.at(1)) }

func (p *yamlParser) newline() {
	p.pos++
	p.line++
	p.bol = p.pos
}

func (p *yamlParser) enter() {
	if p.depth++; p.depth > maxDepth {
		p.failf("nested more than %d levels deep; a policy file nests four", maxDepth)
	}
}

func (p *yamlParser) leave() { p.depth-- }

// isComment reports whether a '#' at pos starts a comment: at the start
// of a line or after a space.
func (p *yamlParser) isComment() bool {
	return p.cur() == '#' && (p.pos == p.bol || p.src[p.pos-1] == ' ')
}

func (p *yamlParser) skipComment() {
	for !p.eof() && p.cur() != '\n' {
		p.pos++
	}
}

// skipInline skips the spaces, and a comment, before the end of the line.
func (p *yamlParser) skipInline() {
	for {
		switch {
		case p.cur() == ' ':
			p.pos++
		case p.cur() == '\t':
			p.failf("a tab; YAML indents and separates with spaces: write spaces")
		case p.isComment():
			p.skipComment()
			return
		default:
			return
		}
	}
}

// endLine checks that nothing but spaces and a comment follow on the line.
func (p *yamlParser) endLine() {
	p.skipInline()
	switch c := p.cur(); {
	case c == '\n' || c == 0:
	case c == '#':
		p.failf("'#' starts a comment only after a space; write a space before it")
	case p.isValueColon():
		p.failf("a second ': ' on one line; put each key on a line of its own, or write the value in quotes")
	default:
		p.failf("unexpected %q after the value; write one value per key, in quotes if it holds spaces or special characters", rest(p.src[p.pos:]))
	}
}

// rest returns the start of b up to the end of its line, for messages.
func rest(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 20 {
		s = s[:20] + "…"
	}
	return s
}

// skip skips spaces, comments and line ends up to the next content, and
// refuses document markers and directives there.
func (p *yamlParser) skip() {
	for {
		switch {
		case p.cur() == ' ':
			p.pos++
			continue
		case p.cur() == '\t':
			p.failf("a tab; YAML indents and separates with spaces: write spaces")
		case p.cur() == '\n':
			p.newline()
			continue
		case p.isComment():
			p.skipComment()
			continue
		}
		if p.col() != 0 || p.eof() {
			return
		}
		marker := string(p.src[p.pos:min(p.pos+3, len(p.src))])
		switch {
		case p.cur() == '%' && p.allowStart:
			p.failf("a YAML directive (%s); remove the line: policy files are plain YAML 1.2", rest(p.src[p.pos:]))
		case (marker == "---" || marker == "...") && isBlank(p.at(3)):
			if marker == "---" && p.allowStart {
				p.allowStart = false
				p.pos += 3
				p.skipInline()
				if c := p.cur(); c != '\n' && c != 0 {
					p.failf("the policy starts on the line after ---; move %q to the next line", rest(p.src[p.pos:]))
				}
				continue
			}
			if marker == "---" {
				p.failf("a second document (---); a policy file holds one document: remove the --- and merge what follows into the policy above")
			}
			p.failf("a document end marker (...); remove it")
		}
		return
	}
}

// block reads the node at pos, whose column is greater than parent's
// (or equal, for a sequence under a key).
func (p *yamlParser) block(parent int) *node {
	p.allowStart = false
	p.enter()
	defer p.leave()
	col := p.col()
	switch p.cur() {
	case '-':
		if p.isDash() {
			return p.blockSeq(col)
		}
	case '[', '{':
		n := p.flow(parent)
		p.skipInline()
		if p.isValueColon() {
			p.failf("a [ ] or { } as a key is not read; keys are names")
		}
		p.endLine()
		return n
	}
	tok := p.scalar(blockContext)
	p.skipInline()
	if p.isValueColon() {
		return p.blockMap(col, tok)
	}
	p.endLine()
	return tok.node()
}

// blockMap reads a block mapping at column indent, whose first key is
// read already.
func (p *yamlParser) blockMap(indent int, tok token) *node {
	n := &node{kind: mapNode, line: tok.line}
	seen := make(map[string]int)
	for {
		key := p.key(tok)
		if first, dup := seen[key]; dup {
			failAt(tok.line, "key %q appears twice (%q already defined at line %d); write it once", key, key, first)
		}
		seen[key] = tok.line
		p.pos++ // the ':'
		n.pairs = append(n.pairs, pair{key: key, line: tok.line, val: p.mapValue(indent, tok.line)})
		p.skip()
		switch {
		case p.eof() || p.col() < indent:
			return n
		case p.col() > indent:
			p.failf("indented more than the key above it, whose value is complete; align the keys of a mapping, and write each value on one line")
		case p.isDash():
			p.failf("a list item where a key of the mapping above belongs; indent the items under their key")
		case p.cur() == '[' || p.cur() == '{':
			p.failf("a [ ] or { } where a key belongs; write key: value")
		}
		tok = p.scalar(blockContext)
		p.skipInline()
		if !p.isValueColon() {
			if strings.Contains(tok.text, ":") && !tok.quoted {
				p.failf("%q: write a space after the colon of a key", tok.text)
			}
			p.failf("%q where a key belongs; write key: value", tok.text)
		}
	}
}

// mapValue reads the value after the ':' of a key at column indent.
func (p *yamlParser) mapValue(indent, line int) *node {
	p.skipInline()
	if c := p.cur(); c == '\n' || c == 0 {
		p.skip()
		switch {
		case p.eof():
		case p.col() > indent:
			return p.block(indent)
		case p.col() == indent && p.isDash():
			p.enter()
			defer p.leave()
			return p.blockSeq(indent)
		}
		return &node{kind: nullNode, line: line}
	}
	switch p.cur() {
	case '-':
		if p.isDash() {
			p.failf("a list cannot start on the line of its key; write each - item on a line of its own below the key, or write [a, b]")
		}
	case '[', '{':
		n := p.flow(indent)
		p.endLine()
		return n
	}
	tok := p.scalar(blockContext)
	p.endLine()
	return tok.node()
}

// blockSeq reads a block sequence at column indent.
func (p *yamlParser) blockSeq(indent int) *node {
	n := &node{kind: seqNode, line: p.line, items: []*node{}}
	for {
		line := p.line
		p.pos++ // the '-'
		p.skipInline()
		var item *node
		if c := p.cur(); c == '\n' || c == 0 {
			p.skip()
			if !p.eof() && p.col() > indent {
				item = p.block(indent)
			} else {
				item = &node{kind: nullNode, line: line}
			}
		} else {
			item = p.block(indent)
		}
		n.items = append(n.items, item)
		p.skip()
		switch {
		case p.eof() || p.col() < indent:
			return n
		case p.col() > indent:
			p.failf("indented more than the list item above, which has its value; align the - of a list, and write each value on one line")
		case !p.isDash():
			return n
		}
	}
}

// flow reads a flow sequence or mapping, in a block whose column is
// parent: its lines after the first must be indented more.
func (p *yamlParser) flow(parent int) *node {
	p.enter()
	defer p.leave()
	open, line := p.cur(), p.line
	p.pos++
	if open == '[' {
		n := &node{kind: seqNode, line: line, items: []*node{}}
		for {
			p.skipFlow(parent, line, "]")
			if p.cur() == ']' {
				p.pos++
				return n
			}
			n.items = append(n.items, p.flowItem(parent))
			p.skipFlow(parent, line, "]")
			switch p.cur() {
			case ',':
				p.pos++
			case ']':
				p.pos++
				return n
			case ':':
				p.failf("a key: value pair in a [ ] list is not read; write {key: value}")
			default:
				p.failf("expected , or ] in the list opened at line %d; a value with spaces at the end of a line, or ending on another one, must be quoted", line)
			}
		}
	}
	n := &node{kind: mapNode, line: line}
	seen := make(map[string]int)
	for {
		p.skipFlow(parent, line, "}")
		switch p.cur() {
		case '}':
			p.pos++
			return n
		case '[', '{':
			p.failf("a [ ] or { } as a key is not read; keys are names")
		}
		tok := p.scalar(flowContext)
		p.skipInline()
		if p.cur() != ':' {
			p.failf("expected ':' after the key %q, on its line; write {key: value}", tok.text)
		}
		key := p.key(tok)
		if first, dup := seen[key]; dup {
			failAt(tok.line, "key %q appears twice (%q already defined at line %d); write it once", key, key, first)
		}
		seen[key] = tok.line
		p.pos++
		p.skipFlow(parent, line, "}")
		if c := p.cur(); c == ',' || c == '}' {
			p.failf("the key %q has no value; write {key: value}", key)
		}
		n.pairs = append(n.pairs, pair{key: key, line: tok.line, val: p.flowItem(parent)})
		p.skipFlow(parent, line, "}")
		switch p.cur() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return n
		default:
			p.failf("expected , or } in the mapping opened at line %d; a value with spaces at the end of a line, or ending on another one, must be quoted", line)
		}
	}
}

func (p *yamlParser) flowItem(parent int) *node {
	if c := p.cur(); c == '[' || c == '{' {
		return p.flow(parent)
	}
	return p.scalar(flowContext).node()
}

// skipFlow skips spaces, comments and line ends inside a flow collection
// opened at line open, whose lines must be indented more than parent.
func (p *yamlParser) skipFlow(parent, open int, closer string) {
	crossed := false
	for {
		switch {
		case p.cur() == ' ':
			p.pos++
		case p.cur() == '\t':
			p.failf("a tab; YAML separates with spaces: write spaces")
		case p.cur() == '\n':
			p.newline()
			crossed = true
		case p.isComment():
			p.skipComment()
		case p.eof():
			failAt(open, "the list opened at line %d is not closed; write %s", open, closer)
		default:
			if marker := string(p.src[p.pos:min(p.pos+3, len(p.src))]); crossed && p.col() == 0 && (marker == "---" || marker == "...") && isBlank(p.at(3)) {
				p.failf("a document marker (%s) inside the list opened at line %d; close the list with %s first", marker, open, closer)
			}
			if crossed && p.col() <= parent {
				p.failf("a line of the list opened at line %d is not indented more than its key; indent it", open)
			}
			return
		}
	}
}

// A token is a scalar as written.
type token struct {
	text   string
	quoted bool
	line   int
	start  int // offset
}

// node resolves a token the way yaml/v3 does, or refuses it.
func (t token) node() *node {
	n := &node{kind: stringNode, line: t.line, text: t.text, quoted: t.quoted}
	if t.quoted {
		return n
	}
	switch t.text {
	case "", "~", "null", "Null", "NULL":
		n.kind = nullNode
	case "true", "True", "TRUE", "false", "False", "FALSE":
		n.kind = boolNode
	default:
		if !yamlNonString(t.text) {
			break
		}
		if isDecimalInt(t.text) {
			if v, err := strconv.ParseInt(t.text, 10, 64); err == nil {
				n.kind, n.num = intNode, v
				break
			}
		}
		failAt(t.line, "%s is read by YAML as a number or a date, and policy files hold only whole decimal numbers; write a number such as 600, or \"%s\" in quotes for text", t.text, t.text)
	}
	return n
}

// key returns the key a token spells, or refuses it.
func (p *yamlParser) key(t token) string {
	if p.pos-t.start > 1000 {
		failAt(t.line, "a key longer than 1000 bytes; keys are names")
	}
	if t.quoted {
		return t.text
	}
	if t.text == "<<" {
		failAt(t.line, "merge keys (<<) are not read; write the keys out")
	}
	if n := t.node(); n.kind != stringNode {
		failAt(t.line, "a key must be a name, not %s; write it in quotes if it is one", describe(n))
	}
	return t.text
}

// scalar reads a quoted or plain scalar at pos.
func (p *yamlParser) scalar(ctx scalarContext) token {
	t := token{line: p.line, start: p.pos}
	switch p.cur() {
	case '"':
		t.text, t.quoted = p.doubleQuoted(), true
		return t
	case '\'':
		t.text, t.quoted = p.singleQuoted(), true
		return t
	}
	p.checkPlainStart(ctx)
	for {
		c := p.cur()
		switch {
		case c == 0 || c == '\n':
		case c == '\t':
			p.failf("a tab; YAML separates with spaces: write spaces, or write the value in double quotes with \\t")
		case c == ':' && isBlank(p.at(1)):
		case c == ':' && ctx == flowContext && strings.IndexByte(",[]{}", p.at(1)) >= 0:
			p.failf("a ':' before %q inside a [ ] or { } list; write the value in quotes", string(p.at(1)))
		case ctx == flowContext && strings.IndexByte(",[]{}?", c) >= 0:
			if c == '?' {
				p.failf("a '?' inside a [ ] or { } list; write the value in quotes")
			}
		case c == ' ':
			// Spaces inside the value, or before what ends it.
			j := p.pos
			for j < len(p.src) && p.src[j] == ' ' {
				j++
			}
			next := byte(0)
			if j < len(p.src) {
				next = p.src[j]
			}
			after := byte(0)
			if j+1 < len(p.src) {
				after = p.src[j+1]
			}
			if next == 0 || next == '\n' || next == '#' || next == '\t' ||
				next == ':' && isBlank(after) ||
				ctx == flowContext && strings.IndexByte(",[]{}?", next) >= 0 {
				break
			}
			p.pos = j
			continue
		default:
			p.pos++
			continue
		}
		break
	}
	t.text = string(p.src[t.start:p.pos])
	if ctx == flowContext && strings.HasSuffix(t.text, ":") {
		p.failf("%q ends with ':' inside a [ ] or { } list; write a space after the ':' of a key, or the value in quotes", t.text)
	}
	return t
}

// checkPlainStart refuses a plain scalar that starts with an indicator.
func (p *yamlParser) checkPlainStart(ctx scalarContext) {
	c := p.cur()
	switch c {
	case '&':
		p.failf("anchors (&name) are not read; write the value out where it is used")
	case '*':
		if next := p.at(1); isBlank(next) || ctx == flowContext && strings.IndexByte(",]}", next) >= 0 {
			p.failf("a * that is not in quotes starts an alias, which policy files do not use; write \"*\" in quotes")
		}
		p.failf("aliases (%s) are not read; write the value out where it is used, or quote a value that starts with *", rest(p.src[p.pos:]))
	case '!':
		p.failf("tags (%s) are not read; remove the tag, and quote a value that must be a string", rest(p.src[p.pos:]))
	case '|', '>':
		p.failf("block scalars (| and >) are not read; write the value on one line, in quotes if needed")
	case '%', '@', '`':
		p.failf("a value cannot start with %q; write it in quotes", string(c))
	case '?':
		p.failf("complex keys (?) are not read; write key: value")
	case ':':
		p.failf("a value cannot start with ':'; write it in quotes, or the key before the colon")
	case ',', ']', '}', '[', '{':
		p.failf("unexpected %q; write the value before it, or quote a value that holds it", string(c))
	case '#':
		p.failf("'#' starts a comment only after a space; write a space before it, or quote the value")
	case '-':
		if isBlank(p.at(1)) {
			if ctx == flowContext {
				p.failf("a - item inside a [ ] list; separate items with commas: [a, b]")
			}
			p.failf("a list item where a value belongs; put the list below its key")
		}
	}
}

func (p *yamlParser) singleQuoted() string {
	var b strings.Builder
	p.pos++
	for {
		switch c := p.cur(); {
		case c == '\'' && p.at(1) == '\'':
			b.WriteByte('\'')
			p.pos += 2
		case c == '\'':
			p.pos++
			return b.String()
		case c == '\n' || c == 0:
			p.failf("the quoted value does not end on its line; close it with ' (write '' for a quote inside)")
		case c == '\t':
			p.failf("a tab inside quotes; write it in double quotes as \\t")
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}

// escapes are the one-letter escapes of double-quoted scalars, as yaml/v3
// reads them (which is without YAML 1.2's \/).
var escapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", 'n': "\n", 'v': "\v", 'f': "\f",
	'r': "\r", 'e': "\x1b", ' ': " ", '"': `"`, '\'': "'", '\\': `\`,
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

func (p *yamlParser) doubleQuoted() string {
	var b strings.Builder
	p.pos++
	for {
		c := p.cur()
		switch {
		case c == '"':
			p.pos++
			return b.String()
		case c == '\n' || c == 0:
			p.failf("the quoted value does not end on its line; close it with \" (write \\\" for a quote inside)")
		case c == '\t':
			p.failf("a tab inside quotes; write \\t")
		case c == '\\':
			e := p.at(1)
			if s, ok := escapes[e]; ok {
				b.WriteString(s)
				p.pos += 2
				continue
			}
			digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			switch {
			case e == '\n' || e == 0:
				p.failf("a \\ at the end of a line continues the value, which policy files do not read; write the value on one line")
			case digits == 0:
				p.failf("unknown escape \\%s; write \\\\ for a backslash", string(rune(e)))
			}
			hex := string(p.src[p.pos+2 : min(p.pos+2+digits, len(p.src))])
			v, err := strconv.ParseUint(hex, 16, 32)
			if len(hex) != digits || err != nil || strings.ContainsAny(hex, "+-_") {
				p.failf("\\%s needs %d hexadecimal digits", string(rune(e)), digits)
			}
			if 0xd800 <= v && v <= 0xdfff || v > 0x10ffff {
				p.failf("\\%s%s is not a Unicode character", string(rune(e)), hex)
			}
			b.WriteRune(rune(v))
			p.pos += 2 + digits
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}

// yamlNonString reports whether yaml/v3 resolves the plain scalar s, not
// null or a boolean, to something other than a string: an int, a float or
// a timestamp. It repeats yaml/v3's resolve.
func yamlNonString(s string) bool {
	switch s {
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return true
	}
	switch c := s[0]; {
	case c == '.':
		_, err := strconv.ParseFloat(s, 64)
		return err == nil
	case c == '+' || c == '-' || '0' <= c && c <= '9':
	default:
		return false
	}
	if isTimestamp(s) {
		return true
	}
	plain := strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	if yamlFloat.MatchString(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return true
		}
	}
	for _, prefix := range []string{"0b", "-0b", "0o", "-0o"} {
		if digits, ok := strings.CutPrefix(plain, prefix); ok {
			base := 2
			if prefix[len(prefix)-1] == 'o' {
				base = 8
			}
			sign := strings.TrimSuffix(prefix, prefix[len(prefix)-2:])
			if _, err := strconv.ParseInt(sign+digits, base, 64); err == nil {
				return true
			}
			if _, err := strconv.ParseUint(digits, base, 64); err == nil && sign == "" {
				return true
			}
			break
		}
	}
	return false
}

var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// isTimestamp reports whether yaml/v3 reads s as a timestamp.
func isTimestamp(s string) bool {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range []string{"2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"} {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}
