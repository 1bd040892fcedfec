package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline"
)

// handleExport writes the filtered ticket list as an xlsx workbook
// (requester masked; the export is audited).
var slaStateNames = map[string]string{"ok": "正常", "warning": "预警", "overdue": "超期"}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	f, _, err := listFilter(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	items, err := s.DB.ExportTickets(r.Context(), a, f)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	x := excelize.NewFile()
	defer x.Close()
	l := localeOf(r)
	sheet := l.T("工单")
	x.SetSheetName("Sheet1", sheet)
	var header []any
	for _, h := range []string{"工单编号", "标题", "状态", "渠道", "类型", "紧急程度", "分类", "主办单位", "事发地址", "诉求人", "电话", "受理时间", "下一时限", "时限状态", "诉求内容", "答复"} {
		header = append(header, l.T(h))
	}
	x.SetSheetRow(sheet, "A1", &header)
	fmtTime := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(hotline.ChinaZone).Format("2006-01-02 15:04")
	}
	for i, t := range items {
		row := []any{t.Number, t.Title, l.T(t.Status), l.T(t.Channel), l.T(t.AppealKind), l.T(urgencyNames[t.Urgency]),
			rf.catPath[t.CategoryID], rf.unitName[t.LeadUnitID], t.Location.Address, t.Requester.Name, t.Requester.Phone,
			fmtTime(&t.CreatedAt), fmtTime(t.NextDueAt), l.T(slaStateNames[t.SLAState]),
			t.Content, t.Reply}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			s.errorPage(w, r, err)
			return
		}
	}
	x.SetColWidth(sheet, "A", "A", 18)
	x.SetColWidth(sheet, "B", "B", 30)
	x.SetColWidth(sheet, "O", "P", 50)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	name := l.Tf("工单导出-%s.xlsx", s.DB.Now().In(hotline.ChinaZone).Format("20060102-1504"))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tickets.xlsx"; filename*=UTF-8''%s`, urlPathEscape(name)))
	if err := x.Write(w); err != nil {
		s.Logger.Error("write export", "err", err)
	}
}
