package hotline_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"hotline"
)

func TestArticle_Review(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, hotline.ChinaZone)
	editor := hotline.Actor{UserID: 2, Role: hotline.RoleTeamLead} // kb.edit
	publisher := hotline.Actor{UserID: 3, Role: hotline.RoleAdmin} // kb.publish
	agent := hotline.Actor{UserID: 4, Role: hotline.RoleCallAgent} // neither
	for _, tt := range []struct {
		from   hotline.ArticleStatus
		who    hotline.Actor
		action hotline.ReviewAction
		note   string
		want   hotline.ArticleStatus // "" when refused
		code   string
	}{
		{hotline.ArticleDraft, editor, hotline.ReviewSubmit, "", hotline.ArticleInReview, ""},
		{hotline.ArticleDraft, agent, hotline.ReviewSubmit, "", "", hotline.EForbidden},
		{hotline.ArticleInReview, editor, hotline.ReviewPublish, "", "", hotline.EForbidden},
		{hotline.ArticleInReview, publisher, hotline.ReviewPublish, "", hotline.ArticlePublished, ""},
		{hotline.ArticleDraft, publisher, hotline.ReviewPublish, "", hotline.ArticlePublished, ""},
		{hotline.ArticleInReview, publisher, hotline.ReviewReject, "", "", hotline.EInvalid},
		{hotline.ArticleInReview, publisher, hotline.ReviewReject, "\u200b", "", hotline.EInvalid},
		{hotline.ArticleInReview, publisher, hotline.ReviewReject, "依据已过期", hotline.ArticleDraft, ""},
		{hotline.ArticleDraft, publisher, hotline.ReviewReject, "x", "", hotline.EConflict},
		{hotline.ArticlePublished, publisher, hotline.ReviewRetire, "政策到期", hotline.ArticleRetired, ""},
		{hotline.ArticleRetired, publisher, hotline.ReviewPublish, "", "", hotline.EConflict},
		{hotline.ArticlePublished, editor, hotline.ReviewSubmit, "", "", hotline.EConflict},
		{hotline.ArticleDraft, publisher, "approve", "", "", hotline.ENotFound},
	} {
		a := &hotline.Article{Status: tt.from, Version: 1}
		before := *a
		err := a.Review(tt.who, tt.action, tt.note, now)
		if tt.want == "" {
			if hotline.ErrorCode(err) != tt.code || !reflect.DeepEqual(*a, before) {
				t.Errorf("%s %s by %s: err %v, article %+v", tt.action, tt.from, tt.who.Role, err, a)
			}
			continue
		}
		if err != nil || a.Status != tt.want || a.Version != 2 || !a.UpdatedAt.Equal(now) {
			t.Errorf("%s %s by %s: %v → %+v", tt.action, tt.from, tt.who.Role, err, a)
		}
		if published := tt.action == hotline.ReviewPublish; published != (a.ReviewerID == tt.who.UserID && a.PublishedAt != nil) {
			t.Errorf("%s: reviewer %d, published %v", tt.action, a.ReviewerID, a.PublishedAt)
		}
	}
}

func TestAuditEntry_Labels(t *testing.T) {
	for _, tt := range []struct{ action, target, label, object string }{
		{"auth.login", "user:3 agent", "登录", "用户 agent #3"},
		{"ticket.dispatch", "ticket:209 PX20261201000001", "派单", "工单 PX20261201000001 #209"},
		{"kb.publish", "kb:4 停水怎么办", "发布", "知识库文章 停水怎么办 #4"},
		{"caller.lookup", "phone:139****5678 #3fa2c1d0e9b7", "查询来电历史", "来电 139****5678 #3fa2c1d0e9b7"},
		{"export.tickets", "tickets", "导出工单", "工单"},
		{"something.new", "odd", "", "odd"},
		{"auth.login_failed", "user:nobody", "登录失败", "用户 nobody"},
	} {
		e := &hotline.AuditEntry{Action: tt.action, Target: tt.target}
		object := strings.TrimSpace(e.TargetKind() + " " + e.TargetName())
		if e.ActionLabel() != tt.label || object != tt.object {
			t.Errorf("%s %s: %q %q", tt.action, tt.target, e.ActionLabel(), object)
		}
	}
}
