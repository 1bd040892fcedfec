package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// handleMoveShift is POST /api/v1/rosters/{month}/moves
// {"member_id","from_date","from_shift","to_date","to_shift"}.
func (s *Server) handleMoveShift(w http.ResponseWriter, r *http.Request) {
	var in sqldb.RosterMove
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.DB.Workforce().MoveShift(r.Context(), actorFrom(r), r.PathValue("month"), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// handleRosterRequests is GET /api/v1/roster-requests?month=YYYY-MM.
func (s *Server) handleRosterRequests(w http.ResponseWriter, r *http.Request) {
	items, err := s.DB.Workforce().RosterRequests(r.Context(), actorFrom(r), r.URL.Query().Get("month"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// handleRequestRosterChange is POST /api/v1/roster-requests
// {"kind":"swap|leave","day","shift","other_member_id","other_day","other_shift","reason"}.
func (s *Server) handleRequestRosterChange(w http.ResponseWriter, r *http.Request) {
	var in sqldb.RosterRequest
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := s.DB.Workforce().RequestRosterChange(r.Context(), actorFrom(r), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id})
}

// decision is the body of an approval: {"approve":true|false,"note"}.
type decision struct {
	Approve bool   `json:"approve"`
	Note    string `json:"note"`
}

// handleDecideRosterRequest is POST /api/v1/roster-requests/{id}/decision.
func (s *Server) handleDecideRosterRequest(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.error(w, r, hotline.Invalid("id", "申请编号应为数字"))
		return
	}
	var in decision
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.Workforce().DecideRosterRequest(r.Context(), actorFrom(r), id, in.Approve, in.Note); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleRosterNotices is GET /api/v1/roster-notices: the actor's notices
// of changes to their published shifts (read as they are listed).
func (s *Server) handleRosterNotices(w http.ResponseWriter, r *http.Request) {
	items, err := s.DB.Workforce().Notices(r.Context(), actorFrom(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// splitShift reads a "YYYY-MM-DD|班次" choice of the roster page.
func splitShift(v string) (string, string) {
	day, shift, _ := strings.Cut(v, "|")
	return day, shift
}

// handleMoveShiftForm moves a shift from the roster page.
func (s *Server) handleMoveShiftForm(w http.ResponseWriter, r *http.Request) {
	month := r.PostFormValue("month")
	who, from, _ := strings.Cut(r.PostFormValue("from"), "|")
	member, _ := strconv.ParseInt(who, 10, 64)
	fromDate, fromShift := splitShift(from)
	m := sqldb.RosterMove{MemberID: member, FromDate: fromDate, FromShift: fromShift, ToDate: r.PostFormValue("to_date"), ToShift: r.PostFormValue("to_shift")}
	if _, err := s.DB.Workforce().MoveShift(r.Context(), actorFrom(r), month, m); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/rosters?saved=1&month="+month, http.StatusSeeOther)
}

// handleRosterRequestForm asks for a swap or leave from the roster page.
func (s *Server) handleRosterRequestForm(w http.ResponseWriter, r *http.Request) {
	day, shift := splitShift(r.PostFormValue("shift"))
	other, _ := strconv.ParseInt(r.PostFormValue("other_member_id"), 10, 64)
	otherDay, otherShift := splitShift(r.PostFormValue("other_shift"))
	q := sqldb.RosterRequest{Kind: r.PostFormValue("kind"), Day: day, Shift: shift, OtherMemberID: other, OtherDay: otherDay, OtherShift: otherShift,
		Reason: r.PostFormValue("reason")}
	if _, err := s.DB.Workforce().RequestRosterChange(r.Context(), actorFrom(r), q); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/rosters?saved=1&month="+r.PostFormValue("month"), http.StatusSeeOther)
}

// handleRosterDecisionForm approves or rejects from the roster page.
func (s *Server) handleRosterDecisionForm(w http.ResponseWriter, r *http.Request) {
	s.decisionForm(w, r, s.DB.Workforce().DecideRosterRequest, "/staff/rosters")
}

// decisionForm runs an approval form ({id} in the path; approve, note
// and month in the form) and returns to the page of the month.
func (s *Server) decisionForm(w http.ResponseWriter, r *http.Request, decide func(context.Context, hotline.Actor, int64, bool, string) error, page string) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := decide(r.Context(), actorFrom(r), id, r.PostFormValue("approve") == "true", r.PostFormValue("note")); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, page+"?saved=1&month="+r.PostFormValue("month"), http.StatusSeeOther)
}

// monthFile is the month of a {file} named YYYY-MM.xlsx (a not-found
// page is written for any other).
func (s *Server) monthFile(w http.ResponseWriter, r *http.Request) (string, bool) {
	month, ok := strings.CutSuffix(r.PathValue("file"), ".xlsx")
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "没有这个文件"))
	}
	return month, ok
}

// handleRosterXLSX is GET /staff/rosters/{file} with file YYYY-MM.xlsx:
// the month as a grid, a row per person and a column per day, each cell
// the shift (and the post when not a call post).
func (s *Server) handleRosterXLSX(w http.ResponseWriter, r *http.Request) {
	month, ok := s.monthFile(w, r)
	if !ok {
		return
	}
	v, err := s.DB.Workforce().Roster(r.Context(), actorFrom(r), month)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	l := localeOf(r)
	first, _ := time.ParseInLocation("2006-01", month, hotline.ChinaZone)
	days := first.AddDate(0, 1, -1).Day()
	type person struct {
		name  string
		cells map[int]string
	}
	var order []int64
	people := map[int64]*person{}
	for _, sl := range v.Shifts {
		d, _ := strconv.Atoi(sl.Date[8:])
		for _, p := range sl.Staff {
			if people[p.MemberID] == nil {
				people[p.MemberID] = &person{name: p.Name, cells: map[int]string{}}
				order = append(order, p.MemberID)
			}
			cell := l.T(sl.Name)
			if p.Post != "call_agent" {
				cell += "/" + l.T(wfm.PostNames[p.Post])
			}
			if p.Standby {
				cell += "/" + l.T("备班")
			}
			people[p.MemberID].cells[d] = cell
		}
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := l.T("排班")
	x.SetSheetName("Sheet1", sheet)
	head := []any{l.T("人员")}
	for d := 1; d <= days; d++ {
		day := first.AddDate(0, 0, d-1).Format("2006-01-02")
		head = append(head, day[5:]+" "+l.T(weekday(day)))
	}
	head = append(head, l.T("班次数"))
	x.SetSheetRow(sheet, "A1", &head)
	for i, id := range order {
		p := people[id]
		row := []any{p.name}
		for d := 1; d <= days; d++ {
			row = append(row, p.cells[d])
		}
		row = append(row, len(p.cells))
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow(sheet, cell, &row)
	}
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true}})
	last, _ := excelize.CoordinatesToCellName(days+2, 1)
	x.SetCellStyle(sheet, "A1", last, bold)
	x.SetColWidth(sheet, "A", "A", 12)
	x.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"})
	sendXLSX(w, s, x, "roster-"+month, l.Tf("排班-%s.xlsx", month))
}

// sendXLSX writes a workbook as a download: an ASCII file name and the
// localized one.
func sendXLSX(w http.ResponseWriter, s *Server, x *excelize.File, ascii, name string) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"; filename*=UTF-8''%s`, ascii, urlPathEscape(name)))
	if err := x.Write(w); err != nil {
		s.Logger.Error("write xlsx", "file", ascii, "err", err)
	}
}
