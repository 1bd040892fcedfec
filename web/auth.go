package web

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"hotline"
	"hotline/sqldb"
)

// Cookie names of a browser session.
const (
	SessionCookie = "hotline_session"
	CSRFHeader    = "X-CSRF-Token"
	CSRFField     = "csrf_token"
)

type ctxKey int

const sessionKey ctxKey = 1

// authenticate finds the session of a request: a bearer token (API
// clients) or a session cookie (browsers). Cookie-authenticated requests
// that change state must carry the session's CSRF token, in the
// X-CSRF-Token header or the csrf_token form field; bearer tokens are not
// sent by browsers on their own, so they need none.
func (s *Server) authenticate(r *http.Request) (*sqldb.Session, error) {
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && token != "" {
		return s.DB.Authenticate(r.Context(), token, sqldb.KindAPI)
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, hotline.Errorf(hotline.EUnauthorized, "请先登录（Authorization: Bearer 令牌）")
	}
	sess, err := s.DB.Authenticate(r.Context(), c.Value, sqldb.KindSession)
	if err != nil {
		return nil, err
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		token := r.Header.Get(CSRFHeader)
		if token == "" {
			token = r.PostFormValue(CSRFField)
		}
		if !sess.CheckCSRF(token) {
			return nil, hotline.Errorf(hotline.EForbidden, "缺少或错误的 CSRF 令牌，请刷新页面后重试")
		}
	}
	return sess, nil
}

// auth wraps an API handler that needs a logged-in user.
func (s *Server) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.authenticate(r)
		if err == nil && sess.User.MustChangePassword && !passwordFree[r.URL.Path] {
			err = hotline.Errorf(hotline.EForbidden, "密码已被管理员重置，请先修改密码（POST /api/v1/me/password）")
		}
		if err != nil {
			s.error(w, r, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey, sess)))
	}
}

func sessionFrom(r *http.Request) *sqldb.Session {
	return r.Context().Value(sessionKey).(*sqldb.Session)
}

func userFrom(r *http.Request) *hotline.User { return sessionFrom(r).User }

// actorFrom returns the acting user with the client's address.
func actorFrom(r *http.Request) hotline.Actor {
	a := hotline.ActorOf(userFrom(r))
	a.IP = clientIP(r)
	return a
}

// clientIP is the peer address (a reverse proxy in front would need its
// forwarded-for header trusted here; none is yet).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limiter is a per-client token bucket for public endpoints (login, and the
// citizen channels when they come).
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute, burst int) *limiter {
	return &limiter{rate: float64(perMinute) / 60, burst: float64(burst), buckets: map[string]*bucket{}, now: time.Now}
}

// allow takes a token for key, or says how long until one is free.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.buckets) > 100_000 { // bound memory under a spray of addresses
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Duration(l.burst/l.rate)*time.Second {
				delete(l.buckets, k)
			}
		}
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// limit wraps a public handler with the per-client rate limit.
func (s *Server) limit(l *limiter, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := l.allow(clientIP(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			err := hotline.Errorf(hotline.ETooMany, "请求过于频繁，请 %d 秒后再试", int(wait.Seconds())+1)
			if strings.HasPrefix(r.URL.Path, "/api/") {
				s.error(w, r, err)
			} else {
				s.errorPage(w, r, err)
			}
			return
		}
		h(w, r)
	}
}
