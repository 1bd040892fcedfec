package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"hotline"
	"hotline/channel/wechat"
	"hotline/sqldb"
)

// The account's upkeep (公众号维护): the menu published to WeChat through
// its API, articles and the monthly bulletin registered as they are
// posted, each a version with who published it and when.

// defaultMenu is the menu the page starts from: the three CLICK keys the
// account answers.
const defaultMenu = `[{"type":"click","name":"我要反映","key":"appeal"},{"type":"click","name":"进度查询","key":"query"},{"type":"click","name":"常见问题","key":"faq"}]`

type accountContent struct {
	Month       string
	Items       []*sqldb.AccountContent
	Updates     int
	DefaultMenu string
	Publish     bool
	Connected   bool
}

func (s *Server) handleAccountPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	month, _ := monthOrNow(s, r.URL.Query().Get("month"))
	s.show(w, r, http.StatusOK, "wechat_account", "公众号维护", func(rf *ref) (any, error) {
		items, n, err := s.DB.AccountContents(r.Context(), a, month)
		return &accountContent{Month: month, Items: items, Updates: n, DefaultMenu: defaultMenu, Publish: a.Role.Has(hotline.PermPublishKB),
			Connected: s.WeChatAPI != nil}, err
	})
}

// pushContent sends a menu to WeChat (articles and bulletins are posted
// in the account's own console and registered here).
func (s *Server) pushContent(ctx context.Context, c *sqldb.AccountContent) error {
	if c.Kind != sqldb.ContentMenu {
		return nil
	}
	var buttons []wechat.MenuButton
	if err := json.Unmarshal([]byte(c.Body), &buttons); err != nil || len(buttons) == 0 || len(buttons) > 3 {
		return hotline.Invalid("body", "菜单应为 1 至 3 个按钮的 JSON 数组")
	}
	if s.WeChatAPI == nil {
		return hotline.Errorf(hotline.EConflict, "未配置公众号 AppID 和 AppSecret，菜单无法发布")
	}
	return s.WeChatAPI.CreateMenu(ctx, buttons)
}

// handleAccountForm saves a version or publishes one.
func (s *Server) handleAccountForm(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	var err error
	if r.PostFormValue("action") == "publish" {
		id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		_, err = s.DB.PublishAccountContent(r.Context(), a, id, s.pushContent)
	} else {
		article, _ := strconv.ParseInt(r.PostFormValue("article_id"), 10, 64)
		_, err = s.DB.SaveAccountContent(r.Context(), a, sqldb.AccountContent{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"),
			Body: r.PostFormValue("body"), ArticleID: article})
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/wechat/account?saved=1", http.StatusSeeOther)
}

// handleAccountContents is GET /api/v1/wechat/contents?month= →
// {"items":[…],"updates"}: the month's published updates.
func (s *Server) handleAccountContents(w http.ResponseWriter, r *http.Request) {
	month, _ := monthOrNow(s, r.URL.Query().Get("month"))
	items, n, err := s.DB.AccountContents(r.Context(), actorFrom(r), month)
	s.respond(w, r, http.StatusOK, map[string]any{"month": month, "items": items, "updates": n}, err)
}
