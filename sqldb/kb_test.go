package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
)

// publishArticle writes and publishes an article as the admin.
func (f *fixture) publishArticle(t *testing.T, a *hotline.Article) *hotline.Article {
	t.Helper()
	if a.Kind == "" {
		a.Kind = hotline.ArticleFAQ
	}
	if err := f.DB.CreateArticle(f.Context, f.Actors["admin"], a); err != nil {
		t.Fatal(err)
	}
	if _, err := f.DB.ReviewArticle(f.Context, f.Actors["admin"], a.ID, sqldb.ArticlePublish, ""); err != nil {
		t.Fatal(err)
	}
	return a
}

func hitIDs(hits []*sqldb.ArticleHit) []int64 {
	var out []int64
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func TestKB_SearchChinese(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		noise := f.publishArticle(t, &hotline.Article{Title: "夜间施工噪声扰民的处理", Body: "晚上十点至次日六点禁止产生环境噪声污染的建筑施工作业，居民可向生态环境部门投诉。"})
		heat := f.publishArticle(t, &hotline.Article{Title: "冬季室内温度不达标怎么办", Body: "供暖期间卧室、起居室温度应不低于18℃，暖气不热可向供热企业报修。", Kind: hotline.ArticleService})
		policy := f.publishArticle(t, &hotline.Article{Title: "关于调整城乡居民医疗保险缴费标准的通知", Body: "各县区人民政府：现将2026年度缴费标准通知如下。",
			DocNumber: "萍府办发〔2025〕12号", Kind: hotline.ArticlePolicy})
		etc := f.publishArticle(t, &hotline.Article{Title: "ETC卡办理与注销", Body: "ETC卡可在合作银行网点或App线上办理。"})
		draft := &hotline.Article{Title: "社保卡补办（草稿）", Body: "社保卡遗失后可到任一网点补办。", Kind: hotline.ArticleService}
		if err := f.DB.CreateArticle(f.Context, f.Actors["lead"], draft); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int64{
			"噪音":            noise.ID, // a synonym of 噪声, and two characters
			"噪声":            noise.ID,
			"供暖":            heat.ID,
			"家里暖气不热":        heat.ID, // 暖气 is in the body, 供热 a synonym
			"医保":            policy.ID,
			"萍府办发〔2025〕12号": policy.ID,
			"萍府办发[2025]12号": policy.ID,
			"2025年12号文":     policy.ID,
			"etc":           etc.ID,
			"ＥＴＣ怎么注销":       etc.ID,
		} {
			hits, total, err := f.DB.SearchArticles(f.Context, f.Actors["agent"], sqldb.ArticleSearch{Q: q})
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if total == 0 || hits[0].ID != want {
				t.Errorf("%q: got %v (total %d), want %d first", q, hitIDs(hits), total, want)
			}
			if len(hits) > 0 && (!strings.Contains(hits[0].Snippet, "<mark>") && !strings.Contains(hits[0].Title, strings.ToUpper(q))) {
				t.Logf("%q: snippet without a mark: %s", q, hits[0].Snippet)
			}
		}
		// Drafts are found by editors only, and only when asked for.
		hits, _, _ := f.DB.SearchArticles(f.Context, f.Actors["agent"], sqldb.ArticleSearch{Q: "社保卡"})
		if len(hits) != 0 {
			t.Errorf("an agent found a draft: %v", hitIDs(hits))
		}
		if _, _, err := f.DB.SearchArticles(f.Context, f.Actors["agent"], sqldb.ArticleSearch{Q: "社保卡", Status: "draft"}); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("agent asking for drafts: %v", err)
		}
		hits, _, err := f.DB.SearchArticles(f.Context, f.Actors["lead"], sqldb.ArticleSearch{Q: "社保", Status: "all"})
		if err != nil || len(hits) != 1 || hits[0].ID != draft.ID {
			t.Errorf("lead searching all: %v %v", hitIDs(hits), err)
		}
		// Filters.
		hits, total, err := f.DB.SearchArticles(f.Context, f.Actors["agent"], sqldb.ArticleSearch{Kind: hotline.ArticleService})
		if err != nil || total != 1 || hits[0].ID != heat.ID {
			t.Errorf("kind filter: %v %d %v", hitIDs(hits), total, err)
		}
		if _, _, err := f.DB.SearchArticles(f.Context, f.Actors["agent"], sqldb.ArticleSearch{Kind: "poem"}); hotline.ErrorField(err) != "kind" {
			t.Errorf("bad kind: %v", err)
		}
		if hits, total, err := f.DB.SearchArticles(f.Context, f.Actors["agent"], sqldb.ArticleSearch{Q: "怎么办"}); err != nil || total != 0 || len(hits) != 0 {
			t.Errorf("stop words only: %v %d %v", hitIDs(hits), total, err)
		}
	})
}

func TestKB_VersionsAndReview(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		a := &hotline.Article{Title: "停水报修电话", Body: "供水抢修热线：0799-1234567。", Kind: hotline.ArticleFAQ, CategoryIDs: []int64{f.Cat.ID},
			UnitID: f.Units["px-water"].ID, ReviewOn: "2026-12-01"}
		if err := f.DB.CreateArticle(f.Context, f.Actors["agent"], a); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("agent wrote an article: %v", err)
		}
		if err := f.DB.CreateArticle(f.Context, f.Actors["lead"], &hotline.Article{Title: "x", Body: "y", Kind: "poem"}); hotline.ErrorField(err) != "kind" {
			t.Errorf("bad kind: %v", err)
		}
		if err := f.DB.CreateArticle(f.Context, f.Actors["lead"], &hotline.Article{Title: "x", Body: "y", Kind: hotline.ArticleFAQ, ExpiresOn: "2026-13-01"}); hotline.ErrorField(err) != "expires_on" {
			t.Errorf("bad date: %v", err)
		}
		if err := f.DB.CreateArticle(f.Context, f.Actors["lead"], a); err != nil {
			t.Fatal(err)
		}
		if _, err := f.DB.ReviewArticle(f.Context, f.Actors["lead"], a.ID, sqldb.ArticlePublish, ""); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("a team lead published: %v", err)
		}
		if _, err := f.DB.ReviewArticle(f.Context, f.Actors["lead"], a.ID, sqldb.ArticleSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.DB.ReviewArticle(f.Context, f.Actors["admin"], a.ID, sqldb.ArticleReject, ""); hotline.ErrorField(err) != "note" {
			t.Errorf("reject without a note: %v", err)
		}
		got, err := f.DB.ReviewArticle(f.Context, f.Actors["admin"], a.ID, sqldb.ArticlePublish, "")
		if err != nil || got.Status != hotline.ArticlePublished || got.ReviewerID != f.Actors["admin"].UserID || got.Version != 3 {
			t.Fatalf("publish: %+v %v", got, err)
		}
		// An edit from a stale version is refused; a team lead's edit of a
		// published article goes back to review.
		stale := *a
		stale.Body = "旧版本上的修改"
		if err := f.DB.UpdateArticle(f.Context, f.Actors["lead"], &stale); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("stale update: %v", err)
		}
		cur, _ := f.DB.FindArticle(f.Context, f.Actors["lead"], a.ID)
		cur.Body, cur.Note = "供水抢修热线：0799-7654321（24小时）。", "更换电话"
		if err := f.DB.UpdateArticle(f.Context, f.Actors["lead"], cur); err != nil {
			t.Fatal(err)
		}
		if cur.Status != hotline.ArticleInReview || cur.Version != 4 {
			t.Errorf("after the lead's edit: %s v%d", cur.Status, cur.Version)
		}
		if _, err := f.DB.FindArticle(f.Context, f.Actors["agent"], a.ID); hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("agent reads an article in review: %v", err)
		}
		vs, err := f.DB.FindArticleVersions(f.Context, f.Actors["lead"], a.ID)
		if err != nil || len(vs) != 4 || vs[0].Note != "更换电话" || !strings.Contains(vs[0].Body, "7654321") || !strings.Contains(vs[1].Body, "1234567") {
			t.Errorf("versions %v %v", len(vs), err)
		}
		// The review queue: the article in review, and a published one whose
		// review date has come.
		old := f.publishArticle(t, &hotline.Article{Title: "旧政策", Body: "已到期的政策。", ExpiresOn: "2026-11-01"})
		q, err := f.DB.ReviewQueue(f.Context, f.Actors["lead"], "2026-11-23", 50)
		if err != nil || len(q) != 2 || q[0].ID != a.ID || q[1].ID != old.ID || q[1].Why != "已过失效日期" {
			t.Errorf("review queue %v %v", q, err)
		}
		// The month's upkeep and the direct-answer rate.
		tk := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Consult, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
			Title: "停水报修电话", Content: "问停水报修电话", Requester: hotline.Requester{Name: "李四", Phone: "13800001111"},
			Location: hotline.Location{Address: "安源区"}}
		if err := f.DB.CreateTicket(f.Context, f.Actors["agent"], tk, false); err != nil {
			t.Fatal(err)
		}
		f.NewTicket(t, "13800002222", true)
		if err := f.DB.LinkArticle(f.Context, f.Actors["agent"], tk.ID, old.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.DB.ReviewArticle(f.Context, f.Actors["admin"], old.ID, sqldb.ArticleRetire, "政策到期"); err != nil {
			t.Fatal(err)
		}
		f.Do(t, "agent", tk.ID, hotline.Command{Action: hotline.ActionResolveOnCall, Content: "报修电话0799-7654321"})
		m, err := f.DB.KBMonthStats(f.Context, "2026-11")
		if err != nil || m.Added != 2 || m.Retired != 1 || m.Accepted != 2 || m.DirectAnswered != 1 || m.DirectRate != 0.5 {
			t.Errorf("month %+v %v", m, err)
		}
		f.Clock.Advance(40 * 24 * time.Hour)
		if m, _ := f.DB.KBMonthStats(f.Context, "2026-12"); m.Added != 0 || m.Published != 0 {
			t.Errorf("next month %+v", m)
		}
	})
}
