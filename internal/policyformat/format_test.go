package policyformat

import (
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/corskit/corskit/core"
)

// readme is the policy of testdata/readme.yaml, the README's example.
var readme = core.Config{
	Origins:     []string{"https://app.example.com"},
	Credentials: true,
	PathPolicies: []core.PathPolicy{
		{Name: "public", Paths: []string{"/public/", "/health"}, Config: core.Config{Origins: []string{"*"}}},
		{Name: "admin", Paths: []string{"/admin/"}},
	},
}

func testdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                *core.Config
		errs                []string // substrings of the error, in order of the problems
		line                int      // the line of the first problem
	}{
		{name: "README example", file: "cors.yaml", content: testdata(t, "readme.yaml"), want: &readme},
		{name: "README example in JSON", file: "cors.json", want: &readme, content: `{
  "origins": ["https://app.example.com"], "credentials": true,
  "path_policies": [
    {"name": "public", "paths": ["/public/", "/health"], "origins": ["*"]},
    {"name": "admin", "paths": ["/admin/"]}
  ]}`},
		{name: "flow YAML, as JSON with plain values", file: "cors.yml", content: testdata(t, "flow.yaml"), want: &core.Config{
			Origins: []string{"https://app.example.com", "https://*.example.com"}, Credentials: true,
			Methods: []string{"PUT", "DELETE"}, MaxAge: 10 * time.Minute,
			PathPolicies: []core.PathPolicy{
				{Name: "public", Paths: []string{"/public/"}, Config: core.Config{Origins: []string{"*"}}},
				{Name: "admin", Paths: []string{"/admin/"}},
			}}},
		{name: "CRLF line ends", file: "cors.yaml", content: testdata(t, "crlf.yaml"),
			want: &core.Config{Origins: []string{"https://app.example.com"}, Credentials: true}},
		{name: "null values are the zero value", file: "cors.yaml", content: "origins:\ncredentials: ~\nmax_age: null\n",
			want: &core.Config{}},
		{name: "JSON null values", file: "cors.json", content: `{"origins": null, "credentials": null, "max_age": null}`,
			want: &core.Config{}},
		{name: "empty lists", file: "cors.yaml", content: "origins: []\npath_policies: []\n",
			want: &core.Config{Origins: []string{}, PathPolicies: []core.PathPolicy{}}},
		{name: "max_age in seconds", file: "cors.yaml", content: "max_age: 600", want: &core.Config{MaxAge: 10 * time.Minute}},
		{name: "max_age as a quoted duration", file: "cors.yaml", content: `max_age: "1h30m"`, want: &core.Config{MaxAge: 90 * time.Minute}},

		{name: "unknown key", file: "cors.yaml", content: "credentials: true\norigin: [x]\n", line: 2,
			errs: []string{`line 2: unknown field "origin"; did you mean "origins"?`}},
		{name: "Go field name", file: "cors.json", content: `{"MaxAge": 600}`,
			errs: []string{`line 1: unknown field "MaxAge"; did you mean "max_age"?`}},
		{name: "dash for underscore", file: "cors.yaml", content: "max-age: 600", errs: []string{`did you mean "max_age"?`}},
		{name: "unknown key with no near key", file: "cors.yaml", content: "allow_all: true",
			errs: []string{`unknown field "allow_all"; the keys are origins, credentials,`, "path_policies"}},
		{name: "path policy key at the top", file: "cors.yaml", content: "paths: [/a/]",
			errs: []string{`"paths" belongs to an entry of path_policies`}},
		{name: "key in another case, YAML", file: "cors.yaml", content: "Origins: [x]",
			errs: []string{`key "Origins": keys are lower case; write "origins"`}},
		{name: "key in another case, JSON", file: "cors.json", content: `{"Origins": ["*"]}`,
			errs: []string{`key "Origins": keys are lower case; write "origins"`}},
		{name: "key twice, YAML", file: "cors.yaml", content: "origins: [a]\ncredentials: true\norigins: [b]\n", line: 3,
			errs: []string{`line 3: key "origins" appears twice ("origins" already defined at line 1); write it once`}},
		{name: "key twice, JSON", file: "cors.json", content: "{\"origins\": [\"a\"],\n\"origins\": [\"*\"]}", line: 2,
			errs: []string{`line 2: key "origins" appears twice`}},
		{name: "every problem of path_policies, with keys and lines", file: "cors.yaml", line: 4, content: `path_policies:
  - name: public
    paths: [/public/]
    orgins: ["*"]
    Credentials: true
  - name: admin
    paths: [/admin/]
    path_policies: []
    max_age: ten minutes
`, errs: []string{
			`line 4: path_policies[0]: unknown field "orgins"; did you mean "origins"?`,
			`line 5: path_policies[0]: key "Credentials": keys are lower case; write "credentials"`,
			`line 8: path_policies[1].path_policies: path policies do not nest; list every path policy in the path_policies at the top of the file`,
			`line 9: path_policies[1].max_age: "ten minutes": want a duration such as "10m" or "1h30m", or a number of seconds`,
		}},

		{name: "a string for a list", file: "cors.yaml", content: "origins: https://web.example.com",
			errs: []string{`line 1: origins: cannot unmarshal a string into a list; write ["https://web.example.com"]`}},
		{name: "a number for a list", file: "cors.json", content: `{"methods": 1}`,
			errs: []string{`methods: cannot unmarshal the number 1 into a list of strings; write a list, such as ["PUT"]`}},
		{name: "YAML null for the null origin", file: "cors.yaml", content: "origins: [null]",
			errs: []string{`origins[0]: null is YAML's null, not the "null" origin; write "null" in quotes`}},
		{name: "JSON null for the null origin", file: "cors.json", content: `{"path_policies": [{"name": "a", "paths": ["/a/"], "origins": [null]}]}`,
			errs: []string{`path_policies[0].origins[0]: null is JSON's null, not the "null" origin; write "null" in quotes`}},
		{name: "a number in a list of strings", file: "cors.yaml", content: "methods: [PUT, 1]",
			errs: []string{`methods[1]: 1 is not a string; write it in quotes: "1"`}},
		{name: "an empty item", file: "cors.yaml", content: "headers:\n  - Content-Type\n  -\n", line: 3,
			errs: []string{`line 3: headers[1]: an empty item; remove it, or write a value such as "Content-Type"`}},
		{name: "a list in a list", file: "cors.yaml", content: "paths: x\npath_policies: [{name: a, paths: [[/a/]]}]",
			errs: []string{`belongs to an entry`, `path_policies[0].paths[0]: cannot unmarshal a list into a string`}},
		{name: "YAML 1.1 boolean", file: "cors.yaml", content: "credentials: yes",
			errs: []string{`credentials: "yes" is not a boolean (YAML 1.2 reads it as a string); write true`}},
		{name: "quoted boolean", file: "cors.json", content: `{"credentials": "false"}`,
			errs: []string{`credentials: "false" in quotes is a string; write false without quotes`}},
		{name: "quoted status", file: "cors.yaml", content: `preflight_status: "204"`,
			errs: []string{`preflight_status: "204" in quotes is a string; write 204 without quotes`}},
		{name: "fractional status", file: "cors.json", content: `{"preflight_status": 204.5}`,
			errs: []string{`preflight_status: 204.5 is not a status code; write a whole number such as 204`}},
		{name: "fractional seconds", file: "cors.json", content: `{"max_age": 1.5}`,
			errs: []string{`max_age: 1.5: want a whole number of seconds or a duration such as "10m"`}},
		{name: "seconds in quotes", file: "cors.json", content: `{"max_age": "600"}`,
			errs: []string{`max_age: "600": want a duration`, `(600 without quotes, or "600s")`}},
		{name: "seconds past a duration's range", file: "cors.yaml", content: "max_age: 9223372036854775807",
			errs: []string{`max_age: 9223372036854775807: want a whole number of seconds`}},
		{name: "a boolean for a duration", file: "cors.yaml", content: "max_age: true",
			errs: []string{`max_age: cannot unmarshal true into a duration`}},
		{name: "a mapping for path_policies", file: "cors.yaml", content: "path_policies: {public: [/a/]}",
			errs: []string{`path_policies: cannot unmarshal a mapping into a list of path policies`}},
		{name: "a string for a path policy", file: "cors.yaml", content: "path_policies: [public]",
			errs: []string{`path_policies[0]: cannot unmarshal a string into a path policy`}},
		{name: "a number for a name", file: "cors.yaml", content: "path_policies: [{name: 1, paths: [/a/]}]",
			errs: []string{`path_policies[0].name: cannot unmarshal the number 1 into a string`}},

		{name: "a list for a file", file: "cors.yaml", content: "- origins: [x]",
			errs: []string{`line 1: the file holds a list, not a policy`}},
		{name: "only comments", file: "cors.yaml", content: "# nothing yet\n", errs: []string{"the file holds no policy; write {}"}},
		{name: "JSON null file", file: "cors.json", content: "null", errs: []string{"the file holds no policy"}},
		{name: "empty file", file: "cors.yaml", content: " \n", errs: []string{"the file is empty; write {}"}},
		{name: "unknown extension", file: "cors.toml", content: "origins = []", errs: []string{`unknown format ".toml"; name the file .json, .yaml or .yml`}},
		{name: "upper-case extension", file: "CORS.YAML", content: "{}", want: &core.Config{}},
		{name: "larger than 1 MiB", file: "cors.yaml", content: "{}" + strings.Repeat(" ", MaxSize), errs: []string{"larger than 1 MiB"}},
		{name: "JSON syntax error", file: "cors.json", content: "{\n  \"origins\": [\"a\",]\n}", line: 2,
			errs: []string{"line 2: invalid character ']'"}},
		{name: "JSON not closed", file: "cors.json", content: "{\"origins\": [\"a\"", errs: []string{"unexpected end of the file"}},
		{name: "data after the JSON object", file: "cors.json", content: "{}\n{}", line: 2, errs: []string{"line 2: unexpected data after the policy object"}},
		{name: "YAML syntax error", file: "cors.yaml", content: "origins: [a\ncredentials: true\n", errs: []string{"not indented more than its key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode(tt.file, []byte(tt.content))
			if tt.want != nil {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if got := doc.Config(); !reflect.DeepEqual(got, *tt.want) {
					t.Errorf("Decode:\ngot  %+v\nwant %+v", got, *tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Decode: got %+v, want an error", doc.File)
			}
			rest := err.Error()
			for _, s := range tt.errs {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Fatalf("Decode: error\n%s\ndoes not contain, in order,\n%s", err, s)
				}
				rest = rest[i+len(s):]
			}
			var p *Problem
			if tt.line != 0 && (!errors.As(err, &p) || p.Line != tt.line) {
				t.Errorf("Decode: the first problem is not at line %d: %v", tt.line, err)
			}
		})
	}
}

// A file with a great many problems reports the first 50 and their count.
func TestDecode_manyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 200 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"x": 1`)
	}
	b.WriteString("}")
	_, err := Decode("cors.json", []byte(b.String()))
	list := err.(interface{ Unwrap() []error }).Unwrap()
	if len(list) != maxProblems+1 || !strings.Contains(list[maxProblems].Error(), "and 150 more problems") {
		t.Errorf("Decode: %d problems, the last %q; want %d and a count", len(list), list[len(list)-1], maxProblems+1)
	}
}

// Inputs of a megabyte are read in linear time, whatever their shape.
func TestDecode_largeInputs(t *testing.T) {
	for name, s := range map[string]string{
		"long flow list":     "origins: [" + strings.Repeat("x, ", 300_000) + "]",
		"spaces in a value":  "origins: b" + strings.Repeat(" ", MaxSize-20) + "c",
		"words in a value":   "origins: " + strings.Repeat("b ", MaxSize/2-10),
		"deep nesting":       strings.Repeat("[", MaxSize),
		"deep JSON nesting":  strings.Repeat(`{"a":`, MaxSize/5),
		"many keys":          strings.Repeat("abcdefghijklmnopqrst: 1\n", 40_000),
		"many list items":    "origins:\n" + strings.Repeat("- a\n", 250_000),
		"many comments":      strings.Repeat("# a comment\n", 80_000) + "{}",
		"long escapes":       "origins: [\"" + strings.Repeat(`\u00e9`, 170_000) + "\"]",
		"long unknown keys":  strings.Repeat(strings.Repeat("k", 60)+"x: 1\n", 15_000),
		"many unknown, JSON": "{" + strings.Repeat(`"abcdefghijklmnopqrst": 1,`, 40_000) + `"x": 1}`,
	} {
		for _, file := range []string{"cors.yaml", "cors.json"} {
			start := time.Now()
			_, _ = Decode(file, []byte(s))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%s as %s: %v", name, file, d)
			}
		}
	}
}

// The structs of the format mirror core's, field for field, and their
// json and yaml tags agree: a field added to core.Config and forgotten
// here fails.
func TestStructs_mirrorCore(t *testing.T) {
	isData := func(f reflect.StructField) bool {
		return f.IsExported() && f.Type.Kind() != reflect.Func && f.Type != reflect.TypeFor[*slog.Logger]() && f.Name != "PathPolicies"
	}
	cfg, policy := reflect.TypeFor[core.Config](), reflect.TypeFor[Policy]()
	for i := range cfg.NumField() {
		f := cfg.Field(i)
		if !isData(f) {
			continue
		}
		pf, ok := policy.FieldByName(f.Name)
		switch {
		case !ok:
			t.Errorf("core.Config.%s has no Policy field", f.Name)
		case !pf.Type.ConvertibleTo(f.Type):
			t.Errorf("Policy.%s is a %s, core.Config's a %s", f.Name, pf.Type, f.Type)
		}
	}
	for i := range policy.NumField() {
		if _, ok := cfg.FieldByName(policy.Field(i).Name); !ok {
			t.Errorf("Policy.%s is not a core.Config field", policy.Field(i).Name)
		}
	}
	pp := reflect.TypeFor[core.PathPolicy]()
	for _, name := range []string{"Name", "Paths"} {
		a, _ := pp.FieldByName(name)
		b, ok := reflect.TypeFor[PathPolicy]().FieldByName(name)
		if !ok || a.Type != b.Type {
			t.Errorf("PathPolicy.%s does not mirror core.PathPolicy.%s", name, name)
		}
	}
	if _, ok := reflect.TypeFor[File]().FieldByName("PathPolicies"); !ok {
		t.Error("File has no PathPolicies")
	}
	seen := map[string]string{}
	for _, typ := range []reflect.Type{reflect.TypeFor[File](), reflect.TypeFor[PathPolicy]()} {
		for _, f := range reflect.VisibleFields(typ) {
			if f.Anonymous {
				if f.Tag.Get("yaml") != ",inline" {
					t.Errorf("%s.%s: embedded without yaml:\",inline\"", typ.Name(), f.Name)
				}
				continue
			}
			j, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			y, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if j == "" || j != y || Key(f.Name) != j {
				t.Errorf("%s.%s: json key %q, yaml key %q, Key %q", typ.Name(), f.Name, j, y, Key(f.Name))
			}
			if other, dup := seen[j]; dup && other != f.Name {
				t.Errorf("key %q is both %s and %s", j, other, f.Name)
			}
			seen[j] = f.Name
		}
	}
	for _, name := range []string{"OriginFunc", "HeaderFunc", "Logger", "OnReject", "Nonsense"} {
		if k := Key(name); k != "" {
			t.Errorf("Key(%q) = %q, want none", name, k)
		}
	}
}

// ConfigError.Text with Key spells every field with the file's keys.
func TestKey_configError(t *testing.T) {
	doc, err := Decode("cors.yaml", []byte(`origins: [https://app.example.com]
path_policies:
  - name: public
    paths: [/public/]
  - name: admin
    paths: [/admin/]
    origins: ["https://App.example.com"]
    max_age: -1s
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = core.Compile(doc.Config())
	var texts []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *core.ConfigError
		if errors.As(e, &ce) {
			texts = append(texts, ce.Text(Key))
		}
	}
	got := strings.Join(texts, "\n")
	for _, want := range []string{
		`path_policies[1].origins[0] "https://App.example.com": not written the way browsers send it`,
		`path_policies[1].max_age "-1s"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Compile's errors, with Key:\n%s\nlack %s", got, want)
		}
	}
}

func TestDocument_Line(t *testing.T) {
	doc, err := Decode("cors.yaml", []byte(testdata(t, "full.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]int{
		"Origins":                     2,
		"Origins[1]":                  4,
		"Credentials":                 5,
		"MaxAge":                      9,
		"PathPolicies":                17,
		"PathPolicies[0]":             18,
		"PathPolicies[0].Name":        18,
		"PathPolicies[0].Origins[0]":  20,
		"PathPolicies[1].Paths[0]":    24,
		"PathPolicies[1].Paths":       23,
		"PathPolicies[1].Origins":     22, // not written: the entry's line
		"PathPolicies[1].Credentials": 22,
		"Headers[7]":                  7, // no such item: the key's line
		"OriginFunc":                  0,
		"":                            0,
	} {
		if got := doc.Line(field); got != want {
			t.Errorf("Line(%q) = %d, want %d", field, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for _, tt := range []struct {
		json string
		want time.Duration
		err  string
	}{
		{json: `"10m"`, want: 10 * time.Minute},
		{json: `600`, want: 10 * time.Minute},
		{json: `null`},
		{json: `1.5`, err: "max_age: 1.5: want a whole number"},
		{json: `"ten"`, err: `max_age: "ten": want a duration`},
	} {
		var d Duration
		err := json.Unmarshal([]byte(tt.json), &d)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("UnmarshalJSON(%s): got %v, want %q", tt.json, err, tt.err)
			}
			continue
		}
		if err != nil || time.Duration(d) != tt.want {
			t.Errorf("UnmarshalJSON(%s) = %v, %v; want %v", tt.json, time.Duration(d), err, tt.want)
		}
	}
	// UnmarshalYAML gets what yaml/v3 decodes the value to.
	for _, tt := range []struct {
		v    any
		want time.Duration
		err  bool
	}{
		{v: "1h", want: time.Hour}, {v: 60, want: time.Minute}, {v: nil}, {v: 1.5, err: true}, {v: []any{}, err: true},
	} {
		var d Duration
		err := d.UnmarshalYAML(func(out any) error {
			reflect.ValueOf(out).Elem().Set(reflect.ValueOf(&tt.v).Elem())
			return nil
		})
		if (err != nil) != tt.err || time.Duration(d) != tt.want {
			t.Errorf("UnmarshalYAML(%#v) = %v, %v", tt.v, time.Duration(d), err)
		}
	}
	b, _ := json.Marshal(Duration(90 * time.Second))
	y, _ := Duration(90 * time.Second).MarshalYAML()
	if string(b) != `"1m30s"` || y != "1m30s" {
		t.Errorf("Marshal: %s, %v", b, y)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(filepath.Join(dir, "missing.yaml")); !errors.Is(err, fs.ErrNotExist) || err.Error() != "open: no such file or directory" {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, MaxSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFile of a large file: %v", err)
	}
}
