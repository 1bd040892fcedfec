package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"hotline"
)

// FuzzImportCSV feeds arbitrary files to the import parser and the category
// row check: no panic, and whatever is accepted is clean UTF-8 without
// path separators.
func FuzzImportCSV(f *testing.F) {
	for _, s := range []string{"一级分类,二级分类,三级分类\n城乡建设,物业管理,维修基金\n", "\ufeffa,b\n\"x\ny\",z", "code,name,kind,parent_code\npx,萍乡市,city,\n", "\xff\xfe", `"unterminated`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := parseCSV(b)
		if err != nil {
			return
		}
		for _, r := range rows {
			names, err := hotline.CategoryPath(r)
			if err != nil {
				continue
			}
			for _, n := range names {
				if !utf8.ValidString(n) || strings.Contains(n, "/") || n == "" {
					t.Fatalf("accepted name %q from %q", n, b)
				}
			}
		}
	})
}
