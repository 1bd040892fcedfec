package zhsearch

import (
	"html"
	"strings"
)

// A Span is a piece of a snippet; Hit marks a query term.
type Span struct {
	Text string
	Hit  bool
}

// normRunes normalises text rune by rune, so that positions in the result
// are positions in the original.
func normRunes(text []rune) []rune {
	out := make([]rune, len(text))
	for i, r := range text {
		n := []rune(Normalize(string(r)))
		out[i] = r
		if len(n) == 1 {
			out[i] = n[0]
		}
	}
	return out
}

// Snippet cuts the part of text, about size characters long, with the most
// query terms in it, and marks the terms. Without any term it is the
// beginning of the text.
func Snippet(text string, terms []string, size int) []Span {
	orig := []rune(strings.Join(strings.Fields(text), " "))
	norm := normRunes(orig)
	hit := make([]int, len(orig)) // which term (1-based) covers each rune
	for ti, t := range terms {
		tr := []rune(Normalize(t))
		if len(tr) == 0 {
			continue
		}
		for i := 0; i+len(tr) <= len(norm); i++ {
			if hit[i] == 0 && string(norm[i:i+len(tr)]) == string(tr) {
				for j := i; j < i+len(tr); j++ {
					hit[j] = ti + 1
				}
				i += len(tr) - 1
			}
		}
	}
	start := 0
	if len(orig) > size {
		best := -1
		for i := range orig {
			if hit[i] == 0 || (i > 0 && hit[i-1] == hit[i]) {
				continue
			}
			from := max(0, i-size/5)
			seen := map[int]bool{}
			for j := from; j < min(len(orig), from+size); j++ {
				if hit[j] != 0 {
					seen[hit[j]] = true
				}
			}
			if len(seen) > best {
				best, start = len(seen), from
			}
		}
	}
	end := min(len(orig), start+size)
	var out []Span
	if start > 0 {
		out = append(out, Span{Text: "…"})
	}
	for i := start; i < end; {
		j := i
		for j < end && (hit[j] != 0) == (hit[i] != 0) {
			j++
		}
		out = append(out, Span{Text: string(orig[i:j]), Hit: hit[i] != 0})
		i = j
	}
	if end < len(orig) {
		out = append(out, Span{Text: "…"})
	}
	return out
}

// SnippetHTML is Snippet as escaped HTML with the terms in <mark>.
func SnippetHTML(text string, terms []string, size int) string {
	var b strings.Builder
	for _, s := range Snippet(text, terms, size) {
		if s.Hit {
			b.WriteString("<mark>" + html.EscapeString(s.Text) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(s.Text))
		}
	}
	return b.String()
}
