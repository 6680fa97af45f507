package yamloracle

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/corskit/corskit/internal/policyformat"
	"go.yaml.in/yaml/v3"
)

// seeds are inputs at the edges of the subset, besides the policy files of
// ../testdata: each is accepted, or refused, by a rule of ParseYAML.
var seeds = []string{
	"",
	"{}",
	"[]",
	"---\n",
	"a: 1\n---\nb: 2\n",
	"a:\n- x\n- y\nb: 1\n",
	"- a: 1\n  b: [x, {c: d}]\n- - z\n  - w\n",
	"- paths:\n  - /a\n  name: x\n",
	"a: b: c\n",
	"a: *x\n",
	"a: &x 1\n",
	"a: !!str 1\n",
	"a: |\n  x\n",
	"a: >\n  x\n",
	"<<: {a: 1}\n",
	"? a\n: b\n",
	"%YAML 1.2\n---\na: 1\n",
	"a:\n  b\n  c\n",
	"a: 'x\n  y'\n",
	"a: \"x\\\n  y\"\n",
	"a: [x,\ny]\n",
	"a: [x,\n  y]\n",
	"a: [x\n  y]\n",
	"a: [a:, b]\n",
	"a: [a: b]\n",
	"a: {b}\n",
	"a: {b: }\n",
	"a: {\"b\":c}\n",
	"a: {b:c}\n",
	"a: {b :c}\n",
	"a: [?x]\n",
	"a: [x?y]\n",
	"a:\tb\n",
	"a: b # c\n",
	"a: b# c\n",
	"a: \"b\"# c\n",
	"a: [b,# c\n  d]\n",
	"a : b\n",
	"1: a\n",
	"true: a\n",
	"~: a\n",
	"\"1\": a\n",
	"a: 0x1F\n",
	"a: 0o17\n",
	"a: 0b101\n",
	"a: 1_000\n",
	"a: 1e3\n",
	"a: 1.5\n",
	"a: .5\n",
	"a: .inf\n",
	"a: -.Inf\n",
	"a: .nan\n",
	"a: +5\n",
	"a: 007\n",
	"a: 2024-01-02\n",
	"a: 2024-1-2 10:00:00\n",
	"a: 18446744073709551615\n",
	"a: 99999999999999999999\n",
	"a: 1e999\n",
	"a: 1h30m\n",
	"\ufeffa: 1\n",
	"a: 1\r\nb: 2\r\n",
	"a: 1\rb: 2\n",
	"a: \"\\u00e9\\x41\\U0001F600\\N\\_\\L\\P\\e\\0\"\n",
	"a: \"\\/\"\n",
	"a: \"\\ud800\"\n",
	"a: 'it''s'\n",
	"a: x\n...\n",
	"a: [x,\n---\n]\n",
	"  a: 1\n  b: 2\n",
	"  a: 1\nb: 2\n",
	"- a\n  - b\n",
	"- - -\n",
	"-\n-\n",
	"a: -\n",
	"a: - b\n",
	"a: -b\n",
	"a: b\n  c: d\n",
	"- a: 1\n   b: 2\n",
	"a:\n\n\n  - x\n",
	"a: [[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]\n",
	"a: [\"x\":y]\n",
	"a: \u2028\n",
	"a: \u0085b\n",
	"a: b\u00a0c\n",
	"a: \"b\tc\"\n",
	"'a': b\n",
	"a: '' \n",
	"a: \"\"\n",
	"a:\n",
	"a: ~\nb:\nc: null\n",
	"a: {x: [1, 2], y: {z: w}}\n",
	"a: [1, 2, ]\n",
	"a: [ ]\n",
	"[a, b]: c\n",
	"a: `x`\n",
	"a: @x\n",
	"a: %x\n",
	"a: :x\n",
	"a: x:\n",
	"a: x:y\n",
	"a: [x:y]\n",
	"origins: [*]\n",
	"origins: ['*']\n",
	"origins: [null]\n",
	"credentials: yes\n",
	"credentials: \"true\"\n",
	"preflight_status: 204.0\n",
	"preflight_status: \"204\"\n",
	"max_age: \"600\"\n",
	"max_age: 1.5\n",
	"path_policies:\n  - name: a\n    paths: [/a/]\n    path_policies: []\n",
	"Origins: [x]\n",
	"origin: [x]\n",
}

func corpus(t testing.TB) [][]byte {
	files, err := filepath.Glob("../testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed files in ../testdata: %v", err)
	}
	var all [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, data)
	}
	for _, s := range seeds {
		all = append(all, []byte(s))
	}
	return all
}

// agree fails the test if ParseYAML accepts data and yaml/v3 does not read
// it the same way, into an any and, when policyformat.Decode accepts it,
// into a File.
func agree(t *testing.T, data []byte) {
	got, err := policyformat.ParseYAML(data)
	if err != nil {
		var p *policyformat.Problem
		if !errors.As(err, &p) || p.Line < 1 || p.Line > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("ParseYAML(%q): error %q names no line of the input", data, err)
		}
		return
	}
	var want any
	if err := yaml.Unmarshal(data, &want); err != nil {
		t.Fatalf("ParseYAML(%q) = %#v, but yaml/v3 refuses it: %v", data, got, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseYAML(%q):\n got     %#v\n yaml/v3 %#v", data, got, want)
	}

	doc, err := policyformat.Decode("cors.yaml", data)
	if err != nil {
		return
	}
	var f policyformat.File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("Decode(%q) = %+v, but yaml/v3 refuses it: %v", data, doc.File, err)
	}
	if !reflect.DeepEqual(doc.File, f) {
		t.Fatalf("Decode(%q):\n got     %+v\n yaml/v3 %+v", data, doc.File, f)
	}
}

// Every seed, as a test of its own, so that a failure names it.
func TestSeedsAgree(t *testing.T) {
	accepted := 0
	for _, data := range corpus(t) {
		name := string(data)
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(strings.ReplaceAll(name, "\n", "⏎"), func(t *testing.T) {
			agree(t, data)
		})
		if _, err := policyformat.ParseYAML(data); err == nil {
			accepted++
		}
	}
	// The corpus must exercise acceptance, not only refusals.
	if accepted < 40 {
		t.Errorf("only %d seeds are accepted; the differential test needs accepted inputs", accepted)
	}
}

// FuzzSubsetAgreesWithYAMLv3: whenever the subset decoder accepts an
// input, yaml/v3 decodes it to the same value.
func FuzzSubsetAgreesWithYAMLv3(f *testing.F) {
	for _, data := range corpus(f) {
		f.Add(data)
	}
	f.Fuzz(agree)
}
