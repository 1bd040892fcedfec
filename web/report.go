package web

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"strings"

	"hotline"
	"hotline/report"
)

var reportStandings = map[string]string{report.StandingNone: "未撰写", report.StandingDraft: "草稿", report.StandingOnTime: "已按时报送",
	report.StandingLate: "逾期报送", report.StandingOverdue: "逾期未报送"}

var reportKinds = map[string]string{report.PeriodMonth: "月度统计分析报告", report.PeriodQuarter: "季度热点难点预测预警专报",
	report.PeriodHalf: "半年工作报告", report.PeriodYear: "年度工作报告"}

// reportFont reads the reports' font once.
func (s *Server) reportFont() ([]byte, error) {
	s.fontOnce.Do(func() {
		path := s.ReportFont
		if path == "" {
			path = report.DefaultFont
		}
		if s.font, s.fontErr = os.ReadFile(path); s.fontErr != nil {
			s.fontErr = fmt.Errorf("the reports' font %s (apt-get install fonts-arphic-gbsn00lp, or serve --report-font FILE.ttf): %w", path, s.fontErr)
		}
	})
	return s.font, s.fontErr
}

// reportPeriod reads the period of /api/v1/reports/{period}/{key}.ext:
// month 2026-11, quarter 2026-Q4, half 2026-H1 or year 2026.
func reportPeriod(kind, key string) (report.Period, error) {
	if reportKinds[kind] == "" {
		return report.Period{}, hotline.Invalid("period", "报告周期须为 month、quarter、half 或 year")
	}
	p, err := report.ParseKey(key)
	if err != nil {
		return p, err
	} else if p.Kind != kind {
		return p, hotline.Invalid("period", "%s不是%s的周期（例如 2026-11、2026-Q4、2026-H1、2026）", key, reportKinds[kind])
	}
	return p, nil
}

// handleReportFile is GET /api/v1/reports/{period}/{file}: the report of
// the period as docx (2026-11.docx) or PDF (2026-11.pdf), generated from
// the figures now, with charts.
func (s *Server) handleReportFile(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	key, ext, _ := strings.Cut(file, ".")
	if ext != "docx" && ext != "pdf" {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "报告只有 .docx 和 .pdf 两种格式：%s", file))
		return
	}
	p, err := reportPeriod(r.PathValue("period"), key)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ttf, err := s.reportFont()
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DB.Stats().ReportData(r.Context(), actorFrom(r), p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	doc, err := report.Build(d, func(c report.Chart, w, h float64) ([]byte, error) { return c.PNG(ttf, w, h) })
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	now := s.DB.Now()
	if ext == "docx" {
		err = report.WriteDOCX(&buf, doc, now)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	} else {
		err = report.WritePDF(&buf, doc, ttf, now)
		w.Header().Set("Content-Type", "application/pdf")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	name := doc.Title + "." + ext
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="report-%s.%s"; filename*=UTF-8''%s`, key, ext, urlPathEscape(name)))
	w.Write(buf.Bytes())
}

// handleReport is GET /api/v1/reports/{period}/{file}: with .docx or .pdf
// the report's file, without an extension its state (versions, due time,
// status).
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.PathValue("file"), ".") {
		s.handleReportFile(w, r)
		return
	}
	p, err := reportPeriod(r.PathValue("period"), r.PathValue("file"))
	if err == nil {
		var st *report.State
		if st, err = s.DB.Stats().ReportState(r.Context(), actorFrom(r), p); err == nil {
			s.writeReportState(w, r, st)
			return
		}
	}
	s.error(w, r, err)
}

func (s *Server) writeReportState(w http.ResponseWriter, r *http.Request, st *report.State) {
	now := s.DB.Now()
	standing := st.Standing(now)
	writeJSON(w, http.StatusOK, map[string]any{"period": st.Key, "kind": st.Kind, "due_at": st.DueAt, "status": standing,
		"status_label": localeOf(r).T(reportStandings[standing]),
		"on_time":      st.OnTime(), "overdue": st.Overdue(now), "submitted_at": st.FirstSubmitted(), "versions": st.Versions})
}

// handleReportSave is PUT /api/v1/reports/{period}/{key} {"narrative"}:
// the analyst's analysis and suggestions, into the draft.
func (s *Server) handleReportSave(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Narrative string `json:"narrative"`
	}
	p, err := reportPeriod(r.PathValue("period"), r.PathValue("key"))
	if err == nil {
		err = decode(r, &in)
	}
	if err == nil {
		var st *report.State
		if st, err = s.DB.Stats().SaveReport(r.Context(), actorFrom(r), p, in.Narrative); err == nil {
			s.writeReportState(w, r, st)
			return
		}
	}
	s.error(w, r, err)
}

// handleReportSubmit is POST /api/v1/reports/{period}/{key}/submit: the
// draft goes to the centre (报送).
func (s *Server) handleReportSubmit(w http.ResponseWriter, r *http.Request) {
	p, err := reportPeriod(r.PathValue("period"), r.PathValue("key"))
	if err == nil {
		var st *report.State
		if st, err = s.DB.Stats().SubmitReport(r.Context(), actorFrom(r), p); err == nil {
			s.writeReportState(w, r, st)
			return
		}
	}
	s.error(w, r, err)
}
