package hotline_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"hotline"
)

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"138 0000 5678", "+86 138-0000-5678", "008613800005678", "０７９９-６８８８８８８", "", "abc", "8613800005678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := hotline.NormalizePhone(s)
		if strings.Trim(p, "0123456789") != "" {
			t.Fatalf("NormalizePhone(%q) = %q: not only digits", s, p)
		}
		if again := hotline.NormalizePhone(p); again != p {
			t.Fatalf("not idempotent: %q → %q → %q", s, p, again)
		}
		if m := hotline.MaskPhone(p); utf8.RuneCountInString(m) != len(p) {
			t.Fatalf("MaskPhone(%q) = %q changes the length", p, m)
		}
	})
}

func FuzzCategoryPath(f *testing.F) {
	for _, s := range []string{"城乡建设,物业管理,维修基金", "a,,c", "x", ",", "a/b,c", "a,b,c,d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, err := hotline.CategoryPath(strings.Split(s, ","))
		if err != nil {
			if hotline.ErrorField(err) != "name" {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		if len(names) == 0 || len(names) > 3 {
			t.Fatalf("%q gave %d levels", s, len(names))
		}
		for _, n := range names {
			if n == "" || strings.Contains(n, "/") {
				t.Fatalf("%q gave bad name %q", s, n)
			}
		}
	})
}
