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

// FuzzCheckInput: what CheckInput accepts is valid UTF-8 without control
// characters (but tab and newlines) and, unless only spaces, has a visible
// character; what it refuses names the field. TrimText is idempotent and
// never makes a text visible or invisible.
func FuzzCheckInput(f *testing.F) {
	for _, s := range []string{"停水", "", " ", "\u200b", "a\x00b", "\xff", "行1\n行2\t", "\u200b停水\ufeff", "\x7f", "\u3164", strings.Repeat("长", 10)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := hotline.CheckInput("f", s)
		if err != nil {
			if hotline.ErrorField(err) != "f" || hotline.ErrorCode(err) != hotline.EInvalid {
				t.Fatalf("CheckInput(%q): %v", s, err)
			}
		} else {
			if !utf8.ValidString(s) {
				t.Fatalf("accepted invalid UTF-8 %q", s)
			}
			for _, r := range s {
				if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
					t.Fatalf("accepted control character %U in %q", r, s)
				}
			}
			if hotline.Blank(s) && strings.TrimSpace(s) != "" {
				t.Fatalf("accepted the invisible %q", s)
			}
		}
		tr := hotline.TrimText(s)
		if hotline.TrimText(tr) != tr {
			t.Fatalf("TrimText not idempotent on %q", s)
		}
		if hotline.Blank(tr) != hotline.Blank(s) {
			t.Fatalf("TrimText(%q) = %q changed visibility", s, tr)
		}
	})
}
