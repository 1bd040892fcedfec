package hotline

import "strings"

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

// MaskAddress keeps the first six characters (district and street level).
func MaskAddress(a string) string {
	r := []rune(a)
	if len(r) <= 6 {
		return a
	}
	return string(r[:6]) + "…"
}
