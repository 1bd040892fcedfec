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
	norm := string(normRunes(orig))
	// runeAt maps the byte offset of each rune of norm to its index.
	runeAt := make([]int32, len(norm)+1)
	ri := int32(0)
	for i := range norm {
		runeAt[i] = ri
		ri++
	}
	runeAt[len(norm)] = ri
	hit := make([]int, len(orig)) // which term (1-based) covers each rune
	for ti, t := range terms {
		t = Normalize(t)
		if t == "" {
			continue
		}
		n := len([]rune(t))
		for off := 0; ; {
			i := strings.Index(norm[off:], t)
			if i < 0 {
				break
			}
			start := int(runeAt[off+i])
			free := true
			for j := start; j < start+n; j++ {
				free = free && hit[j] == 0
			}
			if free {
				for j := start; j < start+n; j++ {
					hit[j] = ti + 1
				}
			}
			off += i + len(t)
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
			seen := 0
			var mask uint64
			for j := from; j < min(len(orig), from+size); j++ {
				if h := hit[j]; h != 0 && h <= 64 && mask&(1<<(h-1)) == 0 {
					mask |= 1 << (h - 1)
					seen++
				}
			}
			if seen > best {
				best, start = seen, from
			}
			if best == len(terms) {
				break
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
