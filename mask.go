package hotline

import (
	"strings"
	"unicode"
)

// MaskPhone shows the first three and last four digits: 138****5678.
// Shorter numbers keep only their last two digits.
func MaskPhone(p string) string {
	r := []rune(p)
	switch {
	case len(r) == 0:
		return ""
	case len(r) >= 11:
		return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
	case len(r) > 2:
		return strings.Repeat("*", len(r)-2) + string(r[len(r)-2:])
	}
	return strings.Repeat("*", len(r))
}

// MaskName keeps the surname: 张*, 欧阳**.
func MaskName(n string) string {
	r := []rune(n)
	if len(r) == 0 {
		return ""
	}
	keep := 1
	if len(r) >= 4 {
		keep = 2 // compound surnames (欧阳, 司马) on longer names
	}
	return string(r[:keep]) + strings.Repeat("*", len(r)-keep)
}

// MaskQuery is a search text as the audit log keeps it: a searched name or
// number is personal data too. Runs of five or more digits are masked
// like a phone, and a short text of Han characters only (the shape of a
// name: 2 to 4 of them) like a name.
func MaskQuery(q string) string {
	r := []rune(q)
	han := len(r) >= 2 && len(r) <= 4
	for _, c := range r {
		han = han && unicode.Is(unicode.Han, c)
	}
	if han {
		return MaskName(q)
	}
	var b strings.Builder
	for i := 0; i < len(r); {
		j := i
		for j < len(r) && r[j] >= '0' && r[j] <= '9' {
			j++
		}
		switch {
		case j-i >= 5:
			b.WriteString(MaskPhone(string(r[i:j])))
		case j > i:
			b.WriteString(string(r[i:j]))
		default:
			b.WriteRune(r[i])
			j++
		}
		i = j
	}
	return b.String()
}

// MaskAddress keeps the first six characters (district and street level).
func MaskAddress(a string) string {
	r := []rune(a)
	if len(r) <= 6 {
		return a
	}
	return string(r[:6]) + "…"
}
