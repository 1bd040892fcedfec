package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// handleAttendance is GET /api/v1/attendance/{month}: the ledger
// {"month","records":[…],"gaps":[{"hour","minutes"}],"gap_minutes","totals","corrections"}.
func (s *Server) handleAttendance(w http.ResponseWriter, r *http.Request) {
	v, err := s.DB.Workforce().Attendance(r.Context(), actorFrom(r), r.PathValue("month"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// handlePunch is POST /api/v1/attendance/punch {"kind":"sign_in|sign_out"}.
func (s *Server) handlePunch(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Kind string `json:"kind"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.Workforce().Punch(r.Context(), actorFrom(r), in.Kind); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleRequestCorrection is POST /api/v1/attendance/corrections
// {"member_id"(approvers only),"kind","at"(RFC 3339),"reason"}.
func (s *Server) handleRequestCorrection(w http.ResponseWriter, r *http.Request) {
	var in sqldb.Correction
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := s.DB.Workforce().RequestCorrection(r.Context(), actorFrom(r), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id})
}

// handleDecideCorrection is POST /api/v1/attendance/corrections/{id}/decision {"approve","note"}.
func (s *Server) handleDecideCorrection(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.error(w, r, hotline.Invalid("id", "补卡申请编号应为数字"))
		return
	}
	var in decision
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.Workforce().DecideCorrection(r.Context(), actorFrom(r), id, in.Approve, in.Note); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// attendanceContent is the attendance page (在岗台账).
type attendanceContent struct {
	Month, Prev, Next string
	View              *sqldb.AttendanceView
	Lines             []sqldb.AttendanceLine
	Exceptions        bool
	HasRecord         bool // the actor has a staff record: the button
	SignedIn          bool
	Approve           bool
	Names             map[string]string
	PostNames         map[string]string
	Members           []sqldb.AttendanceLine // one line per person, for the correction form
}

func monthOrNow(s *Server, v string) (string, time.Time) {
	t, err := time.ParseInLocation("2006-01", v, hotline.ChinaZone)
	if err != nil {
		now := s.DB.Now().In(hotline.ChinaZone)
		t = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone)
	}
	return t.Format("2006-01"), t
}

func (s *Server) handleAttendancePage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	month, first := monthOrNow(s, r.URL.Query().Get("month"))
	s.show(w, r, http.StatusOK, "staff/attendance", "在岗台账", func(rf *ref) (any, error) {
		c := &attendanceContent{Month: month, Prev: first.AddDate(0, -1, 0).Format("2006-01"), Next: first.AddDate(0, 1, 0).Format("2006-01"),
			Exceptions: r.URL.Query().Get("exceptions") == "1", Approve: a.Role.Has(hotline.PermApproveRoster), Names: wfm.AttendNames, PostNames: wfm.PostNames}
		in, err := s.DB.Workforce().SignedIn(r.Context(), a)
		if err == nil {
			c.HasRecord, c.SignedIn = true, in
		} else if hotline.ErrorCode(err) != hotline.ENotFound {
			return nil, err
		}
		if c.View, err = s.DB.Workforce().Attendance(r.Context(), a, month); err != nil {
			if hotline.ErrorCode(err) == hotline.ENotFound {
				return c, nil
			}
			return nil, err
		}
		seen := map[int64]bool{}
		for _, l := range c.View.Records {
			if !seen[l.MemberID] {
				seen[l.MemberID] = true
				c.Members = append(c.Members, l)
			}
			if c.Exceptions && (l.Status == wfm.AttendOnTime || l.Status == wfm.AttendUpcoming || l.Status == wfm.AttendOnDuty) {
				continue
			}
			c.Lines = append(c.Lines, l)
		}
		return c, nil
	})
}

// handlePunchForm is the sign-in / sign-out button.
func (s *Server) handlePunchForm(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.Workforce().Punch(r.Context(), actorFrom(r), r.PostFormValue("kind")); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/attendance?saved=1", http.StatusSeeOther)
}

// handleCorrectionForm asks for a correction from the page (the time as
// the browser's datetime-local, China time).
func (s *Server) handleCorrectionForm(w http.ResponseWriter, r *http.Request) {
	at, err := time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("at"), hotline.ChinaZone)
	if err != nil {
		s.errorPage(w, r, hotline.Invalid("at", "请填写补卡时间"))
		return
	}
	member, _ := strconv.ParseInt(r.PostFormValue("member_id"), 10, 64)
	if _, err := s.DB.Workforce().RequestCorrection(r.Context(), actorFrom(r), sqldb.Correction{MemberID: member, Kind: r.PostFormValue("kind"), At: at,
		Reason: r.PostFormValue("reason")}); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/attendance?saved=1&month="+at.Format("2006-01"), http.StatusSeeOther)
}

// handleCorrectionDecisionForm approves or rejects from the page.
func (s *Server) handleCorrectionDecisionForm(w http.ResponseWriter, r *http.Request) {
	s.decisionForm(w, r, s.DB.Workforce().DecideCorrection, "/staff/attendance")
}

// handleAttendanceXLSX is GET /staff/attendance/{file} with file
// YYYY-MM.xlsx: the month's ledger, its coverage gaps and corrections.
func (s *Server) handleAttendanceXLSX(w http.ResponseWriter, r *http.Request) {
	month, ok := s.monthFile(w, r)
	if !ok {
		return
	}
	v, err := s.DB.Workforce().Attendance(r.Context(), actorFrom(r), month)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	l := localeOf(r)
	x := excelize.NewFile()
	defer x.Close()
	ledger, gaps, corr := l.T("在岗台账"), l.T("服务缺口"), l.T("补卡")
	x.SetSheetName("Sheet1", ledger)
	x.NewSheet(gaps)
	x.NewSheet(corr)
	clock := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(hotline.ChinaZone).Format("2006-01-02 15:04")
	}
	x.SetSheetRow(ledger, "A1", &[]any{l.T("日期"), l.T("班次"), l.T("人员"), l.T("岗位"), l.T("应到"), l.T("应退"), l.T("签到"), l.T("签退"), l.T("状态"), l.T("迟到分钟"), l.T("早退分钟")})
	for i, ln := range v.Records {
		start, end := ln.Start, ln.End
		shift, post := l.T(ln.Shift), ""
		if ln.Post != "" {
			post = l.T(wfm.PostNames[ln.Post])
		}
		if ln.Shift == "" {
			shift = ""
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow(ledger, cell, &[]any{ln.Date, shift, ln.Name, post, clock(&start), clock(&end), clock(ln.SignIn), clock(ln.SignOut),
			l.T(wfm.AttendNames[ln.Status]), ln.LateMinutes, ln.EarlyMinutes})
	}
	x.SetSheetRow(gaps, "A1", &[]any{l.T("时段"), l.T("无人在岗分钟")})
	for i, g := range v.Gaps {
		h := g.Hour
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow(gaps, cell, &[]any{clock(&h), g.Minutes})
	}
	x.SetSheetRow(corr, "A1", &[]any{l.T("人员"), l.T("补卡"), l.T("时间"), l.T("原因"), l.T("审批")})
	for i, c := range v.Corrections {
		at := c.At
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow(corr, cell, &[]any{c.Name, l.T(punchNames[c.Kind]), clock(&at), c.Reason, l.T(approvalNames[c.Status])})
	}
	for _, sh := range []string{ledger, gaps, corr} {
		x.SetColWidth(sh, "A", "K", 16)
		x.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	sendXLSX(w, s, x, "attendance-"+month, l.Tf("在岗台账-%s.xlsx", month))
}

// punchNames and approvalNames name punch kinds and approval states.
var (
	punchNames    = map[string]string{wfm.SignIn: "签到", wfm.SignOut: "签退"}
	approvalNames = map[string]string{"pending": "待审批", "approved": "已批准", "rejected": "未批准"}
)
