package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"hotline"
	"hotline/quality"
	"hotline/sqldb"
)

//go:embed templates static locales
var assets embed.FS

// page is what every page template gets; Content is the page's own data.
type page struct {
	Title     string
	User      *hotline.User
	CSRF      string
	CanAudit  bool
	CanCalls  bool                 // the call figures: the centre's, or a call agent's own
	ScreenPop bool                 // a call agent's pages open intake for the calls it answers
	Seat      hotline.SeatStatus   // a call agent's seat status, set in the header
	Seats     []hotline.SeatStatus // the choices
	CanIntake bool
	Quality   bool // the inspection pages: the quality staff's, or an agent's own
	Stats     bool // the statistics pages
	Staff     bool // the staff records
	Team      bool // the operator's team: rosters and attendance
	Disclose  bool // public disclosure
	Admin     bool
	Centre    bool
	Flash     string
	Live      string // "list": refresh on ticket changes; "ticket:ID": offer a reload when it changes
	Lang      *locale
	Other     *locale // the language the switch in the header offers
	Here      string  // this page's path and query, for the language switch
	Content   any
}

// teamRoles are the operator's team, who have shifts, and the centre's
// supervisors, who read the rosters and the attendance ledger.
var teamRoles = map[hotline.Role]bool{hotline.RoleCallAgent: true, hotline.RoleDispatcher: true, hotline.RoleInspector: true,
	hotline.RoleCallbackAgent: true, hotline.RoleTeamLead: true, hotline.RoleProjectManager: true, hotline.RoleOpsSupervisor: true,
	hotline.RoleSupervisor: true}

// pageNames are the page templates, each parsed with layout and parts.
var pageNames = []string{"login", "home", "audit", "sessions", "error", "tickets", "ticket", "intake", "board", "calls", "call", "missed", "wall",
	"admin_calendar", "admin_sla", "admin_units", "admin_categories", "admin_catalogue", "admin_users",
	"kb", "kb_article", "kb_edit", "kb_versions", "kb_review", "admin_dispatch", "dispatch_figures", "password",
	"quality/list", "quality/inspection", "quality/rectifications", "quality/rectification", "quality/figures", "quality/scorecards", "stats/page", "stats/reports", "stats/report", "stats/warnings", "wfm/forecast", "staff/list", "staff/exam", "staff/training", "staff/reserve", "staff/rosters", "staff/attendance", "disclosures", "wechat_account"}

// parseTemplates parses every page in every locale at start: a broken
// template stops the server from starting rather than failing a user
// later. The locale is bound into the template functions (T, Tf and the
// labels), so a page is one ExecuteTemplate call.
func (s *Server) parseTemplates() (map[string]map[string]*template.Template, error) {
	out := map[string]map[string]*template.Template{}
	for _, l := range locales {
		out[l.Name] = map[string]*template.Template{}
		for _, name := range pageNames {
			t, err := template.New(name).Funcs(s.templateFuncs(l)).
				ParseFS(s.files, "templates/layout.html", "templates/parts.html", "templates/"+name+".html")
			if err != nil {
				return nil, err
			}
			out[l.Name][name] = t
		}
	}
	return out, nil
}

// Develop serves templates and static files from dir (the web package's
// folder) instead of the embedded copies, reading templates again on every
// page: `hotline serve --dev web` shows an edit at the next reload.
func (s *Server) Develop(dir string) error {
	files := os.DirFS(dir)
	if _, err := fs.Stat(files, "templates/layout.html"); err != nil {
		return fmt.Errorf("--dev %s: no templates/layout.html there (give the web folder of the source)", dir)
	}
	s.files, s.dev = files, true
	return nil
}

// handleNoPage answers a path no page has with the error page (and the
// menu, for a signed-in visitor) instead of a bare "404 page not found".
func (s *Server) handleNoPage(w http.ResponseWriter, r *http.Request) {
	if sess, err := s.authenticate(r); err == nil {
		r = r.WithContext(context.WithValue(r.Context(), sessionKey, sess))
	}
	s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "没有这个页面：%s", r.URL.Path))
}

// pageAuth wraps a page: without a session it sends the browser to the
// login page; other failures render the error page.
func (s *Server) pageAuth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.authenticate(r)
		if hotline.ErrorCode(err) == hotline.EUnauthorized && r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		} else if err != nil {
			s.errorPage(w, r, err)
			return
		}
		if sess.User.MustChangePassword && !passwordFree[r.URL.Path] {
			http.Redirect(w, r, "/me/password", http.StatusSeeOther)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey, sess)))
	}
}

// render writes a page; the body is built first so that a template error
// never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, content any) {
	l := localeOf(r)
	p := page{Title: l.T(title), Content: content, Lang: l, Other: en, Here: r.URL.RequestURI()}
	if l == en {
		p.Other = zh
	}
	switch name {
	case "home", "tickets", "board", "wall", "stats/warnings":
		p.Live = "list"
	case "ticket":
		p.Live = "ticket:" + r.PathValue("id")
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = l.T("已保存。")
	}
	if sess, ok := r.Context().Value(sessionKey).(*sqldb.Session); ok {
		p.User, p.CSRF, p.CanAudit = sess.User, sess.CSRF, sess.User.Role.Has(hotline.PermReadAudit)
		p.CanIntake, p.Centre = sess.User.Role.Can(hotline.ActionAccept), hotline.ActorOf(sess.User).Centre()
		p.Admin = sess.User.Role.Has(hotline.PermManageConfig)
		p.CanCalls = sess.User.Role.Has(hotline.PermCallStats) || sess.User.Role == hotline.RoleCallAgent
		p.Stats = sess.User.Role.Has(hotline.PermStats)
		p.Staff = sess.User.Role.Has(hotline.PermManageStaff)
		p.Team = teamRoles[sess.User.Role]
		p.Disclose = sess.User.Role.Has(hotline.PermDisclose)
		p.ScreenPop = sess.User.Role == hotline.RoleCallAgent
		p.Quality = (&quality.Inspection{}).CanSee(hotline.ActorOf(sess.User)) || sess.User.Role.Can(hotline.ActionAccept)
		if p.ScreenPop {
			p.Seats = hotline.SeatStatuses
			if p.Seat, _ = s.DB.SeatOf(r.Context(), sess.User.ID); p.Seat == "" {
				p.Seat = hotline.SeatOffline
			}
		}
	}
	pages := s.pages
	if s.dev {
		var err error
		if pages, err = s.parseTemplates(); err != nil {
			http.Error(w, "template: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	var buf bytes.Buffer
	if err := pages[l.Name][name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Logger.Error("render page", "page", name, "err", err)
		http.Error(w, l.T("页面渲染失败，请稍后重试"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage renders an error in the visitor's language with the right status.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	code := hotline.ErrorCode(err)
	if code == hotline.EInternal {
		s.Logger.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	title := map[string]string{hotline.EForbidden: "无权访问", hotline.ENotFound: "找不到页面", hotline.EInvalid: "输入有误",
		hotline.ETooMany: "操作过于频繁", hotline.EConflict: "无法办理", hotline.EUnauthorized: "请先登录"}[code]
	if title == "" {
		title = "系统错误"
	}
	s.render(w, r, statusOf[code], "error", title, errorContent{Message: errText(r, err)})
}

type errorContent struct{ Message string }

type loginContent struct{ Username, Error, Next, CSRF string }

// LoginCookie carries the login form's pre-session CSRF token (double
// submit: the cookie and the form field must match), so that another site
// cannot post its own credentials into a visitor's browser (login CSRF).
const LoginCookie = "hotline_login"

// loginPage renders the login form with a fresh pre-session token.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, status int, c loginContent) {
	c.CSRF = randomToken()
	http.SetCookie(w, &http.Cookie{Name: LoginCookie, Value: c.CSRF, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	s.render(w, r, status, "login", "登录", c)
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	s.loginPage(w, r, http.StatusOK, loginContent{Next: r.URL.Query().Get("next")})
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	username := r.PostFormValue("username")
	if c, err := r.Cookie(LoginCookie); err != nil || c.Value == "" ||
		subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue(CSRFField))) != 1 {
		s.loginPage(w, r, http.StatusForbidden, loginContent{Username: username, Next: r.URL.Query().Get("next"),
			Error: localeOf(r).T("登录页面已过期，请重新登录")})
		return
	}
	sess, err := s.DB.Login(r.Context(), sqldb.LoginRequest{Username: username, Password: r.PostFormValue("password"),
		IP: clientIP(r), Kind: sqldb.KindSession})
	s.countLoginFailure(err)
	if err != nil {
		if hotline.ErrorCode(err) == hotline.EInternal {
			s.errorPage(w, r, err)
			return
		}
		s.loginPage(w, r, statusOf[hotline.ErrorCode(err)], loginContent{Username: username, Next: r.URL.Query().Get("next"), Error: localeOf(r).Err(err)})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: LoginCookie, Path: "/", MaxAge: -1})
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode, Expires: sess.ExpiresAt})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// localPath returns next if it is a path on this server, else "/": no
// open redirect through ?next=.
func localPath(next string) string {
	if u, err := url.Parse(next); err != nil || next == "" || u.Host != "" || u.Scheme != "" || next[0] != '/' ||
		(len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return "/"
	}
	return next
}

func (s *Server) handleLogoutForm(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.Logout(r.Context(), actorFrom(r), sessionFrom(r).ID); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type auditContent struct {
	Filter      sqldb.AuditFilter
	From, To    string
	Entries     []*hotline.AuditEntry
	Total       int
	Page, Pages int
	Prev, Next  string
	Error       string
}

func (s *Server) handleAuditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c := auditContent{Filter: sqldb.AuditFilter{Action: q.Get("action"), Target: q.Get("target"), PageSize: 50}, From: q.Get("from"), To: q.Get("to")}
	var err error
	if c.Filter.Page, err = parsePage(q, "page"); err != nil {
		s.errorPage(w, r, err)
		return
	}
	if v := q.Get("actor_id"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			c.Filter.ActorID = n
		} else {
			c.Error = localeOf(r).T("操作人ID应为正整数")
		}
	}
	for _, d := range []struct {
		v   string
		dst *time.Time
		end bool
	}{{c.From, &c.Filter.From, false}, {c.To, &c.Filter.To, true}} {
		if d.v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", d.v, hotline.ChinaZone)
		if err != nil {
			c.Error = localeOf(r).T("日期格式应为 YYYY-MM-DD")
			continue
		}
		if d.end {
			t = t.AddDate(0, 0, 1)
		}
		*d.dst = t
	}
	entries, total, err := s.DB.FindAudit(r.Context(), actorFrom(r), c.Filter)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	c.Entries, c.Total, c.Page = entries, total, c.Filter.Page
	c.Pages = max(1, (total+49)/50)
	link := func(p int) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(p))
		return "/admin/audit?" + v.Encode()
	}
	if c.Page > 1 {
		c.Prev = link(c.Page - 1)
	}
	if c.Page < c.Pages {
		c.Next = link(c.Page + 1)
	}
	s.render(w, r, http.StatusOK, "audit", "审计日志", c)
}

type sessionsContent struct {
	Sessions []*sqldb.Session
	Current  int64
}

func (s *Server) handleSessionsPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	items, err := s.DB.FindSessions(r.Context(), a, a.UserID)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "sessions", "登录会话", sessionsContent{Sessions: items, Current: sessionFrom(r).ID})
}

func (s *Server) handleRevokeForm(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "令牌不存在"))
		return
	}
	a := actorFrom(r)
	if _, err := s.DB.RevokeSessions(r.Context(), a, a.UserID, id); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/sessions", http.StatusSeeOther)
}

func (s *Server) handleRevokeAllForm(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	if _, err := s.DB.RevokeSessions(r.Context(), a, a.UserID, 0); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
