package policyformat

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A node is a value read from a file, JSON or YAML, with the line where
// it starts.
type node struct {
	kind   kind
	line   int
	text   string // a string's value; a number, boolean or null as written
	quoted bool   // a string written in quotes (always, in JSON)
	num    int64  // an intNode's value
	items  []*node
	pairs  []pair
}

type kind uint8

const (
	nullNode kind = iota
	boolNode
	intNode
	floatNode // JSON only: the YAML decoder refuses what it would read as a float
	stringNode
	seqNode
	mapNode
)

// A pair is one key of a mapping, in the order written.
type pair struct {
	key  string
	line int
	val  *node
}

// value returns n as go.yaml.in/yaml/v3 decodes it into an any:
// map[string]any, []any, string, int, bool or nil.
func (n *node) value() any {
	switch n.kind {
	case boolNode:
		return n.text == "true" || n.text == "True" || n.text == "TRUE"
	case intNode:
		return int(n.num)
	case floatNode:
		f, _ := strconv.ParseFloat(n.text, 64)
		return f
	case stringNode:
		return n.text
	case seqNode:
		s := make([]any, len(n.items))
		for i, it := range n.items {
			s[i] = it.value()
		}
		return s
	case mapNode:
		m := make(map[string]any, len(n.pairs))
		for _, p := range n.pairs {
			m[p.key] = p.val.value()
		}
		return m
	}
	return nil
}

// describe names what n is, for messages: "a string", "a list", "true".
func describe(n *node) string {
	switch n.kind {
	case nullNode:
		return "null"
	case boolNode:
		return n.text
	case intNode, floatNode:
		return "the number " + n.text
	case stringNode:
		return "a string"
	case seqNode:
		return "a list"
	}
	return "a mapping"
}

// A field is one key of a struct of the format.
type field struct {
	key   string // the file key
	name  string // the Go field name
	index []int
	typ   reflect.Type
}

// fieldsOf lists the keys of a struct of the format, those of its
// embedded Policy included.
func fieldsOf(t reflect.Type) []field {
	var fs []field
	for _, f := range reflect.VisibleFields(t) {
		if key := tagKey(f); key != "" {
			fs = append(fs, field{key: key, name: f.Name, index: f.Index, typ: f.Type})
		}
	}
	return fs
}

var (
	fileFields  = fieldsOf(reflect.TypeFor[File]())
	entryFields = fieldsOf(reflect.TypeFor[PathPolicy]())

	durationType = reflect.TypeFor[Duration]()
	stringsType  = reflect.TypeFor[[]string]()
	entriesType  = reflect.TypeFor[[]PathPolicy]()
)

// examples are values to show in messages about a list key.
var examples = map[string]string{
	"origins":        "https://app.example.com",
	"methods":        "PUT",
	"headers":        "Content-Type",
	"expose_headers": "X-Total-Count",
	"paths":          "/public/",
}

// A binder sets a File from the nodes of a file, collecting every problem
// (up to maxProblems, then their count).
type binder struct {
	format   string // "json" or "yaml"
	problems []error
	more     int            // problems past maxProblems
	lines    map[string]int // Go field paths to lines
}

// maxProblems bounds the problems reported of one file: a file with more
// is not a policy file gone wrong in a few places, and a megabyte of
// messages would help no one.
const maxProblems = 50

func (b *binder) add(line int, key, format string, args ...any) {
	if len(b.problems) >= maxProblems {
		b.more++
		return
	}
	b.problems = append(b.problems, &Problem{Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// result returns the problems found, with a last one counting those left
// out.
func (b *binder) result() []error {
	if b.more > 0 {
		return append(b.problems, &Problem{Msg: fmt.Sprintf("and %d more problems; fix those above first", b.more)})
	}
	return b.problems
}

func (b *binder) file(n *node, f *File) {
	switch n.kind {
	case mapNode:
		b.mapping(n, reflect.ValueOf(f).Elem(), fileFields, "", "")
	case nullNode:
		b.add(n.line, "", "the file holds no policy; write {} for a policy that allows nothing")
	default:
		b.add(n.line, "", "the file holds %s, not a policy; write keys and values, such as origins: [\"https://app.example.com\"]", describe(n))
	}
}

// mapping sets the fields of v from the pairs of n, a mapping, where key
// and goPath are the file key and the Go field path of v ("" at the top).
func (b *binder) mapping(n *node, v reflect.Value, fields []field, key, goPath string) {
	seen := make(map[string]int, len(n.pairs))
	for _, p := range n.pairs {
		if first, dup := seen[p.key]; dup {
			b.add(p.line, key, "key %q appears twice (%q already defined at line %d); write it once", p.key, p.key, first)
			continue
		}
		seen[p.key] = p.line
		i := slices.IndexFunc(fields, func(f field) bool { return f.key == p.key })
		if i < 0 {
			b.unknown(p, fields, key)
			continue
		}
		f := fields[i]
		fgo := join(goPath, f.name)
		b.lines[fgo] = p.line
		b.value(p.val, v.FieldByIndex(f.index), join(key, f.key), fgo)
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (b *binder) unknown(p pair, fields []field, key string) {
	for _, f := range fields {
		if strings.EqualFold(p.key, f.key) {
			b.add(p.line, key, "key %q: keys are lower case; write %q", p.key, f.key)
			return
		}
	}
	inEntry := len(fields) == len(entryFields)
	switch {
	case inEntry && p.key == "path_policies":
		b.add(p.line, join(key, p.key), "path policies do not nest; list every path policy in the path_policies at the top of the file")
		return
	case !inEntry && (p.key == "name" || p.key == "paths"):
		b.add(p.line, key, "%q belongs to an entry of path_policies (- name: public, paths: [/public/], and its policy keys)", p.key)
		return
	}
	msg := fmt.Sprintf("unknown field %q", p.key)
	if s := suggest(p.key, fields); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.key
		}
		msg += "; the keys are " + strings.Join(names, ", ")
	}
	b.add(p.line, key, "%s", msg)
}

// suggest returns the key that unknown was probably meant to be, or "".
func suggest(unknown string, fields []field) string {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(s))
	}
	best, bestDist := "", 3
	for _, f := range fields {
		if norm(f.key) == norm(unknown) {
			return f.key // MaxAge, max-age, maxAge
		}
		if d := distance(unknown, f.key); d < bestDist && len(f.key) > 3 {
			best, bestDist = f.key, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, up to 3 (a policy
// key is short; anything further is no suggestion).
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 3
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], 3)
}

// value sets v, a field whose file key is key, from n. Null leaves the
// field's zero value, as if the key were not written.
func (b *binder) value(n *node, v reflect.Value, key, goPath string) {
	if n.kind == nullNode {
		return
	}
	switch v.Type() {
	case durationType:
		b.duration(n, v, key)
		return
	case stringsType:
		b.strings(n, v, key, goPath)
		return
	case entriesType:
		b.entries(n, v, key, goPath)
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		b.bool(n, v, key)
	case reflect.Int:
		b.int(n, v, key)
	case reflect.String:
		if n.kind != stringNode {
			b.add(n.line, key, "cannot unmarshal %s into a string; write it in quotes, such as \"public\"", describe(n))
			return
		}
		v.SetString(n.text)
	default:
		panic("policyformat: no binding for " + v.Type().String())
	}
}

func (b *binder) strings(n *node, v reflect.Value, key, goPath string) {
	example := examples[key[strings.LastIndexByte(key, '.')+1:]]
	switch n.kind {
	case seqNode:
	case stringNode:
		b.add(n.line, key, "cannot unmarshal a string into a list; write [%s]", strconv.Quote(n.text))
		return
	default:
		b.add(n.line, key, "cannot unmarshal %s into a list of strings; write a list, such as [%q]", describe(n), example)
		return
	}
	list := make([]string, 0, len(n.items))
	for i, it := range n.items {
		at := key + "[" + strconv.Itoa(i) + "]"
		b.lines[goPath+"["+strconv.Itoa(i)+"]"] = it.line
		switch {
		case it.kind == stringNode:
			list = append(list, it.text)
			continue
		case it.kind == nullNode && (key == "origins" || strings.HasSuffix(key, ".origins")):
			b.add(it.line, at, "null is %s's null, not the \"null\" origin; write \"null\" in quotes", strings.ToUpper(b.format))
		case it.kind == nullNode:
			b.add(it.line, at, "an empty item; remove it, or write a value such as %q", example)
		case it.kind == seqNode || it.kind == mapNode:
			b.add(it.line, at, "cannot unmarshal %s into a string; write one value per item, such as %q", describe(it), example)
		default:
			b.add(it.line, at, "%s is not a string; write it in quotes: \"%s\"", it.text, it.text)
		}
		list = append(list, "")
	}
	v.Set(reflect.ValueOf(list))
}

// yamlBools are the YAML 1.1 booleans that YAML 1.2 reads as strings.
var yamlBools = map[string]bool{
	"y": true, "yes": true, "on": true,
	"n": false, "no": false, "off": false,
}

func (b *binder) bool(n *node, v reflect.Value, key string) {
	switch {
	case n.kind == boolNode:
		v.SetBool(n.value().(bool))
	case n.kind == stringNode && n.quoted && (strings.EqualFold(n.text, "true") || strings.EqualFold(n.text, "false")):
		b.add(n.line, key, "%q in quotes is a string; write %s without quotes", n.text, strings.ToLower(n.text))
	case n.kind == stringNode:
		if t, ok := yamlBools[strings.ToLower(n.text)]; ok {
			b.add(n.line, key, "%q is not a boolean (YAML 1.2 reads it as a string); write %t", n.text, t)
			return
		}
		b.add(n.line, key, "cannot unmarshal %q into a boolean; write true or false", n.text)
	default:
		b.add(n.line, key, "cannot unmarshal %s into a boolean; write true or false", describe(n))
	}
}

func (b *binder) int(n *node, v reflect.Value, key string) {
	switch {
	case n.kind == intNode && !v.OverflowInt(n.num):
		v.SetInt(n.num)
	case n.kind == stringNode && n.quoted && isDigits(n.text):
		b.add(n.line, key, "%q in quotes is a string; write %s without quotes", n.text, n.text)
	case n.kind == intNode || n.kind == floatNode:
		b.add(n.line, key, "%s is not a status code; write a whole number such as 204", n.text)
	default:
		b.add(n.line, key, "cannot unmarshal %s into a whole number; write a status code such as 204", describe(n))
	}
}

func (b *binder) duration(n *node, v reflect.Value, key string) {
	switch n.kind {
	case intNode, floatNode:
		var d Duration
		if n.kind == floatNode || d.seconds(n.text) != nil {
			b.add(n.line, key, "%s: want a whole number of seconds or a duration such as \"10m\"", n.text)
			return
		}
		v.Set(reflect.ValueOf(d))
	case stringNode:
		d, err := time.ParseDuration(n.text)
		if err != nil {
			msg := fmt.Sprintf("%q: want a duration such as \"10m\" or \"1h30m\", or a number of seconds", n.text)
			if isDigits(n.text) {
				msg += fmt.Sprintf(" (%s without quotes, or \"%ss\")", n.text, n.text)
			}
			b.add(n.line, key, "%s", msg)
			return
		}
		v.Set(reflect.ValueOf(Duration(d)))
	default:
		b.add(n.line, key, "cannot unmarshal %s into a duration; write a duration such as \"10m\", or a number of seconds", describe(n))
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (b *binder) entries(n *node, v reflect.Value, key, goPath string) {
	if n.kind != seqNode {
		b.add(n.line, key, "cannot unmarshal %s into a list of path policies; write one entry per policy: - name: public, then paths: [/public/] and its policy keys below it", describe(n))
		return
	}
	list := make([]PathPolicy, len(n.items))
	for i, it := range n.items {
		at := key + "[" + strconv.Itoa(i) + "]"
		goAt := goPath + "[" + strconv.Itoa(i) + "]"
		b.lines[goAt] = it.line
		if it.kind != mapNode {
			b.add(it.line, at, "cannot unmarshal %s into a path policy; write its keys: name, paths and its policy keys (origins, credentials, ...)", describe(it))
			continue
		}
		b.mapping(it, reflect.ValueOf(&list[i]).Elem(), entryFields, at, goAt)
	}
	v.Set(reflect.ValueOf(list))
}
