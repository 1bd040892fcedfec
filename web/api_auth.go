package web

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"hotline"
	"hotline/sqldb"
)

type loginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Name     string `json:"name"` // label for an API token
}

func (s *Server) login(r *http.Request, kind string) (*sqldb.Session, error) {
	var in loginInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.Username == "" {
		return nil, hotline.Invalid("username", "请填写用户名")
	}
	sess, err := s.DB.Login(r.Context(), sqldb.LoginRequest{Username: in.Username, Password: in.Password, IP: clientIP(r), Kind: kind, Name: in.Name})
	s.countLoginFailure(err)
	return sess, err
}

// countLoginFailure counts a refused login in the metrics.
func (s *Server) countLoginFailure(err error) {
	if c := hotline.ErrorCode(err); s.Metrics != nil && (c == hotline.EUnauthorized || c == hotline.ETooMany) {
		s.Metrics.LoginFailures.Inc()
	}
}

// handleLogin issues an API bearer token.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	sess, err := s.login(r, sqldb.KindAPI)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": sess.Token, "user": sess.User, "expires_at": sess.ExpiresAt})
}

// handleSessionLogin starts a browser session: an HttpOnly, SameSite=Strict
// cookie, and the CSRF token the page must send back on every change.
func (s *Server) handleSessionLogin(w http.ResponseWriter, r *http.Request) {
	// Login CSRF: a cross-site form can send neither a JSON content type
	// nor (for a cross-origin script) get past the missing CORS headers; a
	// browser names the page's origin, which must be this server.
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		s.error(w, r, hotline.Invalid("Content-Type", "请以 application/json 提交"))
		return
	}
	if o := r.Header.Get("Origin"); o != "" {
		if u, err := url.Parse(o); err != nil || u.Host != r.Host {
			s.error(w, r, hotline.Errorf(hotline.EForbidden, "不接受来自其他网站的登录请求"))
			return
		}
	}
	sess, err := s.login(r, sqldb.KindSession)
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode, Expires: sess.ExpiresAt})
	writeJSON(w, http.StatusOK, map[string]any{"csrf": sess.CSRF, "user": sess.User, "expires_at": sess.ExpiresAt})
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.Logout(r.Context(), actorFrom(r), sessionFrom(r).ID); err != nil {
		s.error(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

// handleLogoutAll ends every session and token of the user ("log out
// everywhere").
func (s *Server) handleLogoutAll(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	n, err := s.DB.RevokeSessions(r.Context(), a, a.UserID, 0)
	s.respond(w, r, http.StatusOK, map[string]int{"revoked": n}, err)
}

func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	uid := a.UserID
	if v := r.URL.Query().Get("user_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			s.error(w, r, hotline.Invalid("user_id", "应为正整数"))
			return
		}
		uid = n
	}
	items, err := s.DB.FindSessions(r.Context(), a, uid)
	s.respond(w, r, http.StatusOK, map[string]any{"items": items}, err)
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "令牌不存在"))
		return
	}
	a := actorFrom(r)
	uid := a.UserID
	if v := r.URL.Query().Get("user_id"); v != "" {
		uid, _ = strconv.ParseInt(v, 10, 64)
	}
	_, err := s.DB.RevokeSessions(r.Context(), a, uid, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, userFrom(r))
}

func (s *Server) handleReveal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	req, err := s.DB.RevealRequester(r.Context(), actorFrom(r), id, in.Reason)
	s.respond(w, r, http.StatusOK, map[string]any{"requester": req}, err)
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := sqldb.AuditFilter{Action: q.Get("action"), Target: q.Get("target")}
	var err error
	if f.Page, f.PageSize, err = pageParams(q); err != nil {
		s.error(w, r, err)
		return
	}
	if v := q.Get("actor_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			s.error(w, r, hotline.Invalid("actor_id", "应为正整数"))
			return
		}
		f.ActorID = n
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			d, err := time.ParseInLocation("2006-01-02", v, hotline.ChinaZone)
			if err != nil {
				s.error(w, r, hotline.Invalid(name, "日期格式应为 YYYY-MM-DD"))
				return
			}
			if name == "to" {
				d = d.AddDate(0, 0, 1)
			}
			*dst = d
		}
	}
	items, total, err := s.DB.FindAudit(r.Context(), actorFrom(r), f)
	s.respond(w, r, http.StatusOK, map[string]any{"items": items, "total": total}, err)
}
