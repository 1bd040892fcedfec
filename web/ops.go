package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline"
)

// Operability: a request id and an access log line for every request,
// latency metrics by route, /readyz, /metrics, and the end of event
// streams on shutdown.

// RequestIDHeader carries a request's id, taken from a proxy in front or
// made here, and sent back.
const RequestIDHeader = "X-Request-ID"

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

// WriteHeader records the status.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records the size (and a 200 when no status was written).
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flushes and
// deadlines of event streams).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// requestID is the proxy's id when it looks like one, else a new one.
func requestID(r *http.Request) string {
	if id := r.Header.Get(RequestIDHeader); id != "" && len(id) <= 64 && strings.Trim(id, "abcdefABCDEF0123456789-_.") == "" {
		return id
	}
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// observe wraps the mux: the route pattern is the metric's label (never
// the path, which holds ids), and the access log has method, route,
// status, duration, size and request id — no query string (search words
// may be a name or a number), no tokens, no bodies.
func (s *Server) observe(w http.ResponseWriter, r *http.Request, serve func(http.ResponseWriter, *http.Request)) {
	start := time.Now()
	id := requestID(r)
	w.Header().Set(RequestIDHeader, id)
	sw := &statusWriter{ResponseWriter: w}
	_, route := s.mux.Handler(r)
	if route == "" {
		route = "unmatched"
	}
	serve(sw, r)
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	took := time.Since(start)
	if s.Metrics != nil {
		s.Metrics.Requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Observe(took.Seconds())
	}
	if s.AccessLog {
		s.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("id", id), slog.String("method", r.Method),
			slog.String("route", route), slog.Int("status", sw.status), slog.Duration("took", took), slog.Int("bytes", sw.bytes),
			slog.String("ip", clientIP(r)))
	}
}

// handleReady answers /readyz: the database answers and is migrated.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.Ready(r.Context()); err != nil {
		s.Logger.Warn("not ready", "err", err)
		http.Error(w, "not ready\n", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// handleMetrics serves Prometheus metrics: with a metrics token to those
// who send it as a bearer token, otherwise to loopback clients only.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.Metrics == nil {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "未启用监控指标"))
		return
	}
	if s.MetricsToken != "" {
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(s.MetricsToken)) != 1 {
			s.error(w, r, hotline.Errorf(hotline.EUnauthorized, "需要监控令牌"))
			return
		}
	} else if ip := net.ParseIP(clientIP(r)); ip == nil || !ip.IsLoopback() {
		s.error(w, r, hotline.Errorf(hotline.EForbidden, "监控指标只对本机开放（或配置监控令牌）"))
		return
	}
	s.Metrics.Handler().ServeHTTP(w, r)
}

// StopStreams ends every open event stream (browsers reconnect to another
// server): for a graceful shutdown, whose drain would otherwise wait for
// streams that never end. Register it with http.Server.RegisterOnShutdown.
func (s *Server) StopStreams() { s.stopOnce.Do(func() { close(s.stopping) }) }
