package web

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/channel/sms"
	"hotline/sqldb"
)

// The citizen portal (网上诉求, /portal): mobile-first pages apart from
// the workstation's (their own layout, no session, no staff data), to
// file an appeal with photos after an SMS code, follow it by number and
// phone, and rate the reply.

// portalPageNames are the portal's templates (templates/portal/).
var portalPageNames = []string{"home", "appeal", "done", "query", "ticket", "disclosures", "disclosure"}

// viewCookie keeps a verified citizen's view of a ticket for a while.
const (
	viewCookie = "portal_view"
	viewTTL    = 30 * time.Minute
)

// parsePortal parses the portal's pages with their own layout.
func (s *Server) parsePortal() (map[string]map[string]*template.Template, error) {
	out := map[string]map[string]*template.Template{}
	for _, l := range locales {
		out[l.Name] = map[string]*template.Template{}
		for _, name := range portalPageNames {
			t, err := template.New(name).Funcs(s.templateFuncs(l)).ParseFS(s.files, "templates/portal/layout.html", "templates/portal/"+name+".html")
			if err != nil {
				return nil, err
			}
			out[l.Name][name] = t
		}
	}
	return out, nil
}

// portalPage is what every portal template gets.
type portalPage struct {
	Title     string
	Error     string
	Field     string
	Challenge string
	Content   any
}

func (s *Server) renderPortal(w http.ResponseWriter, r *http.Request, status int, name, title string, content any, err error) {
	l := localeOf(r)
	pages := s.portalPages
	if s.dev {
		var perr error
		if pages, perr = s.parsePortal(); perr != nil {
			http.Error(w, "template: "+perr.Error(), http.StatusInternalServerError)
			return
		}
	}
	p := portalPage{Title: l.T(title), Challenge: s.newChallenge(), Content: content}
	if err != nil {
		status = statusOf[hotline.ErrorCode(err)]
		p.Error, p.Field = l.Err(err), hotline.ErrorField(err)
		if status == http.StatusInternalServerError {
			s.Logger.Error("portal", "path", r.URL.Path, "err", err)
			p.Error = l.T("系统繁忙，请稍后再试或拨打 12345")
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := pages[l.Name][name].ExecuteTemplate(w, "layout", p); err != nil {
		s.Logger.Error("render portal", "page", name, "err", err)
	}
}

// portalLimited applies the per-address limit of the portal, made at
// the first request from PortalPerMinute (0: none).
func (s *Server) portalLimited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.portalOnce.Do(func() {
			if s.PortalPerMinute > 0 {
				s.portalLimit = newLimiter(s.PortalPerMinute, max(5, s.PortalPerMinute/2))
			}
		})
		if s.portalLimit == nil {
			h(w, r)
			return
		}
		s.limit(s.portalLimit, h)(w, r)
	}
}

func (s *Server) handlePortalHome(w http.ResponseWriter, r *http.Request) {
	s.renderPortal(w, r, http.StatusOK, "home", "萍乡12345 网上诉求", nil, nil)
}

// portalForm is the appeal form's choices and what was typed.
type portalForm struct {
	Groups []categoryGroup
	Kinds  []hotline.AppealKind
	Values map[string]string
}

// categoryGroup is a first-level category with its leaves, in plain words.
type categoryGroup struct {
	Name   string
	Leaves []categoryLeaf
}

type categoryLeaf struct {
	ID   int64
	Name string
}

func (s *Server) portalForm(ctx context.Context, r *http.Request) (*portalForm, error) {
	cats, err := s.DB.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	f := &portalForm{Kinds: hotline.AppealKinds,
		Values: map[string]string{}}
	parent := map[int64]int64{}
	name := map[int64]string{}
	leaf := map[int64]bool{}
	for _, c := range cats {
		parent[c.ID], name[c.ID], leaf[c.ID] = c.ParentID, c.Name, true
	}
	for _, c := range cats {
		leaf[c.ParentID] = false
	}
	index := map[int64]int{}
	for _, c := range cats {
		if !leaf[c.ID] {
			continue
		}
		top := c.ID
		for parent[top] != 0 {
			top = parent[top]
		}
		i, ok := index[top]
		if !ok {
			f.Groups = append(f.Groups, categoryGroup{Name: name[top]})
			i = len(f.Groups) - 1
			index[top] = i
		}
		label := c.Name
		if p := parent[c.ID]; p != 0 && p != top {
			label = name[p] + "：" + c.Name
		}
		f.Groups[i].Leaves = append(f.Groups[i].Leaves, categoryLeaf{ID: c.ID, Name: label})
	}
	if r.Method == http.MethodPost {
		for _, k := range []string{"kind", "category_id", "title", "content", "place", "name", "phone", "anonymous", "confidential"} {
			f.Values[k] = r.FormValue(k)
		}
	} else {
		// A link from the official account brings the citizen's words.
		f.Values["title"], f.Values["content"] = r.URL.Query().Get("title"), r.URL.Query().Get("content")
	}
	return f, nil
}

func (s *Server) handlePortalAppealPage(w http.ResponseWriter, r *http.Request) {
	f, err := s.portalForm(r.Context(), r)
	if err != nil {
		s.renderPortal(w, r, 0, "home", "萍乡12345 网上诉求", nil, err)
		return
	}
	s.renderPortal(w, r, http.StatusOK, "appeal", "我要反映", f, nil)
}

// handlePortalCode is POST /portal/code (phone, purpose, the proof of
// work) → {"sent":true,"phone":"139****0001"}: a code texted to the
// phone; limits answer 429.
func (s *Server) handlePortalCode(w http.ResponseWriter, r *http.Request) {
	p := s.DB.Portal()
	err := s.checkWork(r, func(hash string, exp time.Time) error { return p.UseToken(r.Context(), hash, exp) })
	var code string
	phone := hotline.NormalizePhone(r.FormValue("phone"))
	if err == nil {
		code, err = p.IssueCode(r.Context(), phone, r.FormValue("purpose"))
	}
	if err == nil {
		err = s.text(r.Context(), phone, sms.KindCode, sms.CodeText(code), 0)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sent": true, "phone": hotline.MaskPhone(phone)})
}

// text sends an SMS through the gateway and logs it (a gateway's failure
// is logged and returned; without a gateway nothing is sent).
func (s *Server) text(ctx context.Context, phone, kind, body string, ticketID int64) error {
	if s.SMS == nil {
		return hotline.Errorf(hotline.EInternal, "未配置短信网关")
	}
	ref, err := s.SMS.Send(ctx, sms.Message{Phone: phone, Kind: kind, Text: body})
	if lerr := s.DB.Portal().RecordSMS(ctx, phone, kind, ref, ticketID, err); lerr != nil {
		return lerr
	}
	if err != nil {
		s.Logger.Warn("sms failed", "kind", kind, "phone", hotline.MaskPhone(phone), "err", err)
		return hotline.Errorf(hotline.EInternal, "短信发送失败，请稍后再试")
	}
	return nil
}

// handlePortalAppeal files the appeal (multipart: the fields, the code,
// up to five photos checked before anything is stored) and shows its
// number; the citizen gets it by SMS too.
func (s *Server) handlePortalAppeal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ups, err := s.readUploads(r)
	for _, u := range ups {
		if err == nil && !isPicture(u.data) {
			err = hotline.Invalid("file", "只能上传照片（JPEG、PNG 等图片）")
		}
	}
	var t *hotline.Ticket
	if err == nil {
		cat, _ := strconv.ParseInt(r.FormValue("category_id"), 10, 64)
		t, err = s.DB.Portal().SubmitAppeal(ctx, sqldb.PortalAppeal{Kind: hotline.AppealKind(r.FormValue("kind")), CategoryID: cat,
			Title: r.FormValue("title"), Content: r.FormValue("content"), Place: r.FormValue("place"), Name: r.FormValue("name"),
			Phone: r.FormValue("phone"), Code: r.FormValue("code"), Anonymous: r.FormValue("anonymous") == "on",
			Confidential: r.FormValue("confidential") == "on"})
	}
	if err != nil {
		f, ferr := s.portalForm(ctx, r)
		if ferr != nil {
			err = ferr
		}
		s.renderPortal(w, r, 0, "appeal", "我要反映", f, err)
		return
	}
	for _, u := range ups {
		if err := s.DB.Portal().AddPhoto(ctx, t.ID, u.name, u.data); err != nil {
			s.Logger.Error("portal photo", "ticket", t.Number, "err", err)
		}
	}
	phone := hotline.NormalizePhone(r.FormValue("phone"))
	if err := s.text(ctx, phone, sms.KindReceipt, sms.ReceiptText(t.Number), t.ID); err != nil {
		s.Logger.Warn("portal receipt", "ticket", t.Number, "err", err)
	}
	s.setView(w, t.Number)
	http.Redirect(w, r, "/portal/done?number="+t.Number, http.StatusSeeOther)
}

// isPicture: the portal takes pictures only.
func isPicture(data []byte) bool {
	return strings.HasPrefix(http.DetectContentType(data), "image/")
}

// setView lets this browser see the ticket for a while.
func (s *Server) setView(w http.ResponseWriter, number string) {
	exp := s.DB.Now().Add(viewTTL)
	http.SetCookie(w, &http.Cookie{Name: viewCookie, Value: number + "~" + s.DB.Portal().ViewToken(number, exp), Path: "/portal",
		Expires: exp, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// viewing is the ticket this browser may see, or "".
func (s *Server) viewing(r *http.Request) string {
	c, err := r.Cookie(viewCookie)
	if err != nil {
		return ""
	}
	number, token, ok := strings.Cut(c.Value, "~")
	if !ok || !s.DB.Portal().CheckViewToken(token, number) {
		return ""
	}
	return number
}

func (s *Server) handlePortalDone(w http.ResponseWriter, r *http.Request) {
	number := r.URL.Query().Get("number")
	if s.viewing(r) != number {
		http.Redirect(w, r, "/portal/query", http.StatusSeeOther)
		return
	}
	s.renderPortal(w, r, http.StatusOK, "done", "提交成功", number, nil)
}

func (s *Server) handlePortalQueryPage(w http.ResponseWriter, r *http.Request) {
	s.renderPortal(w, r, http.StatusOK, "query", "进度查询", map[string]string{"number": r.URL.Query().Get("number")}, nil)
}

// handlePortalQuery checks the number, phone and code, then shows the
// ticket (and keeps the view for a while).
func (s *Server) handlePortalQuery(w http.ResponseWriter, r *http.Request) {
	number := strings.TrimSpace(r.FormValue("number"))
	v, err := s.DB.Portal().FindPublicTicket(r.Context(), number, r.FormValue("phone"), r.FormValue("code"))
	if err != nil {
		s.renderPortal(w, r, 0, "query", "进度查询", map[string]string{"number": number, "phone": r.FormValue("phone")}, err)
		return
	}
	s.setView(w, v.Number)
	http.Redirect(w, r, "/portal/tickets/"+v.Number, http.StatusSeeOther)
}

func (s *Server) handlePortalTicket(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	if s.viewing(r) != number {
		http.Redirect(w, r, "/portal/query?number="+number, http.StatusSeeOther)
		return
	}
	v, err := s.DB.Portal().ViewPublicTicket(r.Context(), number)
	s.renderPortal(w, r, http.StatusOK, "ticket", "办理进度", v, err)
}

// handlePortalRate records the citizen's rating of the concluded ticket
// this browser may see.
func (s *Server) handlePortalRate(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	if s.viewing(r) != number {
		http.Redirect(w, r, "/portal/query?number="+number, http.StatusSeeOther)
		return
	}
	v, err := s.DB.Portal().ViewPublicTicket(r.Context(), number)
	if err == nil {
		_, err = s.DB.Portal().RateAsCitizen(r.Context(), v.ID, hotline.Rating(r.FormValue("rating")), "网上")
	}
	if err != nil {
		s.renderPortal(w, r, 0, "ticket", "办理进度", v, err)
		return
	}
	http.Redirect(w, r, "/portal/tickets/"+number, http.StatusSeeOther)
}
