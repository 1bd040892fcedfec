package web

import (
	"net/http"
	"strconv"

	"hotline"
	"hotline/sqldb"
)

type intakeContent struct {
	In       map[string]string
	Ref      *ref
	Regions  []*hotline.Unit
	Channels []hotline.Channel
	Kinds    []hotline.AppealKind
	Error    string
	Field    string
}

var intakeFields = []string{"phone", "name", "anonymous", "address", "channel", "appeal_kind", "urgency", "confidential",
	"category_id", "title", "content", "location", "location_unit_id", "answer", "kb_article_id", "call_id"}

func (s *Server) intakePage(w http.ResponseWriter, r *http.Request, status int, in map[string]string, err error) {
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	c := intakeContent{In: in, Ref: rf, Regions: rf.regions(), Kinds: hotline.AppealKinds,
		Channels: []hotline.Channel{hotline.ChannelPhone, hotline.ChannelWeb, hotline.ChannelWechat, hotline.ChannelGovPlatform, hotline.ChannelSMS, hotline.ChannelEmail}}
	if err != nil {
		c.Error, c.Field = localeOf(r).Err(err), fieldLabel(hotline.ErrorField(err))
	}
	s.render(w, r, status, "intake", "受理登记", c)
}

// fieldLabel names a field of the intake form (in Chinese, translated by the template).
func fieldLabel(f string) string {
	if l, ok := map[string]string{"channel": "渠道", "appeal_kind": "类型", "category_id": "诉求分类", "urgency": "紧急程度",
		"title": "标题", "content": "诉求内容", "requester.name": "姓名", "requester.phone": "来电号码",
		"requester.address": "联系地址", "location.address": "事发地址", "location.unit_id": "所属区域"}[f]; ok {
		return l
	}
	return f
}

func (s *Server) handleIntakePage(w http.ResponseWriter, r *http.Request) {
	if !actorFrom(r).Role.Can(hotline.ActionAccept) {
		s.errorPage(w, r, hotline.Errorf(hotline.EForbidden, "%s无权受理工单", actorFrom(r).Role.Label()))
		return
	}
	// A screen pop (or a link) opens intake for the call the agent took
	// (?call=ID): its number filled in, the ticket linked to the call when
	// saved.
	// The number comes from the call, never through the URL (which proxies
	// and logs keep).
	in := map[string]string{"channel": "phone", "appeal_kind": "consult", "urgency": "normal", "call_id": r.URL.Query().Get("call")}
	if in["call_id"] != "" {
		phone, err := s.DB.CallerOf(r.Context(), actorFrom(r), in["call_id"])
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		in["phone"] = phone
	}
	s.intakePage(w, r, http.StatusOK, in, nil)
}

func (s *Server) handleIntakeForm(w http.ResponseWriter, r *http.Request) {
	in := map[string]string{}
	for _, k := range intakeFields {
		in[k] = r.PostFormValue(k)
	}
	t := &hotline.Ticket{Channel: hotline.Channel(in["channel"]), AppealKind: hotline.AppealKind(in["appeal_kind"]),
		Urgency: hotline.Urgency(in["urgency"]), Title: in["title"], Content: in["content"], Confidential: in["confidential"] == "true",
		Requester: hotline.Requester{Anonymous: in["anonymous"] == "true", Name: in["name"], Phone: in["phone"], Address: in["address"]},
		Location:  hotline.Location{Address: in["location"]}}
	t.CategoryID, _ = strconv.ParseInt(in["category_id"], 10, 64)
	t.Location.UnitID, _ = strconv.ParseInt(in["location_unit_id"], 10, 64)
	req := sqldb.IntakeRequest{Ticket: t, Mode: r.PostFormValue("mode"), Answer: in["answer"], CallID: in["call_id"]}
	if req.Mode == "" {
		req.Mode = sqldb.IntakeSave
	}
	if v := in["kb_article_id"]; v != "" {
		id, ok := parseID(v)
		if !ok {
			s.intakePage(w, r, http.StatusBadRequest, in, hotline.Invalid("kb_article_id", "知识库文章不存在"))
			return
		}
		req.ArticleID = id
	}
	ups, err := s.readUploads(r) // checked before anything is stored
	if err != nil {
		s.intakePage(w, r, http.StatusBadRequest, in, err)
		return
	}
	if req.Mode == sqldb.IntakeSubmit {
		req.Guess = s.unitGuess(r.Context(), t)
	}
	err = s.DB.Intake(r.Context(), actorFrom(r), req)
	if err != nil {
		if hotline.ErrorCode(err) == hotline.EInternal {
			s.errorPage(w, r, err)
			return
		}
		s.intakePage(w, r, statusOf[hotline.ErrorCode(err)], in, err)
		return
	}
	if _, err := s.attach(r, t.ID, ups); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/tickets/"+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
}
