package hotline

import "time"

// ReviewAction is a step of a knowledge-base article's review (审核):
// editors send drafts for review, publishers publish, send back and
// retire. Article.Review decides each, like Ticket.Apply for tickets.
type ReviewAction string

// Review actions.
const (
	ReviewSubmit  ReviewAction = "submit"  // draft → in_review (editors)
	ReviewPublish ReviewAction = "publish" // draft or in_review → published
	ReviewReject  ReviewAction = "reject"  // in_review → draft, with a note
	ReviewRetire  ReviewAction = "retire"  // published → retired, with a note
)

var reviewLabels = map[ReviewAction]string{ReviewSubmit: "提交审核", ReviewPublish: "发布", ReviewReject: "退回修改", ReviewRetire: "废止"}

// ReviewActions lists the review actions in the order a page offers them.
var ReviewActions = []ReviewAction{ReviewSubmit, ReviewPublish, ReviewReject, ReviewRetire}

// Label is the action's Chinese name.
func (a ReviewAction) Label() string { return reviewLabels[a] }

// NeedsNote reports whether the action must give a reason.
func (a ReviewAction) NeedsNote() bool { return reviewRules[a].note }

// AvailableReviews lists the review actions the actor may take on the
// article now.
func (a *Article) AvailableReviews(actor Actor) []ReviewAction {
	var out []ReviewAction
	for _, act := range ReviewActions {
		c := *a
		if c.Review(actor, act, "理由", time.Time{}) == nil {
			out = append(out, act)
		}
	}
	return out
}

// reviewRules is the review's state machine: from which states an action
// may be taken, the state it leads to, the permission it needs and
// whether it needs a note.
var reviewRules = map[ReviewAction]struct {
	from []ArticleStatus
	to   ArticleStatus
	perm Permission
	note bool
}{
	ReviewSubmit:  {[]ArticleStatus{ArticleDraft}, ArticleInReview, PermEditKB, false},
	ReviewPublish: {[]ArticleStatus{ArticleDraft, ArticleInReview}, ArticlePublished, PermPublishKB, false},
	ReviewReject:  {[]ArticleStatus{ArticleInReview}, ArticleDraft, PermPublishKB, true},
	ReviewRetire:  {[]ArticleStatus{ArticlePublished}, ArticleRetired, PermPublishKB, true},
}

// Valid reports whether a is a known review action.
func (a ReviewAction) Valid() bool { _, ok := reviewRules[a]; return ok }

// Review takes a review action on the article as actor at now: it checks
// the action, the actor's permission, the article's state and the note,
// then moves the status, counts a new version and, on publishing, names
// the reviewer. On error the article is unchanged.
func (a *Article) Review(actor Actor, action ReviewAction, note string, now time.Time) error {
	rule, ok := reviewRules[action]
	if !ok {
		return Errorf(ENotFound, "没有“%s”这个操作", action)
	}
	if !actor.Role.Has(rule.perm) {
		return Errorf(EForbidden, "%s无权审核知识库文章", actor.Role.Label())
	}
	if err := CheckInput("note", note); err != nil {
		return err
	}
	if note = TrimText(note); rule.note && note == "" {
		return Invalid("note", "请填写理由")
	}
	allowed := false
	for _, s := range rule.from {
		allowed = allowed || a.Status == s
	}
	if !allowed {
		return Errorf(EConflict, "文章当前状态为“%s”，不能执行该操作", a.Status.Label())
	}
	a.Status, a.Version, a.UpdatedAt, a.Note = rule.to, a.Version+1, now, note
	if action == ReviewPublish {
		a.ReviewerID, a.PublishedAt = actor.UserID, &now
	}
	return nil
}
