// Package classify is the dispatch model: a text classifier for Chinese
// appeals, trained deterministically on a deployment's own history, in pure
// Go on a CPU. Text is normalised, cut into character n-grams, weighted
// (sublinear TF-IDF, L2-normalised) and classified by one-vs-rest linear
// SVMs trained by dual coordinate descent (the LIBLINEAR method).
package classify

import (
	"strings"
	"unicode"
)

// Normalize folds what should not tell classes apart: full-width forms to
// half-width, ASCII to lower case, runs of digits to one "0", links and
// masked placeholders away, and whitespace and punctuation runs to one
// space.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevSpace, prevDigit := true, false
	for _, w := range strings.Fields(s) {
		if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") {
			continue
		}
		for _, r := range w + " " {
			switch {
			case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
				r -= 0xFEE0
			case r == 0x3000:
				r = ' '
			}
			r = unicode.ToLower(r)
			switch {
			case unicode.IsDigit(r):
				if !prevDigit {
					b.WriteRune('0')
				}
				prevDigit, prevSpace = true, false
				continue
			case unicode.IsLetter(r):
				b.WriteRune(r)
				prevSpace = false
			default:
				if !prevSpace {
					b.WriteRune(' ')
				}
				prevSpace = true
			}
			prevDigit = false
		}
	}
	return strings.TrimSpace(b.String())
}

// grams calls f with every character n-gram of s for n in [lo, hi] that
// does not cross a space.
func grams(s string, lo, hi int, f func(string)) {
	for _, tok := range strings.Fields(s) {
		rs := []rune(tok)
		for n := lo; n <= hi; n++ {
			for i := 0; i+n <= len(rs); i++ {
				f(string(rs[i : i+n]))
			}
		}
	}
}
