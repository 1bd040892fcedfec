package web

import (
	"fmt"
	"time"

	"hotline"
)

// correctionLabels name the fields a correction can change.
var correctionLabels = map[string]string{"appeal_kind": "诉求类型", "category_id": "诉求分类", "urgency": "紧急程度",
	"title": "标题", "content": "诉求内容", "location.address": "事发地址", "location.unit_id": "所属区域"}

// eventDetails renders what an event's payload says beyond its reason, one
// line each: a correction's fields before and after, and the deadlines it
// recomputed.
func eventDetails(l *locale, rf *ref, ev *hotline.Event) []string {
	var out []string
	switch ev.Payload["kind"] {
	case hotline.SupplementUrge:
		n, _ := ev.Payload["urge_count"].(float64)
		out = append(out, l.Tf("市民催办（第%d次）", int(n)))
	case hotline.SupplementInfo:
		out = append(out, l.T("补充诉求"))
	}
	if id, _ := ev.Payload["sub_unit_id"].(float64); id != 0 {
		name := rf.unitName[int64(id)]
		switch ev.Action {
		case hotline.ActionForward:
			out = append(out, l.Tf("转派至%s", name))
		case hotline.ActionReviewSub:
			if ev.Payload["approve"] == true {
				out = append(out, l.Tf("同意%s的答复", name))
			} else {
				out = append(out, l.Tf("退回%s重办", name))
			}
		default:
			out = append(out, l.Tf("下级单位：%s", name))
		}
	}
	if ev.Action == hotline.ActionAttach {
		name, _ := ev.Payload["name"].(string)
		out = append(out, name)
	}
	changes, _ := ev.Payload["changes"].([]any)
	for _, c := range changes {
		m, _ := c.(map[string]any)
		field, _ := m["field"].(string)
		show := func(v any) string {
			switch field {
			case "appeal_kind":
				return l.T(hotline.AppealKind(fmt.Sprint(v)).Label())
			case "urgency":
				return l.T(urgencyNames[hotline.Urgency(fmt.Sprint(v))])
			case "category_id":
				n, _ := v.(float64)
				return rf.catPath[int64(n)]
			case "location.unit_id":
				n, _ := v.(float64)
				if n == 0 {
					return "—"
				}
				return rf.unitName[int64(n)]
			}
			return fmt.Sprint(v)
		}
		out = append(out, l.Tf("%s：%s → %s", l.T(correctionLabels[field]), show(m["from"]), show(m["to"])))
	}
	if d, ok := ev.Payload["deadlines"].(map[string]any); ok {
		when := func(k string) string {
			s, _ := d[k].(string)
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return "—"
			}
			return t.In(hotline.ChinaZone).Format("2006-01-02 15:04")
		}
		if d["acknowledge_due_at"] != nil {
			out = append(out, l.Tf("时限已按新的类型和紧急程度重新计算：签收 %s → %s", when("old_acknowledge_due_at"), when("acknowledge_due_at")))
		}
		if d["reply_due_at"] != nil {
			out = append(out, l.Tf("时限已按新的类型和紧急程度重新计算：答复 %s → %s", when("old_reply_due_at"), when("reply_due_at")))
		}
		if d["acknowledge_due_at"] == nil && d["reply_due_at"] == nil {
			out = append(out, l.T("派单后按新的类型和紧急程度计算时限"))
		}
	}
	return out
}
