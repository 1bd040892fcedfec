package demo_test

import (
	"bufio"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/demo"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// relevanceCase is a caller's words and the articles that answer them.
type relevanceCase struct {
	query  string
	titles []string
}

func relevanceSet(t testing.TB) []relevanceCase {
	f, err := os.Open("kb_relevance.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []relevanceCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			q, title, ok := strings.Cut(l, "\t")
			if !ok {
				t.Fatalf("kb_relevance.txt: %q has no tab", l)
			}
			out = append(out, relevanceCase{q, strings.Split(title, "|")})
		}
	}
	return out
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
		for _, title := range c.titles {
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
			set := relevanceSet(t)
			at1, in5 := 0, 0
			for _, c := range set {
				hits, _, err := db.SearchArticles(ctx, agent, sqldb.ArticleSearch{Q: c.query, PageSize: 5})
				if err != nil {
					t.Fatalf("%s: %v", c.query, err)
				}
				found := -1
				var got []string
				for i, h := range hits {
					got = append(got, h.Title)
					if slices.Contains(c.titles, h.Title) && found < 0 {
						found = i
					}
				}
				switch {
				case found == 0:
					at1++
					in5++
				case found > 0:
					in5++
					t.Logf("%s: expected at %d", c.query, found+1)
				default:
					t.Logf("%s: missed %q; got %q", c.query, c.titles, got)
				}
			}
			p1, r5 := float64(at1)/float64(len(set)), float64(in5)/float64(len(set))
			t.Logf("%s: %d queries over %d articles: precision@1 %.3f, recall@5 %.3f", d, len(set), total, p1, r5)
			if r5 < 0.9 {
				t.Errorf("recall@5 %.3f < 0.9", r5)
			}
		})
	}
}
