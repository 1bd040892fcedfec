package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"hotline"
	"hotline/sqldb"
)

// articleID reads {id} of a knowledge-base path.
func articleID(r *http.Request) (int64, error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return 0, hotline.Errorf(hotline.ENotFound, "知识库文章不存在")
	}
	return id, nil
}

func (s *Server) handleCreateArticle(w http.ResponseWriter, r *http.Request) {
	var a hotline.Article
	if err := decode(r, &a); err != nil {
		s.error(w, r, err)
		return
	}
	a.ID = 0
	err := s.DB.CreateArticle(r.Context(), actorFrom(r), &a)
	s.respond(w, r, http.StatusCreated, &a, err)
}

func (s *Server) handleGetArticle(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.DB.FindArticle(r.Context(), actorFrom(r), id)
	s.respond(w, r, http.StatusOK, a, err)
}

// handleUpdateArticle saves a new version; the body's "version" must be
// the version the client read (409 otherwise).
func (s *Server) handleUpdateArticle(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var a hotline.Article
	if err := decode(r, &a); err != nil {
		s.error(w, r, err)
		return
	}
	if a.Version == 0 {
		s.error(w, r, hotline.Invalid("version", "请提供所修改的版本号（version），以免覆盖他人的修改"))
		return
	}
	a.ID = id
	err = s.DB.UpdateArticle(r.Context(), actorFrom(r), &a)
	s.respond(w, r, http.StatusOK, &a, err)
}

func (s *Server) handleArticleVersions(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	vs, err := s.DB.FindArticleVersions(r.Context(), actorFrom(r), id)
	s.respond(w, r, http.StatusOK, map[string]any{"items": vs}, err)
}

func (s *Server) handleReviewArticle(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var body struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &body); err != nil {
			s.error(w, r, err)
			return
		}
	}
	a, err := s.DB.ReviewArticle(r.Context(), actorFrom(r), id, hotline.ReviewAction(r.PathValue("action")), body.Note)
	s.respond(w, r, http.StatusOK, a, err)
}

// articleSearch reads the search's query parameters.
func articleSearch(r *http.Request) (sqldb.ArticleSearch, error) {
	q := r.URL.Query()
	f := sqldb.ArticleSearch{Q: q.Get("q"), Kind: hotline.ArticleKind(q.Get("kind")), Status: q.Get("status"), PageSize: 20}
	if d := q.Get("due_on"); d != "" {
		if _, err := time.Parse("2006-01-02", d); err != nil {
			return f, hotline.Invalid("due_on", "日期格式应为 YYYY-MM-DD")
		}
		f.DueOn, f.Q = d, ""
	}
	if len([]rune(f.Q)) > 200 {
		return f, hotline.Invalid("q", "检索词不能超过200个字")
	}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"category_id", &f.CategoryID}, {"unit_id", &f.UnitID}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return f, hotline.Invalid(p.name, "应为正整数")
			}
			*p.dst = n
		}
	}
	page, size, err := pageParams(q)
	if f.Page = page; size > 0 {
		f.PageSize = size
	}
	return f, err
}

// handleSearchArticles answers {"items":[{"id","title","snippet","score",…}],"total":N}.
func (s *Server) handleSearchArticles(w http.ResponseWriter, r *http.Request) {
	f, err := articleSearch(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	hits, total, err := s.DB.SearchArticles(r.Context(), actorFrom(r), f)
	if hits == nil {
		hits = []*sqldb.ArticleHit{}
	}
	s.respond(w, r, http.StatusOK, map[string]any{"items": hits, "total": total}, err)
}

func (s *Server) handleReviewQueue(w http.ResponseWriter, r *http.Request) {
	items, err := s.DB.ReviewQueue(r.Context(), actorFrom(r), hotline.Day(s.DB.Now()), 200)
	s.respond(w, r, http.StatusOK, map[string]any{"items": items}, err)
}

func (s *Server) handleKBStats(w http.ResponseWriter, r *http.Request) {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = s.DB.Now().In(hotline.ChinaZone).Format("2006-01")
	}
	m, err := s.DB.KBMonthStats(r.Context(), month)
	s.respond(w, r, http.StatusOK, m, err)
}

type dictionaryBody struct {
	Words    []string `json:"words"`
	Synonyms []string `json:"synonyms"` // each a group of words separated by spaces
}

func (s *Server) handleGetDictionary(w http.ResponseWriter, r *http.Request) {
	words, syn, err := s.DB.FindDictionary(r.Context())
	s.respond(w, r, http.StatusOK, map[string]any{"words": words, "synonyms": syn, "reindex": s.reindexState()}, err)
}

// handlePutDictionary replaces the user dictionary and re-indexes the
// articles in the background when words changed.
func (s *Server) handlePutDictionary(w http.ResponseWriter, r *http.Request) {
	var b dictionaryBody
	if err := decode(r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.SaveDictionary(r.Context(), actorFrom(r), b.Words, b.Synonyms); err != nil {
		s.error(w, r, err)
		return
	}
	s.startReindex()
	writeJSON(w, http.StatusOK, map[string]any{"words": b.Words, "synonyms": b.Synonyms, "reindex": s.reindexState()})
}

func (s *Server) handleLinkArticle(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var b struct {
		ArticleID int64 `json:"article_id"`
	}
	if err := decode(r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	if b.ArticleID <= 0 {
		s.error(w, r, hotline.Invalid("article_id", "请指定知识库文章"))
		return
	}
	err = s.DB.LinkArticle(r.Context(), actorFrom(r), id, b.ArticleID)
	s.respond(w, r, http.StatusOK, map[string]any{"ticket_id": id, "article_id": b.ArticleID}, err)
}

// reindexState says how far the background re-indexing has come, as
// stored: every server shows the same.
func (s *Server) reindexState() string {
	st, _, err := s.DB.JobProgress(context.Background(), sqldb.JobKBReindex)
	if err != nil {
		s.Logger.Error("reindex progress", "err", err)
	}
	return st
}

// startReindex re-segments every article in the background, one run at a
// time across servers; a request while one runs makes it run once more.
func (s *Server) startReindex() {
	ok, err := s.DB.StartJob(s.ctx, sqldb.JobKBReindex, "排队中", true)
	if err != nil {
		s.Logger.Error("reindex articles", "err", err)
	}
	if !ok {
		return
	}
	s.background(func(ctx context.Context) {
		for {
			outcome := "完成"
			err := s.DB.ReindexArticles(ctx, func(done, total int) {
				s.DB.SetJobProgress(ctx, sqldb.JobKBReindex, fmt.Sprintf("%d/%d", done, total))
			})
			if err != nil {
				s.Logger.Error("reindex articles", "err", err)
				outcome = "失败：" + hotline.ErrorMessage(err)
			}
			again, err := s.DB.FinishJob(context.WithoutCancel(ctx), sqldb.JobKBReindex, outcome)
			if err != nil {
				s.Logger.Error("reindex progress", "err", err)
			}
			if !again || ctx.Err() != nil {
				return
			}
		}
	})
}
