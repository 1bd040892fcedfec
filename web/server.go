// Package web serves the hotline over HTTP: the JSON API under /api/v1
// (HTML pages come with the workstation). Handlers parse, call sqldb and
// render; rules live in the domain and storage.
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"hotline"
	"hotline/channel/sms"
	"hotline/channel/wechat"
	"hotline/metrics"
	"hotline/sqldb"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// Server is the HTTP server of one hotline instance.
type Server struct {
	DB     *sqldb.DB
	Logger *slog.Logger
	// SecureCookies marks session cookies Secure (HTTPS only). On by
	// default; the demo on http://127.0.0.1 turns it off.
	SecureCookies bool
	// Metrics, when set, counts requests, streams and login failures;
	// /metrics serves them (to MetricsToken's bearer, or loopback only).
	Metrics      *metrics.Metrics
	MetricsToken string
	// AccessLog writes a line per request (no query, token or body).
	AccessLog bool
	// SMS sends the citizen channels' texts (codes, receipts); nil: none
	// are sent and the portal cannot verify phones.
	SMS sms.Gateway
	// SMSSecret checks the provider's inbound replies (/sms/inbound).
	SMSSecret string
	// WeChat is the official account's server URL (/wechat); nil: off.
	WeChat http.Handler
	// WeChatAPI calls WeChat's server API (the menu); nil without the
	// account's AppID and AppSecret.
	WeChatAPI *wechat.API
	// PublicURL is the hotline's address as citizens reach it (links in
	// texts and WeChat answers); "" gives paths only.
	PublicURL string
	// PowBits is the proof of work the portal asks before texting a code
	// (DefaultPowBits when 0); PortalPerMinute bounds each address's
	// portal requests (0: no limit, for benchmarks).
	PowBits         int
	PortalPerMinute int
	portalLimit     *limiter
	portalOnce      sync.Once
	portalPages     map[string]map[string]*template.Template

	// ReportFont is the CJK TrueType font file of the reports' PDF and
	// charts (report.DefaultFont unless set); read at the first report.
	ReportFont string

	hot hotspotCache // the periods' hotspots, for a few minutes

	fontOnce sync.Once
	font     []byte
	fontErr  error

	mux        *routeTable
	loginLimit *limiter
	pages      map[string]map[string]*template.Template // locale → page → template
	files      fs.FS                                    // templates and static files: embedded, or a folder (Develop)
	dev        bool                                     // templates are read again for every page

	refMu      sync.Mutex
	ref        *ref  // units, categories and users (page_ref.go)
	refVersion int64 // the reference counter they were read at

	stopping chan struct{} // closed on shutdown: event streams end
	stopOnce sync.Once

	// Work an admin starts that outlives its request (training, re-index)
	// runs under ctx and is joined by Close.
	ctx    context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup
}

// NewServer returns a server with every route registered.
func NewServer(db *sqldb.DB, logger *slog.Logger) *Server {
	s := &Server{DB: db, Logger: logger, SecureCookies: true, mux: &routeTable{ServeMux: http.NewServeMux()}, loginLimit: newLimiter(30, 20),
		PortalPerMinute: 30, stopping: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.files = assets
	pages, err := s.parseTemplates()
	if err != nil {
		panic(err) // a broken embedded template: the binary itself is broken
	}
	s.pages = pages
	if s.portalPages, err = s.parsePortal(); err != nil {
		panic(err)
	}
	s.routes()
	return s
}

// background runs fn outside the request, under the server's context.
func (s *Server) background(fn func(ctx context.Context)) {
	s.bg.Add(1)
	go func() { defer s.bg.Done(); fn(s.ctx) }()
}

// Close ends the server's background work (its context is cancelled) and
// waits for it; after http.Server.Shutdown, before the database closes.
func (s *Server) Close() {
	s.StopStreams()
	s.cancel()
	s.bg.Wait()
}

// routeTable is the server's ServeMux, remembering its patterns so that a
// test can walk every route (TestPrivacy_EveryRouteMasked).
type routeTable struct {
	*http.ServeMux
	patterns []string
}

// HandleFunc registers a handler and remembers the pattern.
func (t *routeTable) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	t.patterns = append(t.patterns, pattern)
	t.ServeMux.HandleFunc(pattern, h)
}

// Handle registers a handler and remembers the pattern.
func (t *routeTable) Handle(pattern string, h http.Handler) {
	t.patterns = append(t.patterns, pattern)
	t.ServeMux.Handle(pattern, h)
}

// Routes lists every registered pattern ("GET /api/v1/tickets/{id}"), in
// the order of registration.
func (s *Server) Routes() []string { return append([]string(nil), s.mux.patterns...) }

// securityHeaders go on every response: no inline scripts, no framing, no
// referrer, no MIME sniffing.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"X-Frame-Options":        "DENY",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
	"Cache-Control":          "no-store",
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.observe(w, r, s.serve)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	for k, v := range securityHeaders {
		w.Header().Set(k, v)
	}
	limit := int64(MaxBodyBytes)
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/attachments") {
		limit = sqldb.MaxAttachmentBytes + 64<<10 // the file and the form around it
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/calls/") && strings.HasSuffix(r.URL.Path, "/recording") {
		limit = sqldb.MaxRecordingBytes + 64<<10
	} else if r.Method == http.MethodPost && multipart(r) && !strings.HasPrefix(r.URL.Path, "/kb/") {
		limit = maxUploadFiles*s.DB.FilePolicy.MaxBytes + 64<<10 // ticket attachments with their form
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := checkRequest(r); err != nil {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			s.error(w, r, err)
		} else {
			s.errorPage(w, r, err)
		}
		return
	}
	s.mux.ServeHTTP(w, r)
}

var statusOf = map[string]int{
	hotline.EInvalid: http.StatusBadRequest, hotline.EUnauthorized: http.StatusUnauthorized,
	hotline.EForbidden: http.StatusForbidden, hotline.ENotFound: http.StatusNotFound,
	hotline.EConflict: http.StatusConflict, hotline.EInternal: http.StatusInternalServerError,
	hotline.ETooMany: http.StatusTooManyRequests,
}

// error renders err as {"error":{"code","message","field"}}; internal errors
// are logged here, once, and shown without detail.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code := hotline.ErrorCode(err)
	if code == hotline.EInternal {
		s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	body := map[string]string{"code": code, "message": localeOf(r).Err(err)}
	if f := hotline.ErrorField(err); f != "" {
		body["field"] = f
	}
	writeJSON(w, statusOf[code], map[string]any{"error": body})
}

// respond renders v with status, or err if there is one.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// decode reads a JSON body into v, refusing unknown fields and naming the
// field of a type mismatch, and checks every string in it (checkStrings):
// a NUL, a lone zero-width space or an oversized text is a 400 naming the
// field before any handler acts.
func decode(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		if dec.More() {
			return hotline.Invalid("body", "请求体只能包含一个 JSON 对象")
		}
		return checkStrings(reflect.ValueOf(v), "")
	case errors.Is(err, io.EOF):
		return hotline.Invalid("body", "请求体为空，应为 JSON 对象")
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return hotline.Invalid("body", "请求体应为 JSON 对象")
	case errors.As(err, &typeErr):
		return hotline.Invalid(typeErr.Field, "字段类型错误，应为 %s", jsonTypeName(typeErr.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if f == "" {
			return hotline.Invalid("body", "请求体含有空的字段名")
		}
		return hotline.Invalid(f, "未知字段“%s”", f)
	default:
		return hotline.Invalid("body", "JSON 格式错误：%s", err.Error())
	}
}

// pathID parses the {id} path value.
func pathID(r *http.Request) (int64, error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return 0, hotline.Errorf(hotline.ENotFound, "工单不存在")
	}
	return id, nil
}

// jsonTypeName says which JSON type a Go kind wants, in Chinese.
func jsonTypeName(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "数字"
	case kind == "string":
		return "字符串"
	case kind == "bool":
		return "true 或 false"
	case kind == "slice", kind == "array":
		return "数组"
	}
	return "对象"
}
