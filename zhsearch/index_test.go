package zhsearch

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestIndex_PutSearchReplace(t *testing.T) {
	x := NewIndex()
	x.Put(1, []string{"社保", "补办"}, []string{"社保", "卡", "补办", "网点"}, []string{"zzkindfaq"})
	x.Put(2, []string{"公积金"}, []string{"社保", "公积金", "提取"}, []string{"zzkindservice"})
	x.Put(3, []string{"供暖"}, []string{"暖气", "不热"}, []string{"zzkindfaq", "zzunpublished"})
	q := Query{Groups: []Group{{{"社保"}}}}
	hits, total := x.Search(q, nil, nil, 1, 0, 10, 100)
	if total != 2 || len(hits) != 2 || hits[0].ID != 1 {
		t.Fatalf("社保: %v of %d, want 1 (in its title) first", hits, total)
	}
	// The score is FTS5's bm25: N = 3, n = 2, avgdl = 17/3.
	idf := math.Log((3 - 2 + 0.5) / (2 + 0.5))
	if idf <= 0 {
		idf = 1e-6
	}
	f, dl, avg := 8.0+1, 7.0, 17.0/3
	if want := idf * f * 2.2 / (f + 1.2*(0.25+0.75*dl/avg)); math.Abs(hits[0].Score-want) > 1e-12 {
		t.Errorf("score %g, want %g", hits[0].Score, want)
	}
	if hits, _ := x.Search(q, []string{"zzkindservice"}, nil, 1, 0, 10, 100); len(hits) != 1 || hits[0].ID != 2 {
		t.Errorf("required tag: %v", hits)
	}
	if hits, _ := x.Search(Query{Groups: []Group{{{"暖气"}}}}, nil, []string{"zzunpublished"}, 1, 0, 10, 100); len(hits) != 0 {
		t.Errorf("excluded tag: %v", hits)
	}
	// Two groups, one article with both: found alone; without enough,
	// either word is enough.
	two := Query{Groups: []Group{{{"社保"}}, {{"提取"}}}}
	if hits, total := x.Search(two, nil, nil, 1, 0, 10, 100); total != 1 || hits[0].ID != 2 {
		t.Errorf("all words: %v of %d", hits, total)
	}
	if _, total := x.Search(two, nil, nil, 5, 0, 10, 100); total != 2 {
		t.Errorf("relaxed to any word: %d", total)
	}
	// An alternative's tokens must all be there.
	if _, total := x.Search(Query{Groups: []Group{{{"社保", "提取"}}}}, nil, nil, 1, 0, 10, 100); total != 1 {
		t.Errorf("alternative of two tokens: %d", total)
	}
	// Replacing a document: old words no longer find it.
	x.Put(1, []string{"医保"}, []string{"医保", "报销"}, nil)
	if _, total := x.Search(q, nil, nil, 1, 0, 10, 100); total != 1 {
		t.Errorf("after replacing: 社保 in %d", total)
	}
	if x.Len() != 3 || x.Garbage() != 1 {
		t.Errorf("len %d, garbage %d", x.Len(), x.Garbage())
	}
	// Pages and the cap on the total.
	if hits, total := x.Search(Query{Groups: []Group{{{"医保"}, {"社保"}}}}, nil, nil, 1, 1, 10, 1); len(hits) != 1 || total != 1 {
		t.Errorf("second page %v, capped total %d", hits, total)
	}
}

// Pages taken from the heap of the best hits equal the pages of a full
// sort.
func TestIndex_PagesEqualFullSort(t *testing.T) {
	x := NewIndex()
	words := []string{"社保", "医保", "公积金", "供暖", "噪声", "物业"}
	rng := rand.New(rand.NewPCG(3, 4))
	for id := int64(1); id <= 500; id++ {
		var title, body []string
		for range 1 + rng.IntN(3) {
			title = append(title, words[rng.IntN(len(words))])
		}
		for range 5 + rng.IntN(40) {
			body = append(body, words[rng.IntN(len(words))])
		}
		x.Put(id, title, body, nil)
	}
	q := Query{Groups: []Group{{{"社保"}, {"医保"}}, {{"供暖"}}}}
	all, total := x.Search(q, nil, nil, 1, 0, 1000, 1000)
	if len(all) != total || total < 100 {
		t.Fatalf("%d hits of %d", len(all), total)
	}
	if !slices.IsSortedFunc(all, func(a, b Hit) int {
		if better(a, b) {
			return -1
		}
		return 1
	}) {
		t.Fatal("hits not in order")
	}
	for _, page := range [][2]int{{0, 10}, {10, 10}, {95, 10}, {total - 3, 10}} {
		got, _ := x.Search(q, nil, nil, 1, page[0], page[1], 1000)
		want := all[page[0]:min(page[0]+page[1], len(all))]
		if !slices.Equal(got, want) {
			t.Errorf("page %v: %v, want %v", page, got, want)
		}
	}
}

func TestIndex_MatchesAndSelect(t *testing.T) {
	x := NewIndex()
	x.Put(1, []string{"停水", "通知"}, []string{"供水", "恢复", "自来", "来水"}, nil)
	x.Put(2, []string{"安源区", "公积金"}, []string{"地址"}, nil)
	x.Put(3, []string{"凤凰街"}, nil, nil)
	x.Put(3, []string{"路灯"}, nil, nil) // replaced: 凤凰街 is gone
	for _, c := range []struct {
		g    Group
		want bool
	}{
		{Group{{"停水"}}, true},
		{Group{{"凤凰街"}}, false},
		{Group{{"没有"}, {"供水"}}, true},
		{Group{{"自来", "来水"}}, true},
		{Group{{"自来", "地址"}}, false}, // both tokens, not in one document
	} {
		if got := x.Matches(c.g); got != c.want {
			t.Errorf("Matches(%v) = %v", c.g, got)
		}
	}
	a, err := New(testDict, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := a.QueryAll("安源区凤凰街小区停水，请自来水公司尽快恢复供水")
	if len(all.Groups) <= MaxGroups {
		t.Fatalf("want a long question, got %d groups", len(all.Groups))
	}
	q := all.Select(MaxGroups, x.Matches, nil)
	for _, g := range q.Groups {
		if !x.Matches(g) {
			t.Errorf("kept a word no document has: %v", g)
		}
	}
	if len(q.Groups) == 0 || len(q.Groups) > MaxGroups {
		t.Errorf("%d groups kept", len(q.Groups))
	}
	// Nothing matches anywhere: the question is kept as the language
	// would have it (and finds nothing).
	if none := all.Select(MaxGroups, func(Group) bool { return false }, nil); len(none.Groups) != MaxGroups {
		t.Errorf("%d groups kept when none matches", len(none.Groups))
	}
	// Place names only when slots are left: of the six words that match,
	// 安源区 is the rarest in the language but yields to the problem.
	x.Put(4, []string{"安源区", "凤凰街", "小区", "停水", "供水", "自来水"}, nil, nil)
	place := func(g Group) bool { return g[0][0] == "安源区" || g[0][0] == "凤凰街" }
	withPlace := all.Select(MaxGroups, x.Matches, nil)
	without := all.Select(MaxGroups, x.Matches, place)
	if !slices.ContainsFunc(withPlace.Groups, place) || slices.ContainsFunc(without.Groups, place) || len(without.Groups) != MaxGroups {
		t.Errorf("places: kept %v, without them %v", withPlace.Groups, without.Groups)
	}
	if short := a.QueryAll("安源区停水").Select(MaxGroups, x.Matches, place); !slices.ContainsFunc(short.Groups, place) {
		t.Errorf("a short question loses its place: %v", short.Groups)
	}
	if plain := a.Query("安源区凤凰街小区停水，请自来水公司尽快恢复供水"); len(plain.Groups) != MaxGroups {
		t.Errorf("Query keeps %d groups", len(plain.Groups))
	}
}
