package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"hotline"
)

func TestAPI_KnowledgeBase(t *testing.T) {
	e := MustServer(t)
	article := map[string]any{"title": "夜间施工噪声扰民的处理", "kind": "faq", "doc_number": "萍环发〔2025〕7号",
		"body":   "晚上十点至次日六点禁止产生**环境噪声污染**的建筑施工作业，居民可向生态环境部门投诉。",
		"answer": "晚上十点后施工可以投诉。", "category_ids": []int64{e.cat}, "unit_id": e.units["px"]}
	var bad apiError
	json.Unmarshal(e.call("agent", "POST", "/api/v1/kb/articles", article, 403, nil), &bad)
	if !strings.Contains(bad.Error.Message, "无权编辑知识库") {
		t.Errorf("agent creating: %+v", bad)
	}
	json.Unmarshal(e.call("lead", "POST", "/api/v1/kb/articles", map[string]any{"title": "x", "body": "y", "kind": "poem"}, 400, nil), &bad)
	if bad.Error.Field != "kind" {
		t.Errorf("bad kind: %+v", bad)
	}
	var a hotline.Article
	e.call("lead", "POST", "/api/v1/kb/articles", article, 201, &a)
	if a.ID == 0 || a.Status != hotline.ArticleDraft || a.Version != 1 || len(a.CategoryIDs) != 1 {
		t.Fatalf("created %+v", a)
	}
	path := fmt.Sprintf("/api/v1/kb/articles/%d", a.ID)
	// Not published yet: agents neither read nor find it.
	e.call("agent", "GET", path, nil, 404, nil)
	e.call("lead", "POST", path+"/publish", nil, 403, nil)
	e.call("lead", "POST", path+"/submit", nil, 200, &a)
	e.call("admin", "POST", path+"/shred", nil, 404, nil)
	e.call("admin", "POST", path+"/publish", nil, 200, &a)
	if a.Status != hotline.ArticlePublished || a.PublishedAt == nil {
		t.Fatalf("published %+v", a)
	}
	var res struct {
		Items []struct {
			ID      int64   `json:"id"`
			Title   string  `json:"title"`
			Snippet string  `json:"snippet"`
			Score   float64 `json:"score"`
		}
		Total int
	}
	for _, q := range []string{"噪音", "%E8%90%8D%E7%8E%AF%E5%8F%91%E3%80%942025%E3%80%957%E5%8F%B7"} {
		e.call("agent", "GET", "/api/v1/kb/search?q="+q, nil, 200, &res)
		if res.Total != 1 || res.Items[0].ID != a.ID || res.Items[0].Score <= 0 || res.Items[0].Title != a.Title {
			t.Errorf("search %s: %+v", q, res)
		}
	}
	if s := res.Items[0].Snippet; strings.Contains(s, "**") || !strings.Contains(s, "环境噪声污染") {
		t.Errorf("snippet %q", s)
	}
	e.call("agent", "GET", "/api/v1/kb/search?q=%E5%99%AA%E5%A3%B0", nil, 200, &res)
	if !strings.Contains(res.Items[0].Snippet, "<mark>噪声</mark>") {
		t.Errorf("snippet without the term marked: %q", res.Items[0].Snippet)
	}
	e.call("agent", "GET", "/api/v1/kb/search?q=%E5%99%AA%E9%9F%B3&kind=law", nil, 200, &res)
	if res.Total != 0 || res.Items == nil {
		t.Errorf("kind filter: %+v", res)
	}
	json.Unmarshal(e.call("agent", "GET", "/api/v1/kb/search?page=0", nil, 400, nil), &bad)
	if bad.Error.Field != "page" {
		t.Errorf("page 0: %+v", bad)
	}
	// Editing: from the version read, or 409.
	edit := map[string]any{"title": a.Title, "kind": "faq", "body": a.Body + "夜间施工须公告。", "version": 1, "note": "补充"}
	e.call("admin", "PUT", path, edit, 409, nil)
	delete(edit, "version")
	json.Unmarshal(e.call("admin", "PUT", path, edit, 400, nil), &bad)
	if bad.Error.Field != "version" {
		t.Errorf("no version: %+v", bad)
	}
	edit["version"] = a.Version
	e.call("admin", "PUT", path, edit, 200, &a)
	var vs struct{ Items []hotline.ArticleVersion }
	e.call("lead", "GET", path+"/versions", nil, 200, &vs)
	if len(vs.Items) != 4 || vs.Items[0].Note != "补充" || vs.Items[0].Version != a.Version {
		t.Errorf("versions %+v", vs.Items)
	}
	// Linking an article to a ticket.
	tk := e.newTicket(nil)
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/kb-links", tk.ID), map[string]any{"article_id": a.ID}, 200, nil)
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/kb-links", tk.ID), map[string]any{"article_id": 0}, 400, nil)
	e.call("util-water", "POST", fmt.Sprintf("/api/v1/tickets/%d/kb-links", tk.ID), map[string]any{"article_id": a.ID}, 404, nil)
	var m struct{ Added, Accepted int }
	e.call("lead", "GET", "/api/v1/kb/stats", nil, 200, &m)
	if m.Added != 1 || m.Accepted != 1 {
		t.Errorf("stats %+v", m)
	}
	e.call("lead", "GET", "/api/v1/kb/stats?month=2026-13", nil, 400, nil)
	// The dictionary: synonyms apply at once.
	e.call("lead", "PUT", "/api/v1/kb/dictionary", map[string]any{"words": []string{"萍环发"}, "synonyms": []string{"工地 施工"}}, 403, nil)
	e.call("admin", "PUT", "/api/v1/kb/dictionary", map[string]any{"synonyms": []string{"工地"}}, 400, nil)
	e.call("admin", "PUT", "/api/v1/kb/dictionary", map[string]any{"words": []string{"萍环发"}, "synonyms": []string{"工地 施工"}}, 200, nil)
	e.call("agent", "GET", "/api/v1/kb/search?q=%E5%B7%A5%E5%9C%B0", nil, 200, &res)
	if res.Total != 1 {
		t.Errorf("synonym 工地=施工: %+v", res)
	}
}
