package zhsearch

import (
	"sort"
	"strings"
)

// stopWords carry no meaning in a caller's question.
var stopWords = wordSet(`怎么 怎么办 怎样 如何 什么 哪里 哪儿 哪些 哪个 请问 你好 您好 我 我们 我家 你们 他们 的 了 吗 呢 吧 啊 是 在 有 没有 和 与 及 或 要 能 能不能 可以 可不可以 需要 想 想问 问 一下 多少 几 这个 那个 这 那 就 都 也 还 又 被 把 给 对 向 让 为什么 为何 是否 相关 有关 问题 情况 咨询 反映 投诉 求助 举报 建议`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// Group is one part of a query: a document matches it when it has any of
// the alternatives, and an alternative is a list of tokens that must all
// be present.
type Group [][]string

// Query is an analysed query; Terms are the words to highlight.
type Query struct {
	Groups []Group
	Terms  []string

	freqs []float64 // each group's word's frequency in gse's dictionary
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.Groups) == 0 }

// Query analyses a search: its words without stop words, each with its
// synonyms and, for words of three or more characters, the two-character
// runs that make them up; ASCII words and numbers as they are; a document
// number as its token plus the characters of its issuer. Of a long
// question it keeps the MaxGroups words that are rarest in the language.
func (a *Analyzer) Query(q string) Query { return a.QueryAll(q).Select(MaxGroups, nil, nil) }

// QueryAll is Query keeping every word; Select then picks the words to
// search for.
func (a *Analyzer) QueryAll(q string) Query {
	q = Normalize(q)
	var out Query
	var freqs []float64 // how common each group's word is (gse's dictionary frequency)
	seen := map[string]bool{}
	add := func(g Group, terms ...string) {
		key := ""
		for _, alt := range g {
			key += strings.Join(alt, "+") + "|"
		}
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		out.Groups = append(out.Groups, g)
		out.Terms = append(out.Terms, terms...)
		a.dict.mu.RLock()
		f, _, _ := a.seg.Find(terms[0])
		a.dict.mu.RUnlock()
		freqs = append(freqs, f)
	}
	for _, m := range docNumber.FindAllStringSubmatchIndex(q, -1) {
		tok := q[m[2]:m[3]] + "年" + q[m[4]:m[5]] + "号"
		alt := []string{tok}
		// The issuer's code just before the number (萍府办发): its last
		// characters as two-character runs, to tell issuers apart.
		prefix := []rune(q[:m[0]])
		start := len(prefix)
		for start > 0 && isHan(prefix[start-1]) && len(prefix)-start < 6 {
			start--
		}
		issuer := prefix[start:]
		for i := 0; i+1 < len(issuer); i++ {
			alt = append(alt, string(issuer[i:i+2]))
		}
		add(Group{alt}, string(issuer)+q[m[0]:m[1]])
	}
	a.dict.mu.RLock()
	words := a.seg.Cut(q, true)
	a.dict.mu.RUnlock()
	for _, w := range words {
		w = clean(w)
		r := []rune(w)
		if w == "" || stopWords[w] || (len(r) == 1 && isHan(r[0])) {
			continue
		}
		if !isHan(r[0]) {
			add(Group{{w}}, w)
			continue
		}
		var g Group
		terms := []string{w}
		alts := union([]string{w}, a.synonyms[w])
		if len(r) >= 3 {
			// 放鞭炮: the synonyms of the words inside (鞭炮 → 烟花爆竹).
			a.dict.mu.RLock()
			subs := a.seg.CutSearch(w, true)
			a.dict.mu.RUnlock()
			for _, sub := range subs {
				if sub != w && len([]rune(sub)) >= 2 {
					for _, syn := range a.synonyms[sub] {
						if syn != sub {
							alts = union(alts, []string{syn})
						}
					}
				}
			}
		}
		for _, s := range alts {
			g = append(g, []string{s})
			if s != w {
				terms = append(terms, s)
			}
			// The word as its two-character runs, in case the text was
			// cut differently (住房公积金 inside a longer word).
			if sr := []rune(s); len(sr) >= 3 {
				var bigrams []string
				for i := 0; i+1 < len(sr); i++ {
					bigrams = append(bigrams, string(sr[i:i+2]))
				}
				g = append(g, bigrams)
			}
		}
		add(g, terms...)
	}
	out.freqs = freqs
	sort.SliceStable(out.Terms, func(i, j int) bool { return len(out.Terms[i]) > len(out.Terms[j]) })
	return out
}

// Select keeps at most n groups. Groups that found says match no document
// go first (when some other group does match): an appeal's street name or
// a word no article has would only stop "all words" from matching. Of the
// rest, long questions keep the n rarest words in the language — the
// engines pay for every group, and common words (办理, 需要) say little —
// but words for which minor is true (the names of the city's districts and
// townships: an appeal names its place, and many articles name places)
// only when slots are left. found and minor may be nil.
func (q Query) Select(n int, found, minor func(Group) bool) Query {
	keep := make([]int, 0, len(q.Groups))
	for i, g := range q.Groups {
		if found == nil || found(g) {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		for i := range q.Groups {
			keep = append(keep, i)
		}
	}
	if len(keep) > n {
		isMinor := map[int]bool{}
		if minor != nil {
			for _, i := range keep {
				isMinor[i] = minor(q.Groups[i])
			}
		}
		sort.SliceStable(keep, func(i, j int) bool {
			a, b := keep[i], keep[j]
			if isMinor[a] != isMinor[b] {
				return !isMinor[a]
			}
			return q.freqs[a] < q.freqs[b]
		})
		keep = keep[:n]
		sort.Ints(keep)
	}
	if len(keep) == len(q.Groups) {
		return q
	}
	out := Query{Terms: q.Terms}
	for _, i := range keep {
		out.Groups = append(out.Groups, q.Groups[i])
		out.freqs = append(out.freqs, q.freqs[i])
	}
	return out
}

// MaxGroups is how many words of a query are searched for at most.
const MaxGroups = 4

// FTS5 writes the query in SQLite FTS5 syntax: a document must match at
// least need of the groups (need ≥ len(Groups): all of them; 1: any);
// within a group, alternatives are joined with OR and the tokens of an
// alternative with AND. Every required token (a filter) must be present.
func (q Query) FTS5(need int, required ...string) string {
	return q.write(need, required, `"`, " AND ", " OR ")
}

// TSQuery writes the query as a tsquery literal (lexemes quoted, as
// to_tsvector('simple', …) stores them), matching like FTS5.
func (q Query) TSQuery(need int, required ...string) string {
	return q.write(need, required, "'", " & ", " | ")
}

// write is FTS5 and TSQuery: tokens between quote, joined by and and or.
func (q Query) write(need int, required []string, quote, and, or string) string {
	groups := make([]string, len(q.Groups))
	for i, g := range q.Groups {
		var alts []string
		for _, alt := range g {
			var toks []string
			for _, t := range alt {
				toks = append(toks, quote+t+quote)
			}
			alts = append(alts, "("+strings.Join(toks, and)+")")
		}
		groups[i] = "(" + strings.Join(alts, or) + ")"
	}
	out := "(" + atLeast(groups, need, and, or) + ")"
	for _, r := range required {
		out += and + quote + clean(r) + quote
	}
	return out
}

// atLeast writes "at least need of the groups": every combination of need
// groups joined by and, the combinations by or.
func atLeast(groups []string, need int, and, or string) string {
	need = min(max(need, 1), len(groups))
	if need == 1 {
		return strings.Join(groups, or)
	}
	if need == len(groups) {
		return strings.Join(groups, and)
	}
	var combos []string
	var pick func(start int, chosen []string)
	pick = func(start int, chosen []string) {
		if len(chosen) == need {
			combos = append(combos, "("+strings.Join(chosen, and)+")")
			return
		}
		for i := start; i < len(groups); i++ {
			pick(i+1, append(chosen, groups[i]))
		}
	}
	pick(0, nil)
	return strings.Join(combos, or)
}

// TSQueries writes each group as its own query for to_tsquery('simple',
// …), for ranking group by group.
func (q Query) TSQueries() []string {
	var out []string
	for _, g := range q.Groups {
		out = append(out, Query{Groups: []Group{g}}.TSQuery(1))
	}
	return out
}
