package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// hasHan reports whether s contains a Chinese character or full-width
// punctuation.
func hasHan(s string) bool { return strings.IndexFunc(s, isChinese) >= 0 }

func isChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// chineseLiterals are the string literals with Chinese in the non-test Go
// files of dir: the messages users can see (errors, labels, titles).
func chineseLiterals(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				// Multi-line texts are the command line's help and
				// instructions, not the pages'.
				if s, err := strconv.Unquote(lit.Value); err == nil && hasHan(s) && !strings.Contains(s, "\n") {
					out[s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
	}
	return out
}

var (
	templateAction = regexp.MustCompile(`(?s){{.*?}}`)
	actionString   = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	formatVerb     = regexp.MustCompile(`%[dsv]`)
)

// Every message users can see has an English translation with the same
// format verbs, and the templates have no Chinese outside T and Tf.
func TestLocale_CatalogueComplete(t *testing.T) {
	need := map[string]string{}
	for _, dir := range []string{"..", "../sqldb", "../jobs", "../files", "../quality", "../hotspot", "../wfm", "."} {
		for s, pos := range chineseLiterals(t, dir) {
			need[s] = pos
		}
	}
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := assets.ReadFile(path)
		if text := templateAction.ReplaceAllString(string(b), ""); hasHan(text) {
			t.Errorf("%s: Chinese outside {{T}}: %q", path, strings.TrimSpace(text[strings.IndexFunc(text, isChinese):]))
		}
		for _, a := range templateAction.FindAllString(string(b), -1) {
			for _, m := range actionString.FindAllStringSubmatch(a, -1) {
				if s, _ := strconv.Unquote(`"` + m[1] + `"`); hasHan(s) {
					need[s] = path
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for s, pos := range need {
		tr, ok := en.msgs[s]
		if !ok {
			missing = append(missing, s+"\t"+pos)
			continue
		}
		if strings.Join(formatVerb.FindAllString(s, -1), "") != strings.Join(formatVerb.FindAllString(tr, -1), "") {
			t.Errorf("%q → %q: format verbs differ", s, tr)
		}
		if hasHan(tr) && tr != s {
			t.Errorf("%q → %q: the translation has Chinese", s, tr)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		if p := os.Getenv("HOTLINE_MISSING"); p != "" {
			os.WriteFile(p, []byte(strings.Join(missing, "\n")+"\n"), 0o644)
		}
		t.Errorf("%d messages have no English translation in web/locales/en.txt:\n%s", len(missing), strings.Join(missing, "\n"))
	}
	for s := range en.msgs {
		if _, ok := need[s]; !ok {
			t.Errorf("web/locales/en.txt: %q is not used any more", s)
		}
	}
}

// Text stored in Chinese earlier (audit details) is translated by the
// format it was made from; anything else is left as it is.
func TestLocale_Text(t *testing.T) {
	for in, want := range map[string]string{
		"新增 3 个分类":   "3 categories added",
		"第 2 次失败":    "failure 2",
		"用户名“王五”已存在": "User name “王五” already exists",
		"工单当前状态为“办理中”，不能申请退单": "The ticket is “In hand” and cannot Request return",
		"已保存。":  "Saved.",
		"凤凰街停水": "凤凰街停水",
	} {
		if got := en.Text(in); got != want {
			t.Errorf("en.Text(%q) = %q, want %q", in, got, want)
		}
		if got := zh.Text(in); got != in {
			t.Errorf("zh.Text(%q) = %q", in, got)
		}
	}
	if got := en.Tf("%s无权%s", "话务员", "申请退单"); got != "A Call agent may not Request return" {
		t.Errorf("Tf: %q", got)
	}
}
