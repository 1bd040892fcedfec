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
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	f, _, err := listFilter(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	items, err := s.DB.ExportTickets(r.Context(), a, f, r.URL.RawQuery)
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
	sheet := "工单"
	x.SetSheetName("Sheet1", sheet)
	header := []any{"工单编号", "标题", "状态", "渠道", "类型", "紧急程度", "分类", "主办单位", "事发地址", "诉求人", "电话", "受理时间", "下一时限", "时限状态", "诉求内容", "答复"}
	x.SetSheetRow(sheet, "A1", &header)
	funcs := s.templateFuncs()
	urg := funcs["urgency"].(func(hotline.Urgency) string)
	fmtTime := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(hotline.ChinaZone).Format("2006-01-02 15:04")
	}
	for i, t := range items {
		row := []any{t.Number, t.Title, t.Status.Label(), t.Channel.Label(), t.AppealKind.Label(), urg(t.Urgency),
			rf.catPath[t.CategoryID], rf.unitName[t.LeadUnitID], t.Location.Address, t.Requester.Name, t.Requester.Phone,
			fmtTime(&t.CreatedAt), fmtTime(t.NextDueAt), map[string]string{"ok": "正常", "warning": "预警", "overdue": "超期"}[t.SLAState],
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
	name := fmt.Sprintf("工单导出-%s.xlsx", s.DB.Now().In(hotline.ChinaZone).Format("20060102-1504"))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tickets.xlsx"; filename*=UTF-8''%s`, urlPathEscape(name)))
	if err := x.Write(w); err != nil {
		s.Logger.Error("write export", "err", err)
	}
}
