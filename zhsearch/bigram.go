package zhsearch

import (
	"strings"
	"unicode"
)

// BigramText is index text made without the segmenter: every
// two-character run of Chinese, the ASCII words and numbers as the
// segmenter would cut them (3.5 → 35), and document numbers. Every Query
// still matches it — a two-character word is a run itself, a longer word
// matches through the runs that make it up — at a tenth of the cost of
// IndexText. Tickets use it: they are listed newest first, so the word
// tokens that sharpen the knowledge base's ranking buy them nothing, and
// ticket text is long and written all day.
func BigramText(text string) string {
	text = Normalize(text)
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return isHan(r) || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.')
	}) {
		if w = clean(w); w != "" {
			out = append(out, w)
		}
	}
	return strings.Join(appendRuns(out, text), " ")
}
