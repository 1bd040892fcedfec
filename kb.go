package hotline

import (
	"time"
	"unicode/utf8"
)

// ArticleKind is the kind of a knowledge-base article.
type ArticleKind string

// Article kinds.
const (
	ArticleLaw     ArticleKind = "law"     // 法律法规
	ArticlePolicy  ArticleKind = "policy"  // 政策文件
	ArticleDuty    ArticleKind = "duty"    // 部门职责
	ArticleService ArticleKind = "service" // 办事指南
	ArticleFAQ     ArticleKind = "faq"     // 答复口径
)

// ArticleKinds lists the kinds in display order.
var ArticleKinds = []ArticleKind{ArticleFAQ, ArticleService, ArticlePolicy, ArticleLaw, ArticleDuty}

var articleKindNames = map[ArticleKind]string{ArticleLaw: "法律法规", ArticlePolicy: "政策文件", ArticleDuty: "部门职责",
	ArticleService: "办事指南", ArticleFAQ: "答复口径"}

// Label is the kind's Chinese name.
func (k ArticleKind) Label() string { return articleKindNames[k] }

// Valid reports whether k is a known kind.
func (k ArticleKind) Valid() bool { _, ok := articleKindNames[k]; return ok }

// ArticleStatus is where an article is in its review.
type ArticleStatus string

// Article statuses: draft → in_review → published → retired.
const (
	ArticleDraft     ArticleStatus = "draft"     // 草稿
	ArticleInReview  ArticleStatus = "in_review" // 待审核
	ArticlePublished ArticleStatus = "published" // 已发布
	ArticleRetired   ArticleStatus = "retired"   // 已废止
)

var articleStatusNames = map[ArticleStatus]string{ArticleDraft: "草稿", ArticleInReview: "待审核",
	ArticlePublished: "已发布", ArticleRetired: "已废止"}

// Label is the status's Chinese name.
func (s ArticleStatus) Label() string { return articleStatusNames[s] }

// Valid reports whether s is a known status.
func (s ArticleStatus) Valid() bool { _, ok := articleStatusNames[s]; return ok }

// ArticleStatuses lists the statuses in order.
var ArticleStatuses = []ArticleStatus{ArticleDraft, ArticleInReview, ArticlePublished, ArticleRetired}

// Article is a knowledge-base entry: a law, a policy document, a unit's
// duties, a service guide or an answer script. Dates are days in China
// time written YYYY-MM-DD, "" when not set.
type Article struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	Body        string        `json:"body"`   // Markdown
	Answer      string        `json:"answer"` // the script an agent reads to the caller
	Kind        ArticleKind   `json:"kind"`
	CategoryIDs []int64       `json:"category_ids"`
	UnitID      int64         `json:"unit_id,omitempty"` // owning unit
	Source      string        `json:"source"`            // issuing body or URL
	DocNumber   string        `json:"doc_number"`        // 文号, e.g. 萍府办发〔2025〕12号
	EffectiveOn string        `json:"effective_on"`
	ExpiresOn   string        `json:"expires_on"`
	ReviewOn    string        `json:"review_on"` // next review due
	Status      ArticleStatus `json:"status"`
	Version     int           `json:"version"`
	AuthorID    int64         `json:"author_id"`
	ReviewerID  int64         `json:"reviewer_id,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
	PublishedAt *time.Time    `json:"published_at,omitempty"`
	Note        string        `json:"note,omitempty"` // what changed, for the version history
}

// ArticleVersion is one saved state of an article.
type ArticleVersion struct {
	ArticleID  int64     `json:"article_id"`
	Version    int       `json:"version"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Answer     string    `json:"answer"`
	Status     string    `json:"status"`
	EditorID   int64     `json:"editor_id"`
	EditorName string    `json:"editor_name"`
	Note       string    `json:"note"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks an article's fields before it is saved.
func (a *Article) Validate() error {
	for _, f := range []struct{ name, v string }{{"title", a.Title}, {"body", a.Body}, {"answer", a.Answer}, {"source", a.Source}, {"doc_number", a.DocNumber}, {"note", a.Note}} {
		if err := CheckInput(f.name, f.v); err != nil {
			return err
		}
	}
	a.Title, a.Body, a.Answer = TrimText(a.Title), TrimText(a.Body), TrimText(a.Answer)
	a.Source, a.DocNumber = TrimText(a.Source), TrimText(a.DocNumber)
	switch {
	case a.Title == "":
		return Invalid("title", "请填写标题")
	case utf8.RuneCountInString(a.Title) > 200:
		return Invalid("title", "%s不能超过%d个字", "标题", 200)
	case a.Body == "":
		return Invalid("body", "请填写正文")
	case utf8.RuneCountInString(a.Body) > 100000:
		return Invalid("body", "%s不能超过%d个字", "正文", 100000)
	case utf8.RuneCountInString(a.Answer) > 5000:
		return Invalid("answer", "%s不能超过%d个字", "答复口径", 5000)
	case !a.Kind.Valid():
		return Invalid("kind", "文章类型无效，应为 law、policy、duty、service 或 faq")
	case utf8.RuneCountInString(a.Source) > 200 || utf8.RuneCountInString(a.DocNumber) > 100:
		return Invalid("doc_number", "来源或文号过长")
	}
	for _, f := range []struct{ name, v string }{{"effective_on", a.EffectiveOn}, {"expires_on", a.ExpiresOn}, {"review_on", a.ReviewOn}} {
		if f.v == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", f.v); err != nil {
			return Invalid(f.name, "日期格式应为 YYYY-MM-DD")
		}
	}
	if a.EffectiveOn != "" && a.ExpiresOn != "" && a.ExpiresOn < a.EffectiveOn {
		return Invalid("expires_on", "失效日期不能早于生效日期")
	}
	return nil
}

// Day writes t as a day in China time, the form of an article's dates.
func Day(t time.Time) string { return t.In(ChinaZone).Format("2006-01-02") }

// DueForReview reports why an article needs attention on day today: its
// review date has come, or it has expired while still published.
func (a *Article) DueForReview(today string) string {
	switch {
	case a.Status == ArticlePublished && a.ExpiresOn != "" && a.ExpiresOn < today:
		return "已过失效日期"
	case a.Status == ArticlePublished && a.ReviewOn != "" && a.ReviewOn <= today:
		return "已到复核日期"
	}
	return ""
}
