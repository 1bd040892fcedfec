package hotline

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextRunes bounds any one text from outside (a field of a form, a JSON
// body, an import, a channel). Fields have tighter limits of their own
// (a title 200 characters, an appeal 20,000); this is the ceiling for all.
const MaxTextRunes = 100_000

// CheckInput checks one text from outside before anything uses it: valid
// UTF-8, no control character but tab, newline and carriage return (a NUL
// is refused by PostgreSQL and silently kept by SQLite), not made only of
// invisible characters (a lone zero-width space), at most MaxTextRunes.
// The error names the field. It is the one place these rules live: the web
// layer runs it over every query, form and JSON string, imports over
// every cell.
func CheckInput(field, s string) error {
	if s == "" {
		return nil
	}
	if !utf8.ValidString(s) {
		return Invalid(field, "含有无效的字符编码（须为 UTF-8）")
	}
	n, visible, spaceOnly := 0, false, true
	for _, r := range s {
		n++
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case unicode.IsControl(r):
			return Invalid(field, "含有不允许的控制字符（U+%04X）", r)
		case isInvisible(r):
			spaceOnly = spaceOnly && unicode.IsSpace(r)
		default:
			visible = true
		}
	}
	if !visible && !spaceOnly {
		return Invalid(field, "只含不可见字符")
	}
	if n > MaxTextRunes {
		return Invalid(field, "不能超过%d个字", MaxTextRunes)
	}
	return nil
}

// Blank reports whether s has no visible character: empty, only spaces, or
// only zero-width and other format characters. A required field must not
// be blank.
func Blank(s string) bool {
	for _, r := range s {
		if !isInvisible(r) && !unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// TrimText trims spaces and invisible format characters (zero-width
// spaces, byte-order marks) from both ends.
func TrimText(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return isInvisible(r) || unicode.IsControl(r) })
}

// isInvisible: white space, and format characters (Cf: U+200B zero-width
// space, U+200D joiner, U+2060 word joiner, U+FEFF byte-order mark, the
// bidirectional controls) and the Hangul fillers that render as nothing.
func isInvisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0
}
