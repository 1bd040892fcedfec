package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/sqldb"
)

// MaxCallBatch bounds the events of one webhook request.
const MaxCallBatch = 1000

type apiKeyCtx struct{}

// integration authenticates an integration key of scope (Authorization:
// Bearer KEY) before the handler: the telephony platform is no user.
func (s *Server) integration(scope string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || key == "" {
			s.error(w, r, hotline.Errorf(hotline.EUnauthorized, "请以 Authorization: Bearer 接口密钥 调用"))
			return
		}
		k, err := s.DB.AuthenticateAPIKey(r.Context(), key, scope)
		if err != nil {
			s.error(w, r, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), apiKeyCtx{}, k)))
	}
}

// callEventIn is a webhook event as posted; the time is parsed here, so
// that a bad one names its field.
type callEventIn struct {
	CallID    string `json:"call_id"`
	Event     string `json:"event"`
	At        string `json:"at"`
	Caller    string `json:"caller"`
	Callee    string `json:"callee"`
	Queue     string `json:"queue"`
	Agent     string `json:"agent"`
	Recording string `json:"recording"`
}

func (in callEventIn) event(prefix string) (hotline.CallEvent, error) {
	at, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(in.At))
	if err != nil {
		return hotline.CallEvent{}, hotline.Invalid(prefix+"at", "事件时间应为 RFC 3339 格式（如 2026-11-30T09:00:05+08:00）")
	}
	return hotline.CallEvent{CallID: in.CallID, Event: hotline.CallEventKind(in.Event), At: at, Caller: in.Caller,
		Callee: in.Callee, Queue: in.Queue, Agent: in.Agent, Recording: in.Recording}, nil
}

// handleCallEvents is POST /api/v1/cti/events: one event or an array of
// up to MaxCallBatch, all-or-nothing.
func (s *Server) handleCallEvents(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var ins []callEventIn
	batch := bytes.HasPrefix(bytes.TrimSpace(body), []byte("["))
	if batch {
		err = decode(r, &ins)
	} else {
		var one callEventIn
		err = decode(r, &one)
		ins = []callEventIn{one}
	}
	if err == nil && len(ins) > MaxCallBatch {
		err = hotline.Invalid("body", "一次最多 %d 个事件", MaxCallBatch)
	}
	var events []hotline.CallEvent
	for i, in := range ins {
		if err != nil {
			break
		}
		prefix := ""
		if batch {
			prefix = "[" + strconv.Itoa(i) + "]."
		}
		var e hotline.CallEvent
		if e, err = in.event(prefix); err == nil {
			events = append(events, e)
		}
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	b, err := s.DB.IngestCallEvents(r.Context(), "webhook", events)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// handleCallStats is GET /api/v1/calls/stats?from=&to=[&agent=][&queue=]:
// from and to as RFC 3339 times or dates (a date is its whole day in
// China time, to inclusive); agent a username.
func (s *Server) handleCallStats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := parsePeriod(q.Get("from"), q.Get("to"))
	f := sqldb.CallFilter{From: from, To: to, Queue: strings.TrimSpace(q.Get("queue"))}
	if name := strings.TrimSpace(q.Get("agent")); err == nil && name != "" {
		u, ferr := s.DB.FindUserByUsername(r.Context(), name)
		if ferr != nil {
			err = hotline.Invalid("agent", "没有用户名为 %s 的坐席", name)
		} else {
			f.AgentID = u.ID
		}
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	st, err := s.DB.FindCallStats(r.Context(), actorFrom(r), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// Exactly the fields; the pages show the rest.
	writeJSON(w, http.StatusOK, map[string]any{"offered": st.Offered, "answered": st.Answered, "abandoned": st.Abandoned,
		"answer_rate": st.AnswerRate, "service_level_15s": st.ServiceLevel15s, "avg_wait_seconds": st.AvgWaitSeconds,
		"avg_talk_seconds": st.AvgTalkSeconds})
}

// parseWhen reads a time bound: RFC 3339, or a date in China time (the
// end of the day when end is set).
func parseWhen(field, v string, end bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, hotline.Invalid(field, "请给出%s（RFC 3339 时间或 YYYY-MM-DD 日期）", map[bool]string{false: "开始时间", true: "结束时间"}[end])
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation("2006-01-02", v, hotline.ChinaZone)
	if err != nil {
		return time.Time{}, hotline.Invalid(field, "应为 RFC 3339 时间或 YYYY-MM-DD 日期")
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// parsePeriod reads the bounds of a period, from and to (the end of its
// day when a date), an error naming its field.
func parsePeriod(from, to string) (time.Time, time.Time, error) {
	f, err := parseWhen("from", from, false)
	if err != nil {
		return f, f, err
	}
	t, err := parseWhen("to", to, true)
	return f, t, err
}

// handleLinkCall is POST /api/v1/tickets/{id}/calls {"call_id"}: the call
// the ticket was accepted on, linked afterwards.
func (s *Server) handleLinkCall(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var in struct {
		CallID string `json:"call_id"`
	}
	if err == nil {
		err = decode(r, &in)
	}
	if err == nil {
		err = s.DB.LinkCall(r.Context(), actorFrom(r), id, in.CallID)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	t, err := s.DB.FindTicketByID(r.Context(), actorFrom(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// handleLinkCallForm links a call from the ticket page.
func (s *Server) handleLinkCallForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	if err := s.DB.LinkCall(r.Context(), actorFrom(r), id, r.PostFormValue("call_id")); err != nil {
		s.ticketFormError(w, r, hotline.ActionLinkCall, err)
		return
	}
	http.Redirect(w, r, "/tickets/"+strconv.FormatInt(id, 10)+"#calls", http.StatusSeeOther)
}

// handleUploadRecording is POST /api/v1/calls/{id}/recording (integration
// key): the recording of the call with the platform's id, as the body
// (audio/*) or the multipart field "file".
func (s *Server) handleUploadRecording(w http.ResponseWriter, r *http.Request) {
	var data []byte
	var err error
	if multipart(r) {
		file, _, ferr := r.FormFile("file")
		if ferr != nil {
			s.error(w, r, hotline.Invalid("file", "请在 multipart 表单的 file 字段上传录音"))
			return
		}
		defer file.Close()
		data, err = io.ReadAll(file)
	} else {
		data, err = io.ReadAll(r.Body)
	}
	if err != nil {
		s.error(w, r, hotline.Invalid("file", "录音读取失败（不能超过 %d MB）", sqldb.MaxRecordingBytes>>20))
		return
	}
	if err := s.DB.StoreRecording(r.Context(), r.PathValue("id"), data); err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"call_id": r.PathValue("id"), "bytes": len(data)})
}

// handleRecording plays a call's recording to those who may listen; a
// playback is audited once (not each range the player asks for next).
func (s *Server) handleRecording(w http.ResponseWriter, r *http.Request) {
	rng := r.Header.Get("Range")
	first := rng == "" || strings.HasPrefix(rng, "bytes=0-")
	ctype, data, err := s.DB.OpenRecording(r.Context(), actorFrom(r), r.PathValue("id"), first)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}
