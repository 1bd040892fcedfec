package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"hotline"
	"hotline/demo"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

func relevanceSet(t testing.TB) []demo.RelevanceCase {
	set, err := demo.KBRelevance()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestKB_DemoArticles(t *testing.T) {
	arts, err := demo.KBArticles()
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	kinds := map[hotline.ArticleKind]int{}
	for _, a := range arts {
		if titles[a.Title] {
			t.Errorf("two articles titled %q", a.Title)
		}
		titles[a.Title] = true
		kinds[a.Kind]++
		if err := a.Validate(); err != nil {
			t.Errorf("%q: %v", a.Title, err)
		}
	}
	if len(arts) < 200 || len(kinds) != len(hotline.ArticleKinds) {
		t.Errorf("%d articles, kinds %v", len(arts), kinds)
	}
	set := relevanceSet(t)
	if len(set) < 50 {
		t.Errorf("only %d relevance queries", len(set))
	}
	for _, c := range set {
		for _, title := range c.Titles {
			if !titles[title] {
				t.Errorf("relevance set: no article titled %q", title)
			}
		}
	}
}

// The relevance set over the demo knowledge base, on both databases:
// precision@1 and recall@5 (the expected article among the first five).
func TestKB_Relevance(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db := sqldbtest.Open(t, sqldbtest.DSN(t, d))
			if err := db.SeedCalendar(ctx); err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 11, 27, 10, 0, 0, 0, hotline.ChinaZone)
			if err := demo.Load(ctx, db, demo.Options{Password: "hotline12345", Tickets: 0, Now: now}); err != nil {
				t.Fatal(err)
			}
			agent := hotline.Actor{Role: hotline.RoleCallAgent, Name: "agent"}
			_, total, err := db.SearchArticles(ctx, agent, sqldb.ArticleSearch{})
			if err != nil || total < 200 {
				t.Fatalf("%d published articles (%v)", total, err)
			}
			_, r5 := measure(t, db, d, "relevance", relevanceSet(t))
			if r5 < 0.9 {
				t.Errorf("recall@5 %.3f < 0.9", r5)
			}
			assist, err := demo.KBAssist()
			if err != nil {
				t.Fatal(err)
			}
			ap1, ar5 := measure(t, db, d, "agent assist", assist)
			if ar5 < 0.9 || ap1 < 0.6 {
				t.Errorf("agent assist: precision@1 %.3f, recall@5 %.3f", ap1, ar5)
			}
		})
	}
}

// measure searches every case of a set as an agent, five hits a page, and
// returns precision@1 and recall@5, logging the misses.
func measure(t *testing.T, db *sqldb.DB, dialect, name string, set []demo.RelevanceCase) (p1, r5 float64) {
	t.Helper()
	ctx := context.Background()
	agent := hotline.Actor{Role: hotline.RoleCallAgent, Name: "agent"}
	at1, in5 := 0, 0
	for _, c := range set {
		hits, _, err := db.SearchArticles(ctx, agent, sqldb.ArticleSearch{Q: c.Query, PageSize: 5})
		if err != nil {
			t.Fatalf("%s: %v", c.Query, err)
		}
		found := -1
		var got []string
		for i, h := range hits {
			got = append(got, h.Title)
			if slices.Contains(c.Titles, h.Title) && found < 0 {
				found = i
			}
		}
		switch {
		case found == 0:
			at1++
			in5++
		case found > 0:
			in5++
			t.Logf("%s: expected at %d", c.Query, found+1)
		default:
			t.Logf("%s: missed %q; got %q", c.Query, c.Titles, got)
		}
	}
	p1, r5 = float64(at1)/float64(len(set)), float64(in5)/float64(len(set))
	t.Logf("%s: %s, %d queries: precision@1 %.3f, recall@5 %.3f", dialect, name, len(set), p1, r5)
	return p1, r5
}
