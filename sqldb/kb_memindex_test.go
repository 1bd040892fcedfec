package sqldb_test

import (
	"math"
	"slices"
	"testing"

	"hotline"
	"hotline/demo"
	"hotline/sqldb"
)

// The in-memory index finds what the database's index finds, with the
// same totals; on SQLite it also ranks exactly as FTS5's bm25() (the
// formula it copies), article for article.
func TestKB_MemoryIndexMatchesDatabase(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		seeds, err := demo.KBArticles()
		if err != nil {
			t.Fatal(err)
		}
		var arts []*hotline.Article
		for _, s := range seeds {
			a := s.Article
			arts = append(arts, &a)
		}
		if err := f.DB.ImportArticles(f.Context, f.Actors["admin"], arts[:150], true, nil); err != nil {
			t.Fatal(err)
		}
		// Drafts: found only when editors ask for every status.
		if err := f.DB.ImportArticles(f.Context, f.Actors["admin"], arts[150:], false, nil); err != nil {
			t.Fatal(err)
		}
		set, err := demo.KBRelevance()
		if err != nil {
			t.Fatal(err)
		}
		searches := []sqldb.ArticleSearch{{}, {Kind: hotline.ArticleFAQ}, {Status: "all"}, {Page: 2}}
		compared := 0
		for _, c := range set {
			for _, s := range searches {
				s.Q, s.PageSize = c.Query, 5
				f.DB.SetKBMemory(true)
				mem, memTotal, err := f.DB.SearchArticles(f.Context, f.Actors["admin"], s)
				if err != nil {
					t.Fatal(err)
				}
				f.DB.SetKBMemory(false)
				db, dbTotal, err := f.DB.SearchArticles(f.Context, f.Actors["admin"], s)
				if err != nil {
					t.Fatal(err)
				}
				if memTotal != dbTotal || len(mem) != len(db) {
					t.Errorf("%q %+v: memory %d of %d, database %d of %d", c.Query, s, len(mem), memTotal, len(db), dbTotal)
					continue
				}
				compared += len(mem)
				if f.DB.Dialect() != "sqlite" {
					continue
				}
				for i := range mem {
					if mem[i].ID != db[i].ID || math.Abs(mem[i].Score-db[i].Score) > 1e-6*math.Abs(db[i].Score) {
						t.Errorf("%q %+v: #%d memory %d (%.6f), database %d (%.6f)", c.Query, s, i+1, mem[i].ID, mem[i].Score, db[i].ID, db[i].Score)
						break
					}
				}
			}
		}
		if compared < len(set)*5 {
			t.Errorf("only %d results compared", compared)
		}
	})
}

// An article saved through one server is searched as saved through
// another at once: each checks the change mark before it searches.
func TestKB_MemoryIndexFollowsChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		other := MustOpenDB(t, f.DSN, f.Clock)
		agent := f.Actors["agent"]
		find := func(q string) []int64 {
			t.Helper()
			hits, _, err := other.SearchArticles(f.Context, agent, sqldb.ArticleSearch{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			return hitIDs(hits)
		}
		if got := find("上牌"); len(got) != 0 { // loads the (empty) index
			t.Fatalf("empty base found %v", got)
		}
		a := f.publishArticle(t, &hotline.Article{Title: "电动车上牌办理", Body: "电动自行车需到交警部门登记上牌。"})
		if got := find("上牌"); !slices.Equal(got, []int64{a.ID}) {
			t.Fatalf("after publishing: %v, want [%d]", got, a.ID)
		}
		a, err := f.DB.FindArticle(f.Context, f.Actors["admin"], a.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Title, a.Body, a.Note = "燃气灶维修", "燃气灶打不着火可联系燃气公司上门维修。", "改题"
		if err := f.DB.UpdateArticle(f.Context, f.Actors["admin"], a); err != nil {
			t.Fatal(err)
		}
		if got := find("上牌"); len(got) != 0 {
			t.Errorf("old words still find %v", got)
		}
		if got := find("燃气灶"); !slices.Equal(got, []int64{a.ID}) {
			t.Errorf("new words: %v", got)
		}
		if _, err := f.DB.ReviewArticle(f.Context, f.Actors["admin"], a.ID, sqldb.ArticleRetire, "过时"); err != nil {
			t.Fatal(err)
		}
		if got := find("燃气灶"); len(got) != 0 {
			t.Errorf("retired article found: %v", got)
		}
	})
}

func TestTSVectorLexemes(t *testing.T) {
	got := sqldb.TSVectorLexemes(`'2025年12号' 'it''s' 'a\\b' '社保'`)
	want := []string{"2025年12号", "it's", `a\b`, "社保"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
