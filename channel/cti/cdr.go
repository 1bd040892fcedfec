package cti

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"hotline"
)

// CDRColumns are the columns a CDR file may have; call_id and offered_at
// are required.
var CDRColumns = []string{"call_id", "caller", "callee", "queue", "agent", "offered_at", "answered_at", "ended_at", "recording"}

// ReadCDR reads a CDR file (call detail records, one call a row, the
// columns CDRColumns in any order under a header row) into call events; a bad row is reported (its
// line and field) and left out, the others are kept.
func ReadCDR(r io.Reader) ([]hotline.CallEvent, []string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("CDR 文件没有列名行：%w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"call_id", "offered_at"} {
		if _, ok := col[need]; !ok {
			return nil, nil, fmt.Errorf("CDR 文件缺少列 %s（应有 %s）", need, strings.Join(CDRColumns, ", "))
		}
	}
	var events []hotline.CallEvent
	var problems []string
	for line := 2; ; line++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			problems = append(problems, fmt.Sprintf("第 %d 行：%v", line, err))
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		base := hotline.CallEvent{CallID: get("call_id"), Caller: get("caller"), Callee: get("callee"), Queue: get("queue")}
		var evs []hotline.CallEvent
		bad := ""
		for _, step := range []struct {
			column string
			kind   hotline.CallEventKind
		}{{"offered_at", hotline.CallOffered}, {"answered_at", hotline.CallAnswered}, {"ended_at", hotline.CallEnded}} {
			v := get(step.column)
			if v == "" {
				if step.kind == hotline.CallOffered {
					bad = "offered_at：必填"
				}
				continue
			}
			at, err := parseCDRTime(v)
			if err != nil {
				bad = step.column + "：" + err.Error()
				break
			}
			e := base
			e.Event, e.At = step.kind, at
			if step.kind == hotline.CallAnswered {
				e.Agent = get("agent")
			}
			if step.kind == hotline.CallEnded {
				e.Recording = get("recording")
			}
			if err := e.Validate(); err != nil {
				bad = hotline.ErrorField(err) + "：" + hotline.ErrorMessage(err)
				break
			}
			evs = append(evs, e)
		}
		if bad != "" {
			problems = append(problems, fmt.Sprintf("第 %d 行：%s", line, bad))
			continue
		}
		events = append(events, evs...)
	}
	return events, problems, nil
}

func parseCDRTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", v, hotline.ChinaZone)
	if err != nil {
		return time.Time{}, fmt.Errorf("时间格式应为 RFC 3339 或 2006-01-02 15:04:05")
	}
	return t, nil
}
