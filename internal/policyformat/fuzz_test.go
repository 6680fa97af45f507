package policyformat

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzDecode: on any input, JSON or YAML, Decode returns without
// panicking, a problem names a line of the input, and a JSON file it
// accepts is the File encoding/json reads (which, unlike Decode, would
// also take keys in any case and the last of a repeated key). Decoding is
// linear in the input (TestDecode_largeInputs); the size is capped at
// MaxSize. The differential test of the YAML decoder against
// go.yaml.in/yaml/v3 is in ./yamloracle.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
	}
	for _, s := range []string{
		`{}`, `{"origins": ["https://a.example"], "credentials": true, "max_age": 600}`,
		`{"path_policies": [{"name": "a", "paths": ["/a/"], "origins": ["*"], "max_age": "1m"}]}`,
		`{"origins": "x"}`, `{"Origins": []}`, `{"origins": [], "origins": []}`, `{"max_age": 1.5}`,
		`{"path_policies": [{"name": "a", "path_policies": []}]}`, `[1, {"a": null}]`, `{} {}`,
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		name := "cors.yaml"
		if isJSON {
			name = "cors.json"
		}
		doc, err := Decode(name, data)
		if err != nil {
			lines := bytes.Count(data, []byte("\n")) + 1
			for _, e := range unjoin(err) {
				var p *Problem
				if errors.As(e, &p) && (p.Line < 0 || p.Line > lines) {
					t.Fatalf("Decode(%q): %q names line %d of %d", data, e, p.Line, lines)
				}
			}
			return
		}
		_ = doc.Config()
		if !isJSON {
			return
		}
		var want File
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("Decode(%q) = %+v, but encoding/json refuses it: %v", data, doc.File, err)
		}
		if !reflect.DeepEqual(doc.File, want) {
			t.Fatalf("Decode(%q):\n got           %+v\n encoding/json %+v", data, doc.File, want)
		}
	})
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
