package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"hotline"
	"hotline/channel/wechat"
	"hotline/sqldb"
)

// The official account's answers (微信公众号): a question answered from
// the knowledge base's best answer script, with a link to file it as an
// appeal on the portal (the text pre-filled); the menu's buttons; the
// welcome on subscribing.

// Menu keys of the account's CLICK buttons.
const (
	MenuAppeal = "appeal" // 我要反映
	MenuQuery  = "query"  // 进度查询
	MenuFAQ    = "faq"    // 常见问题
)

var wechatActor = hotline.Actor{Name: "微信公众号", Role: hotline.RoleCallAgent}

// handleWeChat serves /wechat when the account is configured.
func (s *Server) handleWeChat(w http.ResponseWriter, r *http.Request) {
	if s.WeChat == nil {
		s.handleNoPage(w, r)
		return
	}
	s.WeChat.ServeHTTP(w, r)
}

// portalLink is a portal address for a text (absolute with PublicURL).
func (s *Server) portalLink(path string) string {
	return strings.TrimRight(s.PublicURL, "/") + path
}

// Answer implements wechat.Answerer.
func (s *Server) Answer(ctx context.Context, m wechat.Message) (string, error) {
	appeal := s.portalLink("/portal/appeal")
	switch {
	case m.MsgType == "event" && m.Event == "subscribe":
		return "欢迎关注萍乡12345！直接发送您的问题，我们从知识库为您解答；点击菜单“我要反映”可在线提交诉求，“进度查询”可查看办理进度。紧急情况请拨打110、119、120。", nil
	case m.MsgType == "event" && m.Event == "CLICK":
		switch m.EventKey {
		case MenuAppeal:
			return "请点击在线提交诉求（需验证手机号）：" + appeal, nil
		case MenuQuery:
			return "请点击凭工单编号和手机号查询办理进度：" + s.portalLink("/portal/query"), nil
		case MenuFAQ:
			hits, _, err := s.DB.SearchArticles(ctx, wechatActor, sqldb.ArticleSearch{Kind: hotline.ArticleFAQ, PageSize: 5})
			if err != nil {
				return "", err
			}
			var b strings.Builder
			b.WriteString("常见问题（回复问题中的关键词即可查看答复）：")
			for i, h := range hits {
				fmt.Fprintf(&b, "\n%d. %s", i+1, h.Title)
			}
			return b.String(), nil
		}
		return "", nil
	case m.MsgType == "event":
		return "", nil
	case m.MsgType != "text":
		return "暂不支持此类消息，请发送文字，或拨打12345。", nil
	}
	q := strings.TrimSpace(m.Content)
	if q == "" {
		return "", nil
	}
	link := appeal + "?content=" + url.QueryEscape(q)
	hits, _, err := s.DB.SearchArticles(ctx, wechatActor, sqldb.ArticleSearch{Q: q, PageSize: 1})
	if err != nil {
		return "", err
	}
	if len(hits) == 0 || strings.TrimSpace(hits[0].Answer) == "" {
		return "暂未找到相关答复。如需反映诉求，请点击在线提交：" + link + "，或拨打12345。", nil
	}
	answer := []rune(strings.TrimSpace(hits[0].Answer))
	if len(answer) > 500 {
		answer = append(answer[:500], '…')
	}
	return fmt.Sprintf("【%s】%s\n\n如问题未解决，可点击在线反映：%s", hits[0].Title, string(answer), link), nil
}
