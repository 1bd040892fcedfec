package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/yuin/goldmark"

	"hotline"
	"hotline/kbio"
	"hotline/sqldb"
)

type kbListContent struct {
	F          url.Values
	Hits       []*sqldb.ArticleHit
	Total      int
	Page       int
	Pages      int
	Prev, Next string
	Kinds      []hotline.ArticleKind
	Statuses   []hotline.ArticleStatus
	Editor     bool
	Export     string
	Ref        *ref
	Error      string
}

func (s *Server) handleKBPage(w http.ResponseWriter, r *http.Request) {
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	a := actorFrom(r)
	c := kbListContent{F: r.URL.Query(), Kinds: hotline.ArticleKinds, Statuses: hotline.ArticleStatuses, Editor: a.Role.Has(hotline.PermEditKB), Ref: rf}
	f, err := articleSearch(r)
	status := http.StatusOK
	if err == nil {
		c.Hits, c.Total, err = s.DB.SearchArticles(r.Context(), a, f)
	}
	if err != nil {
		if hotline.ErrorCode(err) == hotline.EInternal {
			s.errorPage(w, r, err)
			return
		}
		c.Error, status = errText(r, err), statusOf[hotline.ErrorCode(err)]
	}
	c.Page = max(f.Page, 1)
	c.Pages = max(1, (c.Total+f.PageSize-1)/f.PageSize)
	q := r.URL.Query()
	if c.Editor {
		e := r.URL.Query()
		e.Del("page")
		c.Export = "/kb/export.xlsx?" + e.Encode()
	}
	if c.Page > 1 {
		q.Set("page", strconv.Itoa(c.Page-1))
		c.Prev = "/kb?" + q.Encode()
	}
	if c.Page < c.Pages {
		q.Set("page", strconv.Itoa(c.Page+1))
		c.Next = "/kb?" + q.Encode()
	}
	s.render(w, r, status, "kb", "知识库", c)
}

type kbArticleContent struct {
	A          *hotline.Article
	Reviews    []kbForm // the review actions the viewer may take now
	HTML       template.HTML
	Ref        *ref
	CSRF       string
	Editor     bool
	Publisher  bool
	Categories []string
	Files      []*sqldb.Attachment
	Error      string
}

// markdown renders an article body. goldmark drops raw HTML and dangerous
// links unless told otherwise, so the result is safe to embed.
func markdown(src string) template.HTML {
	var b bytes.Buffer
	if err := goldmark.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(b.String())
}

func (s *Server) handleKBArticlePage(w http.ResponseWriter, r *http.Request) {
	s.kbArticlePage(w, r, http.StatusOK, "")
}

func (s *Server) kbArticlePage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	id, err := articleID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	a, err := s.DB.FindArticle(r.Context(), actorFrom(r), id)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	act := actorFrom(r)
	c := kbArticleContent{A: a, HTML: markdown(a.Body), Ref: rf, CSRF: sessionFrom(r).CSRF, Error: errMsg,
		Editor: act.Role.Has(hotline.PermEditKB), Publisher: act.Role.Has(hotline.PermPublishKB)}
	for _, id := range a.CategoryIDs {
		c.Categories = append(c.Categories, rf.catPath[id])
	}
	for _, action := range a.AvailableReviews(act) {
		c.Reviews = append(c.Reviews, kbForm{ID: a.ID, Action: action, CSRF: c.CSRF})
	}
	if c.Files, err = s.DB.FindAttachments(r.Context(), act, a.ID); err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, r, status, "kb_article", a.Title, c)
}

type kbEditContent struct {
	A     *hotline.Article
	Kinds []hotline.ArticleKind
	Ref   *ref
	Cats  map[int64]bool
	Error string
}

func (s *Server) handleKBEditPage(w http.ResponseWriter, r *http.Request) {
	a := &hotline.Article{Kind: hotline.ArticleFAQ, ReviewOn: hotline.Day(s.DB.Now().AddDate(0, 6, 0))}
	if r.PathValue("id") != "" {
		id, err := articleID(r)
		if err == nil {
			a, err = s.DB.FindArticle(r.Context(), actorFrom(r), id)
		}
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
	}
	if act := actorFrom(r); !act.Role.Has(hotline.PermEditKB) {
		s.errorPage(w, r, hotline.Errorf(hotline.EForbidden, "%s无权编辑知识库", act.Role.Label()))
		return
	}
	s.kbEditPage(w, r, http.StatusOK, a, "")
}

func (s *Server) kbEditPage(w http.ResponseWriter, r *http.Request, status int, a *hotline.Article, errMsg string) {
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	c := kbEditContent{A: a, Kinds: hotline.ArticleKinds, Ref: rf, Cats: map[int64]bool{}, Error: errMsg}
	for _, id := range a.CategoryIDs {
		c.Cats[id] = true
	}
	title := "新建知识库文章"
	if a.ID != 0 {
		title = "编辑知识库文章"
	}
	s.render(w, r, status, "kb_edit", title, c)
}

func (s *Server) handleKBEditForm(w http.ResponseWriter, r *http.Request) {
	a := &hotline.Article{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Answer: r.PostFormValue("answer"),
		Kind: hotline.ArticleKind(r.PostFormValue("kind")), Source: r.PostFormValue("source"), DocNumber: r.PostFormValue("doc_number"),
		EffectiveOn: r.PostFormValue("effective_on"), ExpiresOn: r.PostFormValue("expires_on"), ReviewOn: r.PostFormValue("review_on"),
		Note: r.PostFormValue("note")}
	a.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit_id"), 10, 64)
	for _, v := range r.PostForm["category_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			a.CategoryIDs = append(a.CategoryIDs, id)
		}
	}
	var err error
	if r.PathValue("id") == "" {
		err = s.DB.CreateArticle(r.Context(), actorFrom(r), a)
	} else {
		if a.ID, err = articleID(r); err == nil {
			a.Version, _ = strconv.Atoi(r.PostFormValue("version"))
			err = s.DB.UpdateArticle(r.Context(), actorFrom(r), a)
		}
	}
	if err != nil {
		if code := hotline.ErrorCode(err); code == hotline.EInternal || code == hotline.ENotFound || code == hotline.EForbidden {
			s.errorPage(w, r, err)
			return
		}
		s.kbEditPage(w, r, statusOf[hotline.ErrorCode(err)], a, errText(r, err))
		return
	}
	http.Redirect(w, r, "/kb/"+strconv.FormatInt(a.ID, 10)+"?saved=1", http.StatusSeeOther)
}

func (s *Server) handleKBReviewForm(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	if _, err := s.DB.ReviewArticle(r.Context(), actorFrom(r), id, hotline.ReviewAction(r.PathValue("action")), r.PostFormValue("note")); err != nil {
		if code := hotline.ErrorCode(err); code == hotline.EInternal || code == hotline.ENotFound {
			s.errorPage(w, r, err)
			return
		}
		s.kbArticlePage(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	http.Redirect(w, r, "/kb/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}

// versionDiff is one version and what changed from the one before it.
type versionDiff struct {
	V    *hotline.ArticleVersion
	Diff template.HTML // the body's changes: <del> and <ins>
	Same bool
}

func (s *Server) handleKBVersionsPage(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	a, err := s.DB.FindArticle(r.Context(), actorFrom(r), id)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	vs, err := s.DB.FindArticleVersions(r.Context(), actorFrom(r), id)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	dmp := diffmatchpatch.New()
	var out []versionDiff
	for i, v := range vs {
		prev := ""
		if i+1 < len(vs) {
			prev = vs[i+1].Title + "\n" + vs[i+1].Body + "\n" + vs[i+1].Answer
		}
		cur := v.Title + "\n" + v.Body + "\n" + v.Answer
		d := dmp.DiffCleanupSemantic(dmp.DiffMain(prev, cur, false))
		var b strings.Builder
		for _, x := range d {
			t := template.HTMLEscapeString(x.Text)
			switch x.Type {
			case diffmatchpatch.DiffInsert:
				b.WriteString("<ins>" + t + "</ins>")
			case diffmatchpatch.DiffDelete:
				b.WriteString("<del>" + t + "</del>")
			default:
				b.WriteString(t)
			}
		}
		out = append(out, versionDiff{V: v, Diff: template.HTML(b.String()), Same: prev == cur})
	}
	s.render(w, r, http.StatusOK, "kb_versions", a.Title, struct {
		A        *hotline.Article
		Versions []versionDiff
	}{a, out})
}

type kbReviewContent struct {
	Items     []*sqldb.ReviewItem
	Month     *sqldb.KBMonth
	Words     string
	Synonyms  string
	Reindex   string
	Publisher bool
	CSRF      string
	Error     string
}

func (s *Server) handleKBReviewPage(w http.ResponseWriter, r *http.Request) {
	s.kbReviewPage(w, r, http.StatusOK, "")
}

func (s *Server) kbReviewPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	a := actorFrom(r)
	items, err := s.DB.ReviewQueue(r.Context(), a, hotline.Day(s.DB.Now()), 200)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	month, err := s.DB.KBMonthStats(r.Context(), s.DB.Now().In(hotline.ChinaZone).Format("2006-01"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	words, syn, err := s.DB.FindDictionary(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, r, status, "kb_review", "知识库维护", kbReviewContent{Items: items, Month: month, Words: strings.Join(words, "\n"),
		Synonyms: strings.Join(syn, "\n"), Reindex: s.reindexState(), Publisher: a.Role.Has(hotline.PermPublishKB),
		CSRF: sessionFrom(r).CSRF, Error: errMsg})
}

func (s *Server) handleKBDictionaryForm(w http.ResponseWriter, r *http.Request) {
	lines := func(v string) []string { return strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n") }
	if err := s.DB.SaveDictionary(r.Context(), actorFrom(r), lines(r.PostFormValue("words")), lines(r.PostFormValue("synonyms"))); err != nil {
		if code := hotline.ErrorCode(err); code == hotline.EInternal || code == hotline.EForbidden {
			s.errorPage(w, r, err)
			return
		}
		s.kbReviewPage(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	s.startReindex()
	http.Redirect(w, r, "/kb/review?saved=1", http.StatusSeeOther)
}

// kbForm is a review action's form on the article page.
type kbForm struct {
	ID     int64
	Action hotline.ReviewAction
	CSRF   string
}

// handleKBExport writes the articles the search finds as a workbook that
// `hotline kb import` reads back (editors only; audited).
func (s *Server) handleKBExport(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	if !a.Role.Has(hotline.PermEditKB) {
		s.errorPage(w, r, hotline.Errorf(hotline.EForbidden, "%s无权编辑知识库", a.Role.Label()))
		return
	}
	f, err := articleSearch(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	arts, err := s.DB.ExportArticles(r.Context(), a, f)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	codes := map[int64]string{}
	for _, u := range rf.Units {
		codes[u.ID] = u.Code
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	name := localeOf(r).Tf("知识库导出-%s.xlsx", s.DB.Now().In(hotline.ChinaZone).Format("20060102-1504"))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="kb.xlsx"; filename*=UTF-8''%s`, urlPathEscape(name)))
	if err := kbio.WriteXLSX(w, kbio.Items(arts, codes, rf.catPath)); err != nil {
		s.Logger.Error("write kb export", "err", err)
	}
}

// handleKBAttachForm receives one file (multipart, up to 10 MB).
func (s *Server) handleKBAttachForm(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		s.kbArticlePage(w, r, http.StatusBadRequest, localeOf(r).T("请选择要上传的文件（不超过 10 MB）"))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, sqldb.MaxAttachmentBytes+1))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	at := &sqldb.Attachment{ArticleID: id, Name: head.Filename, ContentType: head.Header.Get("Content-Type"), Data: data}
	if err := s.DB.AddAttachment(r.Context(), actorFrom(r), at); err != nil {
		if code := hotline.ErrorCode(err); code == hotline.EInternal || code == hotline.ENotFound || code == hotline.EForbidden {
			s.errorPage(w, r, err)
			return
		}
		s.kbArticlePage(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	http.Redirect(w, r, "/kb/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}

// handleKBAttachment sends an attachment, always as a download: a file
// uploaded as HTML or SVG never runs in the hotline's origin.
func (s *Server) handleKBAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	aid, ok := parseID(r.PathValue("aid"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "附件不存在"))
		return
	}
	at, err := s.DB.FindAttachment(r.Context(), actorFrom(r), id, aid)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="file"; filename*=UTF-8''%s`, urlPathEscape(at.Name)))
	w.Write(at.Data)
}
