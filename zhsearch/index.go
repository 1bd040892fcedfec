package zhsearch

import (
	"math"
	"slices"
	"sync"
)

// Index is an in-memory inverted index that ranks like SQLite FTS5's
// bm25() with the title weighted TitleWeight, the body 1 and the tags 0
// (k1 = 1.2, b = 0.75, idf = ln((N − n + ½)/(n + ½)), documents of every
// status counted in N, n and the average length). The databases keep the
// full-text index; this copy of it answers the searches of a big
// knowledge base, because a database ranks by walking every posting of a
// common word (社保 is in a quarter of the articles) and this walks them
// a hundred times faster. It is safe for concurrent use.
type Index struct {
	mu       sync.RWMutex
	terms    map[string]int32
	lists    []postings
	docs     []indexDoc
	byID     map[int64]int32
	live     int
	totalLen int64
}

// TitleWeight is how much more a title token counts than a body token.
const TitleWeight = 8

type postings struct {
	doc []int32  // internal document numbers, ascending
	f   []uint16 // weighted frequency: TitleWeight × in title + in body
}

type indexDoc struct {
	id     int64
	length int32
	alive  bool
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{terms: map[string]int32{}, byID: map[int64]int32{}}
}

// Len is the number of documents in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}

// Garbage is the number of replaced documents whose postings are still
// kept; rebuild the index when it grows past Len.
func (x *Index) Garbage() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.docs) - x.live
}

// Put adds the document id, or replaces it: its title, body and tag
// tokens as FTS5 would cut the stored index text.
func (x *Index) Put(id int64, title, body, tags []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if old, ok := x.byID[id]; ok && x.docs[old].alive {
		x.docs[old].alive = false
		x.live--
		x.totalLen -= int64(x.docs[old].length)
	}
	n := int32(len(x.docs))
	length := int32(len(title) + len(body) + len(tags))
	x.docs = append(x.docs, indexDoc{id: id, length: length, alive: true})
	x.byID[id] = n
	x.live++
	x.totalLen += int64(length)
	freq := map[string]int{}
	for _, t := range title {
		freq[t] += TitleWeight
	}
	for _, t := range body {
		freq[t]++
	}
	for _, t := range tags {
		freq[t] += 0 // present, weighing nothing
	}
	for t, f := range freq {
		k, ok := x.terms[t]
		if !ok {
			k = int32(len(x.lists))
			x.terms[t] = k
			x.lists = append(x.lists, postings{})
		}
		p := &x.lists[k]
		p.doc = append(p.doc, n)
		p.f = append(p.f, uint16(min(f, math.MaxUint16)))
	}
}

// Hit is a document found and its score.
type Hit struct {
	ID    int64
	Score float64
}

// Search finds the documents that have every required token, none of the
// excluded ones, and the query's groups: all of them if that finds at
// least enough documents, else any two, else any one (Relax). It returns the page [offset, offset+limit) of them by
// score (ties by id) and how many there are, counted up to maxTotal.
func (x *Index) Search(q Query, required, excluded []string, enough, offset, limit, maxTotal int) ([]Hit, int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(q.Groups) == 0 || x.live == 0 {
		return nil, 0
	}
	nd := len(x.docs)
	sc := x.scratch(nd, len(q.Groups))
	defer scratchPool.Put(sc)
	// ok: the documents the filters let through.
	ok := sc.ok
	for i, d := range x.docs {
		ok[i] = d.alive
	}
	for _, t := range required {
		k, found := x.terms[t]
		if !found {
			return nil, 0
		}
		has := sc.in
		for _, d := range x.lists[k].doc {
			has[d] = true
		}
		for i := range ok {
			ok[i] = ok[i] && has[i]
		}
		clear(has)
	}
	for _, t := range excluded {
		if k, found := x.terms[t]; found {
			for _, d := range x.lists[k].doc {
				ok[d] = false
			}
		}
	}
	// Per group, the documents with all tokens of one of its alternatives
	// and, per alternative, which matched; partial[g][d] the group's BM25
	// part: FTS5 counts a token only where its alternative matched.
	avgdl := float64(x.totalLen) / float64(x.live)
	matched, count := sc.matched, sc.count
	partial := sc.part
	for g, group := range q.Groups {
		in, part := sc.in, partial[g]
		for _, alt := range group {
			lists := make([]*postings, 0, len(alt))
			for _, t := range alt {
				k, found := x.terms[t]
				if !found {
					lists = nil
					break
				}
				lists = append(lists, &x.lists[k])
			}
			if len(lists) == 0 {
				continue
			}
			for _, p := range lists {
				for _, d := range p.doc {
					if ok[d] {
						count[d]++
					}
				}
			}
			for _, p := range lists {
				idf := x.idf(p)
				for j, d := range p.doc {
					if int(count[d]) != len(lists) {
						continue
					}
					in[d] = true
					f := float64(p.f[j])
					dl := float64(x.docs[d].length)
					part[d] += idf * f * 2.2 / (f + 1.2*(0.25+0.75*dl/avgdl))
				}
			}
			for _, p := range lists {
				for _, d := range p.doc {
					count[d] = 0
				}
			}
		}
		for d, yes := range in {
			if yes {
				matched[d]++
			}
		}
		clear(in)
	}
	need, total, _ := Relax(len(q.Groups), enough, func(need int) (int, error) {
		return countAtLeast(matched, need, maxTotal), nil
	})
	// Between one and all groups, FTS5's query repeats each group once
	// for every combination of the others: a document with m groups
	// counts each C(m−1, need−1) times.
	// The best offset+limit, kept in a heap whose root is the worst of
	// them: sorting every match of a common word would cost more than
	// scoring them.
	k := offset + limit
	top := make([]Hit, 0, k)
	for d, m := range matched {
		if int(m) < need {
			continue
		}
		var s float64
		for g := range q.Groups {
			s += partial[g][d]
		}
		if need > 1 && need < len(q.Groups) {
			s *= float64(binomial(int(m)-1, need-1))
		}
		h := Hit{ID: x.docs[d].id, Score: s}
		switch {
		case len(top) < k:
			top = append(top, h)
			up(top, len(top)-1)
		case k > 0 && better(h, top[0]):
			top[0] = h
			down(top, 0)
		}
	}
	slices.SortFunc(top, func(a, b Hit) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	if offset >= len(top) {
		return nil, total
	}
	return top[offset:], total
}

// better orders hits: higher score first, then lower id (as the database
// orders them).
func better(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.ID < b.ID
}

// up and down keep h a heap with the worst hit at the root.
func up(h []Hit, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !better(h[p], h[i]) {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func down(h []Hit, i int) {
	for {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && better(h[w], h[l]) {
			w = l
		}
		if r < len(h) && better(h[w], h[r]) {
			w = r
		}
		if w == i {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// scratch holds a search's per-document arrays, reused across searches
// (a 100,000-article base would otherwise allocate megabytes a query).
type scratch struct {
	ok, in         []bool
	matched, count []uint8
	part           [][]float64
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// scratch returns cleared arrays for nd documents and groups groups.
func (x *Index) scratch(nd, groups int) *scratch {
	sc := scratchPool.Get().(*scratch)
	sc.ok = resize(sc.ok, nd)
	sc.in = resize(sc.in, nd)
	sc.matched = resize(sc.matched, nd)
	sc.count = resize(sc.count, nd)
	for len(sc.part) < groups {
		sc.part = append(sc.part, nil)
	}
	for g := range groups {
		sc.part[g] = resize(sc.part[g], nd)
	}
	return sc
}

// resize returns s with length n, cleared.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// Relax chooses how many of a query's groups a document must have: all
// of them if count finds at least enough documents so, else any two,
// else any one. It returns that number and its count.
func Relax(groups, enough int, count func(need int) (int, error)) (need, total int, err error) {
	need = groups
	total, err = count(need)
	for err == nil && total < enough && need > 1 {
		if need = min(need-1, 2); need > 1 && groups <= 2 {
			need = 1
		}
		total, err = count(need)
	}
	return need, total, err
}

// idf is FTS5's: over the live documents with the token.
func (x *Index) idf(p *postings) float64 {
	n := 0
	for _, d := range p.doc {
		if x.docs[d].alive {
			n++
		}
	}
	idf := math.Log((float64(x.live) - float64(n) + 0.5) / (float64(n) + 0.5))
	if idf <= 0 {
		idf = 1e-6
	}
	return idf
}

func countAtLeast(matched []uint8, need, limit int) int {
	n := 0
	for _, m := range matched {
		if int(m) >= need {
			if n++; n >= limit {
				break
			}
		}
	}
	return n
}

func binomial(n, k int) int {
	if k < 0 || k > n {
		return 0
	}
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

// Matches reports whether some document has every token of one of the
// group's alternatives: a word no document has is left out of a query
// (Query.Select).
func (x *Index) Matches(g Group) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, alt := range g {
		lists := make([][]int32, 0, len(alt))
		for _, t := range alt {
			k, found := x.terms[t]
			if !found {
				lists = nil
				break
			}
			lists = append(lists, x.lists[k].doc)
		}
		if len(lists) == 0 {
			continue
		}
		slices.SortFunc(lists, func(a, b []int32) int { return len(a) - len(b) })
	docs:
		for _, d := range lists[0] {
			if !x.docs[d].alive {
				continue
			}
			for _, l := range lists[1:] {
				if _, found := slices.BinarySearch(l, d); !found {
					continue docs
				}
			}
			return true
		}
	}
	return false
}
